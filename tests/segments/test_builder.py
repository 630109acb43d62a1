"""Drawing the rule builder: inputs that fit each field's kind, options read once, messages on their node."""

from accounts.models import Role
from segments.rules.builder import builder_tree, locate_error
from tests.factories.accounts import ManagerFactory, TeamFactory
from tests.factories.clients import TagFactory


def cond(field, operator, value, **extra) -> dict:
    return {"field": field, "operator": operator, "value": value, **extra}


def group(*rules, op="and") -> dict:
    return {"op": op, "rules": list(rules)}


def test_a_validator_message_is_placed_on_its_node():
    assert locate_error("rules[1].rules[0]: unknown field 'x'") == ("r-1-0", "unknown field 'x'")
    assert locate_error("rules[3]: a value is required") == ("r-3", "a value is required")
    assert locate_error("top level: unknown key 'x'") == ("r", "top level: unknown key 'x'")


def test_the_builder_draws_inputs_that_fit_each_kind(db):
    tree = group(
        cond("tier", "in", ["vip"]),
        cond("city", "contains", "Vil"),
        cond("revenue_last_days", "between", ["100.00", "200.00"], days=90),
        cond("created", "in_last_days", 30),
        group(cond("created", "between", ["2025-01-01", "2025-02-01"]), cond("country", "in", ["LT"]), op="or"),
    )

    drawn = builder_tree(tree, error="rules[4].rules[1]: unknown choice 'XX'")

    tier, city, revenue, created, nested = drawn["children"]
    assert (drawn["path"], drawn["is_root"], drawn["op"], drawn["can_add_group"]) == ("r", True, "and", True)
    assert tier["widget"] == "checkboxes"
    assert tier["options"] == [("standard", "Standard", False), ("key", "Key", False), ("vip", "VIP", True)]
    assert (city["widget"], city["value"], city["operators"][1]) == ("text", "Vil", ("contains", "contains"))
    assert (revenue["widget"], revenue["between"], revenue["value"], revenue["to"]) == (
        "number",
        True,
        "100.00",
        "200.00",
    )
    assert (revenue["step"], revenue["window"], revenue["days"]) == ("0.01", True, "90")
    assert (created["widget"], created["value"]) == ("days", "30")
    dates, country = nested["children"]
    assert (nested["path"], nested["depth"], nested["op"]) == ("r-4", 2, "or")
    assert (dates["path"], dates["widget"], dates["value"], dates["to"]) == (
        "r-4-0",
        "date",
        "2025-01-01",
        "2025-02-01",
    )
    assert country["widget"] == "select"  # too many countries for boxes
    assert ("LT", "Lithuania", True) in country["options"]
    assert country["error"] == "unknown choice 'XX'"
    assert [tier["error"], nested["error"], dates["error"]] == ["", "", ""]


def test_people_teams_and_tags_are_read_once_each_and_only_when_a_condition_needs_them(db, django_assert_num_queries):
    team = TeamFactory(name="North")
    active = ManagerFactory(full_name="Ann Active", team=team)
    gone = ManagerFactory(full_name="Gus Gone", is_active=False)
    ManagerFactory(full_name="Nick Notchosen", is_active=False)
    ManagerFactory(full_name="Ada Admin", role=Role.ADMIN)
    TagFactory(name="wine")

    with django_assert_num_queries(0):
        builder_tree(group(cond("tier", "in", ["vip"]), cond("city", "contains", "x")))
    with django_assert_num_queries(3):
        drawn = builder_tree(
            group(
                cond("account_manager", "in", [gone.pk]),
                cond("account_manager", "not_in", []),
                cond("team", "in", [team.pk]),
                cond("tags", "in", []),
                cond("tags", "not_in", []),
            )
        )
    people = drawn["children"][0]["options"]
    assert people == [(str(active.pk), "Ann Active", False), (str(gone.pk), "Gus Gone", True)]
    assert drawn["children"][2]["options"] == [(str(team.pk), "North", True)]
