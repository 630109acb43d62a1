"""The health API: a client's health (read: who sees the client), its recompute (who may edit it) and the settings
(administrators)."""

import pytest
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from health.models import HealthConfig, HealthScore
from tests.health.pages import AT_RISK_FACTS, make_parts, set_health

SETTINGS = reverse("api-health-settings")


def health(client):
    return reverse("api-client-health", args=[client.pk])


def recompute(client):
    return reverse("api-client-health-recompute", args=[client.pk])


def test_the_health_of_a_client_explains_its_score(as_api_user, org):
    row = set_health(org.client, make_parts(AT_RISK_FACTS), history=2)

    body = as_api_user(org.manager).get(health(org.client)).json()

    assert body["client"] == org.client.pk
    assert (body["score"], body["band"]) == (36, "at_risk")
    assert body["scored_at"] is not None
    assert body["reasons"] == [
        {"signal": "contact_gap", "points": 25.0, "text": "No contact for 47 days; expected every 14 for VIP"},
        {"signal": "nps", "points": 15.0, "text": "Detractor on 3 Nov (NPS 3)"},
        {
            "signal": "complaints",
            "points": 14.0,
            "text": "1 open complaint; 1 past its SLA in the last 90 days (C-2026-0055)",
        },
        {"signal": "overdue_follow_ups", "points": 10.0, "text": "3 overdue follow-ups, the oldest due 1 Nov"},
    ]
    assert body["next_action"] == {
        "kind": "call",
        "text": "Call the client",
        "url": f"http://testserver/interactions/client/{org.client.pk}/new/?kind=call",
    }
    assert body["history"][-1] == {"day": row.day.isoformat(), "score": 36, "band": "at_risk"}
    assert len(body["history"]) == 2


def test_the_reasons_follow_the_requested_language(as_api_user, org):
    set_health(org.client, make_parts(AT_RISK_FACTS))

    body = as_api_user(org.manager).get(health(org.client), headers={"Accept-Language": "lt"}).json()

    assert body["reasons"][0]["signal"] == "contact_gap"
    assert "47" in body["reasons"][0]["text"]


def test_a_client_never_scored_has_no_score(as_api_user, org):
    body = as_api_user(org.teammate).get(health(org.client)).json()

    assert body == {
        "client": org.client.pk,
        "score": None,
        "band": "",
        "scored_at": None,
        "reasons": [],
        "next_action": None,
        "history": [],
    }


@pytest.mark.parametrize(("who", "status"), [("teammate", 200), ("lead", 200), ("outsider", 404), ("other_lead", 404)])
def test_the_health_follows_the_clients_visibility(as_api_user, org, who, status):
    assert as_api_user(getattr(org, who)).get(health(org.client)).status_code == status


def test_anonymous_gets_401(api, org):
    assert api.get(health(org.client)).status_code == 401
    assert api.post(recompute(org.client)).status_code == 401
    assert api.get(SETTINGS).status_code == 401
    assert api.put(SETTINGS, {}, format="json").status_code == 401


@pytest.mark.parametrize("who", ["manager", "lead", "admin"])
def test_those_who_may_edit_the_client_recompute_it(as_api_user, org, who):
    response = as_api_user(getattr(org, who)).post(recompute(org.client))

    assert response.status_code == 200
    org.client.refresh_from_db()
    assert response.json()["score"] == org.client.health_score is not None
    assert HealthScore.objects.filter(client=org.client).count() == 1


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404), ("other_lead", 404)])
def test_others_may_not_recompute(as_api_user, org, who, status):
    response = as_api_user(getattr(org, who)).post(recompute(org.client))

    assert response.status_code == status
    org.client.refresh_from_db()
    assert org.client.health_score is None
    assert not HealthScore.objects.exists()


def test_an_id_out_of_range_is_not_found(as_api_user, org):
    assert as_api_user(org.admin).get("/api/v1/clients/99999999999999999999999/health/").status_code == 404


# --- settings ---------------------------------------------------------------------------------------------------

VALID = {
    "weight_contact_gap": 30,
    "weight_overdue_follow_ups": 10,
    "weight_complaints": 20,
    "weight_nps": 15,
    "weight_csat": 10,
    "weight_revenue_trend": 10,
    "weight_order_frequency": 0,
    "weight_survey_non_response": 5,
    "watch_below": 70,
    "at_risk_below": 35,
}


def test_an_admin_reads_the_defaults(as_api_user, org):
    body = as_api_user(org.admin).get(SETTINGS).json()

    assert body["weight_contact_gap"] == 25
    assert (body["watch_below"], body["at_risk_below"]) == (70, 50)
    assert body["updated_by"] is None
    assert not HealthConfig.objects.exists()  # reading writes nothing


def test_an_admin_replaces_the_settings_and_it_is_audited(as_api_user, org):
    response = as_api_user(org.admin).put(SETTINGS, VALID, format="json")

    assert response.status_code == 200
    assert response.json()["updated_by"] == org.admin.pk
    assert response.json()["updated_by_name"] == "Ada Admin"
    config = HealthConfig.objects.get()
    assert config.weights["order_frequency"] == 0
    assert config.at_risk_below == 35
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE)
    assert event.details["changes"]["weight_order_frequency"] == {"old": 5, "new": 0}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"at_risk_below": 80}, {"at_risk_below": ["“At risk below” must not be above “watch below” (70)."]}),
        ({"weight_nps": 101}, {"weight_nps": ["Ensure this value is less than or equal to 100."]}),
        ({"weight_nps": -1}, {"weight_nps": ["Ensure this value is greater than or equal to 0."]}),
        ({"weight_nps": "many"}, {"weight_nps": ["A valid integer is required."]}),
        ({"weight_nps": None}, {"weight_nps": ["This field may not be null."]}),
    ],
)
def test_bad_settings_are_refused_with_field_errors_and_nothing_saved(as_api_user, org, changes, errors):
    response = as_api_user(org.admin).put(SETTINGS, {**VALID, **changes}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not HealthConfig.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).exists()


def test_every_value_is_required(as_api_user, org):
    data = dict(VALID)
    del data["weight_csat"]

    response = as_api_user(org.admin).put(SETTINGS, data, format="json")

    assert response.status_code == 400
    assert response.json() == {"weight_csat": ["This field is required."]}


@pytest.mark.parametrize("who", ["manager", "lead"])
def test_only_admins_use_the_settings(as_api_user, org, who):
    api = as_api_user(getattr(org, who))

    assert api.get(SETTINGS).status_code == 403
    assert api.put(SETTINGS, VALID, format="json").status_code == 403
    assert not HealthConfig.objects.exists()
