"""The account-health score: eight signals read from the other apps' tables, each turned into a severity in [0, 1],
weighted into a 0-100 score and a band (docs/health.md has the rules and the formulas).

Everything is read as of an instant, from data before it, so the same code scores today and the past (the
backtest). It is set-based: for each chunk of up to 5,000 clients a fixed number of queries (one per group of
signals, each an aggregate or an indexed "latest row" subquery), never a query per client; Python only does the
arithmetic on the rows that come back.
"""

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.utils import timezone

from clients.models import Client, Status
from complaints.models import OPEN_STATUSES, Complaint
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse
from interactions.models import FollowUp, FollowUpStatus, Interaction, InteractionStatus
from interactions.selectors import get_cadence_days
from orders.models import NOT_PLACED, Order, OrderStatus

from .models import HealthConfig, Signal

CHUNK_SIZE = 5_000
SCOREABLE_STATUSES = (Status.ACTIVE, Status.PROSPECT)

# The windows of the signals (days before as_of).
RECENT_DAYS = 90  # revenue and orders: "the last 90 days"
BASELINE_DAYS = 455  # ... against days 91..455 (the previous 12 months), averaged per 90 days (/ 4)
NPS_DAYS = 365
CSAT_DAYS = 180
SURVEY_DAYS = 180
BREACHED_COMPLAINT_DAYS = 90


@dataclass(frozen=True)
class HealthResult:
    """A client's score (0-100), its band and its parts (one dict per signal, in Signal order)."""

    score: int
    band: str
    parts: list[dict]


def company_day(moment: datetime) -> date:
    """The company's calendar day of an instant (settings.TIME_ZONE), whatever zone is active for a user."""
    return timezone.localdate(moment, timezone=timezone.get_default_timezone())


def scoreable_at(as_of: datetime) -> Q:
    """Clients that were scored at an instant: added before it, and active or prospect — or churned after its day
    (the status history is not replayed; inactive clients are never scored)."""
    return Q(created_at__lt=as_of) & (
        Q(status__in=SCOREABLE_STATUSES) | Q(status=Status.CHURNED, churned_on__gt=company_day(as_of))
    )


# --- What was true at as_of ----------------------------------------------------------------------------------------


def follow_up_open_overdue_at(as_of: datetime) -> Q:
    """Follow-ups open and past due at the instant: created and due before it, and not done or cancelled before it
    (a cancel keeps no time of its own: its last change, updated_at, stands for it)."""
    still_open = (
        Q(status=FollowUpStatus.OPEN)
        | Q(status=FollowUpStatus.DONE, completed_at__gte=as_of)
        | Q(status=FollowUpStatus.CANCELLED, updated_at__gte=as_of)
    )
    return Q(created_at__lt=as_of, due_at__lt=as_of) & still_open


def complaint_open_at(as_of: datetime) -> Q:
    """Complaints received before the instant and not resolved or closed by then (a reopen clears resolved_at)."""
    return Q(received_at__lt=as_of) & ~Q(resolved_at__lt=as_of) & ~Q(closed_at__lt=as_of)


def complaint_breached_at(as_of: datetime) -> Q:
    """Complaints received in the 90 days before the instant whose first-response or resolution clock had breached
    by then: a stamped breach, or (still open now) a due time passed that the sweep has not stamped yet."""
    stamped = Q(first_response_breached_at__lt=as_of) | Q(resolution_breached_at__lt=as_of)
    live = (
        Q(status__in=OPEN_STATUSES)
        & complaint_open_at(as_of)
        & (
            Q(first_response_at__isnull=True, first_response_due_at__lt=as_of)
            | Q(resolution_running_since__isnull=False, resolution_due_at__lt=as_of)
        )
    )
    recent = Q(received_at__gte=as_of - timedelta(days=BREACHED_COMPLAINT_DAYS), received_at__lt=as_of)
    return recent & (stamped | live)


def _latest(queryset, field: str, *, offset: int = 0) -> Subquery:
    return Subquery(queryset.values(field)[offset : offset + 1])


