"""The demo seeder of surveys (registered as "feedback" in registrations.py).

It runs after the complaints seeder and gives the demo clients a year of feedback, so the
dashboards show NPS and CSAT trends and the client pages their latest scores:
- a CSAT 3 days after each delivered order and a day after each resolution of a complaint
  (dropped when the complaint was reopened first), a relationship NPS to every contact of an
  active client once in each 6-month period (each client's wave at its own point of the period,
  so every month has some), and now and then one a manager sent by hand;
- each is sent in the contact's window (09:00-17:00 on their working days) under the real
  rules: the contact opted out, had a survey lately or has one unanswered, or the client has an
  open complaint. A busy client's orders would mostly be held back by the 30-day cooldown, so
  the demo leaves out most of what the rules hold back and keeps a share of each reason (a
  held-back relationship NPS waits out the cooldown instead, within its period): about half of
  the delivered orders keep a CSAT, some 8 % of all requests are suppressed, about 60 % are
  answered, the rest expired or (the last month's) still open; the latest are still scheduled,
  all of them due in the future, so starting the app e-mails nobody at once;
- scores follow each client's mood: VIP clients mostly promoters, a few unhappy clients of any
  tier detractors with low CSAT, clients that left unhappy before they did, lower after a
  late delivery or a complaint handled late; about 40 % of the answers carry a comment in the
  contact's language, low ones more often;
- a low answer opens the account manager's follow-up (and, while it is open, their
  notification and reminder); those older than a week are mostly done with what was done
  written on the response; the README's demo user (manager1) has a recent detractor with an
  open follow-up and one already handled (see `_add_showcase`).

Only tokens' hashes are stored (fresh ones: nobody holds a demo survey link), and no e-mail
is sent. Rows are written with `bulk_create` and their timestamps moved to when they happened.

Times are relative to `timezone.now()`; each client's surveys come from a generator seeded by
its registration code (each answer from one seeded by its source key). A client that has any
survey request is left alone, which makes a second run add nothing.
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.
# ruff: noqa: S311

import itertools
import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Count, Model, Q
from django.utils import timezone, translation

from accounts.models import User
from clients.models import Client, Status, Tier
from complaints.business_time import WorkingCalendar
from complaints.models import ActivityKind, Complaint, ComplaintActivity
from complaints.services.sla import get_business_calendar, working_calendar
from contacts.demo import demo_client_codes
from contacts.models import Contact
from interactions.models import FollowUp, FollowUpStatus, Notification, Reminder, ReminderStatus
from orders.models import Order, OrderStatus

from ..models import SurveyKind, SurveyRequest, SurveyResponse, SurveyStatus, SurveyTemplate, SurveyTrigger, TriggerKind
from ..services.closed_loop import _title
from .history import HISTORY_DAYS, ClientSurveys, ComplaintLife, Event, Forced, Setup, Target, Written

__all__ = ["seed_demo_data"]

SHOWCASE_USER = "manager1@demo.crm"  # the README's sign-in: their clients' feedback shows the closed loop
RECENT = timedelta(days=30)
# The showcase answers (answered this long after sending, score, follow-up done); the handled one ten days ago.
SHOWCASE = {"open": Forced(timedelta(hours=2), 4, done=False), "done": Forced(timedelta(hours=3), 5, done=True)}
HANDLED_DAYS_AGO = 10
COMPLAINT_FIELDS = (
    "pk",
    "client_id",
    "contact_id",
    "order_id",
    "received_at",
    "resolution_breached_at",
    "first_response_breached_at",
)


def _chunks(items: list, size: int = 500):
    """Keeps `__in` lists under SQLite's limit on query parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _demo_clients(codes: list[str]) -> list[Client]:
    found: dict[str, Client] = {}
    for chunk in _chunks(codes):
        clients = Client.objects.filter(registration_code__in=chunk).select_related("account_manager__team__lead")
        found.update((client.registration_code, client) for client in clients)
    return [found[code] for code in codes if code in found]


def _setup(rng_seed: int, now: datetime, managers: list[User]) -> Setup:
    """The switched-on triggers with an active template, the templates a manager may send, their calendars."""
    triggers = {
        trigger.kind: trigger
        for trigger in SurveyTrigger.objects.select_related("template")
        if trigger.is_enabled and trigger.template.is_active
    }
    templates: dict[str, SurveyTemplate] = {}
    for template in SurveyTemplate.objects.filter(is_active=True).order_by("pk"):
        templates.setdefault(template.kind, template)
    calendars = {manager.pk: working_calendar(get_business_calendar(manager)) for manager in managers}
    return Setup(rng_seed, now, triggers, templates, calendars)


