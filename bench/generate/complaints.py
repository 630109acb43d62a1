"""Complaints with their SLA clocks, thread and escalations, numbered per year.

Each complaint is lived through in business time on the default calendar (the one every bench
team uses): a first response and a resolution that mostly meet their targets and sometimes miss
them, a pause while waiting for the client, closing after resolution. The stored fields are the
ones complaints.services.sla writes at each step, so the lists, SLA badges and analysis pages
read what production would hold.
"""

from datetime import date, timedelta

from clients.models import Status
from complaints.models import (
    ActivityKind,
    BusinessCalendar,
    Channel,
    Complaint,
    ComplaintActivity,
    ComplaintCategory,
    ComplaintStatus,
    Escalation,
    EscalationLevel,
    RootCause,
    Severity,
    SlaPolicy,
)
from complaints.services.sla import AT_RISK_SHARE, DEFAULT_TARGETS, working_calendar
from core.models import NumberSequence
from core.outbox import DeliveryStatus

from . import texts
from .clock import DAY, HOUR, BusinessClock
from .orders import save_numbers
from .world import World, cumulative, weighted_table

COMPLAINT_SCOPE, COMPLAINT_PREFIX = "complaint", "CMP"  # as complaints.services.complaints
SEVERITIES = weighted_table(((Severity.LOW, 8), (Severity.NORMAL, 64), (Severity.HIGH, 22), (Severity.CRITICAL, 6)))
CHANNELS = weighted_table(
    ((Channel.PHONE, 35), (Channel.EMAIL, 35), (Channel.CHAT, 10), (Channel.WEB, 12), (Channel.MEETING, 8))
)
ORDER_ISSUES = weighted_table(
    (("Damaged goods", 30), ("Wrong or missing items", 30), ("Product quality", 20), ("Invoice or price", 20))
)
OTHER_ISSUES = weighted_table((("Service and communication", 7), ("Other", 3), ("Product quality", 2)))
FIRST_LATE, RESOLUTION_LATE = 0.06, 0.08
WAITING, CLOSED, REOPENED = 0.25, 0.6, 0.03


def _configuration() -> tuple[dict, list, dict, BusinessCalendar | None]:
    """The admin's lists and policies, as the data migrations made them (reused, never recreated)."""
    categories = dict(ComplaintCategory.objects.filter(is_active=True).values_list("name", "id"))
    if categories:  # an admin may have renamed or retired one: any active category will do
        categories["*"] = next(iter(categories.values()))
    root_causes = list(RootCause.objects.filter(is_active=True).values_list("id", flat=True))
    if not categories or not root_causes:
        raise RuntimeError("No complaint categories or root causes: run the migrations first.")
    targets = dict(DEFAULT_TARGETS)
    for tier, severity, first, resolution in SlaPolicy.objects.values_list(
        "tier", "severity", "first_response_minutes", "resolution_minutes"
    ):
        targets[(tier, severity)] = (first, resolution)
    return categories, root_causes, targets, BusinessCalendar.objects.filter(is_default=True).first()


def _share_used(rng) -> float:
    """The share of a target used by a clock that meets it: mostly well inside, a few close to the line."""
    return 0.05 + 0.9 * rng.betavariate(1.6, 4)


COLUMNS = (
    "id created_at updated_at number client_id contact_id order_id channel category_id severity subject description "
    "owner_id status cycle received_at first_response_at resolved_at closed_at resolution root_cause_id "
    "created_by_id calendar_id sla_first_response_minutes sla_resolution_minutes first_response_due_at "
    "first_response_at_risk_at resolution_used_minutes resolution_running_since resolution_due_at "
    "resolution_at_risk_at waiting_since paused_seconds first_response_breached_at resolution_breached_at "
    "escalated_at first_response_business_minutes resolution_seconds reopen_count"
)
COLUMN_NAMES = COLUMNS.split()
STATUS = ActivityKind.STATUS


