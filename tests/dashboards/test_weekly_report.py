"""The weekly report: on Mondays from 08:00 in each lead's time zone, once per lead, team and week, with
the week's tiles next to the week before and a per-manager summary, in the lead's language."""

from datetime import UTC, date, datetime, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext, trans_real

from crm.celery import app as celery_app
from dashboards.models import WeeklyReport
from dashboards.services import reports
from dashboards.services.reports import (
    DueReport,
    create_due_weekly_reports,
    list_due_weekly_reports,
    send_due_weekly_reports,
    send_weekly_report,
)
from dashboards.tasks import send_weekly_report_task, send_weekly_reports_task
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse, SurveyStatus, SurveyTemplate, TriggerKind
from tests.factories.accounts import AdminFactory, ManagerFactory, TeamFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import frozen
from tests.factories.interactions import InteractionFactory

# Monday 23 November 2026: the report covers 16–22 Nov against 9–15 Nov. Vilnius is UTC+2 then,
# Tokyo UTC+9 and New York UTC-5.
MONDAY = date(2026, 11, 23)
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def utc(day, hour, minute=0, second=0):
    return datetime(2026, 11, day, hour, minute, second, tzinfo=UTC)


VILNIUS_0800 = utc(23, 6)


def lead_of(name, time_zone="Europe/Vilnius", *, factory=TeamLeadFactory, **fields):
    """A team named `name` and its lead (a member of it too), in that time zone."""
    team = TeamFactory(name=name)
    lead = factory(full_name=f"{name} Lead", email=f"{name.lower()}@example.com", time_zone=time_zone, **fields)
    lead.team = team
    lead.save()
    team.lead = lead
    team.save()
    return lead, team


# --- Who is due, when ----------------------------------------------------------------------------


def test_a_lead_in_tokyo_is_due_before_a_lead_in_new_york(db):
    tokyo, east = lead_of("East", "Asia/Tokyo")
    new_york, west = lead_of("West", "America/New_York")

    # Sunday 23:00 UTC: Monday 08:00 in Tokyo, Sunday 18:00 in New York.
    assert list_due_weekly_reports(now=utc(22, 23)) == [DueReport(tokyo.pk, east.pk, MONDAY)]
    # 12:59 UTC: still 07:59 in New York.
    assert list_due_weekly_reports(now=utc(23, 12, 59)) == [DueReport(tokyo.pk, east.pk, MONDAY)]
    assert list_due_weekly_reports(now=utc(23, 13)) == [
        DueReport(tokyo.pk, east.pk, MONDAY),
        DueReport(new_york.pk, west.pk, MONDAY),
    ]


@pytest.mark.parametrize(
    ("moment", "due"),
    [
        pytest.param(utc(22, 21, 59), False, id="sunday-23:59"),
        pytest.param(utc(23, 5, 59), False, id="monday-07:59"),
        pytest.param(utc(23, 6), True, id="monday-08:00"),
        pytest.param(utc(23, 21, 59), True, id="monday-23:59"),
        pytest.param(utc(23, 22), False, id="tuesday-00:00"),
    ],
)
def test_the_report_is_due_on_monday_from_0800_local_time(db, moment, due):
    lead, team = lead_of("North", "Europe/Vilnius")

    expected = [DueReport(lead.pk, team.pk, MONDAY)] if due else []
    assert list_due_weekly_reports(now=moment) == expected
    assert create_due_weekly_reports(now=moment) == len(expected)
    assert list(WeeklyReport.objects.values_list("lead", "team", "week", "status", "next_attempt_at")) == (
        [(lead.pk, team.pk, MONDAY, "pending", moment)] if due else []
    )


def test_a_written_report_is_not_due_again_that_week(db):
    lead_of("North")

    assert create_due_weekly_reports(now=VILNIUS_0800) == 1
    assert list_due_weekly_reports(now=utc(23, 6, 15)) == []
    assert create_due_weekly_reports(now=utc(23, 6, 15)) == 0
    assert WeeklyReport.objects.count() == 1
    # The next Monday brings the next week's report.
    assert create_due_weekly_reports(now=utc(30, 6)) == 1
    assert sorted(WeeklyReport.objects.values_list("week", flat=True)) == [MONDAY, date(2026, 11, 30)]


