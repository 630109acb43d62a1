"""The demo seeder of complaints (registered as "complaints" in registrations.py).

It runs after the orders seeder and gives the demo clients a year of complaints, owned by
their account manager, so the complaint pages and later dashboards have a history:
- about one complaint per ten orders, mostly about an order: 40 % of the late
  deliveries are complained about (category "Late delivery", root cause mostly "Carrier
  delay" or "Warehouse picking error"), a few percent of the others for damaged, wrong or
  poor goods or a wrong invoice; some about the service; clients that later churned complain
  twice as often; mostly normal severity, some high, few critical; a client in a bad patch
  (contacts.demo.decline) complains about the service early in it, is answered late and waits
  weeks past the resolution target, until just before it left (or recovered);
- each one has its thread: registered, a reply (an outbound e-mail or call on the client's
  timeline) usually within the first-response target, sometimes a wait for the client and
  back, an internal note, resolved with a resolution and a root cause, half of them closed
  later, a few reopened once and resolved again; about 88 % stay within both targets, the
  others are breached, with the escalation rows (at risk: the owner, breached: the team lead)
  written when the line was crossed and their e-mails sent or cancelled as the beat would have;
- the latest ones are still open, in whatever state their clock is in now; the README's demo
  user (manager1) also gets one open complaint in every SLA state (see `showcase`).

Each complaint is lived through in memory by the services' rules (`story.Story`), numbered
in the order received from each year's counter, and written with `bulk_create`. In-app
notifications are written only for the escalations of complaints still open.

Times are relative to `timezone.now()`; each client's complaints come from a generator
seeded by its registration code. A client that has any complaint is left alone, and the
showcase only fills SLA states the demo manager's open complaints lack, so a second run adds
nothing.
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.
# ruff: noqa: S311

import random
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone, translation

from clients.models import Client, Status
from contacts.demo import demo_client_codes
from contacts.demo.decline import decline_of
from contacts.models import Contact
from core.numbering import format_number, number_year, reserve_numbers
from core.outbox import DeliveryStatus
from interactions.models import Interaction, Notification
from interactions.selectors import clients_going_cold
from orders.models import Order, OrderStatus

from ..models import OPEN_STATUSES, Complaint, ComplaintActivity, Escalation, SlaState
from ..selectors import with_sla
from ..services.complaints import COMPLAINT_PREFIX, COMPLAINT_SCOPE
from ..services.sla import sla_state
from .history import HISTORY_DAYS, ClientComplaints, Lists, Target, languages
from .showcase import SHOWCASE_USER, add_showcase
from .story import Escalator, Story
from .texts import REPLY_SUBJECT

__all__ = ["seed_demo_data"]

SHOWCASE_STATES = (SlaState.ON_TRACK, SlaState.AT_RISK, SlaState.BREACHED, SlaState.PAUSED)


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


def _targets(clients: list[Client], now: datetime) -> list[Target]:
    """The demo clients to seed: with a manager and no complaint yet, with their contacts and orders."""
    ids = [client.pk for client in clients]
    seeded: set[int] = set()
    contacts: dict[int, list[Contact]] = defaultdict(list)
    orders: dict[int, list[Order]] = defaultdict(list)
    quiet: dict[int, datetime | None] = {}
    since = now - timedelta(days=HISTORY_DAYS + 30)
    for chunk in _chunks(ids):
        seeded.update(Complaint.objects.filter(client_id__in=chunk).values_list("client_id", flat=True))
        for contact in Contact.objects.filter(client_id__in=chunk).order_by("-is_primary", "pk"):
            contacts[contact.client_id].append(contact)
        taken = Order.objects.filter(client_id__in=chunk, created_at__gte=since).exclude(
            status__in=(OrderStatus.DRAFT, OrderStatus.CANCELLED)
        )
        for order in taken.order_by("created_at", "pk"):
            orders[order.client_id].append(order)
        cold = clients_going_cold(Client.objects.filter(pk__in=chunk), now=now)
        quiet.update(cold.values_list("pk", "last_contact_at"))
    targets = []
    for client in clients:
        manager = client.account_manager
        if client.pk in seeded or manager is None or client.status == Status.PROSPECT:
            continue
        own = contacts[client.pk]
        target = Target(client, manager, own, orders[client.pk], languages(client, manager, own))
        if client.pk in quiet:
            target.quiet_since = quiet[client.pk] or client.created_at
        targets.append(target)
    return targets


def _missing_states(manager_id: int, now: datetime) -> list[str]:
    """SLA states none of the manager's open complaints is in (the showcase fills them)."""
    open_ = with_sla(Complaint.objects.filter(owner_id=manager_id, status__in=OPEN_STATUSES), now=now)
    present = set(open_.values_list("sla", flat=True))
    return [state for state in SHOWCASE_STATES if state not in present]


def _number(stories: list[Story]) -> None:
    """Numbers in the order received, from each year's counter, which ends at the last one used."""
    by_year: dict[int, list[Story]] = defaultdict(list)
    for story in sorted(stories, key=lambda s: (s.complaint.received_at, s.client.registration_code)):
        by_year[number_year(story.complaint.received_at)].append(story)
    for year, group in sorted(by_year.items()):
        first = reserve_numbers(COMPLAINT_SCOPE, year, len(group))
        for value, story in enumerate(group, start=first):
            story.complaint.number = format_number(COMPLAINT_PREFIX, year, value)
            for interaction, _contacts in story.interactions:
                interaction.subject = REPLY_SUBJECT[story.language].format(number=story.complaint.number)