def _live(world: World, clock: BusinessClock, received: int, first: int, resolution: int) -> tuple[dict, list]:
    """A complaint's status, SLA fields and thread events, lived through from `received` until now.

    Returns the columns complaints.services.sla would have written by now, and the thread as
    (at, kind, body, from, to) events.
    """
    rng, now = world.rng, world.now
    first_due = clock.add_minutes(received, first)
    answered = clock.add_minutes(
        received, first * (rng.uniform(1.05, 3) if rng.random() < FIRST_LATE else _share_used(rng))
    )
    used = resolution * (rng.uniform(1.05, 2.5) if rng.random() < RESOLUTION_LATE else _share_used(rng))
    paused = rng.randint(4 * HOUR, 4 * DAY) if rng.random() < WAITING else 0
    resolved = clock.add_minutes(received, used) + paused
    row = dict.fromkeys(COLUMN_NAMES)
    row.update(
        status=ComplaintStatus.NEW, cycle=1, reopen_count=0, resolution="", resolution_used_minutes=0, paused_seconds=0,
        sla_first_response_minutes=first, sla_resolution_minutes=resolution, first_response_due_at=first_due,
        first_response_at_risk_at=clock.add_minutes(received, first * AT_RISK_SHARE),
        resolution_due_at=clock.add_minutes(received, resolution) + paused,
        resolution_at_risk_at=clock.add_minutes(received, resolution * AT_RISK_SHARE) + paused,
    )  # fmt: skip
    events = [(received, ActivityKind.CREATED, "", "", "")]
    answered = min(answered, resolved)  # a resolution tells the client too: it is the first response at the latest
    if answered <= now:
        row.update(
            status=ComplaintStatus.IN_PROGRESS,
            first_response_at=answered,
            first_response_business_minutes=clock.minutes_between(received, answered),
        )
        events.append((answered, ActivityKind.REPLY, rng.choice(texts.REPLIES), "", ""))
        events.append((answered + 60, STATUS, "", ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS))
    if (row["first_response_at"] or now) > first_due:
        row["first_response_breached_at"] = first_due  # recorded by the reply, or by the escalation sweep
    wait_start = (row["first_response_at"] or received) + rng.randint(HOUR, DAY)
    if resolved <= now:
        row.update(
            status=ComplaintStatus.RESOLVED, resolved_at=resolved, resolution=rng.choice(texts.RESOLUTIONS),
            resolution_used_minutes=int(used), paused_seconds=paused, resolution_seconds=resolved - received - paused,
        )  # fmt: skip
        if paused:
            events.append((wait_start, STATUS, "", ComplaintStatus.IN_PROGRESS, ComplaintStatus.WAITING))
            events.append((wait_start + paused, STATUS, "", ComplaintStatus.WAITING, ComplaintStatus.IN_PROGRESS))
        before = ComplaintStatus.IN_PROGRESS if row["first_response_at"] else ComplaintStatus.NEW
        events.append((resolved, STATUS, row["resolution"], before, ComplaintStatus.RESOLVED))
        if used > resolution:
            row["resolution_breached_at"] = row["resolution_due_at"]
        closing = resolved + rng.randint(2 * DAY, 14 * DAY)
        if closing <= now and rng.random() < CLOSED:
            row.update(status=ComplaintStatus.CLOSED, closed_at=closing)
            events.append((closing, STATUS, "", ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED))
        elif rng.random() < REOPENED:
            row.update(cycle=2, reopen_count=1)
    elif paused and row["first_response_at"] and wait_start <= now < wait_start + paused:
        # waiting for the client: the resolution clock is stopped, with no due time while it is
        row.update(
            status=ComplaintStatus.WAITING, waiting_since=wait_start, resolution_due_at=None,
            resolution_at_risk_at=None, resolution_used_minutes=clock.minutes_between(received, wait_start),
        )  # fmt: skip
        events.append((wait_start, STATUS, "", ComplaintStatus.IN_PROGRESS, ComplaintStatus.WAITING))
    else:  # open, the resolution clock running since it was received
        row.update(
            resolution_running_since=received,
            resolution_due_at=clock.add_minutes(received, resolution),
            resolution_at_risk_at=clock.add_minutes(received, resolution * AT_RISK_SHARE),
        )
        if now > row["resolution_due_at"]:
            row["resolution_breached_at"] = row["resolution_due_at"]
    return row, sorted(events)


def _escalations(row: dict, now: int) -> list[tuple[int, str, str]]:
    """(at, level, clock) of the escalations sent: once per level, at the first clock that crossed the line."""
    at_risk = []
    if (row["first_response_at"] or now) > row["first_response_at_risk_at"]:
        at_risk.append((row["first_response_at_risk_at"], "first_response"))
    if row["resolution_at_risk_at"] is not None and (row["resolved_at"] or now) > row["resolution_at_risk_at"]:
        at_risk.append((row["resolution_at_risk_at"], "resolution"))
    breached = [(row[f"{c}_breached_at"], c) for c in ("first_response", "resolution") if row[f"{c}_breached_at"]]
    return [
        (*min(crossings), level)
        for level, crossings in ((EscalationLevel.AT_RISK, at_risk), (EscalationLevel.BREACHED, breached))
        if crossings
    ]


