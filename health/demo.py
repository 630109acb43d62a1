"""The demo seeder of account health (registered as "health", after every seeder whose data it scores).

The demo's history already holds the churn patterns (see the demo packages of interactions, orders, complaints
and feedback): clients that later left went quiet, ordered less, complained and answered surveys badly in their
last months, and some active clients show the same signs without leaving. This seeder scores that history:
- 90 days back, each company day as the nightly run would have at 02:30 (`compute_health(as_of=…)`) over the
  demo clients scoreable that day, writing a HealthScore row only when a client's score, band or parts changed
  and a HealthTransition when its band changed (the history of the client page; no follow-ups in the past);
- then today's nightly run itself (`recompute_health`), which brings the clients' fields up to date and opens
  the "at risk" follow-ups of today's transitions, as in production.

A second run adds no history (a client that has rows already is left alone) and recomputes today, which changes
nothing the same day.
"""

from datetime import timedelta

from django.utils import timezone

from clients.models import Client, HealthBand, Status
from contacts.demo import demo_client_codes
from core.demo import register_seeder

from .backtest import as_of_day
from .models import HealthConfig, HealthScore, HealthTransition
from .scoring import compute_health
from .services import _significant, recompute_health

HISTORY_DAYS = 90
ORDER = 55  # after feedback (the last data it scores), before segments (whose rules may read the band)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _demo_clients(codes: list[str]) -> list[tuple[int, str, object, object]]:
    """(id, status, created_at, churned_on) of the demo clients."""
    rows = []
    for chunk in _chunks(codes):
        rows += Client.objects.filter(registration_code__in=chunk).values_list(
            "pk", "status", "created_at", "churned_on"
        )
    return rows


def backfill(client_ids_rows, *, today, days: int = HISTORY_DAYS) -> tuple[int, int]:
    """Score the clients on each of the last `days` company days; (score rows, transitions) written."""
    config = HealthConfig.get()
    last: dict[int, tuple] = {}  # each client's latest (score, band, what counts as a change)
    scores, transitions = [], []
    for offset in range(days, 0, -1):
        day = today - timedelta(days=offset)
        moment = as_of_day(day)
        ids = [
            pk
            for pk, status, created_at, churned_on in client_ids_rows
            if created_at < moment
            and (
                status in (Status.ACTIVE, Status.PROSPECT)
                or (status == Status.CHURNED and churned_on and churned_on > day)
            )
        ]
        if not ids:
            continue
        for pk, result in compute_health(as_of=moment, client_ids=ids, config=config).items():
            # What counts as a change is the service's: a fact of a neutral part moving (days since a recent
            # contact) is not one.
            state = (result.score, result.band, _significant(result.score, result.band, result.parts))
            before = last.get(pk)
            if before == state:
                continue
            scores.append(
                HealthScore(
                    client_id=pk, day=day, score=result.score, band=result.band, parts=result.parts, computed_at=moment
                )
            )
            if before is None or before[1] != result.band:  # from "" too, as the service: the band history starts
                transitions.append(
                    HealthTransition(
                        client_id=pk,
                        from_band=before[1] if before else "",
                        to_band=result.band,
                        score=result.score,
                        at=moment,
                        day=day,
                    )
                )
            last[pk] = state
    HealthScore.objects.bulk_create(scores, batch_size=500)
    HealthTransition.objects.bulk_create(transitions, batch_size=500)
    # The clients' fields as the last night left them, so today's run sees real band changes (and opens the
    # follow-ups of those that fall into "at risk" today).
    scored_at = as_of_day(today - timedelta(days=1))
    changed = []
    for client in Client.objects.filter(pk__in=list(last)).only("pk"):
        score, band, _parts = last[client.pk]
        client.health_score, client.health_band, client.health_scored_at = score, band, scored_at
        changed.append(client)
    Client.objects.bulk_update(changed, ["health_score", "health_band", "health_scored_at"], batch_size=500)
    return len(scores), len(transitions)


def seed_demo_data(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: 90 days of health history for the demo clients that have none, then today's nightly run."""
    rows = _demo_clients(demo_client_codes(rng_seed=rng_seed, clients=clients))
    ids = [row[0] for row in rows]
    seeded = set()
    for chunk in _chunks(ids):
        seeded.update(HealthScore.objects.filter(client_id__in=chunk).values_list("client_id", flat=True))
    new_scores = new_transitions = 0
    todo = [row for row in rows if row[0] not in seeded]
    if todo:
        new_scores, new_transitions = backfill(todo, today=timezone.localdate())
    recompute_health(now=timezone.now())
    at_risk = sum(Client.objects.filter(pk__in=chunk, health_band=HealthBand.AT_RISK).count() for chunk in _chunks(ids))
    total = sum(HealthScore.objects.filter(client_id__in=chunk).count() for chunk in _chunks(ids))
    return (
        f"{total} health scores ({new_scores} new), {new_transitions} band changes in the history, "
        f"{at_risk} clients at risk today"
    )


def register_demo_seeder() -> None:
    register_seeder("health", seed_demo_data, order=ORDER)