def _answers(kind: str, as_of: datetime, days: int):
    return SurveyResponse.objects.filter(
        client_id=OuterRef("pk"), kind=kind, answered_at__lt=as_of, answered_at__gte=as_of - timedelta(days=days)
    ).order_by("-answered_at", "-pk")


# --- The queries of one chunk ---------------------------------------------------------------------------------------


def _client_rows(ids: list[int], as_of: datetime) -> list[dict]:
    """The scoreable clients of the chunk with their latest rows: last contact, oldest overdue follow-up, the
    latest two NPS and CSAT answers (index probes per client, one query)."""
    contacts = Interaction.objects.filter(
        client_id=OuterRef("pk"), status=InteractionStatus.COMPLETED, occurred_at__lt=as_of
    ).order_by("-occurred_at")
    follow_ups = FollowUp.objects.filter(follow_up_open_overdue_at(as_of), client_id=OuterRef("pk")).order_by(
        "due_at", "pk"
    )
    nps = _answers(SurveyKind.NPS, as_of, NPS_DAYS)
    csat = _answers(SurveyKind.CSAT, as_of, CSAT_DAYS)
    return list(
        Client.objects.filter(scoreable_at(as_of), pk__in=ids)
        .order_by()
        .annotate(
            last_contact=_latest(contacts, "occurred_at"),
            follow_up_id=_latest(follow_ups, "pk"),
            nps_score=_latest(nps, "score"),
            nps_on=_latest(nps, "answered_at"),
            nps_previous=_latest(nps, "score", offset=1),
            csat_score=_latest(csat, "score"),
            csat_on=_latest(csat, "answered_at"),
            csat_previous=_latest(csat, "score", offset=1),
        )
        .values(
            "pk",
            "tier",
            "created_at",
            "last_contact",
            "follow_up_id",
            "nps_score",
            "nps_on",
            "nps_previous",
            "csat_score",
            "csat_on",
            "csat_previous",
        )
    )


def _follow_up_counts(ids: list[int], as_of: datetime) -> dict[int, dict]:
    rows = (
        FollowUp.objects.filter(follow_up_open_overdue_at(as_of), client_id__in=ids)
        .order_by()
        .values("client_id")
        .annotate(count=Count("pk"), oldest_due=Min("due_at"))
    )
    return {row["client_id"]: row for row in rows}


def _complaints(ids: list[int], as_of: datetime) -> dict[int, list[dict]]:
    """The complaints open or recently breached at as_of, per client (few per client: open ones are few)."""
    is_open, is_breached = complaint_open_at(as_of), complaint_breached_at(as_of)
    rows = (
        Complaint.objects.filter(is_open | is_breached, client_id__in=ids)
        .order_by()
        .annotate(
            is_open=ExpressionWrapper(is_open, output_field=BooleanField()),
            is_breached=ExpressionWrapper(is_breached, output_field=BooleanField()),
        )
        .values("client_id", "pk", "number", "received_at", "is_open", "is_breached")
    )
    by_client: dict[int, list[dict]] = {}
    for row in rows:
        by_client.setdefault(row["client_id"], []).append(row)
    return by_client


def _orders(ids: list[int], as_of: datetime) -> dict[int, dict]:
    """Per client: delivered revenue and placed orders in the last 90 days and in days 91..455 (one query)."""
    recent_start, baseline_start = as_of - timedelta(days=RECENT_DAYS), as_of - timedelta(days=BASELINE_DAYS)
    delivered = Q(status=OrderStatus.DELIVERED, delivered_at__gte=baseline_start, delivered_at__lt=as_of)
    placed = ~Q(status__in=NOT_PLACED) & Q(created_at__gte=baseline_start, created_at__lt=as_of)
    rows = (
        Order.objects.filter(delivered | placed, client_id__in=ids)
        .order_by()
        .values("client_id")
        .annotate(
            revenue_recent=Sum("total", filter=delivered & Q(delivered_at__gte=recent_start)),
            revenue_baseline=Sum("total", filter=delivered & Q(delivered_at__lt=recent_start)),
            orders_recent=Count("pk", filter=placed & Q(created_at__gte=recent_start)),
            orders_baseline=Count("pk", filter=placed & Q(created_at__lt=recent_start)),
        )
    )
    return {row["client_id"]: row for row in rows}