def test_only_active_leads_who_lead_a_team_get_reports(db):
    lead, north = lead_of("North")
    admin, central = lead_of("Central", factory=AdminFactory)
    lead_of("East", is_active=False)  # deactivated
    lead_of("West", factory=ManagerFactory)  # a manager set as lead may not open the dashboard
    TeamLeadFactory(team=north, email="teamless@example.com")  # a lead who leads no team

    assert list_due_weekly_reports(now=VILNIUS_0800) == [
        DueReport(lead.pk, north.pk, MONDAY),
        DueReport(admin.pk, central.pk, MONDAY),
    ]
    assert send_due_weekly_reports(now=VILNIUS_0800) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["central@example.com", "north@example.com"]


def test_a_lead_of_two_teams_gets_one_report_per_team(db):
    lead, north = lead_of("North")
    south = TeamFactory(name="South", lead=lead)

    assert list_due_weekly_reports(now=VILNIUS_0800) == [
        DueReport(lead.pk, north.pk, MONDAY),
        DueReport(lead.pk, south.pk, MONDAY),
    ]
    assert send_due_weekly_reports(now=VILNIUS_0800) == 2
    assert sorted(m.subject for m in mail.outbox) == [
        "Weekly report: North, 16–22 Nov 2026",
        "Weekly report: South, 16–22 Nov 2026",
    ]
    assert {m.to[0] for m in mail.outbox} == {"north@example.com"}


def test_finding_the_due_reports_takes_two_queries_whatever_the_number_of_teams(db, django_assert_num_queries):
    for index, zone in enumerate(["Asia/Tokyo", "Europe/Vilnius", "America/New_York"] * 3):
        lead_of(f"Team{index}", zone)

    # 13:00 UTC: Monday 22:00 in Tokyo, 15:00 in Vilnius, 08:00 in New York.
    with django_assert_num_queries(2):
        due = list_due_weekly_reports(now=utc(23, 13))

    assert len(due) == 9


# --- What it says ------------------------------------------------------------------------------


def csat(client, score, at):
    """An answered CSAT survey of the client, sent an hour before the answer."""
    request = SurveyRequest.objects.create(
        status=SurveyStatus.ANSWERED,
        contact=ContactFactory(client=client),
        client=client,
        template=SurveyTemplate.objects.get(name="CSAT"),
        kind=SurveyKind.CSAT,
        trigger=TriggerKind.MANUAL,
        source_key=f"test:{client.pk}:{at.isoformat()}:{score}",
        language="en",
        scheduled_at=at - timedelta(hours=1),
        next_attempt_at=at - timedelta(hours=1),
        sent_at=at - timedelta(hours=1),
        answered_at=at,
    )
    return SurveyResponse.objects.create(
        request=request, client=client, kind=SurveyKind.CSAT, score=score, answered_at=at
    )


@pytest.fixture
def north_week(db, settings):
    """Team North (lead in Vilnius) with a week of work, 16–22 Nov, and the week before, 9–15 Nov."""
    settings.SITE_URL = "https://crm.example.com"
    lead, north = lead_of("North")
    mantas = ManagerFactory(full_name="Mantas Owner", team=north)
    tomas = ManagerFactory(full_name="Tomas Teammate", team=north)
    own, teammates = ClientFactory(account_manager=mantas), ClientFactory(account_manager=tomas)
    InteractionFactory(client=own, occurred_at=utc(16, 9))
    InteractionFactory(client=own, occurred_at=utc(22, 21, 30))  # Sunday 23:30 in Vilnius: this week
    InteractionFactory(client=teammates, occurred_at=utc(18, 10))
    InteractionFactory(client=own, occurred_at=utc(10, 9))  # the week before
    InteractionFactory(client=own, occurred_at=utc(22, 22, 30))  # Monday 00:30 in Vilnius: next week
    _, south = lead_of("South")
    InteractionFactory(client=ClientFactory(account_manager=ManagerFactory(team=south)), occurred_at=utc(17, 9))
    for score in (5, 4, 2):
        csat(own, score, utc(17, 12))
    csat(own, 5, utc(11, 12))
    return lead, north


