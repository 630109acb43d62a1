"""SLA clocks of a complaint: targets snapshotted when received, counted in business time.

First response: from received_at until the first client-facing reply. Resolution: from
received_at until resolved, paused while waiting for the client; a reopen resumes the
remaining budget (DESIGN.md). "At risk" once 75 % of the allowed time is used.
"""

import zoneinfo
from datetime import datetime, time
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone

from accounts.models import User

from ..business_time import WorkingCalendar, add_business_minutes, business_minutes_between
from ..models import OPEN_STATUSES, BusinessCalendar, Complaint, SlaPolicy, SlaState, TeamCalendar

AT_RISK_SHARE = 0.75

# Used when an admin has not configured policies: business minutes (first response, resolution).
DEFAULT_TARGETS = {
    ("standard", "low"): (16 * 60, 80 * 60),
    ("standard", "normal"): (8 * 60, 40 * 60),
    ("standard", "high"): (4 * 60, 16 * 60),
    ("standard", "critical"): (60, 8 * 60),
    ("key", "low"): (8 * 60, 40 * 60),
    ("key", "normal"): (4 * 60, 24 * 60),
    ("key", "high"): (2 * 60, 8 * 60),
    ("key", "critical"): (30, 4 * 60),
    ("vip", "low"): (4 * 60, 24 * 60),
    ("vip", "normal"): (2 * 60, 16 * 60),
    ("vip", "high"): (60, 6 * 60),
    ("vip", "critical"): (15, 2 * 60),
}


def get_targets(tier: str, severity: str) -> tuple[int, int]:
    """(first-response, resolution) minutes for a client tier and severity: the admin's policy or the default."""
    policy = SlaPolicy.objects.filter(tier=tier, severity=severity).first()
    if policy is not None:
        return policy.first_response_minutes, policy.resolution_minutes
    return DEFAULT_TARGETS[(tier, severity)]


def get_business_calendar(owner: User | None) -> BusinessCalendar | None:
    """The owner's team calendar, else the default one (None when none is configured)."""
    if owner is not None and owner.team_id:
        link = TeamCalendar.objects.filter(team_id=owner.team_id).select_related("calendar").first()
        if link is not None:
            return link.calendar
    return BusinessCalendar.objects.filter(is_default=True).first()


@lru_cache(maxsize=64)
def _country_holidays(country: str):
    return holidays.country_holidays(country)


def working_calendar(calendar: BusinessCalendar | None) -> WorkingCalendar:
    """The calendar as business-time arithmetic uses it; Mon–Fri 9–17 in settings.TIME_ZONE without one."""
    if calendar is None:
        return WorkingCalendar(zoneinfo.ZoneInfo(settings.TIME_ZONE), frozenset(range(5)), time(9), time(17))
    days_off = set(calendar.holidays.values_list("date", flat=True))
    public = _country_holidays(calendar.country.upper()) if calendar.country else None
    return WorkingCalendar(
        zone=zoneinfo.ZoneInfo(calendar.time_zone),
        working_days=frozenset(calendar.working_days),
        day_start=calendar.day_start,
        day_end=calendar.day_end,
        is_day_off=lambda day: day in days_off or (public is not None and day in public),
    )


def calendar_of(complaint: Complaint) -> WorkingCalendar:
    return working_calendar(complaint.calendar)


def start_clocks(complaint: Complaint) -> None:
    """Snapshot the policy and the calendar and set both due times from received_at (not saved)."""
    first, resolution = get_targets(complaint.client.tier, complaint.severity)
    complaint.calendar = get_business_calendar(complaint.owner)
    complaint.sla_first_response_minutes, complaint.sla_resolution_minutes = first, resolution
    complaint.resolution_used_minutes = 0
    complaint.resolution_running_since = complaint.received_at
    _set_due_times(complaint)


def retarget(complaint: Complaint) -> None:
    """A new severity: new targets from the policy, due times recomputed from received_at (not saved)."""
    first, resolution = get_targets(complaint.client.tier, complaint.severity)
    complaint.sla_first_response_minutes, complaint.sla_resolution_minutes = first, resolution
    _set_due_times(complaint)


