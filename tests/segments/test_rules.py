"""compile_rules: every field with every operator, groups, and the shape of the SQL (see conftest's world)."""

import datetime

import pytest
from django.db import connection

from clients.models import Client
from segments.rules import compile_rules, validate_rules
from tests.factories.clients import ClientFactory
from tests.segments.conftest import NOW, members, one

ALL = ["Alpha", "Beta", "Delta", "Gamma"]

# (rules, members) on the world; ids are resolved by name in the test ("@m1", "@north", "@wine").
CASES = {
    "tier in": (one("tier", "in", ["vip", "key"]), ["Alpha", "Beta"]),
    "tier not_in": (one("tier", "not_in", ["standard"]), ["Alpha", "Beta"]),
    "status in": (one("status", "in", ["active"]), ["Alpha", "Delta"]),
    "status not_in": (one("status", "not_in", ["active", "prospect"]), ["Gamma"]),
    "industry in": (one("industry", "in", ["it", "food"]), ["Beta", "Delta"]),
    "industry not_in keeps blank": (one("industry", "not_in", ["retail"]), ["Beta", "Delta", "Gamma"]),
    "country in (lower case accepted)": (one("country", "in", ["lt"]), ["Alpha", "Delta"]),
    "country not_in keeps blank": (one("country", "not_in", ["LT"]), ["Beta", "Gamma"]),
    "city equals ignores case": (one("city", "equals", "VILNIUS"), ["Alpha"]),
    "city contains": (one("city", "contains", "ilni"), ["Alpha", "Delta"]),
    "city starts_with": (one("city", "starts_with", "vil"), ["Alpha", "Delta"]),
    "account_manager in": (one("account_manager", "in", ["@m1"]), ["Alpha", "Delta"]),
    "account_manager not_in keeps unassigned": (one("account_manager", "not_in", ["@m1"]), ["Beta", "Gamma"]),
    "team in": (one("team", "in", ["@south"]), ["Beta"]),
    "team not_in keeps unassigned": (one("team", "not_in", ["@north"]), ["Beta", "Gamma"]),
    "tags in: any of them, each client once": (one("tags", "in", ["@wine", "@beer"]), ["Alpha", "Beta", "Delta"]),
    "tags not_in: none of them": (one("tags", "not_in", ["@wine"]), ["Delta", "Gamma"]),
    "created before": (one("created", "before", "2025-03-01"), ["Alpha"]),
    "created after": (one("created", "after", "2025-03-01"), ["Delta", "Gamma"]),
    "created between, days in Vilnius": (one("created", "between", ["2025-03-01", "2025-06-10"]), ["Beta", "Gamma"]),
    "created between one day": (one("created", "between", ["2025-03-01", "2025-03-01"]), ["Beta"]),
    "created in_last_days": (one("created", "in_last_days", 7), ["Delta", "Gamma"]),
    "created in_last_days: a rolling window": (one("created", "in_last_days", 2), ["Delta"]),
    "created in_last_days: 26 hours is not 1 day": (one("created", "in_last_days", 1), []),
    "contact_language in: any contact": (one("contact_language", "in", ["en"]), ["Alpha", "Delta"]),
    "contact_language in several, each once": (
        one("contact_language", "in", ["ru", "lt", "en"]),
        ["Alpha", "Beta", "Delta"],
    ),
    "contact_language not_in: no contact speaks it": (one("contact_language", "not_in", ["en"]), ["Beta", "Gamma"]),
    # days since the last completed interaction: alpha 2, beta 100, gamma never, delta 1
    "days_since eq": (one("days_since_last_interaction", "eq", 1), ["Delta"]),
    "days_since ne": (one("days_since_last_interaction", "ne", 1), ["Alpha", "Beta", "Gamma"]),
    "days_since gt: never contacted is endless": (one("days_since_last_interaction", "gt", 30), ["Beta", "Gamma"]),
    "days_since gte": (one("days_since_last_interaction", "gte", 2), ["Alpha", "Beta", "Gamma"]),
    "days_since lt": (one("days_since_last_interaction", "lt", 2), ["Delta"]),
    "days_since lte": (one("days_since_last_interaction", "lte", 2), ["Alpha", "Delta"]),
    "days_since between": (one("days_since_last_interaction", "between", [2, 100]), ["Alpha", "Beta"]),
    "days_since gte 0 is everyone": (one("days_since_last_interaction", "gte", 0), ALL),
    # completed interactions: 30 days alpha 1, delta 1; 60 days alpha 2
    "interactions eq 0": (one("interactions_last_days", "eq", 0, days=30), ["Beta", "Gamma"]),
    "interactions ne 0": (one("interactions_last_days", "ne", 0, days=30), ["Alpha", "Delta"]),
    "interactions gt": (one("interactions_last_days", "gt", 1, days=60), ["Alpha"]),
    "interactions gte": (one("interactions_last_days", "gte", 1, days=60), ["Alpha", "Delta"]),
    "interactions lt": (one("interactions_last_days", "lt", 2, days=60), ["Beta", "Delta", "Gamma"]),
    "interactions lte": (one("interactions_last_days", "lte", 1, days=365), ["Beta", "Delta", "Gamma"]),
    "interactions between": (one("interactions_last_days", "between", [1, 1], days=365), ["Beta", "Delta"]),
    # placed orders in 30 days: alpha 2 (draft and cancelled left out), beta 1, delta 2
    "orders eq": (one("orders_last_days", "eq", 2, days=30), ["Alpha", "Delta"]),
    "orders ne": (one("orders_last_days", "ne", 2, days=30), ["Beta", "Gamma"]),
    "orders gt": (one("orders_last_days", "gt", 0, days=30), ["Alpha", "Beta", "Delta"]),
    "orders gte window": (one("orders_last_days", "gte", 2, days=4), ["Delta"]),
    "orders lt": (one("orders_last_days", "lt", 1, days=30), ["Gamma"]),
    "orders lte": (one("orders_last_days", "lte", 1, days=30), ["Beta", "Gamma"]),
    "orders between": (one("orders_last_days", "between", [1, 1], days=30), ["Beta"]),
    # delivered EUR revenue: 30 days alpha 1000.00, delta 1000.00; 60 days beta 500.00 too
    "revenue eq": (one("revenue_last_days", "eq", "1000", days=30), ["Alpha", "Delta"]),
    "revenue ne": (one("revenue_last_days", "ne", 1000, days=30), ["Beta", "Gamma"]),
    "revenue gt": (one("revenue_last_days", "gt", "999.99", days=30), ["Alpha", "Delta"]),
    "revenue gt not equal": (one("revenue_last_days", "gt", 1000, days=30), []),
    "revenue gte": (one("revenue_last_days", "gte", 500, days=60), ["Alpha", "Beta", "Delta"]),
    "revenue lt: other currencies do not count": (one("revenue_last_days", "lt", "0.01", days=30), ["Beta", "Gamma"]),
    "revenue lte": (one("revenue_last_days", "lte", 500.0, days=60), ["Beta", "Gamma"]),
    "revenue between": (one("revenue_last_days", "between", ["400", "999.99"], days=60), ["Beta"]),
    "revenue window": (one("revenue_last_days", "gte", "749.50", days=2), ["Delta"]),
    # latest NPS: alpha detractor (earlier a promoter), beta passive, delta promoter, gamma none
    "nps in": (one("last_nps_category", "in", ["promoter"]), ["Delta"]),
    "nps in several": (one("last_nps_category", "in", ["detractor", "passive"]), ["Alpha", "Beta"]),
    "nps not_in keeps never answered": (one("last_nps_category", "not_in", ["promoter"]), ["Alpha", "Beta", "Gamma"]),
    # latest CSAT: alpha 5, beta 4 (earlier 2); delta and gamma none
    "csat eq": (one("latest_csat", "eq", 4), ["Beta"]),
    "csat ne: only clients with an answer": (one("latest_csat", "ne", 5), ["Beta"]),
    "csat gt": (one("latest_csat", "gt", 4), ["Alpha"]),
    "csat gte": (one("latest_csat", "gte", 4), ["Alpha", "Beta"]),
    "csat lt: only the latest counts": (one("latest_csat", "lt", 3), []),
    "csat lte": (one("latest_csat", "lte", 4), ["Beta"]),
    "csat between": (one("latest_csat", "between", [1, 4]), ["Beta"]),
    # open complaints: alpha 1, beta 2
    "open complaints eq": (one("open_complaints", "eq", 0), ["Delta", "Gamma"]),
    "open complaints ne": (one("open_complaints", "ne", 0), ["Alpha", "Beta"]),
    "open complaints gt": (one("open_complaints", "gt", 1), ["Beta"]),
    "open complaints gte": (one("open_complaints", "gte", 1), ["Alpha", "Beta"]),
    "open complaints lt": (one("open_complaints", "lt", 2), ["Alpha", "Delta", "Gamma"]),
    "open complaints lte": (one("open_complaints", "lte", 1), ["Alpha", "Delta", "Gamma"]),
    "open complaints between": (one("open_complaints", "between", [1, 2]), ["Alpha", "Beta"]),
    # SLA breaches: alpha 5 days ago (resolution), beta 100 days ago (first response)
    "breached eq": (one("breached_complaints_last_days", "eq", 1, days=30), ["Alpha"]),
    "breached ne": (one("breached_complaints_last_days", "ne", 1, days=30), ["Beta", "Delta", "Gamma"]),
    "breached gt": (one("breached_complaints_last_days", "gt", 0, days=365), ["Alpha", "Beta"]),
    "breached gte": (one("breached_complaints_last_days", "gte", 1, days=4), []),
    "breached lt": (one("breached_complaints_last_days", "lt", 1, days=365), ["Delta", "Gamma"]),
    "breached lte": (one("breached_complaints_last_days", "lte", 0, days=30), ["Beta", "Delta", "Gamma"]),
    "breached between": (one("breached_complaints_last_days", "between", [1, 5], days=3650), ["Alpha", "Beta"]),
}