def test_report_shows_the_weeks_figures_next_to_the_week_before(north_week):
    _lead, north = north_week

    assert send_due_weekly_reports(now=VILNIUS_0800) == 2  # North and South

    message = next(m for m in mail.outbox if m.to == ["north@example.com"])
    assert message.subject == "Weekly report: North, 16–22 Nov 2026"
    body = message.body
    assert body.startswith(
        "Hello North,\n\nTeam North in the week of 16–22 Nov 2026, next to the week before (9–15 Nov"
    )
    assert "  - Interactions logged: 3 · before: 1 · change: +2\n" in body
    assert "  - CSAT: 66.7 % (few answers) · before: 100.0 % · change: −33.3 pp\n" in body
    assert "  - Open complaints: 0 · before: 0 · change: 0\n" in body
    assert "  - NPS: — · before: —\n" in body  # no value either week: no change
    assert (
        "Managers\n"
        "  - Mantas Owner: interactions 2 · follow-ups done 0 · overdue 0 · open complaints 0 · SLA — · CSAT 66.7 %\n"
        "  - North Lead: interactions 0 · follow-ups done 0 · overdue 0 · open complaints 0 · SLA — · CSAT —\n"
        "  - Tomas Teammate: interactions 1 · follow-ups done 0 · overdue 0 · open complaints 0 · SLA — · CSAT —\n"
    ) in body
    query = f"period=custom&date_from=2026-11-16&date_to=2026-11-22&team={north.pk}"
    assert f"Open the dashboard:\nhttps://crm.example.com/dashboards/?{query}\n" in body
    assert f"Printable report:\nhttps://crm.example.com/dashboards/print/?{query}\n" in body
    assert "(Europe/Vilnius)" in body

    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en">' in html
    assert "Weekly report: North, 16–22 Nov 2026</h1>" in html
    assert ">+2</td>" in html
    assert ">−33.3 pp</td>" in html
    assert f'href="https://crm.example.com/dashboards/print/?{query.replace("&", "&amp;")}"' in html
    assert WeeklyReport.objects.get(team=north).status == "sent"


def test_the_week_runs_monday_to_sunday_in_the_leads_time_zone(db):
    _lead, east = lead_of("East", "Asia/Tokyo")
    client = ClientFactory(account_manager=ManagerFactory(team=east))
    InteractionFactory(client=client, occurred_at=utc(15, 15, 30))  # Monday 16 Nov 00:30 in Tokyo
    InteractionFactory(client=client, occurred_at=utc(22, 14, 30))  # Sunday 22 Nov 23:30 in Tokyo
    InteractionFactory(client=client, occurred_at=utc(22, 15, 30))  # Monday 23 Nov 00:30: the next week
    InteractionFactory(client=client, occurred_at=utc(15, 14, 30))  # Sunday 15 Nov 23:30: the week before

    assert send_due_weekly_reports(now=utc(22, 23)) == 1  # Monday 08:00 in Tokyo

    assert "  - Interactions logged: 2 · before: 1 · change: +1\n" in mail.outbox[0].body
    assert "(Asia/Tokyo)" in mail.outbox[0].body


@pytest.fixture
def lithuanian():
    """Lithuanian for the subject and a heading, as the translators will add them (locale/ is theirs)."""
    catalog = trans_real.translation("lt")._catalog._catalogs[0]
    added = {
        "Weekly report: %(team)s, %(week)s": "Savaitės ataskaita: %(team)s, %(week)s",
        "Managers": "Vadybininkai",
    }
    with mock.patch.dict(catalog, added):
        yield


