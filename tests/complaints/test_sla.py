"""SLA clocks of complaints: targets, snapshots, first response, pauses, resolution, reopening, states."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.forms.models import model_to_dict

from clients.models import Tier
from complaints.models import (
    ActivityKind,
    Complaint,
    ComplaintStatus,
    Severity,
    SlaPolicy,
    SlaState,
)
from complaints.selectors import with_sla
from complaints.services.complaints import add_note, change_severity, reassign_complaint
from complaints.services.sla import DEFAULT_TARGETS, get_targets, sla_state
from core.exceptions import ApplicationError
from interactions.models import Direction, Interaction
from tests.factories.clients import ClientFactory
from tests.factories.complaints import (
    BusinessCalendarFactory,
    default_calendar,
    link_calendar,
    make_complaint,
    move,
    reply,
)

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
# The default calendar: Lithuania, Mon–Fri 9–17 Vilnius time. 2 March 2026 is a Monday;
# Wednesday 11 March is a public holiday (Restoration of Independence).
TIERS = ("vip", "key", "standard")


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=VILNIUS)


MON = at(3, 2, 10)


def register(org, *, severity=Severity.NORMAL, received=MON, client=None, actor=None, **kw):
    return make_complaint(
        actor=actor or org.manager, client=client or org.client, severity=severity, received_at=received, **kw
    )


def vip_client(org):
    return ClientFactory(name="VIP Client UAB", tier=Tier.VIP, account_manager=org.manager)


def reload(complaint):
    return Complaint.objects.get(pk=complaint.pk)


# --- targets ---------------------------------------------------------------------------------


def test_the_seeded_policies_are_the_default_targets(db):
    policies = {(p.tier, p.severity): (p.first_response_minutes, p.resolution_minutes) for p in SlaPolicy.objects.all()}
    assert policies == DEFAULT_TARGETS


def test_vip_targets_are_tighter_than_key_ones_and_key_ones_tighter_than_standard(db):
    for severity in Severity.values:
        vip, key, standard = (get_targets(tier, severity) for tier in TIERS)
        assert vip[0] < key[0] < standard[0], severity
        # Resolution: VIP and key share 8 hours for "high"; never looser for the higher tier.
        assert vip[1] <= key[1] < standard[1], severity
    assert [get_targets(tier, Severity.CRITICAL) for tier in TIERS] == [(15, 120), (30, 240), (60, 480)]


def test_a_higher_severity_gets_tighter_targets_within_a_tier(db):
    for tier in TIERS:
        low, normal, high, critical = (get_targets(tier, s) for s in Severity.values)
        assert critical < high < normal < low, tier


def test_the_admins_policy_row_sets_the_targets(org):
    SlaPolicy.objects.filter(tier="vip", severity="critical").update(first_response_minutes=10, resolution_minutes=60)

    complaint = register(org, client=vip_client(org), severity=Severity.CRITICAL)

    assert (complaint.sla_first_response_minutes, complaint.sla_resolution_minutes) == (10, 60)
    assert complaint.first_response_due_at == at(3, 2, 10, 10)
    assert complaint.resolution_due_at == at(3, 2, 11)


def test_without_a_policy_row_the_default_targets_apply(org):
    SlaPolicy.objects.all().delete()

    assert get_targets("key", "high") == (120, 480)
    complaint = register(org, client=vip_client(org), severity=Severity.HIGH)
    assert (complaint.sla_first_response_minutes, complaint.sla_resolution_minutes) == (60, 360)
    assert complaint.first_response_due_at == at(3, 2, 11)
    assert complaint.resolution_due_at == at(3, 2, 16)


def test_registration_starts_both_clocks_on_the_default_calendar(org):
    complaint = reload(register(org))

    assert complaint.calendar == default_calendar()
    assert (complaint.sla_first_response_minutes, complaint.sla_resolution_minutes) == (480, 2400)
    assert complaint.first_response_at_risk_at == at(3, 2, 16)  # 75 % of 8 hours
    assert complaint.first_response_due_at == at(3, 3, 10)
    assert complaint.resolution_at_risk_at == at(3, 5, 16)  # 75 % of 40 hours
    assert complaint.resolution_due_at == at(3, 9, 10)
    assert complaint.resolution_running_since == MON
    assert (complaint.resolution_used_minutes, complaint.paused_seconds, complaint.cycle) == (0, 0, 1)


def test_editing_the_policy_later_does_not_move_a_registered_complaints_due_times(org):
    complaint = register(org)
    SlaPolicy.objects.filter(tier="standard", severity="normal").update(
        first_response_minutes=60, resolution_minutes=120
    )

    complaint = reload(complaint)
    assert (complaint.sla_first_response_minutes, complaint.sla_resolution_minutes) == (480, 2400)
    assert (complaint.first_response_due_at, complaint.resolution_due_at) == (at(3, 3, 10), at(3, 9, 10))
    later = register(org)
    assert (later.first_response_due_at, later.resolution_due_at) == (at(3, 2, 11), at(3, 2, 12))


# --- severity ---------------------------------------------------------------------------------


def test_a_new_severity_recomputes_the_due_times_from_the_received_time(org):
    complaint = register(org)

    complaint = change_severity(actor=org.manager, complaint=complaint, severity=Severity.HIGH, now=at(3, 2, 11))

    complaint = reload(complaint)
    assert (complaint.sla_first_response_minutes, complaint.sla_resolution_minutes) == (240, 960)
    assert complaint.first_response_at_risk_at == at(3, 2, 13)
    assert complaint.first_response_due_at == at(3, 2, 14)
    assert complaint.resolution_at_risk_at == at(3, 3, 14)
    assert complaint.resolution_due_at == at(3, 4, 10)
    activity = complaint.activities.get(kind=ActivityKind.SEVERITY)
    assert (activity.author, activity.at, activity.from_value, activity.to_value) == (
        org.manager,
        at(3, 2, 11),
        "normal",
        "high",
    )


def test_a_new_severity_keeps_the_resolution_time_already_used(org):
    complaint = register(org)
    reply(complaint, actor=org.manager, at=at(3, 2, 10, 30))
    move(complaint, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 11))  # 60 minutes used
    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 3, 9))

    change_severity(actor=org.manager, complaint=complaint, severity=Severity.HIGH, now=at(3, 3, 10))

    complaint = reload(complaint)
    assert complaint.resolution_used_minutes == 60
    assert complaint.resolution_running_since == at(3, 3, 9)
    assert complaint.resolution_at_risk_at == at(3, 4, 12)  # 720 − 60 minutes from Tuesday 9:00
    assert complaint.resolution_due_at == at(3, 4, 16)  # 960 − 60 minutes from Tuesday 9:00
    assert complaint.first_response_due_at == at(3, 3, 10)  # answered: the first-response clock is over


# --- first response ---------------------------------------------------------------------------


def test_the_first_reply_stops_the_first_response_clock_and_records_the_business_minutes(org):
    complaint = register(org)

    reply(complaint, actor=org.manager, at=at(3, 2, 12, 30))

    complaint = reload(complaint)
    assert complaint.first_response_at == at(3, 2, 12, 30)
    assert complaint.first_response_business_minutes == 150
    assert complaint.first_response_breached_at is None
    assert complaint.status == ComplaintStatus.IN_PROGRESS
    interaction = Interaction.objects.get(client=org.client)
    assert (interaction.direction, interaction.occurred_at, interaction.logged_by) == (
        Direction.OUTBOUND,
        at(3, 2, 12, 30),
        org.manager,
    )
    assert complaint.activities.get(kind=ActivityKind.REPLY).interaction == interaction


def test_a_late_first_reply_records_the_breach_at_the_due_time(org):
    complaint = register(org)

    reply(complaint, actor=org.manager, at=at(3, 3, 11))

    complaint = reload(complaint)
    assert complaint.first_response_breached_at == at(3, 3, 10)
    assert complaint.first_response_business_minutes == 7 * 60 + 2 * 60  # Monday 10–17, Tuesday 9–11


def test_a_second_reply_does_not_move_the_first_response(org):
    complaint = register(org)
    reply(complaint, actor=org.manager, at=at(3, 2, 12))

    reply(complaint, actor=org.manager, at=at(3, 3, 12), body="Replacement ships today.")

    complaint = reload(complaint)
    assert (complaint.first_response_at, complaint.first_response_business_minutes) == (at(3, 2, 12), 120)
    assert complaint.first_response_breached_at is None


def test_an_internal_note_is_not_a_first_response(org):
    complaint = register(org)

    add_note(actor=org.manager, complaint=complaint, body="Asked the warehouse.", now=at(3, 2, 11))

    complaint = reload(complaint)
    assert (complaint.first_response_at, complaint.status) == (None, ComplaintStatus.NEW)


# --- waiting, resolving, reopening ------------------------------------------------------------


def waiting_complaint(org):
    """Received Monday 10:00, answered at 11:00, waiting for the client from 12:00 (120 minutes used)."""
    complaint = register(org)
    reply(complaint, actor=org.manager, at=at(3, 2, 11))
    move(complaint, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 12))
    return reload(complaint)


def test_waiting_for_the_client_pauses_the_resolution_clock_with_no_due_time(org):
    complaint = waiting_complaint(org)

    assert complaint.status == ComplaintStatus.WAITING
    assert complaint.resolution_used_minutes == 120
    assert (complaint.resolution_running_since, complaint.resolution_due_at, complaint.resolution_at_risk_at) == (
        None,
        None,
        None,
    )
    assert complaint.waiting_since == at(3, 2, 12)
    assert sla_state(complaint, now=at(3, 20, 12)) == SlaState.PAUSED  # long after the first due time


def test_resuming_after_waiting_gives_the_remaining_budget(org):
    complaint = waiting_complaint(org)

    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 4, 12))

    complaint = reload(complaint)
    assert complaint.paused_seconds == 2 * 24 * 3600
    assert complaint.waiting_since is None
    assert complaint.resolution_running_since == at(3, 4, 12)
    # 2280 minutes left from Wednesday 12:00; Wednesday 11 March is a holiday.
    assert complaint.resolution_due_at == at(3, 12, 10)
    assert complaint.resolution_at_risk_at == at(3, 9, 16)  # 1800 − 120 minutes


def test_resolving_stops_the_clock_and_writes_the_resolution_time_without_the_pause(org):
    complaint = waiting_complaint(org)
    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 4, 12))

    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 5, 15))

    complaint = reload(complaint)
    assert complaint.resolved_at == at(3, 5, 15)
    assert complaint.resolution_running_since is None
    assert complaint.resolution_used_minutes == 120 + 300 + 360  # Mon 10–12, Wed 12–17, Thu 9–15
    # (Thursday 15:00 − Monday 10:00) − 2 days waiting
    assert complaint.resolution_seconds == (3 * 24 + 5) * 3600 - 2 * 24 * 3600
    assert complaint.resolution_breached_at is None
    assert sla_state(complaint, now=at(4, 1, 12)) == SlaState.MET


def test_resolving_while_waiting_counts_the_wait_as_paused(org):
    complaint = waiting_complaint(org)

    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 3, 12))

    complaint = reload(complaint)
    assert (complaint.paused_seconds, complaint.resolution_used_minutes) == (24 * 3600, 120)
    assert complaint.resolution_seconds == 2 * 3600
    assert complaint.waiting_since is None


def resolved_complaint(org):
    """Resolved on Thursday 5 March 15:00 with 780 of 2400 minutes used."""
    complaint = waiting_complaint(org)
    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 4, 12))
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 5, 15))
    return reload(complaint)


def test_a_reopen_resumes_the_remaining_budget_in_a_new_cycle(org, settings):
    settings.COMPLAINT_REOPEN_DAYS = 14
    complaint = resolved_complaint(org)

    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 9, 9))

    complaint = reload(complaint)
    assert (complaint.status, complaint.cycle, complaint.reopen_count) == (ComplaintStatus.IN_PROGRESS, 2, 1)
    assert (complaint.resolved_at, complaint.resolution_seconds) == (None, None)
    assert (complaint.resolution_used_minutes, complaint.resolution_running_since) == (780, at(3, 9, 9))
    assert complaint.resolution_at_risk_at == at(3, 12, 10)  # 1020 minutes; Wednesday 11 is a holiday
    assert complaint.resolution_due_at == at(3, 13, 12)  # 1620 minutes


def test_a_reopen_is_allowed_up_to_the_last_moment_of_the_reopen_period(org, settings):
    settings.COMPLAINT_REOPEN_DAYS = 14
    complaint = resolved_complaint(org)

    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 19, 15))

    assert reload(complaint).cycle == 2


def test_a_reopen_after_the_reopen_period_is_refused_and_changes_nothing(org, settings):
    settings.COMPLAINT_REOPEN_DAYS = 14
    complaint = resolved_complaint(org)
    before, entries = model_to_dict(complaint), complaint.activities.count()

    with pytest.raises(ApplicationError, match="within 14 days"):
        move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 19, 15, 1))

    assert model_to_dict(reload(complaint)) == before
    assert complaint.activities.count() == entries


def test_breach_times_stay_recorded_after_resolving_and_reopening(org):
    complaint = register(org, client=vip_client(org), severity=Severity.CRITICAL)  # 15 / 120 minutes
    reply(complaint, actor=org.manager, at=at(3, 2, 10, 20))
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 13))

    complaint = reload(complaint)
    assert (complaint.first_response_breached_at, complaint.resolution_breached_at) == (
        at(3, 2, 10, 15),
        at(3, 2, 12),
    )
    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 2, 14))
    complaint = reload(complaint)
    assert complaint.resolution_due_at == at(3, 2, 14)  # no budget left
    assert (complaint.first_response_breached_at, complaint.resolution_breached_at) == (
        at(3, 2, 10, 15),
        at(3, 2, 12),
    )
    assert sla_state(complaint, now=at(3, 2, 14)) == SlaState.BREACHED

    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 15))
    complaint = reload(complaint)
    assert complaint.resolution_breached_at == at(3, 2, 12)  # the first breach is kept
    assert sla_state(complaint, now=at(3, 3, 12)) == SlaState.BREACHED


def test_pausing_after_the_resolution_due_time_records_the_breach_the_beat_did_not_see(org):
    complaint = register(org, client=vip_client(org), severity=Severity.CRITICAL)  # due at 12:00
    reply(complaint, actor=org.manager, at=at(3, 2, 10, 5))

    move(complaint, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 12, 30))

    complaint = reload(complaint)
    assert complaint.resolution_breached_at == at(3, 2, 12)
    assert sla_state(complaint, now=at(3, 2, 13)) == SlaState.BREACHED


def test_pausing_before_the_resolution_due_time_records_no_breach(org):
    complaint = register(org, client=vip_client(org), severity=Severity.CRITICAL)
    reply(complaint, actor=org.manager, at=at(3, 2, 10, 5))

    move(complaint, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 12))

    assert reload(complaint).resolution_breached_at is None


def test_resolving_an_unanswered_complaint_after_its_first_response_due_time_records_that_breach(org):
    late, in_time = register(org), register(org)

    move(late, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 3, 11))
    move(in_time, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 3, 10))

    late, in_time = reload(late), reload(in_time)
    assert (late.first_response_breached_at, late.resolution_breached_at) == (at(3, 3, 10), None)
    assert (in_time.first_response_breached_at, in_time.resolution_breached_at) == (None, None)
    assert (sla_state(late, now=at(3, 4, 9)), sla_state(in_time, now=at(3, 4, 9))) == (SlaState.BREACHED, SlaState.MET)


# --- calendars --------------------------------------------------------------------------------


def test_the_owners_team_calendar_runs_the_clocks(org):
    new_york = BusinessCalendarFactory(name="New York office", time_zone="America/New_York")
    link_calendar(org.north, new_york)
    received = datetime(2026, 3, 2, 10, tzinfo=NEW_YORK)

    complaint = register(org, received=received)

    assert complaint.calendar == new_york
    assert complaint.first_response_due_at == datetime(2026, 3, 3, 10, tzinfo=NEW_YORK)
    assert complaint.resolution_due_at == datetime(2026, 3, 9, 10, tzinfo=NEW_YORK)


def test_a_team_without_its_own_calendar_uses_the_default_one(org):
    link_calendar(org.north, BusinessCalendarFactory(name="New York office", time_zone="America/New_York"))

    complaint = register(org, actor=org.outsider, client=org.foreign_client)

    assert complaint.calendar == default_calendar()
    assert complaint.first_response_due_at == at(3, 3, 10)


def test_reassigning_to_another_team_keeps_the_calendar_snapshot(org):
    new_york = BusinessCalendarFactory(name="New York office", time_zone="America/New_York")
    link_calendar(org.north, new_york)
    complaint = register(org)
    due = complaint.resolution_due_at

    reassign_complaint(actor=org.admin, complaint=complaint, owner=org.outsider, now=at(3, 2, 11))

    complaint = reload(complaint)
    assert (complaint.owner, complaint.calendar, complaint.resolution_due_at) == (org.outsider, new_york, due)


# --- states -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (at(3, 2, 15, 59), SlaState.ON_TRACK),
        (at(3, 2, 16), SlaState.AT_RISK),  # 6 of the 8 hours to answer are used
        (at(3, 3, 9, 59), SlaState.AT_RISK),
        (at(3, 3, 10), SlaState.BREACHED),
    ],
)
def test_the_state_of_an_unanswered_complaint_follows_the_first_response_clock(org, now, state):
    assert sla_state(register(org), now=now) == state


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (at(3, 5, 15, 59), SlaState.ON_TRACK),
        (at(3, 5, 16), SlaState.AT_RISK),
        (at(3, 9, 10), SlaState.BREACHED),
    ],
)
def test_the_state_of_an_answered_complaint_follows_the_resolution_clock(org, now, state):
    complaint = register(org)
    reply(complaint, actor=org.manager, at=at(3, 2, 11))

    assert sla_state(reload(complaint), now=now) == state


def test_a_complaint_paused_after_using_three_quarters_of_its_time_is_at_risk(org):
    complaint = register(org, client=vip_client(org), severity=Severity.CRITICAL)
    reply(complaint, actor=org.manager, at=at(3, 2, 10, 5))
    move(complaint, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 11, 30))  # 90 of 120 minutes

    assert sla_state(reload(complaint), now=at(3, 20, 12)) == SlaState.AT_RISK


def test_resolved_and_closed_complaints_within_their_targets_are_met(org):
    complaint = register(org)
    reply(complaint, actor=org.manager, at=at(3, 2, 11))
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 14))
    assert sla_state(reload(complaint), now=at(12, 1, 12)) == SlaState.MET

    move(complaint, ComplaintStatus.CLOSED, actor=org.manager, at=at(3, 3, 14))
    assert sla_state(reload(complaint), now=at(12, 1, 12)) == SlaState.MET


def complaint_fleet(org):
    """Complaints in every kind of situation, all received Monday 2 March 10:00."""
    vip = vip_client(org)
    key = ClientFactory(name="Key Client UAB", tier=Tier.KEY, account_manager=org.manager)

    register(org)  # unanswered
    answered = register(org)
    reply(answered, actor=org.manager, at=at(3, 2, 11))
    waiting = register(org)
    reply(waiting, actor=org.manager, at=at(3, 2, 10, 30))
    move(waiting, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 11))
    waiting_late = register(org, client=vip, severity=Severity.CRITICAL)
    reply(waiting_late, actor=org.manager, at=at(3, 2, 10, 5))
    move(waiting_late, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 11, 40))
    unanswered_waiting = register(org, client=key, severity=Severity.HIGH)
    move(unanswered_waiting, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 10, 30))
    resolved = register(org)
    reply(resolved, actor=org.manager, at=at(3, 2, 11))
    move(resolved, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 14))
    closed = register(org)
    move(closed, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 12))
    move(closed, ComplaintStatus.CLOSED, actor=org.manager, at=at(3, 2, 13))
    late = register(org, client=vip, severity=Severity.CRITICAL)
    reply(late, actor=org.manager, at=at(3, 2, 10, 20))
    move(late, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 11))
    register(org, client=key, severity=Severity.CRITICAL)  # unanswered, 30 minutes to answer
    reopened = register(org, client=key, severity=Severity.NORMAL)
    reply(reopened, actor=org.manager, at=at(3, 2, 10, 10))
    move(reopened, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 11))
    move(reopened, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 2, 12))


NOWS = [at(3, 2, 10, 10), at(3, 2, 10, 30), at(3, 2, 12), at(3, 2, 16), at(3, 3, 10), at(3, 5, 16), at(4, 30, 12)]


def test_the_database_annotation_gives_the_same_state_as_the_python_rule(org):
    complaint_fleet(org)
    seen = set()

    for now in NOWS:
        in_python = {c.pk: sla_state(c, now=now) for c in Complaint.objects.all()}
        in_database = dict(with_sla(Complaint.objects.all(), now=now).values_list("pk", "sla"))
        assert in_database == in_python, now
        seen |= set(in_python.values())

    assert seen == set(SlaState.values)


def test_the_next_deadline_is_the_first_response_while_unanswered_then_the_resolution(org):
    unanswered = register(org)
    answered = register(org)
    reply(answered, actor=org.manager, at=at(3, 2, 11))
    waiting = register(org)
    reply(waiting, actor=org.manager, at=at(3, 2, 11))
    move(waiting, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 12))

    next_due = dict(with_sla(Complaint.objects.all(), now=at(3, 2, 12)).values_list("pk", "next_due"))

    assert next_due == {unanswered.pk: at(3, 3, 10), answered.pk: at(3, 9, 10), waiting.pk: None}


def test_a_received_time_a_few_minutes_ahead_still_starts_the_clock_then(org):
    complaint = make_complaint(actor=org.manager, client=org.client, received_at=MON + timedelta(minutes=5), now=MON)

    assert complaint.resolution_running_since == MON + timedelta(minutes=5)
