"""validate_rules: the cleaned form of good rules, and a message naming the bad node for everything else."""

import pytest

from core.exceptions import ApplicationError
from segments.rules import validate_rules
from tests.factories.accounts import ManagerFactory, TeamFactory
from tests.factories.clients import TagFactory


def cond(field, operator, value, **extra) -> dict:
    return {"field": field, "operator": operator, "value": value, **extra}


def group(*rules, op="and") -> dict:
    return {"op": op, "rules": list(rules)}


def error_of(data) -> str:
    with pytest.raises(ApplicationError) as caught:
        validate_rules(data)
    assert caught.value.field == "rules"
    return caught.value.message


def nested(depth: int) -> dict:
    node = group(cond("tier", "in", ["vip"]))
    for _ in range(depth - 1):
        node = group(node)
    return node


def test_valid_rules_come_back_cleaned(db):
    tag = TagFactory()
    data = group(
        cond("country", "in", ["lt", "LT", "lv"]),
        cond("city", "contains", "  Vilnius "),
        cond("tags", "in", [tag.pk, tag.pk]),
        group(cond("revenue_last_days", "between", [100, "2500.5"], days=90), op="or"),
        cond("created", "between", ["2025-01-01", "2025-01-31"]),
    )
    assert validate_rules(data) == group(
        cond("country", "in", ["LT", "LV"]),
        cond("city", "contains", "Vilnius"),
        cond("tags", "in", [tag.pk]),
        group(cond("revenue_last_days", "between", ["100.00", "2500.50"], days=90), op="or"),
        cond("created", "between", ["2025-01-01", "2025-01-31"]),
    )


def test_empty_groups_are_valid():
    assert validate_rules(group()) == {"op": "and", "rules": []}
    assert validate_rules(group(op="or")) == {"op": "or", "rules": []}


def test_groups_may_nest_four_levels_deep():
    assert validate_rules(nested(4)) == nested(4)


