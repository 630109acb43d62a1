"""Workload metrics against small hand-computed fixtures: interactions logged, follow-ups done and overdue,
interactions per week in the company's time zone."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from dashboards.metrics import (
    WeekCount,
    follow_up_terms,
    follow_ups_done,
    follow_ups_overdue,
    interactions_by_week,
    interactions_logged,
    week_start,
    week_starts,
)
from interactions.models import FollowUp, FollowUpStatus, Interaction, InteractionStatus
from interactions.selectors import filter_follow_ups_by_state
from tests.factories.interactions import FollowUpFactory, InteractionFactory

START = datetime(2025, 3, 1, tzinfo=UTC)
END = datetime(2025, 4, 1, tzinfo=UTC)
MID = datetime(2025, 3, 15, 12, tzinfo=UTC)
TICK = timedelta(microseconds=1)
VILNIUS = ZoneInfo("Europe/Vilnius")


@pytest.fixture(autouse=True)
def _company_zone(settings):
    settings.TIME_ZONE = "Europe/Vilnius"


def interaction(client, occurred_at, *, status=InteractionStatus.COMPLETED, by=None) -> Interaction:
    return InteractionFactory(
        client=client, occurred_at=occurred_at, status=status, logged_by=by or client.account_manager
    )


def follow_up(client, *, due_at, status=FollowUpStatus.OPEN, completed_at=None, created_at=None, assignee=None):
    """A bare follow-up row with exactly these facts (created_at set after the insert: auto_now_add ignores it)."""
    row = FollowUpFactory(
        client=client,
        due_at=due_at,
        status=status,
        completed_at=completed_at,
        assignee=assignee or client.account_manager,
    )
    FollowUp.objects.filter(pk=row.pk).update(created_at=created_at or due_at - timedelta(days=7))
    return row


INTERACTIONS = Interaction.objects.all
FOLLOW_UPS = FollowUp.objects.all


# --- Interactions logged ------------------------------------------------------------------------


def test_interactions_logged_counts_completed_interactions_that_took_place_in_the_period(org):
    interaction(org.client, START)  # the first instant belongs to the period
    interaction(org.client, END - TICK)  # so does the last one
    interaction(org.client, MID)
    interaction(org.client, END)  # the next period's first instant
    interaction(org.client, START - TICK)
    interaction(org.client, MID, status=InteractionStatus.SCHEDULED)  # planned, not yet work done
    interaction(org.client, MID, status=InteractionStatus.CANCELLED)

    assert interactions_logged(INTERACTIONS(), START, END) == 3


def test_interactions_logged_of_an_empty_period_is_zero_not_none(org):
    interaction(org.client, END)

    assert interactions_logged(INTERACTIONS(), START, END) == 0


def test_interactions_logged_counts_only_the_interactions_given(org):
    interaction(org.client, MID)
    interaction(org.team_client, MID)
    interaction(org.client, MID, by=org.teammate)  # logged by the teammate on Mantas's client

    assert interactions_logged(INTERACTIONS().filter(logged_by=org.manager), START, END) == 1
    assert interactions_logged(INTERACTIONS().filter(logged_by__team=org.north), START, END) == 3
    assert interactions_logged(INTERACTIONS().filter(logged_by__team=org.south), START, END) == 0


# --- Follow-ups done ----------------------------------------------------------------------------


def test_follow_ups_done_counts_those_marked_done_in_the_period(org):
    due = MID - timedelta(days=20)
    follow_up(org.client, due_at=due, status=FollowUpStatus.DONE, completed_at=START)  # first instant: in
    follow_up(org.client, due_at=due, status=FollowUpStatus.DONE, completed_at=END - TICK)  # last instant: in
    follow_up(org.client, due_at=due, status=FollowUpStatus.DONE, completed_at=END)  # next period
    follow_up(org.client, due_at=due, status=FollowUpStatus.DONE, completed_at=START - TICK)  # previous period
    follow_up(org.client, due_at=due)  # still open
    follow_up(org.client, due_at=due, status=FollowUpStatus.CANCELLED, completed_at=MID)

    assert follow_ups_done(FOLLOW_UPS(), START, END) == 2


def test_follow_ups_done_of_an_empty_period_is_zero(org):
    follow_up(org.client, due_at=MID)

    assert follow_ups_done(FOLLOW_UPS(), START, END) == 0


# --- Follow-ups overdue at an instant -------------------------------------------------------------


def test_overdue_at_an_instant_is_due_before_it_and_still_open_then(org):
    c = org.client
    follow_up(c, due_at=MID - timedelta(hours=1))  # open, past due: overdue
    follow_up(c, due_at=MID)  # due at the instant itself: not yet overdue
    follow_up(c, due_at=MID + timedelta(hours=1))
    follow_up(c, due_at=MID - timedelta(days=2), status=FollowUpStatus.DONE, completed_at=MID - timedelta(minutes=1))
    follow_up(c, due_at=MID - timedelta(days=2), status=FollowUpStatus.DONE, completed_at=MID)  # done at the instant
    follow_up(c, due_at=MID - timedelta(days=2), status=FollowUpStatus.DONE, completed_at=MID + timedelta(days=1))
    follow_up(c, due_at=MID - timedelta(days=2), status=FollowUpStatus.CANCELLED)  # when it was cancelled is not kept
    follow_up(c, due_at=MID - timedelta(hours=1), created_at=MID + timedelta(hours=1))  # written after the instant
    follow_up(c, due_at=MID - timedelta(hours=1), created_at=MID)  # written at the instant: not yet there

    # open past due (1) + done at the instant (2: its completion belongs to the next period) + done a day later (3)
    assert follow_ups_overdue(FOLLOW_UPS(), MID) == 3


def test_overdue_at_now_is_the_open_follow_ups_past_due_as_the_list_shows_them(org):
    now = MID
    follow_up(org.client, due_at=now - timedelta(days=1))
    follow_up(org.client, due_at=now - timedelta(minutes=1))
    follow_up(org.client, due_at=now + timedelta(minutes=1))
    follow_up(org.client, due_at=now - timedelta(days=1), status=FollowUpStatus.DONE, completed_at=now - TICK)

    assert follow_ups_overdue(FOLLOW_UPS(), now) == 2
    assert filter_follow_ups_by_state(FOLLOW_UPS(), "overdue", now=now).count() == 2


def test_overdue_of_nothing_is_zero(org):
    assert follow_ups_overdue(FOLLOW_UPS(), MID) == 0


def test_follow_up_terms_count_both_figures_in_one_aggregate(org):
    follow_up(org.client, due_at=MID, status=FollowUpStatus.DONE, completed_at=MID)  # done in March
    follow_up(org.client, due_at=START - timedelta(days=1), status=FollowUpStatus.DONE, completed_at=START + TICK)
    follow_up(org.client, due_at=END - timedelta(days=1))  # overdue at the end
    follow_up(org.team_client, due_at=END - timedelta(days=1))  # the teammate's, overdue too

    figures = FOLLOW_UPS().filter(assignee=org.manager).aggregate(**follow_up_terms(START, END, END, prefix="m_"))

    assert figures == {"m_follow_ups_done": 2, "m_follow_ups_overdue": 1}
    assert follow_ups_done(FOLLOW_UPS().filter(assignee=org.manager), START, END) == 2
    assert follow_ups_overdue(FOLLOW_UPS().filter(assignee=org.manager), END) == 1


# --- Interactions per week ----------------------------------------------------------------------


def vilnius(day: date, hour: int, minute: int = 0) -> datetime:
    """An instant on the company's wall clock."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VILNIUS)