def _resolve(rules, world):
    """Replace "@name" placeholders with the world's ids."""
    if isinstance(rules, dict):
        return {key: _resolve(value, world) for key, value in rules.items()}
    if isinstance(rules, list):
        return [_resolve(item, world) for item in rules]
    if isinstance(rules, str) and rules.startswith("@"):
        return getattr(world, rules[1:]).pk
    return rules


@pytest.mark.parametrize(("rules", "expected"), CASES.values(), ids=CASES.keys())
def test_each_field_and_operator_matches_exactly_the_expected_clients(world, rules, expected):
    assert members(_resolve(rules, world)) == expected


def test_every_field_and_operator_is_covered_by_a_case():
    from segments.rules import FIELDS, OPERATORS
    from tests.segments.test_health_conditions import HEALTH_CASES  # health fields: cases over their own fixture

    cases = [*CASES.values(), *HEALTH_CASES.values()]
    covered = {(rules["rules"][0]["field"], rules["rules"][0]["operator"]) for rules, _ in cases}
    expected = {(name, operator) for name, spec in FIELDS.items() for operator in OPERATORS[spec.kind]}
    assert expected - covered == set()


def test_nested_groups_combine_and_and_or(world):
    rules = {
        "op": "or",
        "rules": [
            {"op": "and", "rules": [
                {"field": "tier", "operator": "in", "value": ["vip"]},
                {"field": "open_complaints", "operator": "gte", "value": 1},
            ]},
            {"op": "and", "rules": [
                {"field": "country", "operator": "in", "value": ["LT"]},
                {"op": "or", "rules": [
                    {"field": "last_nps_category", "operator": "in", "value": ["promoter"]},
                    {"op": "and", "rules": [{"field": "city", "operator": "equals", "value": "nowhere"}]},
                ]},
            ]},
        ],
    }  # fmt: skip
    assert members(rules) == ["Alpha", "Delta"]