def _stamp(model: type[Model], rows: list[tuple[Model, datetime, datetime]]) -> None:
    """Give each row the time it was written and last changed: auto_now_add/auto_now stamped them "now".

    One parameterised UPDATE run for all rows (bulk_update builds a CASE per row, much slower).
    """
    ops = connection.ops
    table, created, updated, pk = (
        ops.quote_name(name) for name in (model._meta.db_table, "created_at", "updated_at", model._meta.pk.column)
    )
    params = []
    for row, created_at, updated_at in rows:
        row.created_at, row.updated_at = created_at, updated_at
        params.append((ops.adapt_datetimefield_value(created_at), ops.adapt_datetimefield_value(updated_at), row.pk))
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {created} = %s, {updated} = %s WHERE {pk} = %s", params)  # noqa: S608


def _notifications(stories: list[Story]) -> list[tuple[Notification, datetime]]:
    """The in-app notice of each escalation of a still open complaint, as services.escalation writes it."""
    notices = []
    for story in stories:
        if not story.complaint.is_open:
            continue
        for escalation, at in story.escalations:
            recipient = escalation.recipient
            context = {"escalation": escalation, "complaint": story.complaint}
            with translation.override(recipient.language):
                title = " ".join(render_to_string("complaints/email/escalation_subject.txt", context).split())
            notice = Notification(
                recipient=recipient,
                key=f"escalation:{escalation.pk}",
                title=title[:200],
                body=story.client.name,
                url=story.complaint.get_absolute_url(),
            )
            notices.append((notice, at))
    return notices


def _save(stories: list[Story]) -> tuple[int, int]:
    """Insert the complaints with their threads, replies and escalations; returns (interactions, escalations)."""
    stories = sorted(stories, key=lambda s: s.complaint.number)
    complaints = [story.complaint for story in stories]
    Complaint.objects.bulk_create(complaints, batch_size=500)
    _stamp(Complaint, [(s.complaint, s.registered_at, s.updated_at) for s in stories])
    interactions = [(i, contacts) for story in stories for i, contacts in story.interactions]
    Interaction.objects.bulk_create([i for i, _contacts in interactions], batch_size=500)
    _stamp(Interaction, [(i, i.occurred_at, i.occurred_at) for i, _contacts in interactions])
    Through = Interaction.contacts.through
    Through.objects.bulk_create(
        [Through(interaction_id=i.pk, contact_id=c.pk) for i, contacts in interactions for c in contacts],
        batch_size=500,
    )
    ComplaintActivity.objects.bulk_create([a for story in stories for a in story.activities], batch_size=1000)
    escalations = [(e, at) for story in stories for e, at in story.escalations]
    Escalation.objects.bulk_create([e for e, _at in escalations], batch_size=500)
    # Last changed when its e-mail went out or was dropped (the time it was due), else when written.
    _stamp(
        Escalation, [(e, at, at if e.status == DeliveryStatus.PENDING else e.next_attempt_at) for e, at in escalations]
    )
    notices = _notifications(stories)
    Notification.objects.bulk_create([n for n, _at in notices], batch_size=500)
    with connection.cursor() as cursor:  # created_at is auto_now_add: the notice came with its escalation
        ops = connection.ops
        table, created, pk = (ops.quote_name(n) for n in (Notification._meta.db_table, "created_at", "id"))
        cursor.executemany(
            f"UPDATE {table} SET {created} = %s WHERE {pk} = %s",  # noqa: S608
            [(ops.adapt_datetimefield_value(at), n.pk) for n, at in notices],
        )
    return len(interactions), len(escalations)


def _count_on(clients: list[Client]) -> tuple[int, int]:
    ids = [client.pk for client in clients]
    complaints = escalations = 0
    for chunk in _chunks(ids):
        complaints += Complaint.objects.filter(client_id__in=chunk).count()
        escalations += Escalation.objects.filter(complaint__client_id__in=chunk).count()
    return complaints, escalations


@transaction.atomic  # the year's number counters stay locked until the complaints are saved
def seed_demo_data(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: a year of complaints for every demo client that has none, and the demo manager's open ones."""
    now = timezone.now()
    clients_all = _demo_clients(demo_client_codes(rng_seed=rng_seed, clients=clients))
    lists = Lists.load()
    if not lists.categories or not lists.root_causes:
        stdout.write("Complaints: no active category or root cause, no demo complaints written.")
        return "0 complaints (no active category or root cause)"
    escalator = Escalator()
    writers = []
    for target in _targets(clients_all, now):
        rng = random.Random(f"{rng_seed}:complaints:{target.client.registration_code}")
        writer = ClientComplaints(target, rng, lists, escalator, now)
        code = target.client.registration_code
        decline = decline_of(target.client, rng_seed=rng_seed, today=timezone.localdate(now))
        writer.plan(decline, random.Random(f"{rng_seed}:decline:complaints:{code}"))
        writers.append(writer)
    stories = [story for writer in writers for story in writer.stories]
    showcase = [
        w
        for w in writers
        if w.target.manager.email == SHOWCASE_USER
        and w.target.client.status == Status.ACTIVE
        and w.target.quiet_since is None
    ]
    if showcase:
        missing = _missing_states(showcase[0].target.manager.pk, now)
        stories += add_showcase(showcase, missing, random.Random(f"{rng_seed}:complaints:showcase"))
    for story in stories:
        story.finish()
    _number(stories)
    new_interactions, new_escalations = _save(stories)
    complaints, escalations = _count_on(clients_all)
    open_now = sum(story.complaint.is_open for story in stories)
    breached = sum(sla_state(story.complaint, now=now) == SlaState.BREACHED for story in stories)
    return (
        f"{complaints} complaints ({len(stories)} new: {open_now} open, {breached} breached), "
        f"{escalations} escalations ({new_escalations} new), {new_interactions} replies logged"
    )