BAD = {
    "not a group": ([], 'top level: expected a group {"op": "and" or "or", "rules": [...]}'),
    "unknown group op": ({"op": "xor", "rules": []}, 'top level: unknown group operator \'xor\': use "and" or "or"'),
    "rules not a list": ({"op": "and", "rules": "tier"}, 'top level: "rules" must be a list'),
    "unknown key in a group": ({"op": "and", "rules": [], "not": True}, "top level: unknown key 'not'"),
    "neither group nor condition": (
        group(42),
        "rules[0]: expected a group (op, rules) or a condition (field, operator, value)",
    ),
    "unknown field, nested": (
        group(cond("tier", "in", ["vip"]), group(cond("tierr", "in", ["vip"]), op="or")),
        "rules[1].rules[0]: unknown field 'tierr'",
    ),
    "unknown key in a condition": (group(cond("tier", "in", ["vip"], extra=1)), "rules[0]: unknown key 'extra'"),
    "operator not for the field": (
        group(cond("tier", "contains", "vip")),
        "rules[0]: operator 'contains' is not allowed for tier (allowed: in, not_in)",
    ),
    "missing value": (group({"field": "tier", "operator": "in"}), "rules[0]: a value is required"),
    "unknown choice": (group(cond("tier", "in", ["gold"])), "rules[0]: unknown choice 'gold'"),
    "unknown country": (group(cond("country", "in", ["XX"])), "rules[0]: unknown choice 'XX'"),
    "choice not a list": (group(cond("status", "in", "active")), "rules[0]: the value must be a non-empty list"),
    "empty in list": (group(cond("industry", "not_in", [])), "rules[0]: the value must be a non-empty list"),
    "empty id list": (group(cond("tags", "in", [])), "rules[0]: the value must be a non-empty list of ids"),
    "id not a number": (group(cond("team", "in", ["1"])), "rules[0]: '1' is not an id"),
    "id a boolean": (group(cond("account_manager", "in", [True])), "rules[0]: True is not an id"),
    "empty text": (group(cond("city", "equals", "  ")), "rules[0]: the value must be a non-empty text"),
    "text too long": (group(cond("city", "contains", "x" * 201)), "rules[0]: the value must be at most 200 characters"),
    "number a string": (
        group(cond("open_complaints", "gt", "1")),
        "rules[0]: the value must be a whole number from 0 to 1000000",
    ),
    "negative number": (
        group(cond("open_complaints", "gte", -1)),
        "rules[0]: the value must be a whole number from 0 to 1000000",
    ),
    "csat out of scale": (
        group(cond("latest_csat", "eq", 6)),
        "rules[0]: the value must be a whole number from 1 to 5",
    ),
    "bad amount": (
        group(cond("revenue_last_days", "gt", "lots", days=30)),
        "rules[0]: the value must be an amount from 0 to 1000000000000",
    ),
    "between not a pair": (
        group(cond("latest_csat", "between", [1, 2, 3])),
        'rules[0]: "between" takes a list of two values [from, to]',
    ),
    "between reversed": (
        group(cond("open_complaints", "between", [3, 1])),
        "rules[0]: the first number must not be greater than the second",
    ),
    "dates reversed": (
        group(cond("created", "between", ["2025-02-01", "2025-01-01"])),
        "rules[0]: the first date must not be after the second",
    ),
    "not a date": (group(cond("created", "before", "2025-02-30")), "rules[0]: '2025-02-30' is not a date (YYYY-MM-DD)"),
    "missing days": (
        group(cond("orders_last_days", "gt", 1)),
        'rules[0]: "days" must be a whole number of days from 1 to 3650',
    ),
    "negative days": (
        group(cond("orders_last_days", "gt", 1, days=-7)),
        'rules[0]: "days" must be a whole number of days from 1 to 3650',
    ),
    "too many days": (
        group(cond("interactions_last_days", "gt", 1, days=3651)),
        'rules[0]: "days" must be a whole number of days from 1 to 3650',
    ),
    "days on a field without a window": (
        group(cond("open_complaints", "gt", 1, days=30)),
        'rules[0]: open_complaints takes no "days"',
    ),
    "in_last_days zero": (
        group(cond("created", "in_last_days", 0)),
        'rules[0]: "value" must be a whole number of days from 1 to 3650',
    ),
    "too deep": (nested(5), "rules[0].rules[0].rules[0].rules[0]: groups may be nested at most 4 levels deep"),
    "too many conditions": (
        group(*[cond("tier", "in", ["vip"])] * 50, group(cond("tier", "in", ["key"]))),
        "rules[50].rules[0]: at most 50 conditions are allowed",
    ),
    "long values are cut short in messages": (
        group(cond("tier", "in", ["'; DROP TABLE clients_client; -- and then some more"])),
        "rules[0]: unknown choice \"'; DROP TABLE clients_client; -- and...",
    ),
}


@pytest.mark.parametrize(("data", "message"), BAD.values(), ids=BAD.keys())
def test_invalid_rules_are_rejected_with_the_path_of_the_bad_node(db, data, message):
    assert error_of(data) == message


def test_ids_that_do_not_exist_are_rejected(db):
    manager, team, tag = ManagerFactory(), TeamFactory(), TagFactory()
    assert error_of(group(cond("account_manager", "in", [manager.pk, manager.pk + 1000]))) == (
        f"rules[0]: no user with id {manager.pk + 1000}"
    )
    assert error_of(group(cond("team", "not_in", [team.pk + 1000]))) == f"rules[0]: no team with id {team.pk + 1000}"
    assert error_of(group(cond("tags", "in", [tag.pk, tag.pk + 1, tag.pk + 2]))) == (
        f"rules[0]: no tag with id {tag.pk + 1}, {tag.pk + 2}"
    )


def test_ids_are_not_looked_up_when_only_the_shape_is_checked(db, django_assert_num_queries):
    data = group(cond("tags", "in", [999_999]))
    with django_assert_num_queries(0):
        assert validate_rules(data, check_ids=False) == data


def test_messages_are_translated(db):
    from django.utils import translation

    with translation.override("lt"):
        message = error_of(group(cond("tierr", "in", ["vip"])))
    assert message.startswith("rules[0]: ")