def _surveys(ids: list[int], as_of: datetime) -> dict[int, dict]:
    """Per client: survey requests sent in the 180 days before as_of, and of them the answered and the expired
    unanswered ones at as_of (one query)."""
    answered = Q(answered_at__lt=as_of)
    unanswered = Q(expires_at__lt=as_of) & (Q(answered_at__isnull=True) | Q(answered_at__gte=as_of))
    rows = (
        SurveyRequest.objects.filter(
            client_id__in=ids, sent_at__gte=as_of - timedelta(days=SURVEY_DAYS), sent_at__lt=as_of
        )
        .order_by()
        .values("client_id")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=answered), unanswered=Count("pk", filter=unanswered))
    )
    return {row["client_id"]: row for row in rows}


# --- Severities --------------------------------------------------------------------------------------------------


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _iso(moment: datetime | None) -> str | None:
    return company_day(moment).isoformat() if moment else None


def _contact_gap(client: dict, as_of: datetime, cadence: dict[str, int]) -> tuple[float, dict]:
    days = (as_of - (client["last_contact"] or client["created_at"])).days
    expected = cadence.get(client["tier"]) or max(cadence.values())
    severity = _clamp((days / expected - 1) / 2)
    facts = {"days": days, "cadence": expected, "tier": client["tier"], "last": _iso(client["last_contact"])}
    return severity, facts


def _overdue_follow_ups(client: dict, counts: dict | None) -> tuple[float, dict]:
    if not counts or not counts["count"]:
        return 0.0, {}
    facts = {
        "count": counts["count"],
        "oldest_due": _iso(counts["oldest_due"]),
        "follow_up_id": client["follow_up_id"],
    }
    return min(counts["count"], 3) / 3, facts


def _complaint_part(rows: list[dict] | None) -> tuple[float, dict]:
    if not rows:
        return 0.0, {}
    opened = sum(1 for row in rows if row["is_open"])
    breached = sum(1 for row in rows if row["is_breached"])
    # The worst one: breached first, then the oldest.
    worst = min(rows, key=lambda row: (not row["is_breached"], row["received_at"], row["pk"]))
    facts = {"open": opened, "breached": breached, "complaint_id": worst["pk"], "number": worst["number"]}
    return min(1.0, 0.3 * opened + 0.4 * breached), facts


def _nps(client: dict) -> tuple[float, dict]:
    score, previous = client["nps_score"], client["nps_previous"]
    if score is None:
        return 0.0, {}
    severity = 1.0 if score <= 6 else 0.4 if score <= 8 else 0.0
    if previous is not None and score <= previous - 3:
        severity = min(1.0, severity + 0.2)
    return severity, {"score": score, "on": _iso(client["nps_on"]), "previous": previous}


CSAT_SEVERITY = {1: 1.0, 2: 0.8, 3: 0.4}


def _csat(client: dict) -> tuple[float, dict]:
    score, previous = client["csat_score"], client["csat_previous"]
    if score is None:
        return 0.0, {}
    severity = CSAT_SEVERITY.get(score, 0.0)
    if previous is not None and score <= previous - 2:
        severity = min(1.0, severity + 0.2)
    return severity, {"score": score, "on": _iso(client["csat_on"]), "previous": previous}


CENT = Decimal("0.01")


def _revenue_trend(orders: dict | None) -> tuple[float, dict]:
    if not orders or not orders["revenue_baseline"]:
        return 0.0, {}
    recent = orders["revenue_recent"] or Decimal(0)
    baseline = Decimal(orders["revenue_baseline"]) / 4
    change = recent / baseline - 1
    facts = {
        "change_percent": int((change * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)),
        "recent": str(Decimal(recent).quantize(CENT)),
        "baseline": str(baseline.quantize(CENT, rounding=ROUND_HALF_UP)),
    }
    return _clamp(float(-change / Decimal("0.75"))), facts


