"""Segment rules on account health: the latest score (0-100) and band on the client's row, how clients not scored
yet match, the validator's messages, the rule summary, and the builder's inputs."""

import pytest
from django.urls import reverse

from clients.models import Client, HealthBand
from core.exceptions import ApplicationError
from segments.models import Segment
from segments.rules import validate_rules
from segments.rules.builder import builder_tree, field_groups
from segments.rules.describe import describe_rules
from segments.rules.form import parse_rules, rules_to_data
from tests.factories.clients import ClientFactory
from tests.segments.conftest import members, one

PREVIEW_API = "/api/v1/segments/preview/"


@pytest.fixture
def scored(db):
    """Five clients: one per band, a second at risk, and one never scored (no score, no band)."""
    rows = {
        "Alpha": (85, HealthBand.HEALTHY),
        "Beta": (55, HealthBand.WATCH),
        "Gamma": (30, HealthBand.AT_RISK),
        "Delta": (39, HealthBand.AT_RISK),
        "Epsilon": (None, ""),
    }
    for name, (score, band) in rows.items():
        client = ClientFactory(name=name)
        Client.objects.filter(pk=client.pk).update(health_score=score, health_band=band)
    return rows


# Every operator of both fields, with the clients it matches (by name). Imported by test_rules.py's coverage check.
HEALTH_CASES = {
    "score eq": (one("health_score", "eq", 30), ["Gamma"]),
    "score ne: unscored clients match no score condition": (one("health_score", "ne", 30), ["Alpha", "Beta", "Delta"]),
    "score gt": (one("health_score", "gt", 55), ["Alpha"]),
    "score gte": (one("health_score", "gte", 55), ["Alpha", "Beta"]),
    "score lt 40: unscored excluded": (one("health_score", "lt", 40), ["Delta", "Gamma"]),
    "score lt 100: still no unscored": (one("health_score", "lt", 100), ["Alpha", "Beta", "Delta", "Gamma"]),
    "score lte": (one("health_score", "lte", 39), ["Delta", "Gamma"]),
    "score between, both ends in": (one("health_score", "between", [30, 55]), ["Beta", "Delta", "Gamma"]),
    "score between 0 and 100: every scored client": (
        one("health_score", "between", [0, 100]),
        ["Alpha", "Beta", "Delta", "Gamma"],
    ),
    "band in": (one("health_band", "in", ["at_risk"]), ["Delta", "Gamma"]),
    "band in two": (one("health_band", "in", ["watch", "at_risk"]), ["Beta", "Delta", "Gamma"]),
    "band not in: unscored included": (one("health_band", "not_in", ["at_risk"]), ["Alpha", "Beta", "Epsilon"]),
    "band not in every band: only the unscored": (
        one("health_band", "not_in", ["healthy", "watch", "at_risk"]),
        ["Epsilon"],
    ),
}


@pytest.mark.parametrize(("rules", "expected"), HEALTH_CASES.values(), ids=HEALTH_CASES.keys())
def test_each_health_condition_matches_exactly_the_expected_clients(scored, rules, expected):
    assert members(rules) == expected


def test_in_and_not_in_split_every_client_between_them(scored):
    for bands in (["at_risk"], ["healthy", "watch"], ["healthy"]):
        inside, outside = members(one("health_band", "in", bands)), members(one("health_band", "not_in", bands))
        assert sorted(inside + outside) == sorted(scored)
        assert not set(inside) & set(outside)


def test_health_combines_with_other_fields_in_one_query(scored, django_assert_num_queries):
    Client.objects.filter(name="Gamma").update(tier="vip")
    rules = {
        "op": "and",
        "rules": [
            {"field": "tier", "operator": "in", "value": ["vip"]},
            {"field": "health_band", "operator": "in", "value": ["at_risk"]},
            {"field": "health_score", "operator": "lt", "value": 40},
        ],
    }
    cleaned = validate_rules(rules)

    with django_assert_num_queries(1):
        assert members(cleaned) == ["Gamma"]


def test_the_builder_preview_counts_the_at_risk_clients(scored, org, as_user):
    data = {"name": "At risk", "colour": "#1d4ed8", "is_active": "on"}
    for key, values in rules_to_data(one("health_band", "in", ["at_risk"])).lists():
        data[key] = values

    response = as_user(org.admin).post(reverse("segments:preview"), data)

    assert response.status_code == 200
    preview = response.context["preview"]
    assert (preview.count, preview.error) == (2, "")
    assert [client.name for client in preview.clients] == ["Delta", "Gamma"]


def test_the_api_preview_counts_scores_below_a_threshold(scored, org, as_api_user):
    response = as_api_user(org.admin).post(PREVIEW_API, {"rules": one("health_score", "lt", 40)}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["name"] for row in body["clients"]] == ["Delta", "Gamma"]
    assert body["summary"] == "Health score below 40"


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        (one("health_score", "lt", 101), "rules[0]: the value must be a whole number from 0 to 100"),
        (one("health_score", "gte", -1), "rules[0]: the value must be a whole number from 0 to 100"),
        (one("health_score", "between", [20, 120]), "rules[0]: the value must be a whole number from 0 to 100"),
        (one("health_score", "between", [60, 40]), "rules[0]: the first number must not be greater than the second"),
        (one("health_score", "eq", "40"), "rules[0]: the value must be a whole number from 0 to 100"),
        (one("health_score", "eq", 40.5), "rules[0]: the value must be a whole number from 0 to 100"),
        (one("health_score", "in", [40]), "rules[0]: operator 'in' is not allowed for health_score"),
        (one("health_band", "in", ["critical"]), "rules[0]: unknown choice 'critical'"),
        (one("health_band", "in", [""]), "rules[0]: unknown choice ''"),
        (one("health_band", "not_in", ["AT_RISK"]), "rules[0]: unknown choice 'AT_RISK'"),
        (one("health_band", "in", []), "rules[0]: the value must be a non-empty list"),
        (one("health_band", "lt", ["at_risk"]), "rules[0]: operator 'lt' is not allowed for health_band"),
        (one("health_band", "in", ["at_risk"], days=30), 'rules[0]: health_band takes no "days"'),
    ],
)
def test_out_of_range_scores_and_unknown_bands_are_refused(db, rules, message):
    with pytest.raises(ApplicationError) as error:
        validate_rules(rules)

    assert str(error.value.message).startswith(message)


