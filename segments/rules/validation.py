"""validate_rules: check a rule tree against the catalogue and return its cleaned form."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from .fields import CHOICE, FIELDS, IDS, MAX_AMOUNT, MAX_DAYS, MAX_TEXT, NUMBER, OPERATORS, TEXT, RuleField

MAX_DEPTH = 4  # the top group is level 1
MAX_CONDITIONS = 50
GROUP_KEYS = {"op", "rules"}
CONDITION_KEYS = {"field", "operator", "value", "days"}


class _Invalid(Exception):
    def __init__(self, path: str, message: str):
        super().__init__(message)
        self.path = path
        self.message = message


def validate_rules(data, *, check_ids: bool = True) -> dict:
    """The cleaned rule tree, or ApplicationError naming the path of the first bad node.

    `check_ids=False` checks only the shape and values, without the queries that look up user, team
    and tag ids: for rules read back from a saved segment (an id deleted since then simply matches nothing).
    """
    counter = {"conditions": 0}
    try:
        return _group(data, path="", depth=1, counter=counter, check_ids=check_ids)
    except _Invalid as error:
        where = error.path or _("top level")
        raise ApplicationError(f"{where}: {error.message}", field="rules") from None


def _group(node, *, path: str, depth: int, counter: dict, check_ids: bool) -> dict:
    if not isinstance(node, dict) or "op" not in node:
        raise _Invalid(path, _('expected a group {"op": "and" or "or", "rules": [...]}'))
    if depth > MAX_DEPTH:
        raise _Invalid(path, _("groups may be nested at most %(depth)d levels deep") % {"depth": MAX_DEPTH})
    _no_unknown_keys(node, GROUP_KEYS, path)
    if node["op"] not in ("and", "or"):
        raise _Invalid(path, _('unknown group operator %(op)s: use "and" or "or"') % {"op": _show(node["op"])})
    children = node.get("rules")
    if not isinstance(children, list):
        raise _Invalid(path, _('"rules" must be a list'))
    cleaned = []
    for index, child in enumerate(children):
        child_path = f"{path}.rules[{index}]" if path else f"rules[{index}]"
        if isinstance(child, dict) and "op" in child:
            cleaned.append(_group(child, path=child_path, depth=depth + 1, counter=counter, check_ids=check_ids))
        elif isinstance(child, dict) and "field" in child:
            counter["conditions"] += 1
            if counter["conditions"] > MAX_CONDITIONS:
                raise _Invalid(child_path, _("at most %(count)d conditions are allowed") % {"count": MAX_CONDITIONS})
            cleaned.append(_condition(child, path=child_path, check_ids=check_ids))
        else:
            raise _Invalid(child_path, _("expected a group (op, rules) or a condition (field, operator, value)"))
    return {"op": node["op"], "rules": cleaned}


def _condition(node: dict, *, path: str, check_ids: bool) -> dict:
    _no_unknown_keys(node, CONDITION_KEYS, path)
    name = node["field"]
    spec = FIELDS.get(name) if isinstance(name, str) else None
    if spec is None:
        raise _Invalid(path, _("unknown field %(field)s") % {"field": _show(name)})
    operator = node.get("operator")
    if not isinstance(operator, str) or operator not in OPERATORS[spec.kind]:
        raise _Invalid(
            path,
            _("operator %(operator)s is not allowed for %(field)s (allowed: %(allowed)s)")
            % {"operator": _show(operator), "field": name, "allowed": ", ".join(OPERATORS[spec.kind])},
        )
    if "value" not in node:
        raise _Invalid(path, _("a value is required"))
    cleaned = {"field": name, "operator": operator, "value": _value(spec, operator, node["value"], path, check_ids)}
    if spec.window:
        cleaned["days"] = _days(node.get("days"), path, key="days")
    elif "days" in node:
        raise _Invalid(path, _('%(field)s takes no "days"') % {"field": name})
    return cleaned


def _value(spec: RuleField, operator: str, value, path: str, check_ids: bool):
    if spec.kind == CHOICE:
        return _choices(spec, value, path)
    if spec.kind == TEXT:
        if isinstance(value, str):
            value = value.replace("\x00", "")  # PostgreSQL refuses NUL in a string, and no city holds one
        if not isinstance(value, str) or not value.strip():
            raise _Invalid(path, _("the value must be a non-empty text"))
        if len(value) > MAX_TEXT:
            raise _Invalid(path, _("the value must be at most %(count)d characters") % {"count": MAX_TEXT})
        return value.strip()
    if spec.kind == IDS:
        return _ids(spec, value, path, check_ids)
    if spec.kind == NUMBER:
        if operator == "between":
            low, high = _pair(value, path)
            low, high = _number(spec, low, path), _number(spec, high, path)
            _ordered(low, high, spec, path)
            return [low, high]
        return _number(spec, value, path)
    # DATE
    if operator == "in_last_days":
        return _days(value, path, key="value")
    if operator == "between":
        low, high = _pair(value, path)
        low, high = _date(low, path), _date(high, path)
        if low > high:
            raise _Invalid(path, _("the first date must not be after the second"))
        return [low, high]
    return _date(value, path)


def _choices(spec: RuleField, value, path: str) -> list[str]:
    if not isinstance(value, list) or not value:
        raise _Invalid(path, _("the value must be a non-empty list"))
    allowed = set(spec.choices())
    cleaned = []
    for item in value:
        if isinstance(item, str) and spec.upper:
            item = item.upper()  # ISO country codes are upper case: "lt" means LT
        if not isinstance(item, str) or item not in allowed:
            raise _Invalid(path, _("unknown choice %(value)s") % {"value": _show(item)})
        if item not in cleaned:
            cleaned.append(item)
    return cleaned


def _ids(spec: RuleField, value, path: str, check_ids: bool) -> list[int]:
    if not isinstance(value, list) or not value:
        raise _Invalid(path, _("the value must be a non-empty list of ids"))
    cleaned = []
    for item in value:
        if not _is_int(item) or item < 1:
            raise _Invalid(path, _("%(value)s is not an id") % {"value": _show(item)})
        if item not in cleaned:
            cleaned.append(item)
    if check_ids:
        found = set(spec.model.objects.filter(pk__in=cleaned).values_list("pk", flat=True))
        missing = [str(pk) for pk in cleaned if pk not in found]
        if missing:
            raise _Invalid(
                path,
                _("no %(what)s with id %(ids)s") % {"what": spec.model._meta.verbose_name, "ids": ", ".join(missing)},
            )
    return cleaned


def _number(spec: RuleField, value, path: str):
    if spec.decimal:
        # Amounts are kept as strings ("1500.00") so the cleaned tree stays JSON and exact.
        if _is_int(value) or isinstance(value, float | str):
            try:
                amount = Decimal(str(value)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                amount = None
            if amount is not None and amount.is_finite() and 0 <= amount <= MAX_AMOUNT:
                return str(amount)
        raise _Invalid(path, _("the value must be an amount from 0 to %(max)s") % {"max": MAX_AMOUNT})
    if not _is_int(value) or not spec.minimum <= value <= spec.maximum:
        raise _Invalid(
            path,
            _("the value must be a whole number from %(min)d to %(max)d") % {"min": spec.minimum, "max": spec.maximum},
        )
    return value


def _ordered(low, high, spec: RuleField, path: str) -> None:
    if (Decimal(low) if spec.decimal else low) > (Decimal(high) if spec.decimal else high):
        raise _Invalid(path, _("the first number must not be greater than the second"))


def _days(value, path: str, *, key: str) -> int:
    if not _is_int(value) or not 1 <= value <= MAX_DAYS:
        raise _Invalid(
            path, _('"%(key)s" must be a whole number of days from 1 to %(max)d') % {"key": key, "max": MAX_DAYS}
        )
    return value


def _date(value, path: str) -> str:
    if isinstance(value, str) and len(value) == 10:
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise _Invalid(path, _("%(value)s is not a date (YYYY-MM-DD)") % {"value": _show(value)})


def _pair(value, path: str) -> tuple:
    if not isinstance(value, list) or len(value) != 2:
        raise _Invalid(path, _('"between" takes a list of two values [from, to]'))
    return value[0], value[1]


def _no_unknown_keys(node: dict, allowed: set, path: str) -> None:
    unknown = sorted(str(key) for key in node if key not in allowed)
    if unknown:
        raise _Invalid(path, _("unknown key %(key)s") % {"key": _show(unknown[0])})


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _show(value) -> str:
    """A value quoted for a message, cut short: messages echo what was sent, never execute it."""
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."