def test_and_of_conditions_narrows_and_or_widens(world):
    vip = {"field": "tier", "operator": "in", "value": ["vip"]}
    latvia = {"field": "country", "operator": "in", "value": ["LV"]}
    assert members({"op": "and", "rules": [vip, latvia]}) == []
    assert members({"op": "or", "rules": [vip, latvia]}) == ["Alpha", "Beta"]


def test_an_empty_and_group_matches_every_client(world):
    assert members({"op": "and", "rules": []}) == ALL


def test_an_empty_or_group_matches_no_client(world):
    assert members({"op": "or", "rules": []}) == []


def test_an_empty_and_group_inside_an_or_still_matches_everyone(world):
    """An empty Q() would vanish from the OR; the compiler writes an explicit always-true condition."""
    rules = {"op": "or", "rules": [{"op": "and", "rules": []}, {"field": "tier", "operator": "in", "value": ["vip"]}]}
    assert members(rules) == ALL


def test_an_empty_or_group_inside_an_and_matches_nobody(world):
    rules = {"op": "and", "rules": [{"op": "or", "rules": []}, {"field": "tier", "operator": "in", "value": ["vip"]}]}
    assert members(rules) == []


def test_windows_move_with_now(world):
    rules = one("interactions_last_days", "gte", 1, days=30)
    assert members(rules) == ["Alpha", "Delta"]
    # 29 days on, alpha's and delta's are older than 30 days; delta's one then "tomorrow" now counts.
    assert members(rules, now=NOW + datetime.timedelta(days=29)) == ["Delta"]


