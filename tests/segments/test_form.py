"""The rule builder's form encoding: trees to flat fields and back, and the builder's actions on the tree."""

import pytest
from django.http import QueryDict

from segments.rules import FIELDS, MAX_CONDITIONS, MAX_DEPTH, OPERATORS, validate_rules
from segments.rules.form import apply_action, new_condition, parse_path, parse_rules, rules_to_data
from tests.factories.accounts import ManagerFactory, TeamFactory
from tests.factories.clients import TagFactory


def cond(field, operator, value, **extra) -> dict:
    return {"field": field, "operator": operator, "value": value, **extra}


def group(*rules, op="and") -> dict:
    return {"op": op, "rules": list(rules)}


def posted(text: str) -> QueryDict:
    """The body a browser sends for the builder (urlencoded), as request.POST reads it."""
    return QueryDict(text)


@pytest.fixture
def ids(db):
    """One user, team and tag for the ids fields."""
    team = TeamFactory(name="North")
    return {"account_manager": ManagerFactory(team=team).pk, "team": team.pk, "tags": TagFactory(name="wine").pk}


def sample(field: str, operator: str, ids: dict):
    """A valid value of the field for the operator, as validate_rules cleans it."""
    spec = FIELDS[field]
    if spec.kind == "choice":
        return sorted(spec.choices())[:2]
    if spec.kind == "ids":
        return [ids[field]]
    if spec.kind == "text":
        return "Vil"
    if spec.kind == "date":
        return {"between": ["2025-01-01", "2025-01-31"], "in_last_days": 30}.get(operator, "2025-03-01")
    if spec.decimal:
        return ["100.00", "2500.50"] if operator == "between" else "1500.00"
    if field == "latest_csat":
        return [2, 4] if operator == "between" else 3
    return [1, 10] if operator == "between" else 5


EVERY_FIELD_AND_OPERATOR = [(field, op) for field, spec in FIELDS.items() for op in OPERATORS[spec.kind]]


@pytest.mark.parametrize(("field", "operator"), EVERY_FIELD_AND_OPERATOR)
def test_every_field_and_operator_round_trips_through_the_form_fields(ids, field, operator):
    condition = cond(field, operator, sample(field, operator, ids))
    if FIELDS[field].window:
        condition["days"] = 90
    tree = group(condition, group(cond("tier", "in", ["vip"]), op="or"))

    parsed = parse_rules(rules_to_data(tree))

    assert parsed == tree
    assert validate_rules(parsed) == tree


def test_what_a_browser_posts_becomes_the_tree():
    data = posted(
        "r-kind=group&r-op=or"
        "&r-0-kind=condition&r-0-field=tier&r-0-operator=in&r-0-value=vip&r-0-value=key"
        "&r-1-kind=group&r-1-op=and"
        "&r-1-0-kind=condition&r-1-0-field=city&r-1-0-operator=contains&r-1-0-value=Vil"
        "&r-1-1-kind=condition&r-1-1-field=orders_last_days&r-1-1-operator=between&r-1-1-value=2&r-1-1-to=5"
        "&r-1-1-days=90"
        "&r-2-kind=condition&r-2-field=created&r-2-operator=in_last_days&r-2-value=+30+"
        "&r-3-kind=condition&r-3-field=revenue_last_days&r-3-operator=gte&r-3-value=1500&r-3-days=30"
        "&name=VIP&csrfmiddlewaretoken=x&action="
    )

    assert parse_rules(data) == group(
        cond("tier", "in", ["vip", "key"]),
        group(cond("city", "contains", "Vil"), cond("orders_last_days", "between", [2, 5], days=90)),
        cond("created", "in_last_days", 30),
        cond("revenue_last_days", "gte", "1500", days=30),
        op="or",
    )


def test_children_keep_the_numeric_order_of_their_indexes_and_gaps_close_up():
    data = posted(
        "r-10-kind=condition&r-10-field=city&r-10-operator=equals&r-10-value=ten"
        "&r-9-kind=condition&r-9-field=city&r-9-operator=equals&r-9-value=nine"
        "&r-2-kind=condition&r-2-field=city&r-2-operator=equals&r-2-value=two"
    )

    assert [c["value"] for c in parse_rules(data)["rules"]] == ["two", "nine", "ten"]


def test_stray_nodes_are_not_read():
    data = posted(
        "r-0-kind=condition&r-0-field=tier&r-0-operator=in&r-0-value=vip"
        "&r-0-0-kind=condition&r-0-0-field=city&r-0-0-operator=equals&r-0-0-value=under+a+condition"
        "&r-5-1-kind=condition&r-5-1-field=city&r-5-1-operator=equals&r-5-1-value=no+parent+group"
        "&r-1-kind=nonsense&r-1-field=city"
        "&r-2-kind=group&r-2-op=and"
        "&r-2-0-0-0-0-0-kind=condition&r-2-0-0-0-0-0-field=city"
        "&r-x-kind=condition&rr-0-kind=condition"
    )

    assert parse_rules(data) == group(cond("tier", "in", ["vip"]), group())


