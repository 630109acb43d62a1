"""describe_rules: a segment's rules as one sentence in the user's language."""

import pytest
from django.utils import translation

from segments.rules import FIELDS, OPERATORS, validate_rules
from segments.rules.describe import describe_rules
from segments.rules.labels import FIELD_GROUPS, choice_options
from tests.factories.accounts import ManagerFactory, TeamFactory
from tests.factories.clients import TagFactory


def cond(field, operator, value, **extra) -> dict:
    return {"field": field, "operator": operator, "value": value, **extra}


def group(*rules, op="and") -> dict:
    return {"op": op, "rules": list(rules)}


def test_groups_are_joined_with_and_or_and_nested_ones_bracketed(db):
    rules = group(
        cond("tier", "in", ["vip", "key"]),
        group(cond("city", "contains", "Vil"), cond("orders_last_days", "gte", 3, days=90), op="or"),
        group(cond("status", "not_in", ["churned"])),
    )

    assert describe_rules(validate_rules(rules)) == (
        "Tier is any of VIP, Key AND (City contains “Vil” OR Orders in the last 90 days ≥ 3) "
        "AND Status is none of Churned"
    )


def test_empty_groups_say_who_they_match(db):
    assert describe_rules(group()) == "Every client"
    assert describe_rules(group(op="or")) == "No client"
    either = group(cond("tier", "in", ["vip"]), group(op="or"), op="or")
    assert describe_rules(either) == "Tier is any of VIP OR No client"


@pytest.mark.parametrize(
    ("condition", "text"),
    [
        (cond("country", "in", ["LT", "LV"]), "Country is any of Lithuania, Latvia"),
        (cond("contact_language", "in", ["ru"]), "Contact language is any of Русский"),
        (cond("last_nps_category", "not_in", ["detractor"]), "Last NPS category is none of Detractor"),
        (cond("industry", "in", ["it"]), "Industry is any of IT and software"),
        (cond("city", "equals", "Kaunas"), "City is “Kaunas”"),
        (cond("city", "starts_with", "Vil"), "City starts with “Vil”"),
        (cond("days_since_last_interaction", "gt", 1200), "Days since the last interaction > 1,200"),
        (cond("latest_csat", "between", [1, 2]), "Latest CSAT score is between 1 and 2"),
        (cond("open_complaints", "ne", 0), "Open complaints ≠ 0"),
        (cond("interactions_last_days", "lt", 2, days=1), "Interactions in the last 1 day < 2"),
        (cond("revenue_last_days", "gte", "1500", days=30), "Delivered revenue in the last 30 days ≥ €1,500.00"),
        (cond("breached_complaints_last_days", "lte", 1, days=7),
         "Complaints with a breached SLA in the last 7 days ≤ 1"),
        (cond("created", "before", "2025-03-01"), "Created is before 1 Mar 2025"),
        (cond("created", "after", "2025-03-01"), "Created is after 1 Mar 2025"),
        (cond("created", "between", ["2025-01-01", "2025-01-31"]), "Created is between 1 Jan 2025 and 31 Jan 2025"),
        (cond("created", "in_last_days", 30), "Created is within the last 30 days"),
        (cond("created", "in_last_days", 1), "Created is within the last 1 day"),
    ],
)  # fmt: skip
def test_each_kind_of_condition_reads_as_a_phrase(db, settings, condition, text):
    settings.DEFAULT_CURRENCY = "EUR"
    assert describe_rules(validate_rules(group(condition))) == text


def test_people_teams_and_tags_are_named_in_one_query_each(db, django_assert_num_queries):
    team = TeamFactory(name="North")
    manager = ManagerFactory(full_name="Mia North", team=team)
    wine, beer = TagFactory(name="wine"), TagFactory(name="beer")
    rules = validate_rules(
        group(
            cond("account_manager", "in", [manager.pk]),
            cond("team", "not_in", [team.pk]),
            group(cond("tags", "in", [wine.pk, beer.pk]), cond("tags", "not_in", [beer.pk]), op="or"),
        )
    )
    beer.delete()  # the rule was saved before the tag went

    with django_assert_num_queries(3):
        text = describe_rules(rules)

    assert text == (
        "Account manager is any of Mia North AND Team is none of North "
        f"AND (Tags include any of wine, #{rules['rules'][2]['rules'][0]['value'][1]} "
        f"OR Tags include none of #{rules['rules'][2]['rules'][1]['value'][0]})"
    )


def test_the_sentence_is_in_the_active_language(db):
    rules = validate_rules(group(cond("tier", "in", ["vip"]), cond("status", "in", ["active"]), op="or"))
    with translation.override("lt"):
        lithuanian = describe_rules(rules)
    with translation.override("en"):
        english = describe_rules(rules)

    assert english == "Tier is any of VIP OR Status is any of Active"
    assert "VIP" in lithuanian
    assert "Status" not in lithuanian  # the field's name is Lithuanian ("Būsena")


def test_every_field_has_a_place_in_the_field_select_and_every_choice_a_label():
    grouped = [name for _label, names in FIELD_GROUPS for name in names]
    assert sorted(grouped) == sorted(FIELDS)
    for name, spec in FIELDS.items():
        if spec.kind == "choice":
            assert {value for value, _label in choice_options(name)} == set(spec.choices())
    assert set(OPERATORS) == {"choice", "text", "ids", "number", "date"}
