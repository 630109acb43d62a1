"""compile_rules: turn a cleaned rule tree into one Q over Client, built from columns and correlated subqueries.

Every to-many condition (tags, contacts, interactions, orders, complaints, answers) is an EXISTS or a
scalar subquery correlated on the client, never a join, so `Client.objects.filter(q)` returns each client
once and the whole segment is one SQL statement. Values reach the database only as query parameters.
"""

import datetime
from decimal import Decimal
from functools import reduce
from operator import and_, or_

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, IsNull, LessThan, LessThanOrEqual
from django.utils import timezone

from accounts.models import User
from clients.models import Client
from complaints.models import OPEN_STATUSES, Complaint
from contacts.models import Contact
from feedback.models import SurveyKind, SurveyResponse
from feedback.selectors import NPS_BANDS
from interactions.models import Interaction, InteractionStatus
from orders.models import NOT_PLACED, Order, OrderStatus

# Always-true and always-false conditions the database evaluates; an empty Q() would vanish inside an OR.
MATCH_ALL = Q(pk__isnull=False)
MATCH_NONE = Q(pk__isnull=True)
AMOUNT = DecimalField(max_digits=16, decimal_places=2)


def compile_rules(cleaned: dict, *, now: datetime.datetime) -> Q:
    """The condition over Client that the cleaned rules (from validate_rules) describe, as of `now`.

    An empty AND group matches every client, an empty OR group none (the identities of AND and OR).
    """
    return _group(cleaned, now)


def _group(node: dict, now) -> Q:
    parts = [_group(child, now) if "op" in child else _condition(child, now) for child in node["rules"]]
    if not parts:
        return MATCH_ALL if node["op"] == "and" else MATCH_NONE
    return reduce(and_ if node["op"] == "and" else or_, parts)


def _condition(node: dict, now) -> Q:
    return CONDITIONS[node["field"]](node["operator"], node["value"], node.get("days"), now)


# --- Columns of the client ------------------------------------------------------------------------------------


def _column(column: str):
    def build(operator, value, days, now) -> Q:
        q = Q(**{f"{column}__in": value})
        return q if operator == "in" else ~q

    return build


def _city(operator, value, days, now) -> Q:
    lookup = {"equals": "iexact", "contains": "icontains", "starts_with": "istartswith"}[operator]
    return Q(**{f"city__{lookup}": value})


def _team(operator, value, days, now) -> Q:
    # The team of the client's account manager, as a small subquery on users (not an OR across a join).
    q = Q(account_manager__in=User.objects.filter(team__in=value).values("pk"))
    return q if operator == "in" else ~q


def _created(operator, value, days, now) -> Q:
    if operator == "in_last_days":
        return Q(created_at__gte=now - datetime.timedelta(days=value))
    if operator == "before":
        return Q(created_at__lt=_day_start(value))
    if operator == "after":
        return Q(created_at__gte=_day_start(value, plus_days=1))
    return Q(created_at__gte=_day_start(value[0]), created_at__lt=_day_start(value[1], plus_days=1))


def _day_start(iso_day: str, *, plus_days: int = 0) -> datetime.datetime:
    """Midnight starting the day in the company's time zone: dates are calendar days there."""
    day = datetime.date.fromisoformat(iso_day) + datetime.timedelta(days=plus_days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), timezone.get_default_timezone())


# --- Related rows: EXISTS ---------------------------------------------------------------------------------------


def _exists_of(rows_for):
    """in: some related row has one of the values; not_in: none has (so clients without rows match)."""

    def build(operator, value, days, now) -> Q:
        q = Q(Exists(rows_for(value)))
        return q if operator == "in" else ~q

    return build


def _tagged(value):
    return Client.tags.through.objects.filter(client_id=OuterRef("pk"), tag_id__in=value)


def _speaking(value):
    return Contact.objects.filter(client_id=OuterRef("pk"), language__in=value)


def _days_since_last_interaction(operator, value, days, now) -> Q:
    """Whole days since the latest completed interaction up to now; never contacted counts as endless.

    Compiled to "no completed interaction in the last N days" tests, so no date arithmetic runs in SQL.
    """

    def at_least(n: int) -> Q:
        recent = Interaction.objects.filter(
            client_id=OuterRef("pk"),
            status=InteractionStatus.COMPLETED,
            occurred_at__gt=now - datetime.timedelta(days=n),
            occurred_at__lte=now,
        )
        return ~Q(Exists(recent))

    low, high = value if operator == "between" else (value, value)
    tests = {
        "gte": lambda: at_least(value),
        "gt": lambda: at_least(value + 1),
        "lt": lambda: ~at_least(value),
        "lte": lambda: ~at_least(value + 1),
        "eq": lambda: at_least(value) & ~at_least(value + 1),
        "ne": lambda: ~(at_least(value) & ~at_least(value + 1)),
        "between": lambda: at_least(low) & ~at_least(high + 1),
    }
    return tests[operator]()