def _order_frequency(orders: dict | None) -> tuple[float, dict]:
    baseline = (orders["orders_baseline"] / 4) if orders else 0
    if baseline < 1:
        return 0.0, {}
    recent = orders["orders_recent"]
    return _clamp(1 - recent / baseline), {"recent": recent, "baseline": baseline}


def _survey_non_response(surveys: dict | None) -> tuple[float, dict]:
    if not surveys or surveys["sent"] < 2:
        return 0.0, {}
    decided = surveys["answered"] + surveys["unanswered"]
    if not decided:
        return 0.0, {}
    facts = {"sent": surveys["sent"], "unanswered": surveys["unanswered"], "decided": decided}
    return surveys["unanswered"] / decided, facts


# --- The score ---------------------------------------------------------------------------------------------------


def score_parts(
    severities: dict[str, tuple[float, dict]], config: HealthConfig, weights: dict[str, int] | None = None
) -> HealthResult:
    """Weigh the signals' (severity, facts) into the score, its band and its parts (Signal order, all present)."""
    weights = weights or config.weights
    total = sum(weights.values())
    parts, taken = [], 0.0
    for signal in Signal.values:
        severity, facts = severities.get(signal, (0.0, {}))
        severity = round(severity, 3)
        weight = weights[signal]
        share = 100 * weight * severity / total if total else 0.0
        taken += share
        parts.append(
            {"signal": signal, "weight": weight, "severity": severity, "points": round(share, 1), "facts": facts}
        )
    # Half up, not Python's half-to-even; the epsilon absorbs float noise (62.4999999 for 62.5).
    score = min(100, max(0, math.floor(100 - taken + 0.5 + 1e-9)))
    return HealthResult(score=score, band=config.band_for(score), parts=parts)


def _chunk_results(
    ids: list[int], as_of: datetime, config: HealthConfig, cadence: dict[str, int]
) -> dict[int, HealthResult]:
    clients = _client_rows(ids, as_of)
    if not clients:
        return {}
    follow_ups = _follow_up_counts(ids, as_of)
    complaints = _complaints(ids, as_of)
    orders = _orders(ids, as_of)
    surveys = _surveys(ids, as_of)
    results, weights = {}, config.weights
    for client in clients:
        pk = client["pk"]
        severities = {
            Signal.CONTACT_GAP: _contact_gap(client, as_of, cadence),
            Signal.OVERDUE_FOLLOW_UPS: _overdue_follow_ups(client, follow_ups.get(pk)),
            Signal.COMPLAINTS: _complaint_part(complaints.get(pk)),
            Signal.NPS: _nps(client),
            Signal.CSAT: _csat(client),
            Signal.REVENUE_TREND: _revenue_trend(orders.get(pk)),
            Signal.ORDER_FREQUENCY: _order_frequency(orders.get(pk)),
            Signal.SURVEY_NON_RESPONSE: _survey_non_response(surveys.get(pk)),
        }
        results[pk] = score_parts(severities, config, weights)
    return results


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def iter_health(
    *,
    as_of: datetime,
    client_ids: Iterable[int] | None = None,
    config: HealthConfig | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> Iterator[tuple[list[int], dict[int, HealthResult]]]:
    """compute_health chunk by chunk: (the chunk's client ids, the results of its scoreable clients), so a caller
    writing 100,000 scores holds one chunk at a time."""
    config = config or HealthConfig.get()
    cadence = get_cadence_days()
    if client_ids is None:
        ids = list(Client.objects.filter(scoreable_at(as_of)).order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(client_ids))
    for chunk in _chunks(ids, chunk_size):
        yield chunk, _chunk_results(chunk, as_of, config, cadence)


def compute_health(
    *, as_of: datetime, client_ids: Iterable[int] | None = None, config: HealthConfig | None = None
) -> dict[int, HealthResult]:
    """The health of every client scoreable at `as_of` (or of those of `client_ids` that are), from data before it;
    a fixed number of queries per 5,000 clients."""
    results: dict[int, HealthResult] = {}
    for _chunk, chunk_results in iter_health(as_of=as_of, client_ids=client_ids, config=config):
        results.update(chunk_results)
    return results
