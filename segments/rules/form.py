"""The rule builder's form: a rule tree as flat form fields, the fields parsed back into the tree, and the
builder's actions on the tree (segments.rules.builder draws it).

Every node has a path: the top group is "r", its children "r-0", "r-1", theirs "r-0-0"… A node's fields
are named "<path>-<part>":

    kind       "group" or "condition": every node has one, which is how the parser finds the nodes
    op         a group's "and" or "or"
    field      a condition's field, and `operator` its operator
    value      its value, repeated for a list (choices, ids); the first end of "between"
    to         the second end of "between"
    days       N, for the fields counted over the last N days

Children keep the order of their indexes and gaps close up: the builder is always drawn again from the
parsed tree, with fresh paths. So the same form works as a plain POST (the buttons are submit buttons
named "action") and through htmx (the same buttons post the form and swap the builder in).

`parse_rules` keeps what was posted as it is, a bad value included, so that validate_rules names the
problem; only `apply_action` (the builder's buttons, a new field or operator) fits conditions to their
field and operator.
"""

import copy
import re

from django.utils.datastructures import MultiValueDict

from .fields import CHOICE, DATE, FIELDS, IDS, NUMBER, OPERATORS, TEXT
from .validation import MAX_CONDITIONS, MAX_DEPTH

ROOT = "r"
MAX_NODES = 4 * MAX_CONDITIONS  # more nodes than a valid tree can hold are not even read
DEFAULT_DAYS = 30
# The operator a condition starts with when its field is chosen: the question people usually ask of it.
DEFAULT_OPERATORS = {
    "city": "contains",
    "created": "in_last_days",
    "days_since_last_interaction": "gte",
    "interactions_last_days": "gte",
    "orders_last_days": "gte",
    "revenue_last_days": "gte",
    "latest_csat": "lte",
    "open_complaints": "gt",
    "breached_complaints_last_days": "gt",
    "health_score": "lt",
}

# A node's path has at most MAX_DEPTH + 1 indexes (a condition in the deepest group); deeper ones are not read.
_NODE_KEY = re.compile(rf"^r((?:-\d{{1,3}}){{1,{MAX_DEPTH + 1}}})-kind$")
_PATH = re.compile(rf"^r((?:-\d{{1,3}}){{0,{MAX_DEPTH + 1}}})$")
_WHOLE = re.compile(r"^[+-]?\d{1,12}$")


def node_name(path: tuple[int, ...]) -> str:
    """(0, 1) → "r-0-1": the prefix of a node's form fields."""
    return "-".join([ROOT, *map(str, path)])


def parse_path(name: str) -> tuple[int, ...] | None:
    """ "r-0-1" → (0, 1); None for anything that is not a node's path."""
    match = _PATH.match(name or "")
    if match is None:
        return None
    return tuple(int(index) for index in match.group(1).split("-")[1:])


def new_condition(field: str = "tier") -> dict:
    spec = FIELDS[field]
    operator = DEFAULT_OPERATORS.get(field, OPERATORS[spec.kind][0])
    condition = {"field": field, "operator": operator, "value": _empty_value(spec, operator)}
    if spec.window:
        condition["days"] = DEFAULT_DAYS
    return condition


# --- Form fields → tree -----------------------------------------------------------------------------------------


def parse_rules(data: MultiValueDict) -> dict:
    """The rule tree the builder's fields describe (request.POST), not yet validated."""
    data = _Posted(data)
    root = {"op": data.get(f"{ROOT}-op", "and"), "rules": []}
    nodes: dict[tuple[int, ...], dict] = {(): root}
    paths = []
    for key in data:
        match = _NODE_KEY.match(key)
        if match:
            paths.append(tuple(int(index) for index in match.group(1).split("-")[1:]))
    # Sorted, a parent comes before its children and siblings come in the order of their indexes.
    for path in sorted(paths)[:MAX_NODES]:
        parent = nodes.get(path[:-1])
        if parent is None or "rules" not in parent:
            continue  # a stray node under a condition or a missing group
        name = node_name(path)
        kind = data.get(f"{name}-kind")
        if kind == "group":
            node = {"op": data.get(f"{name}-op", "and"), "rules": []}
        elif kind == "condition":
            node = _parse_condition(data, name)
        else:
            continue
        parent["rules"].append(node)
        nodes[path] = node
    return root


def _parse_condition(data: "_Posted", name: str) -> dict:
    field = data.get(f"{name}-field", "")
    operator = data.get(f"{name}-operator", "")
    condition = {"field": field, "operator": operator}
    spec = FIELDS.get(field)
    first, second = data.get(f"{name}-value", ""), data.get(f"{name}-to", "")
    if spec is None:
        condition["value"] = first
        return condition
    if spec.kind == CHOICE:
        value = data.getlist(f"{name}-value")
    elif spec.kind == IDS:
        value = [_whole(item) for item in data.getlist(f"{name}-value")]
    elif spec.kind == NUMBER:
        number = str.strip if spec.decimal else _whole  # amounts stay text: the validator reads them exactly
        value = [number(first), number(second)] if operator == "between" else number(first)
    elif spec.kind == DATE and operator == "in_last_days":
        value = _whole(first)
    elif spec.kind == DATE and operator == "between":
        value = [first, second]
    else:  # TEXT, or a single date
        value = first
    condition["value"] = value
    if spec.window:
        condition["days"] = _whole(data.get(f"{name}-days", ""))
    return condition