def test_report_is_written_in_the_leads_language(north_week, lithuanian):
    lead, _north = north_week
    lead.language = "lt"
    lead.save()

    send_due_weekly_reports(now=VILNIUS_0800)

    message = next(m for m in mail.outbox if m.to == ["north@example.com"])
    # Lithuanian month names and decimal commas: the figures were formatted in the lead's language.
    assert message.subject == "Savaitės ataskaita: North, 16–22 Lap 2026"
    with translation.override("lt"):  # strings the catalog already has, as it has them
        hello = gettext("Hello %(name)s,") % {"name": "North"}
        points = gettext("%(points)s pp") % {"points": "33,3"}
    assert message.body.startswith(f"{hello}\n")
    assert "66,7 %" in message.body
    assert f"−{points}" in message.body
    assert "\nVadybininkai\n" in message.body
    assert '<html lang="lt">' in message.alternatives[0][0]
    # The other lead's report, and the process afterwards, stay in English.
    other = next(m for m in mail.outbox if m.to == ["south@example.com"])
    assert other.subject == "Weekly report: South, 16–22 Nov 2026"
    assert translation.get_language() == "en"


def test_print_link_falls_back_to_the_dashboard_while_the_printable_page_is_missing(north_week):
    _lead, north = north_week

    def without_print(name, *args, **kwargs):
        if name == "dashboards:print":
            raise NoReverseMatch(name)
        return reverse(name, *args, **kwargs)

    with mock.patch.object(reports, "reverse", without_print):
        send_due_weekly_reports(now=VILNIUS_0800)

    query = f"period=custom&date_from=2026-11-16&date_to=2026-11-22&team={north.pk}"
    body = next(m for m in mail.outbox if m.to == ["north@example.com"]).body
    assert f"Printable report:\nhttps://crm.example.com/dashboards/?{query}\n" in body


# --- Exactly once, retries ---------------------------------------------------------------------


def test_a_failed_send_is_retried_after_its_backoff_and_sent_once(db):
    lead_of("North")

    with mock.patch(SEND, side_effect=SMTPException("mail server down")):
        assert send_due_weekly_reports(now=VILNIUS_0800) == 0
    report = WeeklyReport.objects.get()
    assert (report.status, report.attempts, report.last_error, report.next_attempt_at, report.sent_at) == (
        "pending",
        1,
        "SMTPException('mail server down')",
        utc(23, 6, 1),
        None,
    )
    assert mail.outbox == []

    assert send_due_weekly_reports(now=utc(23, 6, 0, 30)) == 0  # still waiting out the backoff
    assert send_due_weekly_reports(now=utc(23, 6, 1)) == 1
    assert send_due_weekly_reports(now=utc(23, 6, 5)) == 0

    assert [m.to for m in mail.outbox] == [["north@example.com"]]
    report.refresh_from_db()
    assert (report.status, report.attempts, report.last_error, report.sent_at) == ("sent", 1, "", utc(23, 6, 1))


def test_a_report_that_keeps_failing_is_given_up_after_five_attempts(db):
    lead_of("North")

    with mock.patch(SEND, side_effect=SMTPException("mail server down")):
        for minute in range(0, 60, 5):
            send_due_weekly_reports(now=utc(23, 6, minute))

    report = WeeklyReport.objects.get()
    assert (report.status, report.attempts) == ("failed", 5)
    assert send_due_weekly_reports(now=utc(23, 8)) == 0
    assert mail.outbox == []


def test_a_report_to_a_lead_deactivated_since_is_dropped(db):
    lead, _ = lead_of("North")
    create_due_weekly_reports(now=VILNIUS_0800)
    lead.is_active = False
    lead.save()

    assert send_weekly_report(report_id=WeeklyReport.objects.get().pk, now=VILNIUS_0800) is False

    assert mail.outbox == []
    assert WeeklyReport.objects.get().status == "cancelled"