@pytest.mark.parametrize("text", ["'; DROP TABLE clients_client; --", "%", "_", "\\", "' OR '1'='1", 'Robert"); --'])
def test_sql_looking_values_are_plain_values(world, text):
    ClientFactory(name="Percent", city="100% Vilnius")
    ClientFactory(name="Underscore", city="Old_Town")
    for operator in ("equals", "contains", "starts_with"):
        found = members(one("city", operator, text))
        literal = {"%": ["Percent"], "_": ["Underscore"]}.get(text, [])
        assert found == (literal if operator == "contains" else [])
    assert Client.objects.count() == 6


def test_a_value_equal_to_an_odd_city_matches_only_that_city(world):
    ClientFactory(name="Odd", city="'; DROP TABLE clients_client; --")
    assert members(one("city", "equals", "'; drop table clients_client; --")) == ["Odd"]
    assert members(one("city", "starts_with", "%")) == []


def test_values_are_query_parameters_not_sql(world):
    condition = compile_rules(validate_rules(one("city", "contains", "'; DROP TABLE clients_client; --")), now=NOW)
    sql, params = Client.objects.filter(condition).query.sql_with_params()
    assert "DROP" not in sql
    assert any("DROP TABLE" in str(param) for param in params)


def test_a_many_condition_segment_is_one_query_without_duplicate_rows(world, django_assert_num_queries):
    rules = {
        "op": "or",
        "rules": [
            {"field": "tags", "operator": "in", "value": [world.wine.pk, world.beer.pk]},
            {"field": "contact_language", "operator": "in", "value": ["en", "ru", "lt"]},
            {"field": "days_since_last_interaction", "operator": "gte", "value": 0},
            {"field": "orders_last_days", "operator": "gte", "value": 0, "days": 30},
            {"field": "revenue_last_days", "operator": "gte", "value": 0, "days": 30},
            {"field": "last_nps_category", "operator": "not_in", "value": ["passive"]},
            {"field": "latest_csat", "operator": "gte", "value": 1},
            {"field": "open_complaints", "operator": "gte", "value": 0},
            {"field": "breached_complaints_last_days", "operator": "gte", "value": 0, "days": 30},
            {"field": "team", "operator": "in", "value": [world.north.pk]},
            {"field": "interactions_last_days", "operator": "gte", "value": 0, "days": 30},
        ],
    }
    condition = compile_rules(validate_rules(rules), now=NOW)
    with django_assert_num_queries(1):
        names = [client.name for client in Client.objects.filter(condition).order_by("name")]
    assert names == ALL


def test_the_same_rules_give_the_same_members_on_this_database(world):
    """A reminder in the output which backend ran: CI runs this file on SQLite and PostgreSQL."""
    assert connection.vendor in {"sqlite", "postgresql"}
    assert members(one("revenue_last_days", "between", ["999.99", "1000.00"], days=30)) == ["Alpha", "Delta"]
