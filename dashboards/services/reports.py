"""The weekly e-mail report: on Mondays from 08:00 in their own time zone, each team lead gets, for every
team they lead, the dashboard's KPI tiles of the week that just ended (Monday to Sunday, their time zone)
next to the week before, and a short per-manager table, in their language.

Rows first (DESIGN principle 1): the beat writes one pending WeeklyReport per (lead, team, Monday), and
the unique row means a second or concurrent run writes nothing more. Delivery is core.outbox's: the row
is claimed under a row lock and a conditional update, so it is sent once however many tasks run, and a
failed send is retried with backoff by the later sweeps. One e-mail per team, not one per lead: the
figures, the links and the printable page are all per team.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from accounts.models import Role, Team, User
from core import outbox
from interactions.services.notifications import absolute_url, recipient_zone

from ..models import WeeklyReport
from ..selectors.display import Period, show_count, show_percent
from ..selectors.overview import ManagerRow, Scope, TileGroup, get_dashboard

SEND_WEEKDAY = 0  # Monday
SEND_FROM_HOUR = 8
# Who may open a team's dashboard, and so gets its report when leading the team.
RECIPIENT_ROLES = (Role.TEAM_LEAD, Role.ADMIN)
NO_VALUE = "—"


@dataclass(frozen=True)
class DueReport:
    lead_id: int
    team_id: int
    week: date  # the Monday the report is due, in the lead's time zone


def _due_week(time_zone: str, now: datetime) -> date | None:
    """The Monday whose report is due now in this time zone: on Mondays from 08:00 local, else None."""
    local = now.astimezone(recipient_zone(time_zone))
    if local.weekday() == SEND_WEEKDAY and local.hour >= SEND_FROM_HOUR:
        return local.date()
    return None


def _led_teams() -> QuerySet[Team]:
    """Teams whose lead gets their report: an active user allowed to see the team's dashboard."""
    return Team.objects.filter(lead__is_active=True, lead__role__in=RECIPIENT_ROLES)


def list_due_weekly_reports(*, now: datetime | None = None) -> list[DueReport]:
    """The (lead, team, Monday) reports due now, for leads whose local time is Monday from 08:00, not yet written.

    Two queries whatever the number of teams: the leads' distinct time zones, then the led teams in
    the zones where it is Monday morning or later that have no row for that Monday.
    """
    now = now or timezone.now()
    zones = _led_teams().order_by().values_list("lead__time_zone", flat=True).distinct()
    weeks = {zone: week for zone in zones if (week := _due_week(zone, now)) is not None}
    if not weeks:
        return []
    due = [
        Q(lead__time_zone=zone)
        & ~Exists(WeeklyReport.objects.filter(lead=OuterRef("lead"), team=OuterRef("pk"), week=week))
        for zone, week in weeks.items()
    ]
    rows = _led_teams().filter(reduce(or_, due)).order_by("lead_id", "pk")
    return [
        DueReport(lead_id=lead_id, team_id=team_id, week=weeks[zone])
        for lead_id, team_id, zone in rows.values_list("lead_id", "pk", "lead__time_zone")
    ]


@transaction.atomic
def create_due_weekly_reports(*, now: datetime | None = None) -> int:
    """Write a pending report row for every report due now; returns how many were due.

    The unique (lead, team, week) turns the rows a concurrent run already wrote into no-ops.
    """
    now = now or timezone.now()
    due = list_due_weekly_reports(now=now)
    WeeklyReport.objects.bulk_create(
        [WeeklyReport(lead_id=d.lead_id, team_id=d.team_id, week=d.week, next_attempt_at=now) for d in due],
        ignore_conflicts=True,
    )
    return len(due)


def list_unsent_weekly_reports(*, now: datetime | None = None) -> list[int]:
    """Ids of the report rows to send now: pending, and past the backoff of an earlier failure."""
    return outbox.list_due_rows(WeeklyReport, now=now)


# --- The e-mail ----------------------------------------------------------------------------------


def report_period(week: date) -> Period:
    """The week a report due on Monday `week` covers: the Monday to Sunday just before it."""
    return Period(week - timedelta(days=7), week - timedelta(days=1))


def week_label(period: Period) -> str:
    """A compact range in the active language: "16–22 Nov 2026", "30 Nov – 6 Dec 2026"."""
    first, last = period.first_day, period.last_day
    if first.year != last.year:
        return f"{date_format(first, 'j M Y')} – {date_format(last, 'j M Y')}"
    if first.month != last.month:
        return f"{date_format(first, 'j M')} – {date_format(last, 'j M Y')}"
    return f"{first.day}–{date_format(last, 'j M Y')}"