def _targets(clients: list[Client], now: datetime) -> list[Target]:
    """The demo clients to seed: no survey yet, not a prospect, with contacts; their orders and complaints."""
    ids = [client.pk for client in clients]
    seeded: set[int] = set()
    contacts: dict[int, list[Contact]] = defaultdict(list)
    orders: dict[int, list[Order]] = defaultdict(list)
    complaints: dict[int, list[dict]] = defaultdict(list)
    moves: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    since = now - timedelta(days=HISTORY_DAYS + 5)
    for chunk in _chunks(ids):
        seeded.update(SurveyRequest.objects.filter(client_id__in=chunk).values_list("client_id", flat=True))
        for contact in Contact.objects.filter(client_id__in=chunk).order_by("-is_primary", "pk"):
            contacts[contact.client_id].append(contact)
        delivered = Order.objects.filter(client_id__in=chunk, status=OrderStatus.DELIVERED, delivered_at__gte=since)
        delivered = delivered.only("pk", "client_id", "contact_id", "number", "delivered_at", "promised_on")
        for order in delivered.order_by("delivered_at", "pk"):
            orders[order.client_id].append(order)
        received = Complaint.objects.filter(client_id__in=chunk).order_by("received_at", "pk")
        for row in received.values(*COMPLAINT_FIELDS):
            complaints[row["client_id"]].append(row)
        status_moves = ComplaintActivity.objects.filter(complaint__client_id__in=chunk, kind=ActivityKind.STATUS)
        for complaint_id, at, to_value in status_moves.order_by("at", "pk").values_list(
            "complaint_id", "at", "to_value"
        ):
            moves[complaint_id].append((at, to_value))
    targets = []
    for client in clients:
        own = contacts[client.pk]
        if client.pk in seeded or client.status == Status.PROSPECT or not own:
            continue
        for contact in own:
            contact.client = client  # the sending window is the client's country's
        lives = [ComplaintLife.build(row, moves[row["pk"]]) for row in complaints[client.pk]]
        targets.append(Target(client, client.account_manager, own, orders[client.pk], lives))
    return targets


# --- The demo manager's closed loop ---------------------------------------------------------------------------


def _low_nps(written: Written) -> bool:
    response = written.response
    return response is not None and response.kind == SurveyKind.NPS and response.is_low


def _has(state: str, manager: User, writers: list[ClientSurveys], now: datetime) -> bool:
    """Whether the manager's clients already have a recent detractor whose follow-up is open (or done)."""
    recent = [
        w
        for writer in writers
        for w in writer.written
        if _low_nps(w) and w.follow_up is not None and now - w.response.answered_at <= RECENT
    ]
    if state == "open":
        if any(w.follow_up.status == FollowUpStatus.OPEN for w in recent):
            return True
        low = SurveyResponse.objects.filter(follow_up__status=FollowUpStatus.OPEN)
    else:
        if any(w.response.action_taken for w in recent):
            return True
        low = SurveyResponse.objects.exclude(action_taken="")
    return low.filter(
        client__account_manager=manager, kind=SurveyKind.NPS, score__lte=6, answered_at__gte=now - RECENT
    ).exists()


def _working_day_before(calendar: WorkingCalendar, day: date) -> date:
    day -= timedelta(days=1)
    while calendar.window(day) is None:
        day -= timedelta(days=1)
    return day


def _showcase_days(writer: ClientSurveys, state: str) -> list[date]:
    """Working days to send the showcase survey on, best first.

    The waiting one on the last working day, so its follow-up is due today (on a day off: the day
    before, so it is due, not coming), else earlier; the handled one ten days ago or more.
    """
    calendar = writer.calendar
    today = writer.now.astimezone(calendar.zone).date()
    day = _working_day_before(calendar, today)
    if state == "open" and calendar.window(today) is None:
        day = _working_day_before(calendar, day)
    if state == "done":
        day = _working_day_before(calendar, today - timedelta(days=HANDLED_DAYS_AGO - 1))
    days = [day]
    for _ in range(12):
        days.append(_working_day_before(calendar, days[-1]))
    return days


def _showcase_event(writer: ClientSurveys, contact: Contact, day: date, state: str, rng: random.Random) -> Event:
    """A manual NPS the manager sent on a working morning, answered low soon after."""
    at = writer.calendar.window(day)[0] + timedelta(minutes=rng.randint(40, 120))
    key = f"manual:{rng.getrandbits(128):032x}"
    return writer.manual_event(contact, at, SurveyKind.NPS, key=key, forced=SHOWCASE[state])


