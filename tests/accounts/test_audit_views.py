"""The audit log page, its CSV download and its API: administrators only, filtered, newest first, constant queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.audit import record_audit
from accounts.models import AuditAction, AuditEvent
from tests.factories.accounts import AdminFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:audit")
EXPORT = reverse("accounts:audit_export")
API = "/api/v1/audit-events/"


@pytest.fixture
def log(org):
    """Three events on three days, after clearing those the fixtures wrote (user creation, sign-ins)."""
    AuditEvent.objects.all().delete()
    now = timezone.now()
    failed = record_audit(actor=None, action=AuditAction.LOGIN_FAILED, subject="=cmd|'/c calc'!A1")
    export = record_audit(
        actor=org.lead, action=AuditAction.EXPORT, subject="clients-2026.csv", details={"export": "clients", "rows": 4}
    )
    erasure = record_audit(
        actor=org.admin,
        action=AuditAction.CONTACT_ERASURE,
        subject="Contact #12",
        object_type="contact",
        object_id=12,
        details={"client": 3},
    )
    for days, event in ((2, failed), (1, export), (0, erasure)):
        AuditEvent.objects.filter(pk=event.pk).update(created_at=now - datetime.timedelta(days=days))
    return [erasure, export, failed]  # newest first


def subjects(response) -> list[str]:
    return [event.subject for event in response.context["page"].object_list]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (PAGE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["manager", "lead", "other_lead"])
def test_managers_and_team_leads_may_not_see_the_log(as_user, org, log, role):
    http = as_user(getattr(org, role))
    count = AuditEvent.objects.count()

    assert http.get(PAGE).status_code == 403
    assert http.get(EXPORT).status_code == 403
    assert AuditEvent.objects.count() == count  # a refused download is not an export


def test_an_admin_sees_every_event_newest_first(as_user, org, log):
    response = as_user(org.admin).get(PAGE)

    assert response.status_code == 200
    assert subjects(response) == [org.admin.email, "Contact #12", "clients-2026.csv", "=cmd|'/c calc'!A1"]
    assert response.context["page"].object_list[0].action == "login"  # signing in to look is on the log too
    html = response.content.decode()
    assert "Contact erasure" in html
    assert "Failed sign-in" in html
    assert "contact #12" in html
    assert "export: clients; rows: 4" in html


def test_the_nav_links_to_the_log_for_admins_only(as_user, org):
    assert f'href="{PAGE}"' in as_user(org.admin).get(reverse("accounts:profile")).content.decode()
    assert f'href="{PAGE}"' not in as_user(org.lead).get(reverse("accounts:profile")).content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "export"}, ["clients-2026.csv"]),
        ({"q": "CONTACT #"}, ["Contact #12"]),
        ({"q": "calc"}, ["=cmd|'/c calc'!A1"]),
        ({"object_type": "contact", "object_id": "12"}, ["Contact #12"]),
    ],
)
def test_the_log_is_filtered(as_user, org, log, query, expected):
    response = as_user(org.admin).get(PAGE, query)

    assert [s for s in subjects(response) if s in {e.subject for e in log}] == expected


def test_the_log_is_filtered_by_who_and_by_days(as_user, org, log):
    http = as_user(org.admin)
    today = timezone.localdate()

    by_lead = http.get(PAGE, {"actor": org.lead.pk})
    yesterday = http.get(
        PAGE, {"date_from": today - datetime.timedelta(days=1), "date_to": today - datetime.timedelta(days=1)}
    )
    since_yesterday = http.get(PAGE, {"date_from": today - datetime.timedelta(days=1)})

    assert subjects(by_lead) == ["clients-2026.csv"]
    assert subjects(yesterday) == ["clients-2026.csv"]
    assert "=cmd|'/c calc'!A1" not in subjects(since_yesterday)


def test_an_htmx_request_gets_the_table_only(as_user, org, log):
    response = as_user(org.admin).get(PAGE, {"action": "export"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="audit-table"')
    assert "clients-2026.csv" in html
    assert "<nav" not in html.split("audit-table")[0]


@pytest.mark.parametrize("count", [5, 120])
def test_the_page_costs_the_same_queries_for_few_and_many_events(as_user, org, django_assert_max_num_queries, count):
    for _ in range(count):
        record_audit(actor=org.lead, action=AuditAction.EXPORT, subject="x.csv")
    http = as_user(org.admin)

    with django_assert_max_num_queries(6):  # session, user, count, page with actors, the "who" choices
        response = http.get(PAGE)
    assert response.status_code == 200


def test_the_csv_download_holds_the_filtered_log_and_is_itself_audited(as_user, org, log):
    http = as_user(org.admin)

    response = http.get(EXPORT, {"q": "c", "action": AuditAction.LOGIN_FAILED})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert [row[4] for row in rows[1:]] == ["'=cmd|'/c calc'!A1"]  # a formula is neutralised

    response = http.get(EXPORT, {"q": "c"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["When (UTC)", "Action", "Action code", "Who"]
    # the first download, the admin's sign-in, then the log; this download is not in its own file
    assert [row[4] for row in rows[1:]] == [
        "audit log",
        org.admin.email,
        "Contact #12",
        "clients-2026.csv",
        "'=cmd|'/c calc'!A1",
    ]
    assert rows[3][2:4] == ["contact_erasure", org.admin.email]
    newest = AuditEvent.objects.first()
    assert (newest.action, newest.actor, newest.subject, newest.details) == (
        "export",
        org.admin,
        "audit log",
        {"export": "audit_log", "filters": {"q": "c"}, "rows": 5},
    )


# --- API -------------------------------------------------------------------------------------------


def test_the_api_lists_the_log_for_admins_with_the_pages_filters(as_api_user, org, log):
    response = as_api_user(org.admin).get(API, {"action": "contact_erasure"})

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    [row] = body["results"]
    assert row == {
        "id": log[0].pk,
        "created_at": row["created_at"],
        "action": "contact_erasure",
        "actor": org.admin.pk,
        "actor_name": org.admin.full_name,
        "actor_email": org.admin.email,
        "subject": "Contact #12",
        "object_type": "contact",
        "object_id": "12",
        "details": {"client": 3},
        "ip": None,
        "user_agent": "",
    }


def test_the_api_is_paginated_newest_first(as_api_user, org, log):
    body = as_api_user(org.admin).get(API).json()

    assert [row["subject"] for row in body["results"]][:3] == ["Contact #12", "clients-2026.csv", "=cmd|'/c calc'!A1"]
    assert {"count", "next", "previous", "results"} <= set(body)


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_the_api_refuses_everyone_but_admins(as_api_user, org, log, role):
    api = as_api_user(getattr(org, role))

    assert api.get(API).status_code == 403
    assert api.get(f"{API}{log[0].pk}/").status_code == 403


def test_the_api_refuses_anonymous_callers(api, log):
    assert api.get(API).status_code == 401


def test_the_api_has_no_way_to_change_the_log(as_api_user, org, log):
    api = as_api_user(AdminFactory())

    assert api.post(API, {"action": "login"}).status_code == 405
    assert api.delete(f"{API}{log[0].pk}/").status_code == 405
    assert api.patch(f"{API}{log[0].pk}/", {"subject": "x"}).status_code == 405