def test_bad_values_stay_as_posted_so_the_validator_names_them():
    data = posted(
        "r-0-kind=condition&r-0-field=open_complaints&r-0-operator=gt&r-0-value=three"
        "&r-1-kind=condition&r-1-field=tags&r-1-operator=in&r-1-value=7&r-1-value=x"
        "&r-2-kind=condition&r-2-field=tierr&r-2-operator=in&r-2-value=vip"
        "&r-3-kind=condition&r-3-field=tier&r-3-operator=in"
        "&r-op=xor"
    )

    tree = parse_rules(data)

    assert tree == group(
        cond("open_complaints", "gt", "three"),
        cond("tags", "in", [7, "x"]),
        cond("tierr", "in", "vip"),
        cond("tier", "in", []),
        op="xor",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("r-0-kind=condition&r-0-field=open_complaints&r-0-operator=gt&r-0-value=",
         "rules[0]: the value must be a whole number from 0 to 1000000"),
        ("r-0-kind=group&r-0-op=or&r-0-0-kind=condition&r-0-0-field=tier&r-0-0-operator=in",
         "rules[0].rules[0]: the value must be a non-empty list"),
        ("r-0-kind=condition&r-0-field=city&r-0-operator=contains&r-0-value=%27%3B+DROP+TABLE+x%3B--&r-1-kind=condition"
         "&r-1-field=created&r-1-operator=between&r-1-value=2025-02-01&r-1-to=2025-01-01",
         "rules[1]: the first date must not be after the second"),
        ("r-0-kind=condition&r-0-field=revenue_last_days&r-0-operator=gte&r-0-value=1%2C5&r-0-days=30",
         "rules[0]: the value must be an amount from 0 to 1000000000000"),
    ],
)  # fmt: skip
def test_the_validator_reads_a_parsed_form_and_names_the_node(db, text, message):
    from core.exceptions import ApplicationError

    with pytest.raises(ApplicationError) as caught:
        validate_rules(parse_rules(posted(text)))
    assert caught.value.message == message


# --- The builder's actions -------------------------------------------------------------------------------------


def test_adding_a_condition_appends_the_default_one_to_that_group():
    tree = group(cond("city", "contains", "Vil"), group(op="or"))

    assert apply_action(tree, "add-condition:r") == group(
        cond("city", "contains", "Vil"), group(op="or"), new_condition()
    )
    assert apply_action(tree, "add-condition:r-1") == group(
        cond("city", "contains", "Vil"), group(new_condition(), op="or")
    )
    assert new_condition() == cond("tier", "in", [])


def test_a_new_group_asks_the_other_question_and_starts_with_a_condition():
    assert apply_action(group(), "add-group:r") == group(group(new_condition(), op="or"))
    assert apply_action(group(op="or"), "add-group:r") == group(group(new_condition()), op="or")


def test_groups_nest_no_deeper_than_max_depth():
    deepest = group()
    tree = deepest
    for _ in range(MAX_DEPTH - 1):
        tree = group(tree)
    path = "r" + "-0" * (MAX_DEPTH - 1)

    assert apply_action(tree, f"add-group:{path}") == tree
    assert apply_action(tree, f"add-condition:{path}") != tree  # a condition still fits at the deepest level
    assert apply_action(tree, "add-group:r" + "-0" * (MAX_DEPTH - 2)) != tree


def test_nothing_is_added_past_max_conditions():
    tree = group(*[cond("tier", "in", ["vip"]) for _ in range(MAX_CONDITIONS)])

    assert apply_action(tree, "add-condition:r") == tree
    assert apply_action(tree, "add-group:r") == tree


def test_removing_takes_out_the_node_at_the_path():
    tree = group(cond("tier", "in", ["vip"]), group(cond("city", "contains", "a"), cond("city", "contains", "b")))

    assert apply_action(tree, "remove:r-1-0") == group(
        cond("tier", "in", ["vip"]), group(cond("city", "contains", "b"))
    )
    assert apply_action(tree, "remove:r-0") == group(
        group(cond("city", "contains", "a"), cond("city", "contains", "b"))
    )
    assert apply_action(tree, "remove:r") == tree  # the top group stays
    assert apply_action(tree, "remove:r-7") == tree
    assert apply_action(tree, "remove:nonsense") == tree


def test_a_new_field_starts_its_condition_over_with_that_fields_usual_question():
    tree = group(cond("orders_last_days", "gte", ["vip"]), cond("account_manager", "in", [3]))

    changed = apply_action(tree, "field:r-0")
    assert changed["rules"][0] == cond("orders_last_days", "gte", "", days=30)

    tree["rules"][1]["field"] = "team"  # ids of people are no ids of teams
    assert apply_action(tree, "field:r-1")["rules"][1] == cond("team", "in", [])
    tree["rules"][1]["field"] = "city"
    assert apply_action(tree, "field:r-1")["rules"][1] == cond("city", "contains", "")


def test_refresh_fits_each_condition_to_its_operator_keeping_what_still_fits():
    tree = group(
        cond("orders_last_days", "between", 3, days=60),  # "at least 3" became "between"
        cond("open_complaints", "gt", [2, 9]),  # "between" became "more than"
        cond("tier", "in", ["vip", "nonsense"]),
        cond("city", "in", ["vip"]),  # the field changed without JavaScript: its operator no longer fits
        cond("created", "in_last_days", "2025-01-01"),
        cond("created", "before", 30),
        cond("tierr", "in", []),
        op="xor",
    )

    assert apply_action(tree, "refresh") == group(
        cond("orders_last_days", "between", [3, ""], days=60),
        cond("open_complaints", "gt", 2),
        cond("tier", "in", ["vip"]),
        cond("city", "contains", ""),
        cond("created", "in_last_days", ""),
        cond("created", "before", ""),
        new_condition(),
    )


def test_actions_leave_the_posted_tree_untouched():
    tree = group(cond("tier", "in", ["vip"]))
    apply_action(tree, "remove:r-0")
    assert tree == group(cond("tier", "in", ["vip"]))


def test_paths_are_read_strictly():
    assert parse_path("r") == ()
    assert parse_path("r-0-12") == (0, 12)
    assert parse_path("r-0-x") is None
    assert parse_path("") is None
    assert parse_path("r" + "-0" * (MAX_DEPTH + 2)) is None