@dataclass(frozen=True)
class ManagerLine:
    """One row of the report's per-manager summary, as text in the recipient's language."""

    name: str
    interactions: str
    follow_ups_done: str
    follow_ups_overdue: str
    open_complaints: str
    sla: str
    csat: str


def _manager_line(row: ManagerRow) -> ManagerLine:
    return ManagerLine(
        name=row.person.full_name,
        interactions=show_count(row.interactions),
        follow_ups_done=show_count(row.follow_ups_done),
        follow_ups_overdue=show_count(row.follow_ups_overdue),
        open_complaints=show_count(row.open_complaints),
        sla=NO_VALUE if row.sla is None else show_percent(row.sla),
        csat=NO_VALUE if row.csat.value is None else show_percent(row.csat.value),
    )


def _links(team: Team, period: Period) -> tuple[str, str]:
    """Absolute links to the team's dashboard for the reported week and to its printable page."""
    query = urlencode(
        {
            "period": "custom",
            "date_from": period.first_day.isoformat(),
            "date_to": period.last_day.isoformat(),
            "team": team.pk,
        }
    )
    dashboard = f"{reverse('dashboards:overview')}?{query}"
    try:
        printable = f"{reverse('dashboards:print')}?{query}"
    except NoReverseMatch:  # the printable page is not deployed yet: the same week on screen
        printable = dashboard
    return absolute_url(dashboard), absolute_url(printable)


def _absolute(groups: list[TileGroup]) -> list[TileGroup]:
    """The tiles with their drill-down links made absolute, for an e-mail."""
    return [
        TileGroup(group.title, [replace(kpi, url=absolute_url(kpi.url) if kpi.url else "") for kpi in group.kpis])
        for group in groups
    ]


def _render(lead: User, team: Team, week: date, now: datetime) -> tuple[str, str, str]:
    """Subject, text and HTML of the report; figures and formats in the active language and time zone."""
    period = report_period(week)
    dashboard = get_dashboard(lead, scope=Scope(team=team), period=period, now=now)
    dashboard_url, print_url = _links(team, period)
    groups = _absolute(dashboard.groups)
    context = {
        "lead": lead,
        "team": team,
        "week": week_label(period),
        "previous_week": week_label(dashboard.previous),
        "groups": groups,
        "any_thin": any(kpi.thin for group in groups for kpi in group.kpis),
        "managers": [_manager_line(row) for row in dashboard.managers],
        "dashboard_url": dashboard_url,
        "print_url": print_url,
        "time_zone": recipient_zone(lead).key,
    }
    subject = " ".join(render_to_string("dashboards/email/weekly_report_subject.txt", context).split())
    text = render_to_string("dashboards/email/weekly_report_body.txt", context)
    html = render_to_string("dashboards/email/weekly_report_body.html", context)
    return subject, text, html


def _send(report: WeeklyReport, *, now: datetime) -> None:
    lead = report.lead
    with translation.override(lead.language), timezone.override(recipient_zone(lead)):
        subject, text, html = _render(lead, report.team, report.week, now)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[lead.email])
    message.attach_alternative(html, "text/html")
    message.send()


def _next_report_due(report: WeeklyReport) -> datetime:
    return datetime.combine(report.week + timedelta(days=7), time(SEND_FROM_HOUR), tzinfo=recipient_zone(report.lead))


def send_weekly_report(*, report_id: int, now: datetime | None = None) -> bool:
    """E-mail one weekly report exactly once; True when it went out.

    Dropped (cancelled) when the recipient no longer leads the team, was deactivated, or the next
    Monday's report is already due: a report that late is no longer news.
    """
    now = now or timezone.now()

    def still_wanted(report: WeeklyReport) -> bool:
        lead = report.lead
        leads_it = report.team.lead_id == lead.pk and lead.is_active and lead.role in RECIPIENT_ROLES
        return leads_it and now < _next_report_due(report)

    return outbox.deliver_once(
        WeeklyReport,
        report_id,
        send=lambda report: _send(report, now=now),
        still_wanted=still_wanted,
        select_related=("lead", "team"),
        now=now,
    )


def send_due_weekly_reports(*, now: datetime | None = None) -> int:
    """Write the reports due now and send every unsent one, in this process; returns how many went out."""
    now = now or timezone.now()
    create_due_weekly_reports(now=now)
    return sum(send_weekly_report(report_id=pk, now=now) for pk in list_unsent_weekly_reports(now=now))
