"""Writes of the health app: the recompute that stores scores, history rows, band changes and at-risk follow-ups.

One rule for the nightly run and the on-demand recompute of one client:
- the client row (health_score, health_band, health_scored_at) mirrors the client's latest HealthScore row;
- a HealthScore row is written only when the score, the band or the parts changed against the client's previous
  row (upserted on client + day, so a second run the same day updates the day's row instead of adding one);
- a band change is a HealthTransition, recorded once: the changed clients are locked and their band re-read inside
  the transaction (a concurrent run that got there first leaves nothing to do), and the unique (client, day,
  to_band) constraint guards the rest;
- entering "at risk" from healthy or watch (not a first score) gives the account manager one open follow-up, with
  its reminder row, in the same transaction (the reminder sweep delivers it: DESIGN principle 1).
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client, HealthBand
from clients.selectors import can_edit_client
from core.exceptions import ApplicationError
from interactions.models import FollowUp
from interactions.services.notifications import recipient_zone
from interactions.services.reminders import sync_follow_up_reminder

from .explain import describe
from .models import HealthConfig, HealthScore, HealthTransition
from .scoring import CHUNK_SIZE, SCOREABLE_STATUSES, HealthResult, company_day, iter_health


@dataclass
class RecomputeStats:
    """What a recompute did: clients scored, scores changed (history rows written), band changes, at-risk
    follow-ups created and clients whose score was cleared (no longer active or prospect)."""

    clients: int = 0
    changed: int = 0
    transitions: int = 0
    follow_ups: int = 0
    cleared: int = 0


def _significant(score: int, band: str, parts: list[dict]) -> tuple:
    """What makes a score "changed": score, band, each part's weight, severity and points, and the facts of the
    parts that took points off. The facts of a neutral part (days since a recent contact, a promoter's date) move
    every day without changing anything a reader sees, so they do not make a history row of their own."""
    return (
        score,
        band,
        tuple(
            (
                part["signal"],
                part["weight"],
                part["severity"],
                part["points"],
                sorted(part["facts"].items()) if part["points"] > 0 else None,
            )
            for part in parts
        ),
    )


def _previous_rows(ids: list[int]) -> dict[int, tuple]:
    """Each client's latest HealthScore row, as its significant content (one query)."""
    newest_day = HealthScore.objects.filter(client_id=OuterRef("client_id")).order_by("-day").values("day")[:1]
    latest = HealthScore.objects.filter(client_id__in=ids, day=Subquery(newest_day))
    return {
        client_id: _significant(score, band, parts)
        for client_id, score, band, parts in latest.values_list("client_id", "score", "band", "parts")
    }


def _follow_up_due(manager: User, now: datetime) -> datetime:
    """The next day, 09:00 in the manager's time zone."""
    local = timezone.localtime(now, recipient_zone(manager))
    return datetime.combine(local.date() + timedelta(days=1), time(9), tzinfo=local.tzinfo)


def _create_at_risk_follow_up(client: Client, parts: list[dict], *, now: datetime, actor: User | None) -> FollowUp:
    """An open follow-up for the account manager, titled in the manager's language, with its reminder row (what
    interactions.services.follow_ups.create_follow_up does, without its "may the actor log" check: the nightly
    run has no actor)."""
    manager = client.account_manager
    with translation.override(manager.language):
        reasons = describe(parts, today=company_day(now))
        title = _("Account at risk: %(reason)s") % {"reason": reasons[0].text} if reasons else _("Account at risk")
    follow_up = FollowUp(
        client=client,
        title=Truncator(title).chars(200),
        due_at=_follow_up_due(manager, now),
        assignee=manager,
        created_by=actor,
    )
    follow_up._history_user = actor
    follow_up.save()
    sync_follow_up_reminder(follow_up)
    return follow_up


def _wants_follow_up(client: Client, from_band: str, to_band: str) -> bool:
    manager = client.account_manager
    return (
        to_band == HealthBand.AT_RISK
        and from_band in (HealthBand.HEALTHY, HealthBand.WATCH)
        and manager is not None
        and manager.is_active
    )


def _record_at_risk(
    client: Client, from_band: str, result: HealthResult, *, now: datetime, actor: User | None, stats: RecomputeStats
) -> None:
    """One band change into "at risk" with the manager's follow-up (few a night: one at a time)."""
    try:
        # A savepoint: a change into "at risk" already recorded today for this client (the unique constraint, e.g.
        # at_risk -> watch -> at_risk in one day) rolls back alone, follow-up included.
        with transaction.atomic():
            HealthTransition.objects.create(
                client=client,
                from_band=from_band,
                to_band=result.band,
                score=result.score,
                at=now,
                day=company_day(now),
                actor=actor,
                follow_up=_create_at_risk_follow_up(client, result.parts, now=now, actor=actor),
            )
    except IntegrityError:
        return
    stats.transitions += 1
    stats.follow_ups += 1


def _record_transitions(transitions: list[HealthTransition], *, day, stats: RecomputeStats) -> None:
    """The other band changes of a chunk in one insert, less those already recorded today (the clients are locked,
    so the count is exact; ignore_conflicts is the second guard)."""
    if not transitions:
        return
    recorded = set(
        HealthTransition.objects.filter(client_id__in=[t.client_id for t in transitions], day=day).values_list(
            "client_id", "to_band"
        )
    )
    new = [t for t in transitions if (t.client_id, t.to_band) not in recorded]
    HealthTransition.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    stats.transitions += len(new)


@transaction.atomic
def _write_chunk(
    results: dict[int, HealthResult],
    previous: dict[int, tuple],
    *,
    now: datetime,
    actor: User | None,
    stats: RecomputeStats,
) -> None:
    """Store the changed scores of one chunk of clients: client rows, history rows and band changes."""
    changed_ids = sorted(
        pk
        for pk, result in results.items()
        if previous.get(pk) != _significant(result.score, result.band, result.parts)
    )
    # Locked in id order (two runs lock in the same order: no deadlock); re-read here, so a run that committed the
    # same change first leaves no band change to record.
    locked = list(
        Client.objects.select_for_update()
        .filter(pk__in=changed_ids, status__in=SCOREABLE_STATUSES)
        .order_by("pk")
        .values_list("pk", "health_band")
    )
    if not locked:
        return
    day = company_day(now)
    scores, transitions, at_risk = [], [], []
    for pk, band in locked:
        result = results[pk]
        if band != result.band:  # from "" too: the first score starts the client's band history
            if result.band == HealthBand.AT_RISK and band in (HealthBand.HEALTHY, HealthBand.WATCH):
                at_risk.append((pk, band))
            else:
                transitions.append(
                    HealthTransition(
                        client_id=pk,
                        from_band=band,
                        to_band=result.band,
                        score=result.score,
                        at=now,
                        day=day,
                        actor=actor,
                    )
                )
        scores.append(
            HealthScore(
                client_id=pk, day=day, score=result.score, band=result.band, parts=result.parts, computed_at=now
            )
        )
    if at_risk:  # few a night: with the manager, for the follow-up
        clients = Client.objects.select_related("account_manager").in_bulk([pk for pk, _band in at_risk])
        for pk, band in at_risk:
            client = clients[pk]
            if _wants_follow_up(client, band, results[pk].band):
                _record_at_risk(client, band, results[pk], now=now, actor=actor, stats=stats)
            else:
                transitions.append(
                    HealthTransition(
                        client_id=pk,
                        from_band=band,
                        to_band=results[pk].band,
                        score=results[pk].score,
                        at=now,
                        day=day,
                        actor=actor,
                    )
                )
    _record_transitions(transitions, day=day, stats=stats)
    # One UPDATE per distinct score (at most 101 a chunk): far faster than bulk_update's CASE per row, and portable.
    by_score: dict[tuple[int, str], list[int]] = {}
    for pk, _band in locked:
        by_score.setdefault((results[pk].score, results[pk].band), []).append(pk)
    for (score, band), ids in by_score.items():
        Client.objects.filter(pk__in=ids).update(health_score=score, health_band=band, health_scored_at=now)
    HealthScore.objects.bulk_create(
        scores,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["client", "day"],
        update_fields=["score", "band", "parts", "computed_at"],
    )
    stats.changed += len(locked)


def _clear_unscoreable(client_ids: list[int] | None, stats: RecomputeStats) -> None:
    """Clients no longer active or prospect keep no score (their history stays)."""
    scored = Q(health_score__isnull=False) | ~Q(health_band="") | Q(health_scored_at__isnull=False)
    clients = Client.objects.filter(scored).exclude(status__in=SCOREABLE_STATUSES)
    if client_ids is not None:
        clients = clients.filter(pk__in=client_ids)
    stats.cleared += clients.update(health_score=None, health_band="", health_scored_at=None)


def _recompute(
    *, now: datetime, ids: list[int] | None, actor: User | None, stats: RecomputeStats
) -> dict[int, HealthResult]:
    config = HealthConfig.get()
    kept: dict[int, HealthResult] = {}
    for _chunk, results in iter_health(as_of=now, client_ids=ids, config=config):
        stats.clients += len(results)
        if results:
            _write_chunk(results, _previous_rows(list(results)), now=now, actor=actor, stats=stats)
        if ids is not None and len(ids) == 1:
            kept.update(results)
    if ids is None:
        _clear_unscoreable(None, stats)
    else:
        for start in range(0, len(ids), CHUNK_SIZE):
            _clear_unscoreable(ids[start : start + CHUNK_SIZE], stats)
    return kept


def recompute_health(*, now: datetime | None = None, client_ids=None, actor: User | None = None) -> RecomputeStats:
    """Score every active and prospect client (or those of `client_ids`) at `now` and store what changed: client
    rows, history rows, band changes once each and a follow-up for each entry into "at risk"; clear the scores
    of clients no longer scored."""
    stats = RecomputeStats()
    ids = None if client_ids is None else sorted(set(client_ids))
    _recompute(now=now or timezone.now(), ids=ids, actor=actor, stats=stats)
    return stats


def recompute_client_health(*, client: Client, actor: User | None) -> HealthResult | None:
    """Recompute one client's score now, on request of someone who may edit the client (None: a task); returns
    the result, or None when the client is not scored (inactive or churned: its score is cleared). The client
    object is refreshed with what was stored."""
    if actor is not None and not can_edit_client(actor, client):
        raise ApplicationError(_("You can view this client but not change it."))
    results = _recompute(now=timezone.now(), ids=[client.pk], actor=actor, stats=RecomputeStats())
    client.refresh_from_db(fields=["health_score", "health_band", "health_scored_at"])
    return results.get(client.pk) if client.health_score is not None else None
