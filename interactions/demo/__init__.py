"""The demo seeder of interactions, follow-ups and reminders (registered as "interactions" in apps.py).

It runs after the clients seeder and gives each demo client a year of history, logged by
its account manager with the client's own contacts:
- how often depends on the tier (VIP 2-4 a month, key 1-2, standard 0.2-0.8), prospects
  are being courted, inactive clients hear little;
- churned clients thin out over their last four months and go silent 1-3 months before the
  churn date, with more complaints and competitor talk on the way (the shape a churn-risk
  backtest needs);
- clients with a bad patch (contacts.demo.decline) leave follow-ups overdue for weeks (cancelled when they left,
  done late when they recovered); the leavers' last contact comes soon after the signs begin, and the active ones
  that recovered hear nothing from their manager during the patch;
- 10-15 % of the active clients are deliberately going cold (last contact older than their
  tier's cadence), every other active or prospect client was contacted within it;
- each manager gets an agenda around the time of seeding: overdue follow-ups, some due later
  today (in the manager's time zone), some this week, meetings later today and soon; the
  README's demo user (manager1) gets a full day, the others a lighter one.

Rows are written with `bulk_create` (no history records: nobody edited them) and their
timestamps moved to when they "happened". Reminders follow the rules of
`services.reminders` (one per open follow-up and per planned meeting or visit, at its time
minus the person's lead time), except that one whose time is already past is stored as
sent: starting the app must not e-mail a hundred stale reminders.

Times are relative to `timezone.now()`; the structure comes from random generators seeded
per client (by registration code) and per manager (by e-mail), so adding clients later
never changes the history of the earlier ones. A client that has any interaction is left
alone, which makes a second run add nothing.
"""

# Demo data only: the standard pseudo-random generator is what makes it reproducible.
# ruff: noqa: S311

import random
from collections import defaultdict

from django.utils import timezone

from clients.models import Client
from contacts.demo import demo_client_codes
from contacts.demo.decline import decline_of

from ..models import FollowUp, FollowUpStatus, Interaction, Reminder
from ..selectors import get_cadence_days
from .agenda import LIGHT_AGENDA, SHOWCASE_AGENDA, AgendaWriter
from .batch import Batch
from .history import HistoryWriter, Target, _chunks, _pick_cold, _targets

__all__ = ["seed"]

SHOWCASE_USER = "manager1@demo.crm"  # the README's sign-in: their "My day" must look alive


def _count_on(clients: list[Client]) -> tuple[int, int, int]:
    ids = [client.pk for client in clients]
    interactions = follow_ups = reminders = 0
    for chunk in _chunks(ids):
        interactions += Interaction.objects.filter(client_id__in=chunk).count()
        follow_ups += FollowUp.objects.filter(client_id__in=chunk).count()
        reminders += Reminder.objects.filter(follow_up__client_id__in=chunk).count()
        reminders += Reminder.objects.filter(interaction__client_id__in=chunk).count()
    return interactions, follow_ups, reminders


def seed(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: a year of interactions and follow-ups for every demo client that has none, and today's agenda."""
    clients_all, targets = _targets(demo_client_codes(rng_seed=rng_seed, clients=clients))
    if clients_all and not targets:
        interactions, follow_ups, _reminders = _count_on(clients_all)
        return f"{interactions} interactions and {follow_ups} follow-ups already seeded"
    batch = Batch(now=timezone.now())
    cadence = get_cadence_days()
    by_manager: dict[int, list[Target]] = defaultdict(list)
    for target in targets:
        by_manager[target.manager.pk].append(target)
    managers = sorted({t.manager.pk: t.manager for t in targets}.values(), key=lambda user: user.email)
    manager_rngs = {m.pk: random.Random(f"{rng_seed}:agenda:{m.email}") for m in managers}
    for manager in managers:
        _pick_cold(
            by_manager[manager.pk],
            manager_rngs[manager.pk],
            cadence,
            batch.now,
            showcase=manager.email == SHOWCASE_USER,
        )
    today = timezone.localdate()
    for target in targets:
        code = target.client.registration_code
        rng = random.Random(f"{rng_seed}:history:{code}")
        decline = decline_of(target.client, rng_seed=rng_seed, today=today)
        # The bad patch draws from its own generator: the rest of the client's history stays as it was.
        decline_rng = random.Random(f"{rng_seed}:decline:interactions:{code}")
        HistoryWriter(target, rng, batch).history(cadence, decline, decline_rng)
    busy = set(
        FollowUp.objects.filter(assignee__in=managers, status=FollowUpStatus.OPEN).values_list("assignee_id", flat=True)
    )
    for manager in managers:
        if manager.pk not in busy:  # a manager who has open follow-ups already has an agenda
            size = SHOWCASE_AGENDA if manager.email == SHOWCASE_USER else LIGHT_AGENDA
            AgendaWriter(manager, by_manager[manager.pk], manager_rngs[manager.pk], batch).write(size)
    new_reminders = batch.save()
    interactions, follow_ups, reminders = _count_on(clients_all)
    return (
        f"{interactions} interactions ({len(batch.interactions)} new), "
        f"{follow_ups} follow-ups ({len(batch.follow_ups)} new), {reminders} reminders ({new_reminders} new)"
    )