def _plan(world: World) -> list[tuple[int, int, int | None, str]]:
    """(received, client index, order id, category name) of each complaint, in the order received.

    Clients with more orders complain more, churned ones twice as often; most complaints are about
    one order (a late one mostly about its lateness), the rest about the service.
    """
    rng, now, clients = world.rng, world.now, world.clients
    weights = cumulative(
        [(len(c.orders) + 0.5) * (2.0 if c.status == Status.CHURNED else 1.0) * (c.end > c.start) for c in clients]
    )
    plan = []
    for index in rng.choices(range(len(clients)), cum_weights=weights, k=world.sizes.complaints):
        client = clients[index]
        order = rng.choice(client.orders) if client.orders and rng.random() < 0.65 else None
        if order is not None:
            order_id, created, late = order
            received = world.calendar.work_moment(rng, created + 5 * DAY, min(created + 30 * DAY, now - HOUR))
            name = "Late delivery" if late and rng.random() < 0.7 else rng.choice(ORDER_ISSUES)
        else:
            order_id, name = None, rng.choice(OTHER_ISSUES)
            received = world.calendar.work_moment(rng, client.start, min(client.end, now - HOUR))
        plan.append((min(received, now - HOUR), index, order_id, name))
    plan.sort()
    return plan


def write_complaints(world: World) -> None:
    """Complaints numbered per year in the order received, then their threads and escalations."""
    rng, now, clients = world.rng, world.now, world.clients
    categories, root_causes, targets, calendar = _configuration()
    clock = BusinessClock(
        working_calendar(calendar),
        date.fromordinal(world.calendar.day(world.start)) - timedelta(days=30),
        date.fromordinal(world.calendar.day(now)) + timedelta(days=365),
    )
    numbers = dict(NumberSequence.objects.filter(scope=COMPLAINT_SCOPE).values_list("year", "last_value"))
    first_id = world.first_id(Complaint)
    activity_id, escalation_id = world.first_id(ComplaintActivity), world.first_id(Escalation)
    activities, escalations = [], []

    def rows():
        for n, (received, index, order_id, name) in enumerate(_plan(world)):
            complaint_id, client = first_id + n, clients[index]
            year = world.calendar.year(received)
            numbers[year] = numbers.get(year, 0) + 1
            severity = rng.choice(SEVERITIES)
            row, events = _live(world, clock, received, *targets[(client.tier, severity)])
            contact = client.contacts[0] if client.contacts else None
            subjects = texts.COMPLAINT_SUBJECTS.get(name, texts.COMPLAINT_SUBJECTS["Other"])
            row.update(
                id=complaint_id, created_at=received, updated_at=events[-1][0], received_at=received,
                number=f"{COMPLAINT_PREFIX}-{year}-{numbers[year]:06d}", client_id=client.id, contact_id=contact,
                order_id=order_id, channel=rng.choice(CHANNELS), category_id=categories.get(name, categories["*"]),
                severity=severity, subject=rng.choice(subjects),
                description=rng.choice(texts.NOTES), owner_id=client.manager, created_by_id=client.manager,
                calendar_id=calendar.pk if calendar else None,
                root_cause_id=rng.choice(root_causes) if row["resolved_at"] else None,
            )  # fmt: skip
            if row["resolved_at"]:
                world.resolved_complaints.append((complaint_id, index, contact, row["resolved_at"]))
            lead = world.team_lead_of(client.manager)
            for at, clock_name, level in _escalations(row, now):
                row["escalated_at"] = row["escalated_at"] or at
                recipient = client.manager if level == EscalationLevel.AT_RISK else lead
                escalations.append((escalation_id + len(escalations), at, DeliveryStatus.SENT, 1, "", at, at, at,
                                    complaint_id, row["cycle"], level, clock_name, recipient))  # fmt: skip
            for at, kind, body, before, after in events:
                activities.append((activity_id + len(activities), complaint_id, kind, client.manager, at, body,
                                   before, after, None))  # fmt: skip
            yield tuple(row[column] for column in COLUMN_NAMES)

    world.loader.write(Complaint, COLUMNS, rows())
    world.loader.write(
        ComplaintActivity, "id complaint_id kind author_id at body from_value to_value interaction_id", activities
    )
    world.loader.write(
        Escalation,
        "id next_attempt_at status attempts last_error sent_at created_at updated_at complaint_id cycle level clock "
        "recipient_id",
        escalations,
    )
    save_numbers(COMPLAINT_SCOPE, numbers)