def _set_due_times(complaint: Complaint) -> None:
    calendar = calendar_of(complaint)
    if complaint.first_response_at is None:
        first = complaint.sla_first_response_minutes
        complaint.first_response_due_at = add_business_minutes(calendar, complaint.received_at, first)
        complaint.first_response_at_risk_at = add_business_minutes(
            calendar, complaint.received_at, first * AT_RISK_SHARE
        )
    if complaint.resolution_running_since is not None:
        left = complaint.sla_resolution_minutes - complaint.resolution_used_minutes
        at_risk_left = complaint.sla_resolution_minutes * AT_RISK_SHARE - complaint.resolution_used_minutes
        since = complaint.resolution_running_since
        complaint.resolution_due_at = add_business_minutes(calendar, since, max(left, 0))
        complaint.resolution_at_risk_at = add_business_minutes(calendar, since, max(at_risk_left, 0))


def pause(complaint: Complaint, at: datetime) -> None:
    """Waiting for the client: the resolution clock stops; no due time while paused (not saved)."""
    _record_late_resolution(complaint, at)
    _stop_resolution_clock(complaint, at)
    complaint.resolution_due_at = complaint.resolution_at_risk_at = None
    complaint.waiting_since = at


def resume(complaint: Complaint, at: datetime) -> None:
    """Back to work (after waiting, or reopened): the clock runs on with the budget left (not saved)."""
    _end_wait(complaint, at)
    complaint.resolution_running_since = at
    _set_due_times(complaint)


def stop(complaint: Complaint, at: datetime) -> None:
    """Resolved: the clocks stop, the resolution time is written, a late resolution is a breach (not saved).

    An unanswered complaint resolved after its first-response due time breached that clock too.
    """
    if complaint.first_response_at is None and complaint.first_response_due_at and at > complaint.first_response_due_at:
        complaint.first_response_breached_at = complaint.first_response_breached_at or complaint.first_response_due_at
    _record_late_resolution(complaint, at)
    _stop_resolution_clock(complaint, at)
    _end_wait(complaint, at)
    complaint.resolution_seconds = max(int((at - complaint.received_at).total_seconds()) - complaint.paused_seconds, 0)


def record_first_response(complaint: Complaint, at: datetime) -> None:
    """The first client-facing reply stops the first-response clock (not saved)."""
    if complaint.first_response_at is not None:
        return
    complaint.first_response_at = at
    complaint.first_response_business_minutes = business_minutes_between(
        calendar_of(complaint), complaint.received_at, at
    )
    if complaint.first_response_due_at and at > complaint.first_response_due_at:
        complaint.first_response_breached_at = complaint.first_response_breached_at or complaint.first_response_due_at


def _record_late_resolution(complaint: Complaint, at: datetime) -> None:
    """A running resolution clock stopped after its due time is a breach, whether or not the beat saw it."""
    due = complaint.resolution_due_at
    if complaint.resolution_running_since is not None and due is not None and at > due:
        complaint.resolution_breached_at = complaint.resolution_breached_at or due


def _stop_resolution_clock(complaint: Complaint, at: datetime) -> None:
    if complaint.resolution_running_since is None:
        return
    used = business_minutes_between(calendar_of(complaint), complaint.resolution_running_since, at)
    complaint.resolution_used_minutes += used
    complaint.resolution_running_since = None


def _end_wait(complaint: Complaint, at: datetime) -> None:
    if complaint.waiting_since is not None:
        complaint.paused_seconds += max(int((at - complaint.waiting_since).total_seconds()), 0)
        complaint.waiting_since = None


def sla_state(complaint: Complaint, *, now: datetime | None = None) -> str:
    """On track, at risk, breached, paused (waiting for the client) or met (closed within targets)."""
    now = now or timezone.now()
    if complaint.first_response_breached_at or complaint.resolution_breached_at:
        return SlaState.BREACHED
    first_open = complaint.first_response_at is None and complaint.status in OPEN_STATUSES
    running = complaint.resolution_running_since is not None
    if (first_open and complaint.first_response_due_at and now >= complaint.first_response_due_at) or (
        running and complaint.resolution_due_at and now >= complaint.resolution_due_at
    ):
        return SlaState.BREACHED
    if complaint.status not in OPEN_STATUSES:
        return SlaState.MET
    if (first_open and complaint.first_response_at_risk_at and now >= complaint.first_response_at_risk_at) or (
        running and complaint.resolution_at_risk_at and now >= complaint.resolution_at_risk_at
    ):
        return SlaState.AT_RISK
    if complaint.waiting_since is not None:
        # integers, as in the database expression: used × 4 ≥ target × 3
        if complaint.resolution_used_minutes * 4 >= complaint.sla_resolution_minutes * 3:
            return SlaState.AT_RISK
        return SlaState.PAUSED
    return SlaState.ON_TRACK
