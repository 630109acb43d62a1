"""Drawing the rule builder: the tree as nested nodes for the templates (segments/rule_group.html and
rule_condition.html), each with its form fields' names (segments.rules.form), values, options and the
validator's message when it is about that node."""

import re

from django.db.models import Q

from accounts.models import Role, Team, User
from clients.models import Tag

from .fields import CHOICE, DATE, FIELDS, IDS, MAX_DAYS, OPERATORS, TEXT
from .form import DEFAULT_DAYS, ROOT, count_conditions, is_group, new_condition, node_name
from .labels import FIELD_GROUPS, choice_options, operator_label
from .validation import MAX_CONDITIONS, MAX_DEPTH

CHECKBOXES_UP_TO = 12  # longer lists of choices are drawn as a multiple select
_ERROR_AT = re.compile(r"^(rules\[\d+\](?:\.rules\[\d+\])*): (.+)$", re.DOTALL)


def locate_error(message: str) -> tuple[str, str]:
    """Where a validator's message belongs in the builder: ("r-1-0", "unknown field …") for
    "rules[1].rules[0]: unknown field …"; the top group and the whole message otherwise."""
    match = _ERROR_AT.match(message or "")
    if match is None:
        return ROOT, message
    path = tuple(int(index) for index in re.findall(r"\[(\d+)\]", match.group(1)))
    return node_name(path), match.group(2)


def field_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The field select's options, grouped: [(group label, [(field, label), …]), …]."""
    return [(str(label), [(name, str(FIELDS[name].label)) for name in names]) for label, names in FIELD_GROUPS]


def builder_tree(tree: dict, *, error: str = "") -> dict:
    """The tree as nested nodes for the templates: each with its path, its inputs' values and options, and
    the validator's message on the node it is about."""
    error_path, error_text = locate_error(error) if error else ("", "")
    options = _IdOptions(tree)
    room = count_conditions(tree) < MAX_CONDITIONS if is_group(tree) else False

    def draw(node, path: tuple[int, ...]) -> dict:
        name = node_name(path)
        message = error_text if name == error_path else ""
        if is_group(node):
            return {
                "is_group": True,
                "path": name,
                "is_root": not path,
                "depth": len(path) + 1,
                "op": node.get("op"),
                "children": [draw(child, (*path, index)) for index, child in enumerate(node["rules"])],
                "can_add": room,
                "can_add_group": room and len(path) + 2 <= MAX_DEPTH,
                "error": message,
            }
        return {"is_group": False, "path": name, "error": message, **_condition_inputs(node, options)}

    return draw(tree, ())


def _condition_inputs(node: dict, options: "_IdOptions") -> dict:
    field = node.get("field") if isinstance(node.get("field"), str) else ""
    spec = FIELDS.get(field)
    if spec is None:  # an unknown field is drawn as the default one, with the message saying what was wrong
        return _condition_inputs(new_condition(), options) | {"field": field}
    operator = node.get("operator") if node.get("operator") in OPERATORS[spec.kind] else OPERATORS[spec.kind][0]
    value = node.get("value")
    inputs = {
        "field": field,
        "kind": spec.kind,
        "operator": operator,
        "operators": [(op, operator_label(field, spec.kind, op)) for op in OPERATORS[spec.kind]],
        "between": operator == "between",
        "window": spec.window,
        "days": _text(node.get("days", DEFAULT_DAYS)),
        "max_days": MAX_DAYS,
        "value": _text(value[0] if isinstance(value, list) and value else value),
        "to": _text(value[1] if isinstance(value, list) and len(value) == 2 else ""),
        "help": str(spec.help),
    }
    if spec.kind in (CHOICE, IDS):
        chosen = {str(item) for item in value} if isinstance(value, list) else set()
        pairs = choice_options(field) if spec.kind == CHOICE else options.get(field)
        inputs["options"] = [(str(key), label, str(key) in chosen) for key, label in pairs]
        inputs["widget"] = "checkboxes" if len(pairs) <= CHECKBOXES_UP_TO else "select"
    elif spec.kind == TEXT:
        inputs["widget"] = "text"
    elif spec.kind == DATE:
        inputs["widget"] = "days" if operator == "in_last_days" else "date"
    else:
        inputs.update(widget="number", step="0.01" if spec.decimal else "1", min=spec.minimum)
        inputs["max"] = None if spec.decimal else spec.maximum
    return inputs


def _text(value) -> str:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


class _IdOptions:
    """The people, teams and tags offered by ids conditions: read once per drawing, only when a condition
    needs them."""

    def __init__(self, tree: dict):
        self._loaded: dict[str, list[tuple[int, str]]] = {}
        self._chosen_people: set[int] = set()
        self._collect(tree)

    def _collect(self, node) -> None:
        for child in node.get("rules", []) if isinstance(node, dict) else []:
            if is_group(child):
                self._collect(child)
            elif isinstance(child, dict) and child.get("field") == "account_manager":
                value = child.get("value")
                if isinstance(value, list):
                    self._chosen_people.update(pk for pk in value if isinstance(pk, int))

    def get(self, field: str) -> list[tuple[int, str]]:
        if field not in self._loaded:
            self._loaded[field] = self._load(field)
        return self._loaded[field]

    def _load(self, field: str) -> list[tuple[int, str]]:
        if field == "account_manager":
            # Who manages clients now, and anyone already chosen (a manager who left still narrows the rule).
            people = User.objects.filter(
                Q(is_active=True, role__in=[Role.MANAGER, Role.TEAM_LEAD]) | Q(pk__in=self._chosen_people)
            ).order_by("full_name", "pk")
            return [(user.pk, str(user)) for user in people]
        model = Team if field == "team" else Tag
        return [(obj.pk, str(obj)) for obj in model.objects.order_by("name", "pk")]