def test_the_api_refuses_an_unknown_band_and_saves_nothing(org, as_api_user):
    rules = one("health_band", "in", ["doomed"])

    response = as_api_user(org.admin).post(
        "/api/v1/segments/", {"name": "Doomed", "rules": rules, "is_active": True}, format="json"
    )

    assert response.status_code == 400
    assert "rules[0]: unknown choice 'doomed'" in str(response.json())
    assert Segment.objects.count() == 0


def test_valid_health_rules_come_back_cleaned_and_deduplicated(db):
    cleaned = validate_rules(
        {
            "op": "or",
            "rules": [
                {"field": "health_band", "operator": "in", "value": ["at_risk", "watch", "at_risk"]},
                {"field": "health_score", "operator": "between", "value": [0, 100]},
            ],
        }
    )

    assert cleaned["rules"] == [
        {"field": "health_band", "operator": "in", "value": ["at_risk", "watch"]},
        {"field": "health_score", "operator": "between", "value": [0, 100]},
    ]


@pytest.mark.parametrize(
    ("rules", "text"),
    [
        (one("health_band", "in", ["at_risk"]), "Health is at risk"),
        (one("health_band", "in", ["watch", "at_risk"]), "Health is on watch or at risk"),
        (one("health_band", "in", ["healthy"]), "Health is healthy"),
        (one("health_band", "not_in", ["at_risk"]), "Health is not at risk, or not scored yet"),
        (one("health_score", "lt", 40), "Health score below 40"),
        (one("health_score", "gt", 69), "Health score above 69"),
        (one("health_score", "gte", 70), "Health score ≥ 70"),
        (one("health_score", "lte", 39), "Health score ≤ 39"),
        (one("health_score", "eq", 0), "Health score = 0"),
        (one("health_score", "ne", 100), "Health score ≠ 100"),
        (one("health_score", "between", [40, 69]), "Health score is between 40 and 69"),
    ],
)
def test_health_rules_read_as_a_sentence(db, rules, text):
    assert describe_rules(validate_rules(rules)) == text


def test_the_field_select_offers_both_health_fields_in_their_own_group():
    groups = dict(field_groups())

    assert groups["Account health"] == [("health_score", "Health score"), ("health_band", "Health band")]


def test_the_builder_draws_a_0_to_100_number_and_the_three_bands_with_help(db):
    tree = {
        "op": "and",
        "rules": [
            {"field": "health_score", "operator": "between", "value": [20, 40]},
            {"field": "health_band", "operator": "not_in", "value": ["at_risk"]},
        ],
    }

    score, band = builder_tree(tree)["children"]

    assert (score["widget"], score["step"], score["min"], score["max"]) == ("number", "1", 0, 100)
    assert (score["between"], score["value"], score["to"], score["window"]) == (True, "20", "40", False)
    assert [op for op, _label in score["operators"]] == ["eq", "ne", "gt", "gte", "lt", "lte", "between"]
    assert "not scored yet match no condition" in score["help"]
    assert band["widget"] == "checkboxes"
    assert band["options"] == [
        ("healthy", "Healthy", False),
        ("watch", "Watch", False),
        ("at_risk", "At risk", True),
    ]
    assert [label for _op, label in band["operators"]] == ["is any of", "is none of"]
    assert "also matches clients not scored yet" in band["help"]


def test_health_conditions_round_trip_through_the_builders_fields(db):
    tree = {
        "op": "and",
        "rules": [
            {"field": "health_score", "operator": "lt", "value": 40},
            {"field": "health_band", "operator": "in", "value": ["watch", "at_risk"]},
        ],
    }

    assert parse_rules(rules_to_data(tree)) == tree


def test_choosing_the_health_score_field_in_the_builder_page_draws_its_inputs(org, as_user):
    data = {"name": "Health", "colour": "#1d4ed8", "is_active": "on", "action": "field:r-0"}
    data.update({"r-kind": "group", "r-op": "and", "r-0-kind": "condition", "r-0-field": "health_score"})

    response = as_user(org.admin).post(reverse("segments:create"), data, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert '<option value="health_score" selected>Health score</option>' in html
    assert '<option value="health_band">Health band</option>' in html
    assert '<optgroup label="Account health">' in html
    # it starts as "is less than", a whole number from 0 to 100, with the note on unscored clients
    assert '<option value="lt" selected>is less than</option>' in html
    assert 'name="r-0-value" value="" step="1" min="0" max="100"' in html
    assert "Clients not scored yet match no condition on it." in html
    assert Segment.objects.count() == 0