# --- Related rows: scalar subqueries ----------------------------------------------------------------------------


def _per_client(rows, aggregate, output_field):
    """One figure per client from its related rows, correlated on the client (a scalar subquery)."""
    return Subquery(
        rows.filter(client_id=OuterRef("pk"))
        .order_by()
        .values("client_id")
        .annotate(figure=aggregate)
        .values("figure"),
        output_field=output_field,
    )


def _compare(expression, operator, value) -> Q:
    if operator == "between":
        return Q(GreaterThanOrEqual(expression, value[0])) & Q(LessThanOrEqual(expression, value[1]))
    if operator == "ne":
        return ~Q(Exact(expression, value))
    lookup = {"eq": Exact, "gt": GreaterThan, "gte": GreaterThanOrEqual, "lt": LessThan, "lte": LessThanOrEqual}
    return Q(lookup[operator](expression, value))


def _counted(rows_for):
    """A count of related rows (0 when there are none) compared with the value."""

    def build(operator, value, days, now) -> Q:
        count = Coalesce(_per_client(rows_for(days, now), Count("pk"), IntegerField()), 0)
        return _compare(count, operator, value)

    return build


def _since(now, days: int) -> datetime.datetime:
    return now - datetime.timedelta(days=days)


def _interactions(days, now):
    return Interaction.objects.filter(
        status=InteractionStatus.COMPLETED, occurred_at__gte=_since(now, days), occurred_at__lte=now
    )


def _orders(days, now):
    return Order.objects.exclude(status__in=NOT_PLACED).filter(created_at__gte=_since(now, days), created_at__lte=now)


def _open_complaints(days, now):
    return Complaint.objects.filter(status__in=OPEN_STATUSES)


def _breached_complaints(days, now):
    start = _since(now, days)
    return Complaint.objects.filter(
        Q(first_response_breached_at__gte=start, first_response_breached_at__lte=now)
        | Q(resolution_breached_at__gte=start, resolution_breached_at__lte=now)
    )


def _revenue(operator, value, days, now) -> Q:
    """Totals of orders delivered in the window, in the default currency only (amounts do not mix)."""
    delivered = Order.objects.filter(
        status=OrderStatus.DELIVERED,
        currency=settings.DEFAULT_CURRENCY,
        delivered_at__gte=_since(now, days),
        delivered_at__lte=now,
    )
    revenue = Coalesce(_per_client(delivered, Sum("total"), AMOUNT), Value(Decimal("0.00"), output_field=AMOUNT))
    amounts = [Decimal(v) for v in value] if operator == "between" else Decimal(value)
    return _compare(revenue, operator, amounts)


def _latest_answer(kind: str):
    """The score of the client's latest answer of a kind (NULL when it never answered)."""
    return Subquery(
        SurveyResponse.objects.filter(client_id=OuterRef("pk"), kind=kind)
        .order_by("-answered_at", "-pk")
        .values("score")[:1],
        output_field=IntegerField(),
    )


def _latest_csat(operator, value, days, now) -> Q:
    """Clients that never answered a CSAT survey have no score and match no latest_csat condition."""
    score = _latest_answer(SurveyKind.CSAT)
    return Q(IsNull(score, False)) & _compare(score, operator, value)


def _last_nps_category(operator, value, days, now) -> Q:
    """The band of the latest NPS answer; not_in also matches clients that never answered."""
    score = _latest_answer(SurveyKind.NPS)
    in_bands = reduce(
        or_,
        (
            Q(GreaterThanOrEqual(score, NPS_BANDS[band][0]), LessThanOrEqual(score, NPS_BANDS[band][1]))
            for band in value
        ),
    )
    return in_bands if operator == "in" else Q(IsNull(score, True)) | ~in_bands


def _health_score(operator, value, days, now) -> Q:
    """The latest health score on the client's row; clients never scored (NULL) match no condition on it."""
    return Q(health_score__isnull=False) & _compare(F("health_score"), operator, value)


CONDITIONS = {
    "tier": _column("tier"),
    "status": _column("status"),
    "industry": _column("industry"),
    "country": _column("country"),
    "city": _city,
    "account_manager": _column("account_manager_id"),
    "team": _team,
    "tags": _exists_of(_tagged),
    "created": _created,
    "contact_language": _exists_of(_speaking),
    "days_since_last_interaction": _days_since_last_interaction,
    "interactions_last_days": _counted(_interactions),
    "orders_last_days": _counted(_orders),
    "revenue_last_days": _revenue,
    "last_nps_category": _last_nps_category,
    "latest_csat": _latest_csat,
    "open_complaints": _counted(_open_complaints),
    "breached_complaints_last_days": _counted(_breached_complaints),
    # A never-scored client's band is "": outside every "in" list, so "not_in" (the complement) includes it.
    "health_band": _column("health_band"),
    "health_score": _health_score,
}
