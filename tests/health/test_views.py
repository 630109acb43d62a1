"""The client page's health section, the client's health page and its recalculation, and the settings page."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditAction, AuditEvent
from clients.models import Client, Status
from health.models import HealthConfig, HealthScore
from tests.factories.clients import ClientFactory
from tests.health.pages import AT_RISK_FACTS, make_parts, set_health

SETTINGS = reverse("health:settings")


def detail(client):
    return reverse("clients:detail", args=[client.pk])


def health(client):
    return reverse("health:client", args=[client.pk])


def section_of(response) -> str:
    html = response.content.decode()
    start = html.index('<section class="card health-card" id="client-health"')
    return html[start : html.index("</section>", start)]


# --- the client page's section ----------------------------------------------------------------------------------


def test_the_section_shows_score_band_reasons_strongest_first_and_the_next_action(as_user, org):
    set_health(org.client, make_parts(AT_RISK_FACTS), history=3)

    section = section_of(as_user(org.manager).get(detail(org.client)))

    assert 'class="health-dial health-dial-at_risk"' in section
    assert '<span class="health-dial-value">36</span>' in section
    assert "badge-health-at_risk" in section
    reasons = [
        "No contact for 47 days; expected every 14 for VIP",
        "Detractor on 3 Nov (NPS 3)",
        "1 open complaint; 1 past its SLA in the last 90 days (C-2026-0055)",
        "3 overdue follow-ups, the oldest due 1 Nov",
    ]
    positions = [section.index(reason) for reason in reasons]
    assert positions == sorted(positions)
    call = reverse("interactions:create", args=[org.client.pk]) + "?kind=call"
    assert f'<a class="btn btn-primary btn-sm" href="{call}">Call the client →</a>' in section


def test_the_history_goes_to_the_chart_as_json_and_to_a_table(as_user, org):
    set_health(org.client, make_parts(AT_RISK_FACTS), history=3)

    response = as_user(org.manager).get(detail(org.client))

    chart = response.context["main_sections"][0]["context"]["chart"]
    assert chart["scores"] == [52, 51, 36]  # from the first score on, one value a day
    assert chart["watchBelow"] == 70
    assert chart["atRiskBelow"] == 50
    html = response.content.decode()
    data = html.split('<script id="client-health-chart-data" type="application/json">', 1)[1].split("</script>")[0]
    assert json.loads(data)["scores"] == [52, 51, 36]
    assert "<script>" not in html  # the CSP allows no inline script
    assert "onclick" not in html
    assert section_of(response).count("<tr><td>") == 3


def test_a_day_without_a_row_keeps_the_score_of_the_row_before_the_window(as_user, org):
    set_health(org.client, make_parts(), days_ago=120)  # unchanged for four months
    response = as_user(org.manager).get(detail(org.client))

    section = response.context["main_sections"][0]["context"]
    assert set(section["chart"]["scores"]) == {100}
    assert len(section["chart"]["scores"]) == 91
    assert section["history"] == []


def test_a_client_never_scored_says_so(as_user, org):
    section = section_of(as_user(org.manager).get(detail(org.client)))

    assert "Not scored yet" in section
    assert "The score is computed every night" in section
    assert "Recalculate" in section


def test_an_inactive_client_is_not_scored_and_has_no_recalculate_button(as_user, org):
    Client.objects.filter(pk=org.client.pk).update(status=Status.INACTIVE)

    section = section_of(as_user(org.manager).get(detail(org.client)))

    assert "Only active clients and prospects are scored." in section
    assert "Recalculate" not in section


def test_a_teammate_sees_the_health_but_no_button_and_no_action_link(as_user, org):
    set_health(org.client, make_parts(AT_RISK_FACTS))

    section = section_of(as_user(org.teammate).get(detail(org.client)))

    assert "No contact for 47 days" in section
    assert "Recalculate" not in section
    assert "<strong>Call the client</strong>" in section  # the suggestion, not a link to a page they may not use


# --- recalculating ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "lead", "admin"])
def test_those_who_may_edit_the_client_recalculate_without_javascript(as_user, org, who):
    response = as_user(getattr(org, who)).post(health(org.client))

    assert response.status_code == 302
    assert response["Location"] == f"{detail(org.client)}#client-health"
    org.client.refresh_from_db()
    assert org.client.health_score is not None
    assert HealthScore.objects.filter(client=org.client).count() == 1


def test_recalculating_with_htmx_answers_the_section_alone(as_user, org):
    response = as_user(org.manager).post(health(org.client), headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section class="card health-card" id="client-health"')
    assert "<html" not in body
    assert "<script src=" not in body  # the page loaded the chart's scripts; the swapped section brings none
    org.client.refresh_from_db()
    assert f'<span class="health-dial-value">{org.client.health_score}</span>' in body


def test_a_teammate_may_not_recalculate(as_user, org):
    response = as_user(org.teammate).post(health(org.client))

    assert response.status_code == 403
    org.client.refresh_from_db()
    assert org.client.health_score is None
    assert not HealthScore.objects.exists()


@pytest.mark.parametrize(("who", "method"), [("outsider", "get"), ("outsider", "post"), ("other_lead", "post")])
def test_another_teams_client_is_not_found(as_user, org, who, method):
    response = getattr(as_user(getattr(org, who)), method)(health(org.client))

    assert response.status_code == 404
    assert not HealthScore.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, org, method):
    response = getattr(client, method)(health(org.client))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not HealthScore.objects.exists()


def test_the_health_page_shows_every_signal_with_its_weight_and_points(as_user, org):
    set_health(org.client, make_parts(AT_RISK_FACTS))

    response = as_user(org.teammate).get(health(org.client))

    html = response.content.decode()
    assert response.status_code == 200
    parts = response.context["section"]["parts"]
    assert [part["signal"] for part in parts][:2] == ["contact_gap", "overdue_follow_ups"]
    assert len(parts) == 8
    assert "Days since the last contact against the tier" in html
    assert "−25.0" in html


def test_the_htmx_get_answers_the_section_alone(as_user, org):
    response = as_user(org.manager).get(health(org.client), headers={"HX-Request": "true"})

    assert response.content.decode().lstrip().startswith('<section class="card health-card"')


def test_the_section_takes_as_many_queries_for_90_history_rows_as_for_5(as_user, org, django_assert_max_num_queries):
    few, many = org.client, org.team_client
    set_health(few, make_parts(AT_RISK_FACTS), history=5)
    set_health(many, make_parts(AT_RISK_FACTS), history=90)
    http = as_user(org.lead)
    http.get(detail(few))  # warm: the session, the sections' one-time lookups

    with CaptureQueriesContext(connection) as counted:
        http.get(detail(few))
    with django_assert_max_num_queries(len(counted)):
        response = http.get(detail(many))
    assert len(response.context["main_sections"][0]["context"]["history"]) == 90


# --- settings ---------------------------------------------------------------------------------------------------


VALID = {
    "weight_contact_gap": "30",
    "weight_overdue_follow_ups": "10",
    "weight_complaints": "20",
    "weight_nps": "15",
    "weight_csat": "5",
    "weight_revenue_trend": "10",
    "weight_order_frequency": "5",
    "weight_survey_non_response": "5",
    "watch_below": "75",
    "at_risk_below": "45",
}


def test_an_admin_changes_the_settings_and_the_change_is_audited(as_user, org):
    response = as_user(org.admin).post(SETTINGS, VALID)

    assert response.status_code == 302
    config = HealthConfig.objects.get()
    assert config.weights["contact_gap"] == 30
    assert config.weights["csat"] == 5
    assert (config.watch_below, config.at_risk_below) == (75, 45)
    assert config.updated_by == org.admin
    event = AuditEvent.objects.get(action=AuditAction.SETTINGS_CHANGE)
    assert event.actor == org.admin
    assert event.object_type == "health_settings"
    assert event.details == {
        "changes": {
            "weight_contact_gap": {"old": 25, "new": 30},
            "weight_csat": {"old": 10, "new": 5},
            "watch_below": {"old": 70, "new": 75},
            "at_risk_below": {"old": 50, "new": 45},
        }
    }


def test_the_settings_page_explains_each_signal(as_user, org):
    html = as_user(org.admin).get(SETTINGS).content.decode()

    assert "Days since the last completed interaction against the tier" in html
    assert html.count('type="number"') == 10


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"weight_nps": "a lot"}, "weight_nps", "Enter a whole number."),
        ({"weight_nps": "101"}, "weight_nps", "Ensure this value is less than or equal to 100."),
        ({"weight_nps": "-1"}, "weight_nps", "Ensure this value is greater than or equal to 0."),
        ({"watch_below": "101"}, "watch_below", "Ensure this value is less than or equal to 100."),
        ({"at_risk_below": "80", "watch_below": "60"}, "at_risk_below", "must not be above"),
        ({"weight_csat": ""}, "weight_csat", "This field is required."),
    ],
)
def test_bad_settings_show_the_form_again_and_save_nothing(as_user, org, changes, field, message):
    response = as_user(org.admin).post(SETTINGS, {**VALID, **changes})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not HealthConfig.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SETTINGS_CHANGE).exists()


@pytest.mark.parametrize("who", ["manager", "lead"])
def test_only_admins_open_the_settings(as_user, org, who):
    http = as_user(getattr(org, who))
    assert http.get(SETTINGS).status_code == 403
    assert http.post(SETTINGS, VALID).status_code == 403
    assert not HealthConfig.objects.exists()


def test_admins_find_the_settings_on_their_profile(as_user, org):
    assert SETTINGS in as_user(org.admin).get(reverse("accounts:profile")).content.decode()
    assert SETTINGS not in as_user(org.lead).get(reverse("accounts:profile")).content.decode()


def test_the_client_list_shows_health_and_a_new_client_has_none(as_user, org):
    set_health(org.client, make_parts(AT_RISK_FACTS))
    ClientFactory(name="Zeta UAB", account_manager=org.manager)

    html = as_user(org.manager).get(reverse("clients:list")).content.decode()

    assert '<span class="health-score">36</span> At risk' in html