def test_interactions_by_week_buckets_by_monday_in_the_company_zone_and_by_person(org):
    mantas, tomas = org.manager, org.teammate
    # Sunday 9 March 23:30 in Vilnius is 21:30 UTC: the week of Monday 3 March, not the next.
    interaction(org.client, vilnius(date(2025, 3, 9), 23, 30))
    # Monday 10 March 00:30 in Vilnius is still Sunday (22:30 UTC) in UTC: the week of 10 March.
    interaction(org.client, vilnius(date(2025, 3, 10), 0, 30))
    interaction(org.team_client, vilnius(date(2025, 3, 12), 15))
    interaction(org.client, vilnius(date(2025, 3, 12), 16), by=tomas)  # Tomas, on Mantas's client
    # Across the clock change (UTC+3 from 30 March): Sunday 23:30 and Monday 00:30 in Vilnius.
    interaction(org.client, vilnius(date(2025, 3, 30), 23, 30))
    interaction(org.client, vilnius(date(2025, 3, 31), 0, 30))
    interaction(org.client, vilnius(date(2025, 3, 11), 9), status=InteractionStatus.SCHEDULED)  # not logged work
    interaction(org.client, vilnius(date(2025, 2, 28), 23, 59))  # before the period
    start, end = week_start(date(2025, 3, 3)), week_start(date(2025, 4, 7))

    with timezone.override("UTC"):  # the viewer's zone does not move the company's weeks
        rows = interactions_by_week(INTERACTIONS(), start, end)

    assert rows == [
        WeekCount(date(2025, 3, 3), mantas.pk, 1),
        WeekCount(date(2025, 3, 10), mantas.pk, 1),
        WeekCount(date(2025, 3, 10), tomas.pk, 2),
        WeekCount(date(2025, 3, 24), mantas.pk, 1),
        WeekCount(date(2025, 3, 31), mantas.pk, 1),
    ]


def test_interactions_by_week_of_an_empty_period_is_empty(org):
    assert interactions_by_week(INTERACTIONS(), START, END) == []


def test_week_start_is_monday_midnight_in_the_company_zone():
    assert week_start(date(2025, 3, 9)) == datetime(2025, 3, 2, 22, tzinfo=UTC)  # a Sunday: from Monday 3 March
    assert week_start(date(2025, 3, 10)) == datetime(2025, 3, 9, 22, tzinfo=UTC)  # a Monday: itself
    assert week_start(date(2025, 3, 31)) == datetime(2025, 3, 30, 21, tzinfo=UTC)  # after the clock change: UTC+3


def test_week_starts_lists_every_monday_the_period_touches_its_end_excluded():
    wednesday = vilnius(date(2025, 3, 5), 0)

    assert week_starts(wednesday, vilnius(date(2025, 3, 18), 12)) == [
        date(2025, 3, 3),
        date(2025, 3, 10),
        date(2025, 3, 17),
    ]
    # ending at Monday 17 March 00:00: that week is not touched
    assert week_starts(wednesday, week_start(date(2025, 3, 17))) == [date(2025, 3, 3), date(2025, 3, 10)]
    # twelve weeks ending with the week of 31 March, as the dashboard asks for them
    first = week_start(date(2025, 3, 31) - timedelta(weeks=11))
    weeks = week_starts(first, vilnius(date(2025, 4, 1), 0))
    assert (len(weeks), weeks[0], weeks[-1]) == (12, date(2025, 1, 13), date(2025, 3, 31))