class _Posted:
    """The posted fields without NUL characters: PostgreSQL refuses them in a string (and in JSON), and no
    city, date or number contains one."""

    def __init__(self, data: MultiValueDict):
        self._data = data

    def __iter__(self):
        return iter(self._data)

    def get(self, key: str, default: str = "") -> str:
        value = self._data.get(key, default)
        return value.replace("\x00", "") if isinstance(value, str) else default

    def getlist(self, key: str) -> list[str]:
        return [value.replace("\x00", "") for value in self._data.getlist(key)]


def _whole(text: str):
    """A whole number as int; anything else stays the text it was, for the validator to reject by name."""
    text = text.strip()
    return int(text) if _WHOLE.match(text) else text


# --- Tree → form fields -----------------------------------------------------------------------------------------


def rules_to_data(tree: dict) -> MultiValueDict:
    """The form fields that describe the tree: what the builder posts for it (parse_rules reads it back)."""
    data = MultiValueDict()

    def put(node: dict, path: tuple[int, ...]) -> None:
        name = node_name(path)
        if "op" in node:
            data[f"{name}-kind"] = "group"
            data[f"{name}-op"] = node["op"]
            for index, child in enumerate(node["rules"]):
                put(child, (*path, index))
            return
        spec = FIELDS[node["field"]]
        data[f"{name}-kind"] = "condition"
        data[f"{name}-field"] = node["field"]
        data[f"{name}-operator"] = node["operator"]
        value = node["value"]
        if spec.kind in (CHOICE, IDS):
            data.setlist(f"{name}-value", [str(item) for item in value])
        elif node["operator"] == "between":
            data[f"{name}-value"], data[f"{name}-to"] = str(value[0]), str(value[1])
        else:
            data[f"{name}-value"] = str(value)
        if "days" in node:
            data[f"{name}-days"] = str(node["days"])

    put(tree, ())
    return data


# --- The builder's buttons ----------------------------------------------------------------------------------------


def apply_action(tree: dict, action: str) -> dict:
    """The tree after one of the builder's actions, every condition fitted to its field and operator:

    "add-condition:<path>" and "add-group:<path>" add to the group at path (within MAX_DEPTH and
    MAX_CONDITIONS), "remove:<path>" removes a node, "field:<path>" starts the condition over for its newly
    chosen field, and "refresh" (a new operator, or the plain form's Update) only fits the conditions.
    """
    tree = _fit_group(copy.deepcopy(tree))
    verb, _sep, target = action.partition(":")
    path = parse_path(target)
    if path is None:
        return tree
    node = _find(tree, path)
    room = count_conditions(tree) < MAX_CONDITIONS
    if verb == "add-condition" and is_group(node) and room:
        node["rules"].append(new_condition())
    elif verb == "add-group" and is_group(node) and room and len(path) + 2 <= MAX_DEPTH:
        # The new group asks the other question: "… AND (x OR y)" is what a nested group is for.
        node["rules"].append({"op": "or" if node["op"] == "and" else "and", "rules": [new_condition()]})
    elif verb == "remove" and path and node is not None:
        del _find(tree, path[:-1])["rules"][path[-1]]
    elif verb == "field" and node is not None and not is_group(node):
        chosen = node["field"]  # fitted above: a field of the catalogue
        node.clear()
        node.update(new_condition(chosen))
    return tree


def _find(tree: dict, path: tuple[int, ...]) -> dict | None:
    node = tree
    for index in path:
        children = node.get("rules") if isinstance(node, dict) else None
        if not isinstance(children, list) or not 0 <= index < len(children):
            return None
        node = children[index]
    return node


def is_group(node) -> bool:
    return isinstance(node, dict) and "rules" in node


def count_conditions(node: dict) -> int:
    return sum(count_conditions(child) if is_group(child) else 1 for child in node["rules"])


def _fit_group(group: dict) -> dict:
    group["op"] = group["op"] if group.get("op") in ("and", "or") else "and"
    group["rules"] = [_fit_group(child) if is_group(child) else _fit_condition(child) for child in group["rules"]]
    return group


def _fit_condition(condition: dict) -> dict:
    """The condition with an operator its field takes and a value of the shape that operator reads; what
    still fits is kept (a number when "at least" becomes "between", the boxes ticked among the choices)."""
    spec = FIELDS.get(condition.get("field"))
    if spec is None:
        return new_condition()
    operator = condition.get("operator")
    if operator not in OPERATORS[spec.kind]:
        return new_condition(condition["field"])
    value = condition.get("value")
    if spec.kind == CHOICE:
        allowed = set(spec.choices())
        value = [item for item in value if item in allowed] if isinstance(value, list) else []
    elif spec.kind == IDS:
        value = [item for item in value if isinstance(item, int)] if isinstance(value, list) else []
    elif spec.kind == TEXT:
        value = value if isinstance(value, str) else ""
    elif operator == "between":
        value = value if isinstance(value, list) and len(value) == 2 else [_scalar(value), ""]
    else:
        value = _scalar(value[0] if isinstance(value, list) and value else value)
        if spec.kind == DATE and (operator == "in_last_days") == ("-" in str(value)):
            value = ""  # a date where a number of days goes, or the other way round
    fitted = {"field": condition["field"], "operator": operator, "value": value}
    if spec.window:
        fitted["days"] = condition.get("days", DEFAULT_DAYS)
    return fitted


def _scalar(value):
    return value if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _empty_value(spec, operator: str):
    if spec.kind in (CHOICE, IDS):
        return []
    return ["", ""] if operator == "between" else ""