def _add_showcase(writers: list[ClientSurveys], now: datetime, rng: random.Random) -> None:
    """The demo manager gets a recent detractor with an open follow-up and one handled, if they lack them.

    A manual NPS to one of their active clients' contacts, on the first day the rules let it out
    (the handled one first: a later survey cannot hold back an earlier one); when every contact had
    a survey lately, a recent NPS of theirs gets the low answer instead.
    """
    mine = [
        w
        for w in writers
        if w.target.manager is not None
        and w.target.manager.email == SHOWCASE_USER
        and w.target.client.status == Status.ACTIVE
        and w.calendar is not None
        and TriggerKind.MANUAL in w.setup.triggers
        and SurveyKind.NPS in w.setup.templates
    ]
    if not mine:
        return
    manager = mine[0].target.manager
    pool = list(mine)
    rng.shuffle(pool)
    for state in ("done", "open"):
        if _has(state, manager, mine, now):
            continue
        manual = (
            (writer, _showcase_event(writer, contact, day, state, rng), {})
            for rank in range(13)
            for writer in pool
            for day in _showcase_days(writer, state)[rank : rank + 1]
            for contact in writer.target.contacts
            if contact.email and contact.pk not in writer.opted_out_at
        )
        answered = (
            (writer, None, {item.request.source_key: SHOWCASE[state]}) for writer, item in _recently_sent_nps(pool, now)
        )
        next(
            (True for writer, event, override in itertools.chain(manual, answered) if _try(writer, event, override)),
            False,
        )


def _recently_sent_nps(writers: list[ClientSurveys], now: datetime) -> list[tuple[ClientSurveys, Written]]:
    """NPS surveys e-mailed to these clients in the last weeks (a few hours ago at the latest), latest first."""
    sent = [
        (writer, item)
        for writer in writers
        for item in writer.written
        if item.request.kind == SurveyKind.NPS
        and item.event.forced is None  # not one the showcase already answered
        and item.request.sent_at is not None
        and now - RECENT <= item.request.sent_at <= now - timedelta(hours=3)
    ]
    return sorted(sent, key=lambda pair: pair[1].request.sent_at, reverse=True)


def _try(writer: ClientSurveys, event: Event | None, override: dict[str, Forced]) -> bool:
    """Keep the showcase change if the rules let it (and the earlier ones) be answered as planned."""
    if event is None and not override:
        return False
    extra = [*writer.extra, event] if event is not None else writer.extra
    overrides = {**writer.overrides, **override}
    written = writer.live(extra, overrides)
    keys = {e.source_key for e in extra} | set(overrides)
    planned = [w for w in written if w.event.source_key in keys]
    done = FollowUpStatus.DONE
    if len(planned) != len(keys) or not all(
        w.follow_up is not None and (w.follow_up.status == done) == w.event.forced.done for w in planned
    ):
        return False
    writer.extra, writer.overrides, writer.written = extra, overrides, written
    return True


# --- Writing --------------------------------------------------------------------------------------------------


def _stamp(model: type[Model], rows: list[tuple[Model, dict[str, datetime]]]) -> None:
    """Set the auto_now(_add) times a row "happened" at: one parameterised UPDATE run for all rows."""
    if not rows:
        return
    ops = connection.ops
    names = list(rows[0][1])
    table, pk = ops.quote_name(model._meta.db_table), ops.quote_name(model._meta.pk.column)
    assignments = ", ".join(f"{ops.quote_name(name)} = %s" for name in names)
    params = []
    for row, values in rows:
        for name, value in values.items():
            setattr(row, name, value)
        params.append([*(ops.adapt_datetimefield_value(values[name]) for name in names), row.pk])
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", params)  # noqa: S608


def _notifications(written: list[Written]) -> list[tuple[Notification, datetime]]:
    """While a low answer's follow-up is open: the manager's notice, and the lead's for VIP and key clients."""
    notices = []
    for item in written:
        response, follow_up = item.response, item.follow_up
        if follow_up is None or follow_up.status != FollowUpStatus.OPEN:
            continue
        client, manager = response.client, follow_up.assignee
        recipients = [manager]
        lead = manager.team.lead if manager.team_id and manager.team.lead_id else None
        if client.tier in (Tier.VIP, Tier.KEY) and lead is not None and lead.is_active and lead != manager:
            recipients.append(lead)
        for user in recipients:
            with translation.override(user.language):
                title = f"{_title(response)} · {client.name}"[:200]
            notice = Notification(
                recipient=user,
                key=f"survey-low:{response.pk}",
                title=title,
                body=response.comment[:300],
                url=client.get_absolute_url(),
            )
            notices.append((notice, response.answered_at))
    return notices