def test_a_report_to_a_lead_replaced_since_is_dropped(db):
    _lead, north = lead_of("North")
    create_due_weekly_reports(now=VILNIUS_0800)
    north.lead = TeamLeadFactory()
    north.save()

    assert send_weekly_report(report_id=WeeklyReport.objects.get().pk, now=VILNIUS_0800) is False

    assert mail.outbox == []
    assert WeeklyReport.objects.get().status == "cancelled"


def test_a_report_still_unsent_when_the_next_one_is_due_is_dropped(db):
    lead_of("North")
    create_due_weekly_reports(now=VILNIUS_0800)
    report = WeeklyReport.objects.get()

    assert send_weekly_report(report_id=report.pk, now=utc(30, 6)) is False  # the next Monday, 08:00

    assert mail.outbox == []
    report.refresh_from_db()
    assert report.status == "cancelled"


def test_the_beat_task_run_twice_sends_one_email(db, django_capture_on_commit_callbacks):
    lead_of("North")

    # Both runs before either send: the pending row is enqueued twice, and sent once.
    with frozen(VILNIUS_0800), django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send_weekly_reports_task() == 1
        assert send_weekly_reports_task() == 1
    assert len(callbacks) == 2
    assert [m.to for m in mail.outbox] == [["north@example.com"]]

    # A run after the send finds nothing to do.
    with frozen(utc(23, 6, 5)), django_capture_on_commit_callbacks(execute=True):
        assert send_weekly_reports_task() == 0
    assert [m.to for m in mail.outbox] == [["north@example.com"]]
    assert WeeklyReport.objects.get().status == "sent"


def test_the_same_report_task_run_twice_sends_once(db):
    lead_of("North")
    create_due_weekly_reports(now=VILNIUS_0800)
    report = WeeklyReport.objects.get()

    with frozen(VILNIUS_0800):
        assert send_weekly_report_task(report.pk) is True
        assert send_weekly_report_task(report.pk) is False

    assert len(mail.outbox) == 1


def test_the_beat_task_enqueues_the_sends_only_after_commit(db, django_capture_on_commit_callbacks):
    lead_of("North")

    with frozen(VILNIUS_0800), django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert send_weekly_reports_task() == 1
    assert len(callbacks) == 1
    assert mail.outbox == []
    assert WeeklyReport.objects.get().status == "pending"

    with frozen(VILNIUS_0800):
        callbacks[0]()
    assert len(mail.outbox) == 1


def test_a_beat_run_rolled_back_enqueues_nothing(db, django_capture_on_commit_callbacks):
    lead_of("North")

    def beat_run_in_a_failing_transaction():
        with transaction.atomic():
            send_weekly_reports_task()
            raise RuntimeError("the caller's transaction fails")

    with (
        frozen(VILNIUS_0800),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        beat_run_in_a_failing_transaction()

    assert callbacks == []
    assert mail.outbox == []
    assert WeeklyReport.objects.count() == 0


def test_the_beat_runs_the_weekly_reports_every_five_minutes():
    entry = django_settings.CELERY_BEAT_SCHEDULE["send-weekly-reports"]

    assert entry == {"task": "dashboards.tasks.send_weekly_reports_task", "schedule": 300.0}
    assert entry["task"] in celery_app.tasks


# --- Admin --------------------------------------------------------------------------------------


def test_admins_see_the_reports_read_only(org, as_user):
    create_due_weekly_reports(now=VILNIUS_0800)
    report = WeeklyReport.objects.get(team=org.north)
    client = as_user(org.admin)

    assert client.get("/admin/dashboards/weeklyreport/").status_code == 200
    assert client.get(f"/admin/dashboards/weeklyreport/{report.pk}/change/").status_code == 200
    assert client.get("/admin/dashboards/weeklyreport/add/").status_code == 403
    assert client.post(f"/admin/dashboards/weeklyreport/{report.pk}/delete/").status_code == 403
    assert WeeklyReport.objects.filter(pk=report.pk, status="pending").exists()