def _reminders(follow_ups: list[FollowUp], now: datetime) -> list[Reminder]:
    """One per open follow-up, as `services.reminders` makes them; one already due counts as sent."""
    reminders = []
    for follow_up in follow_ups:
        if follow_up.status != FollowUpStatus.OPEN:
            continue
        remind_at = follow_up.due_at - timedelta(minutes=follow_up.assignee.reminder_lead_minutes or 0)
        past = remind_at <= now
        reminders.append(
            Reminder(
                recipient=follow_up.assignee,
                follow_up=follow_up,
                remind_at=remind_at,
                next_attempt_at=remind_at,
                status=ReminderStatus.SENT if past else ReminderStatus.PENDING,
                attempts=1 if past else 0,
                sent_at=remind_at if past else None,
            )
        )
    return reminders


def _save(written: list[Written], now: datetime) -> int:
    """Insert the requests, the follow-ups, the responses and what open follow-ups bring; returns follow-ups."""
    written = sorted(written, key=lambda w: (w.event.created_at, w.event.source_key))
    SurveyRequest.objects.bulk_create([w.request for w in written], batch_size=500)
    _stamp(
        SurveyRequest, [(w.request, {"created_at": w.event.created_at, "updated_at": w.updated_at}) for w in written]
    )
    looped = [w for w in written if w.follow_up is not None]
    FollowUp.objects.bulk_create([w.follow_up for w in looped], batch_size=500)
    _stamp(
        FollowUp,
        [(w.follow_up, {"created_at": w.response.answered_at, "updated_at": w.follow_up_updated_at}) for w in looped],
    )
    for item in looped:
        item.response.follow_up = item.follow_up
    SurveyResponse.objects.bulk_create([w.response for w in written if w.response is not None], batch_size=500)
    Reminder.objects.bulk_create(_reminders([w.follow_up for w in looped], now), batch_size=500)
    notices = _notifications(looped)
    Notification.objects.bulk_create([notice for notice, _at in notices], batch_size=500)
    _stamp(Notification, [(notice, {"created_at": at}) for notice, at in notices])
    return len(looped)


def _summary(clients: list[Client], new: list[Written], follow_ups: int) -> str:
    ids = [client.pk for client in clients]
    requests = responses = promoters = detractors = nps = csat = satisfied = 0
    for chunk in _chunks(ids):
        requests += SurveyRequest.objects.filter(client_id__in=chunk).count()
        totals = SurveyResponse.objects.filter(client_id__in=chunk).aggregate(
            all=Count("pk"),
            nps=Count("pk", filter=Q(kind=SurveyKind.NPS)),
            promoters=Count("pk", filter=Q(kind=SurveyKind.NPS, score__gte=9)),
            detractors=Count("pk", filter=Q(kind=SurveyKind.NPS, score__lte=6)),
            csat=Count("pk", filter=Q(kind=SurveyKind.CSAT)),
            satisfied=Count("pk", filter=Q(kind=SurveyKind.CSAT, score__gte=4)),
        )
        responses += totals["all"]
        nps, promoters, detractors = (
            nps + totals["nps"],
            promoters + totals["promoters"],
            detractors + totals["detractors"],
        )
        csat, satisfied = csat + totals["csat"], satisfied + totals["satisfied"]
    statuses = defaultdict(int)
    for item in new:
        statuses[item.request.status] += 1
    nps_text = f"NPS {round(100 * (promoters - detractors) / nps):+d}" if nps else "NPS —"
    csat_text = f"CSAT {round(100 * satisfied / csat)} %" if csat else "CSAT —"
    return (
        f"{requests} survey requests ({len(new)} new: {statuses[SurveyStatus.ANSWERED]} answered, "
        f"{statuses[SurveyStatus.SENT]} awaiting an answer, {statuses[SurveyStatus.EXPIRED]} expired, "
        f"{statuses[SurveyStatus.SCHEDULED]} scheduled, {statuses[SurveyStatus.SUPPRESSED]} suppressed), "
        f"{responses} responses ({nps_text}, {csat_text}), {follow_ups} follow-ups from low scores"
    )


@transaction.atomic
def seed_demo_data(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: a year of surveys and answers for every demo client that has none, sent by the real rules."""
    now = timezone.now()
    clients_all = _demo_clients(demo_client_codes(rng_seed=rng_seed, clients=clients))
    targets = _targets(clients_all, now)
    managers = list({t.manager.pk: t.manager for t in targets if t.manager is not None}.values())
    setup = _setup(rng_seed, now, managers)
    if not setup.triggers:
        stdout.write("Feedback: no survey trigger is switched on, no demo surveys written.")
        return "0 survey requests (no trigger switched on)"
    writers = []
    for target in targets:
        writer = ClientSurveys(target, setup)
        writer.plan()
        writer.written = writer.live()
        writers.append(writer)
    _add_showcase(writers, now, random.Random(f"{rng_seed}:feedback:showcase"))
    new = [item for writer in writers for item in writer.written]
    follow_ups = _save(new, now)
    return _summary(clients_all, new, follow_ups)
