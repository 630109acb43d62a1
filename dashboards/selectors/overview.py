"""Reads behind the team dashboard: every KPI of the period next to the period before, four charts and
the per-manager table, each figure linked to the list behind it (drill-down).

Who is responsible for a record decides which team and manager it counts for: the client's account
manager for clients, orders and survey answers, who logged an interaction, the follow-up's assignee and
the complaint's owner. The tier is always the client's. Figures come from dashboards.metrics (one
definition each); a constant number of queries whatever the data (see get_dashboard).
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import Role, Team, User
from clients.models import Client, HealthBand, Status
from clients.selectors import clients_visible_to, of_visible_clients
from complaints.models import Complaint
from complaints.selectors import complaints_visible_to, with_sla
from core.money import format_money
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse
from interactions.models import FollowUp, Interaction
from interactions.selectors import follow_ups_visible_to, interactions_visible_to
from orders.models import Order, OrderStatus
from orders.selectors import orders_visible_to
from segments.models import Segment
from segments.selectors import get_segment_condition

from .. import metrics
from .complaints import pareto_chart
from .display import (
    Kpi,
    Period,
    as_float,
    make_kpi,
    show_count,
    show_hours,
    show_hours_minutes,
    show_nps,
    show_nps_points,
    show_percent,
    show_points,
)
from .feedback import trend_chart, trend_window
from .health import AtRiskPanel, get_at_risk_panel

TREND_WEEKS = 12


@dataclass(frozen=True)
class Scope:
    """What the dashboard looks at: a team (None: every team), a manager (None: all of them), a tier, and
    a segment (None: every client)."""

    team: Team | None = None
    manager: User | None = None
    tier: str = ""
    segment: Segment | None = None


@dataclass
class Sources:
    """The records of the scope the viewer may see, one queryset per kind."""

    clients: QuerySet[Client]
    interactions: QuerySet[Interaction]
    follow_ups: QuerySet[FollowUp]
    complaints: QuerySet[Complaint]
    orders: QuerySet[Order]
    responses: QuerySet[SurveyResponse]
    requests: QuerySet[SurveyRequest]


def list_dashboard_sources(user: User, scope: Scope, *, now: datetime | None = None) -> Sources:
    """Each kind of record narrowed to what the user may see (each app's visibility rule) and to the scope;
    a segment's members are those matching its rules `now`."""
    members = get_segment_condition(scope.segment, now=now) if scope.segment is not None else None
    # The other records reach the segment's members through one subquery: the compiled rules correlate on
    # the client's own row, so they are applied to clients and never joined through client__.
    segment_clients = Client.objects.filter(members).values("pk") if members is not None else None

    def narrow(qs: QuerySet, person: str, client: str = "client__") -> QuerySet:
        if scope.team is not None:
            qs = qs.filter(**{f"{person}__team": scope.team})
        if scope.manager is not None:
            qs = qs.filter(**{person: scope.manager})
        if scope.tier:
            qs = qs.filter(**{f"{client}tier": scope.tier})
        if members is not None:
            qs = qs.filter(members) if not client else qs.filter(client__in=segment_clients)
        return qs

    return Sources(
        clients=narrow(clients_visible_to(user), "account_manager", client=""),
        interactions=narrow(interactions_visible_to(user), "logged_by"),
        follow_ups=narrow(follow_ups_visible_to(user), "assignee"),
        complaints=narrow(complaints_visible_to(user), "owner"),
        orders=narrow(orders_visible_to(user), "client__account_manager"),
        responses=narrow(of_visible_clients(SurveyResponse.objects.all(), user), "client__account_manager"),
        requests=narrow(of_visible_clients(SurveyRequest.objects.all(), user), "client__account_manager"),
    )


# --- Drill-down links ---------------------------------------------------------------------------
# The list pages take the same words: `team` (the responsible person's team), the responsible person
# under each list's own name, `tier`, and dates as ISO days (inclusive) in the viewer's time zone.


def _url(name: str, **params) -> str:
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return f"{reverse(name)}?{query}" if query else reverse(name)


class Links:
    """The URL of the list behind each figure, for one scope and period (or one manager's row)."""

    def __init__(self, scope: Scope, period: Period, *, person: User | None = None):
        self.team = scope.team.pk if scope.team and person is None else None
        self.person = person.pk if person is not None else scope.manager.pk if scope.manager else None
        self.tier = scope.tier
        self.segment = scope.segment.pk if scope.segment else None
        self.first, self.last = period.first_day.isoformat(), period.last_day.isoformat()

    # Every list behind a tile filters by the segment as the dashboard does: records of its members now.
    def clients(self, **params) -> str:
        return _url("clients:list", team=self.team, manager=self.person, tier=self.tier, segment=self.segment, **params)

    def interactions(self) -> str:
        return _url(
            "interactions:list",
            status="completed",
            team=self.team,
            logged_by=self.person,
            tier=self.tier,
            segment=self.segment,
            **{"from": self.first, "to": self.last},
        )

    def follow_ups(self, state: str) -> str:
        dates = {"done_from": self.first, "done_to": self.last} if state == "done" else {}
        assignee = self.person or ("" if self.team else "all")
        return _url(
            "interactions:follow_up_list",
            state=state,
            team=self.team,
            assignee=assignee,
            tier=self.tier,
            segment=self.segment,
            **dates,
        )

    def complaints(self, **params) -> str:
        return _url(
            "complaints:list", team=self.team, owner=self.person, tier=self.tier, segment=self.segment, **params
        )

    def complaints_received(self) -> str:
        return self.complaints(received_from=self.first, received_to=self.last)

    def complaints_resolved(self) -> str:
        return self.complaints(resolved_from=self.first, resolved_to=self.last)

    def orders(self, **params) -> str:
        return _url("orders:list", team=self.team, manager=self.person, tier=self.tier, segment=self.segment, **params)

    def delivered(self) -> str:
        return self.orders(status=OrderStatus.DELIVERED, delivered_from=self.first, delivered_to=self.last)

    def answers(self, kind: str = "") -> str:
        return _url(
            "surveys:answers",
            kind=kind,
            team=self.team,
            manager=self.person,
            tier=self.tier,
            segment=self.segment,
            **{"from": self.first, "to": self.last},
        )


# --- The tiles --------------------------------------------------------------------------------


def _prefixed(prefix: str, terms: dict) -> dict:
    return {f"{prefix}{key}": value for key, value in terms.items()}


def _unprefixed(prefix: str, figures: dict) -> dict:
    return {key[len(prefix) :]: value for key, value in figures.items() if key.startswith(prefix)}


@dataclass
class PeriodFigures:
    """Every tile's raw value for one period (None: no value)."""

    values: dict[str, Decimal | int | None] = field(default_factory=dict)
    thin: dict[str, bool] = field(default_factory=dict)
    revenue: list[metrics.Revenue] = field(default_factory=list)


def _period_figures(sources: Sources, periods: dict[str, Period], now: datetime) -> dict[str, PeriodFigures]:
    """The tiles' values for each named period, reading every table once for all periods (plus the medians).

    Counts "at" a period are taken at its end, or now when it ends later (the current period).
    """
    at = {name: min(period.end, now) for name, period in periods.items()}
    # Every query also says in its WHERE which rows can count at all (the periods' span, or still
    # open), so the database reads the span through its date indexes instead of every row of the scope.
    first, last = min(period.start for period in periods.values()), max(period.end for period in periods.values())
    results = {name: PeriodFigures() for name in periods}

    def terms(build: Callable[[str, Period], dict]) -> dict:
        return {key: value for name, period in periods.items() for key, value in build(name, period).items()}

    clients = sources.clients.aggregate(
        **terms(lambda n, p: _prefixed(f"{n}_", metrics.client_base_terms(p.start, p.end, p.first_day, p.last_day)))
    )
    cold = metrics.going_cold_counts(sources.clients, at)
    interactions = sources.interactions.filter(occurred_at__gte=first, occurred_at__lt=last).aggregate(
        **terms(lambda n, p: {f"{n}_logged": Count("pk", filter=metrics.logged_in(p.start, p.end))})
    )
    follow_ups = sources.follow_ups.filter(metrics.follow_ups_counted_since(first)).aggregate(
        **terms(lambda n, p: _prefixed(f"{n}_", metrics.follow_up_terms(p.start, p.end, at[n])))
    )
    complaints = with_sla(sources.complaints.filter(metrics.complaints_counted_since(first)), now=now).aggregate(
        **terms(
            lambda n, p: _prefixed(
                f"{n}_",
                {
                    **metrics.sla_terms(p.start, p.end),
                    **metrics.resolution_terms(p.start, p.end),
                    **metrics.open_complaint_terms(at[n]),
                    "first_answered": Count(
                        "first_response_business_minutes", filter=metrics.first_answered_in(p.start, p.end)
                    ),
                },
            )
        )
    )
    orders = sources.orders.filter(Q(created_at__gte=first) | Q(delivered_at__gte=first)).aggregate(
        **terms(
            lambda n, p: _prefixed(
                f"{n}_",
                {
                    **metrics.on_time_delivery_terms(p.start, p.end),
                    "placed": Count("pk", filter=metrics.placed_in(p.start, p.end)),
                },
            )
        )
    )
    revenue_rows = (
        sources.orders.filter(status=OrderStatus.DELIVERED, delivered_at__gte=first, delivered_at__lt=last)
        .values("currency")
        .annotate(**terms(lambda n, p: _prefixed(f"{n}_", metrics.revenue_terms(p.start, p.end))))
        .order_by()
    )
    scores = sources.responses.filter(answered_at__gte=first, answered_at__lt=last).aggregate(
        **terms(
            lambda n, p: _prefixed(f"{n}_", {**metrics.nps_terms(p.start, p.end), **metrics.csat_terms(p.start, p.end)})
        )
    )
    sent = sources.requests.filter(sent_at__gte=first, sent_at__lt=last).aggregate(
        **terms(lambda n, p: _prefixed(f"{n}_", metrics.response_rate_terms(p.start, p.end)))
    )
    revenue_rows = list(revenue_rows)

    for name, period in periods.items():
        own = f"{name}_"
        base, care, work = _unprefixed(own, clients), _unprefixed(own, complaints), _unprefixed(own, follow_ups)
        delivery = _unprefixed(own, orders)
        nps = metrics.nps_score(_unprefixed(own, scores))
        csat = metrics.csat_score(_unprefixed(own, scores))
        rate = metrics.response_rate_of(_unprefixed(own, sent))
        result = results[name]
        result.revenue = sorted(
            (
                metrics.Revenue(row["currency"], row[f"{own}amount"], row[f"{own}clients"])
                for row in revenue_rows
                if row[f"{own}amount"] is not None
            ),
            key=lambda revenue: (-revenue.amount, revenue.currency),
        )
        resolved = metrics.resolved_in(period.start, period.end)
        answered = metrics.first_answered_in(period.start, period.end)
        result.values = {
            "csat": csat.value,
            "nps": nps.value,
            "response_rate": rate.value,
            "first_response": metrics.median(
                sources.complaints.filter(answered), "first_response_business_minutes", count=care["first_answered"]
            ),
            "resolution": metrics.median(
                sources.complaints.filter(resolved), "resolution_seconds", count=care["resolution_timed"]
            ),
            "sla": metrics.percent(care["sla_kept"], care["received"]),
            "open_complaints": care["open"],
            "breached_complaints": care["breached"],
            "overdue_follow_ups": work["follow_ups_overdue"],
            "follow_ups_done": work["follow_ups_done"],
            "interactions": interactions[f"{own}logged"],
            "orders": delivery["placed"],
            "on_time": metrics.percent(delivery["on_time"], delivery["delivered"]),
            "active_clients": base["active_end"],
            "churn_rate": metrics.percent(base["churned"], base["active_start"]),
            "going_cold": cold[name],
        }
        result.thin = {"csat": csat.thin, "nps": nps.thin, "response_rate": rate.thin}
    return results


def _main(revenues: list[metrics.Revenue], currency: str) -> metrics.Revenue | None:
    return next((revenue for revenue in revenues if revenue.currency == currency), None)


def _others(revenues: list[metrics.Revenue], currency: str, amount: Callable[[metrics.Revenue], Decimal]) -> str:
    """The amounts in currencies other than the main one, to show under it ("" when none)."""
    others = [format_money(amount(revenue), revenue.currency) for revenue in revenues if revenue.currency != currency]
    return _("Also %(amounts)s") % {"amounts": ", ".join(others)} if others else ""


@dataclass(frozen=True)
class TileGroup:
    title: str
    kpis: list[Kpi]


def _money(currency: str) -> Callable[[Decimal], str]:
    return lambda value: format_money(abs(value), currency)


# Each tile: key, label, definition, how to show the value, how to show the change, whether higher is
# better (None: neither), and the list behind it.
_TILES: tuple[tuple[str, tuple], ...] = (
    (
        gettext_lazy("Satisfaction"),
        (
            (
                "csat",
                gettext_lazy("CSAT"),
                gettext_lazy("CSAT answers given in the period that scored 4 or 5 of 5."),
                show_percent,
                show_points,
                True,
                lambda links: links.answers(SurveyKind.CSAT),
            ),
            (
                "nps",
                gettext_lazy("NPS"),
                gettext_lazy(
                    "Share of promoters (9–10) minus share of detractors (0–6) among the NPS answers given in the "
                    "period."
                ),
                show_nps,
                show_nps_points,
                True,
                lambda links: links.answers(SurveyKind.NPS),
            ),
            (
                "response_rate",
                gettext_lazy("Survey response rate"),
                gettext_lazy("Surveys sent in the period that were answered (at any time since)."),
                show_percent,
                show_points,
                True,
                lambda links: links.answers(),
            ),
        ),
    ),
    (
        gettext_lazy("Complaints"),
        (
            (
                "first_response",
                gettext_lazy("Median first response"),
                gettext_lazy(
                    "Median business time to the first reply, of the complaints first answered in the period."
                ),
                show_hours_minutes,
                show_hours_minutes,
                False,
                lambda links: links.complaints_received(),
            ),
            (
                "resolution",
                gettext_lazy("Median resolution"),
                gettext_lazy(
                    "Median time to resolve the complaints resolved in the period, without time waiting for the client."
                ),
                show_hours,
                show_hours,
                False,
                lambda links: links.complaints_resolved(),
            ),
            (
                "sla",
                gettext_lazy("SLA compliance"),
                gettext_lazy(
                    "Complaints received in the period answered and resolved (or still open) within their due times."
                ),
                show_percent,
                show_points,
                True,
                lambda links: links.complaints_received(),
            ),
            (
                "open_complaints",
                gettext_lazy("Open complaints"),
                gettext_lazy("Complaints open at the end of the period (now, for a period ending today)."),
                show_count,
                show_count,
                False,
                lambda links: links.complaints(open=1),
            ),
            (
                "breached_complaints",
                gettext_lazy("Breached complaints"),
                gettext_lazy("Of the open complaints, those past a due time (first reply or resolution)."),
                show_count,
                show_count,
                False,
                lambda links: links.complaints(open=1, sla="breached"),
            ),
        ),
    ),
    (
        gettext_lazy("Activity"),
        (
            (
                "interactions",
                gettext_lazy("Interactions logged"),
                gettext_lazy("Calls, meetings, e-mails, chats and visits that took place in the period."),
                show_count,
                show_count,
                True,
                lambda links: links.interactions(),
            ),
            (
                "overdue_follow_ups",
                gettext_lazy("Overdue follow-ups"),
                gettext_lazy("Open follow-ups past their due time at the end of the period."),
                show_count,
                show_count,
                False,
                lambda links: links.follow_ups("overdue"),
            ),
            (
                "going_cold",
                gettext_lazy("Clients going cold"),
                gettext_lazy(
                    "Active and prospect clients not contacted for longer than their tier expects, at the end of "
                    "the period."
                ),
                show_count,
                show_count,
                False,
                lambda links: links.clients(cold=1),
            ),
        ),
    ),
    (
        gettext_lazy("Orders and revenue"),
        (
            (
                "orders",
                gettext_lazy("Orders"),
                gettext_lazy("Orders placed in the period (confirmed or later, not cancelled)."),
                show_count,
                show_count,
                True,
                lambda links: links.orders(ordered_from=links.first, ordered_to=links.last),
            ),
            (
                "revenue",
                gettext_lazy("Delivered revenue"),
                gettext_lazy("Totals of the orders delivered in the period; other currencies are shown apart."),
                None,
                None,
                True,
                lambda links: links.delivered(),
            ),
            (
                "revenue_per_client",
                gettext_lazy("Revenue per client"),
                gettext_lazy("Delivered revenue of the period divided by the clients it came from."),
                None,
                None,
                True,
                lambda links: links.delivered(),
            ),
            (
                "on_time",
                gettext_lazy("On-time delivery"),
                gettext_lazy("Orders delivered in the period on or before their promised date."),
                show_percent,
                show_points,
                True,
                lambda links: links.delivered(),
            ),
        ),
    ),
    (
        gettext_lazy("Client base"),
        (
            (
                "active_clients",
                gettext_lazy("Active clients"),
                gettext_lazy("Clients active at the end of the period."),
                show_count,
                show_count,
                True,
                lambda links: links.clients(status=Status.ACTIVE),
            ),
            (
                "churn_rate",
                gettext_lazy("Churn rate"),
                gettext_lazy("Clients that became churned in the period, of the clients active at its start."),
                show_percent,
                show_points,
                False,
                lambda links: links.clients(status=Status.CHURNED, churned_from=links.first, churned_to=links.last),
            ),
            (
                "at_risk_revenue",
                gettext_lazy("At-risk revenue"),
                gettext_lazy(
                    "Revenue delivered in the last 12 months by the clients whose health is now at risk, whatever "
                    "the period; other currencies are shown apart."
                ),
                None,
                None,
                False,
                lambda links: links.clients(health_band=HealthBand.AT_RISK),
            ),
        ),
    ),
)
# Tiles of the present (now, over a fixed window) rather than of the period: no previous value to compare with.
CURRENT_ONLY = {"at_risk_revenue"}


def _at_risk_note(revenues: list[metrics.Revenue], clients: int, currency: str) -> str:
    counted = ngettext("%(count)d client at risk", "%(count)d clients at risk", clients) % {"count": clients}
    others = _others(revenues, currency, lambda revenue: revenue.amount)
    return " · ".join(part for part in (counted, others) if part)


def _tiles(
    current: PeriodFigures,
    previous: PeriodFigures,
    links: Links,
    at_risk: list[metrics.Revenue] | None = None,
    at_risk_clients: int = 0,
) -> list[TileGroup]:
    currency = settings.DEFAULT_CURRENCY
    money = _money(currency)
    main_now, main_before = _main(current.revenue, currency), _main(previous.revenue, currency)
    main_at_risk = _main(at_risk or [], currency)
    money_values = {
        "revenue": (
            main_now.amount if main_now else None,
            main_before.amount if main_before else None,
            _others(current.revenue, currency, lambda revenue: revenue.amount),
        ),
        "revenue_per_client": (
            main_now.per_client if main_now else None,
            main_before.per_client if main_before else None,
            _others(current.revenue, currency, lambda revenue: revenue.per_client),
        ),
        "at_risk_revenue": (
            main_at_risk.amount if main_at_risk else None,
            None,
            _at_risk_note(at_risk or [], at_risk_clients, currency),
        ),
    }
    groups = []
    for title, tiles in _TILES:
        kpis = []
        for key, label, help_text, show, show_change, higher_is_better, link in tiles:
            note = ""
            if key in money_values:
                value, before, note = money_values[key]
                show = show_change = money
            else:
                value, before = current.values[key], previous.values[key]
            kpi = make_kpi(key, label, help_text, show, show_change, higher_is_better, value, before)
            kpis.append(
                replace(
                    kpi,
                    thin=current.thin.get(key, False),
                    previous_thin=previous.thin.get(key, False),
                    url=link(links),
                    note=note,
                    current_only=key in CURRENT_ONLY,
                )
            )
        groups.append(TileGroup(str(title), kpis))
    return groups


# --- The charts -------------------------------------------------------------------------------


def _weeks_chart(rows: list[metrics.WeekCount], weeks: list[date], names: dict[int | None, str]) -> dict:
    """Interactions per manager per week, one stacked dataset per person, for static/js/charts.js."""
    counts: dict[int | None, dict[date, int]] = defaultdict(dict)
    for row in rows:
        counts[row.person_id][row.week] = row.count
    people = sorted(counts, key=lambda person: (person is None, names.get(person, "").casefold()))
    return {
        "labels": [formats.date_format(week, "j M") for week in weeks],
        "datasets": [
            {"label": names.get(person) or _("Former user"), "data": [counts[person].get(week, 0) for week in weeks]}
            for person in people
        ],
        "countLabel": _("Interactions"),
    }


def _revenue_chart(rows: list[metrics.MonthRevenue], months: list[date]) -> dict:
    """Delivered revenue per month, one dataset per currency (the default first), for static/js/charts.js."""
    amounts: dict[str, dict[date, Decimal]] = defaultdict(dict)
    for row in rows:
        amounts[row.currency][row.month] = row.amount
    currencies = sorted(amounts, key=lambda code: (code != settings.DEFAULT_CURRENCY, code))
    return {
        "labels": [metrics.month_label(month) for month in months],
        "datasets": [
            {"label": code, "currency": code, "data": [as_float(amounts[code].get(month)) or 0 for month in months]}
            for code in currencies
        ],
    }


# --- The per-manager table --------------------------------------------------------------------


NO_SCORE = metrics.Score(None, 0)


@dataclass
class ManagerRow:
    """One person's figures for the period, each with the list behind it."""

    person: User
    clients: int = 0
    interactions: int = 0
    follow_ups_done: int = 0
    follow_ups_overdue: int = 0
    open_complaints: int = 0
    sla: Decimal | None = None
    csat: metrics.Score = NO_SCORE
    nps: metrics.Score = NO_SCORE
    revenue: Decimal | None = None  # in the default currency
    revenue_note: str = ""  # amounts in other currencies
    links: dict[str, str] = field(default_factory=dict)


MANAGER_SORTS = (
    "name",
    "clients",
    "interactions",
    "follow_ups_done",
    "follow_ups_overdue",
    "open_complaints",
    "sla",
    "csat",
    "nps",
    "revenue",
)


def _sort_value(row: ManagerRow, key: str):
    if key == "name":
        return row.person.full_name.casefold()
    value = getattr(row, key)
    return value.value if isinstance(value, metrics.Score) else value


def sort_manager_rows(rows: list[ManagerRow], sort: str) -> list[ManagerRow]:
    """Rows by one column (a leading "-": largest first); people without a value last either way."""
    key = sort.lstrip("-")
    if key not in MANAGER_SORTS:
        key, sort = "name", "name"
    descending = sort.startswith("-")
    with_value = [row for row in rows if _sort_value(row, key) is not None]
    without = [row for row in rows if _sort_value(row, key) is None]
    with_value.sort(key=lambda row: (_sort_value(row, key), row.person.full_name.casefold()), reverse=descending)
    return with_value + sorted(without, key=lambda row: row.person.full_name.casefold())


def _people(scope: Scope, ids: set[int]) -> list[User]:
    """The table's people: the scope's manager, or the team's active members (every active manager and
    lead for all teams), and anyone else with figures in the scope (moved teams, deactivated)."""
    if scope.manager is not None:
        return [scope.manager]
    staff = Q(is_active=True, role__in=[Role.MANAGER, Role.TEAM_LEAD])
    members = staff & Q(team=scope.team) if scope.team is not None else staff
    return list(User.objects.filter(members | Q(pk__in=ids)).select_related("team").order_by("full_name", "pk"))


def _manager_rows(sources: Sources, scope: Scope, period: Period, now: datetime) -> list[ManagerRow]:
    """The per-manager table in seven queries: one grouped count per kind of record, then the people."""
    at = min(period.end, now)
    start, end = period.start, period.end
    currency = settings.DEFAULT_CURRENCY
    clients = dict(
        sources.clients.filter(metrics.active_at(end, period.last_day + timedelta(days=1)))
        .values_list("account_manager")
        .annotate(n=Count("pk"))
        .order_by()
    )
    interactions = dict(
        sources.interactions.filter(metrics.logged_in(start, end))
        .values_list("logged_by")
        .annotate(n=Count("pk"))
        .order_by()
    )
    follow_ups = {
        row["assignee"]: row
        for row in sources.follow_ups.filter(metrics.done_in(start, end) | metrics.overdue_at(at))
        .values("assignee")
        .annotate(**metrics.follow_up_terms(start, end, at))
        .order_by()
    }
    complaints = {
        row["owner"]: row
        for row in with_sla(sources.complaints, now=now)
        .filter(metrics.open_at(at) | metrics.received_in(start, end))
        .values("owner")
        .annotate(open=Count("pk", filter=metrics.open_at(at)), **metrics.sla_terms(start, end))
        .order_by()
    }
    scores = {
        row["client__account_manager"]: row
        for row in sources.responses.filter(metrics.answered_in(start, end))
        .values("client__account_manager")
        .annotate(**metrics.nps_terms(start, end), **metrics.csat_terms(start, end))
        .order_by()
    }
    revenue: dict[int | None, list[metrics.Revenue]] = defaultdict(list)
    for row in (
        sources.orders.filter(status=OrderStatus.DELIVERED, delivered_at__gte=start, delivered_at__lt=end)
        .values("client__account_manager", "currency")
        .annotate(amount=Sum("total"), clients=Count("client_id", distinct=True))
        .order_by("-amount", "currency")
    ):
        revenue[row["client__account_manager"]].append(metrics.Revenue(row["currency"], row["amount"], row["clients"]))
    ids = {key for table in (clients, interactions, follow_ups, complaints, scores, revenue) for key in table}
    rows = []
    for person in _people(scope, {pk for pk in ids if pk is not None}):
        pk = person.pk
        work, care = follow_ups.get(pk, {}), complaints.get(pk, {})
        answers = scores.get(pk, {})
        main = _main(revenue.get(pk, []), currency)
        links = Links(scope, period, person=person)
        rows.append(
            ManagerRow(
                person=person,
                clients=clients.get(pk, 0),
                interactions=interactions.get(pk, 0),
                follow_ups_done=work.get("follow_ups_done", 0),
                follow_ups_overdue=work.get("follow_ups_overdue", 0),
                open_complaints=care.get("open", 0),
                sla=metrics.percent(care.get("sla_kept", 0), care.get("received", 0)),
                csat=metrics.csat_score(answers),
                nps=metrics.nps_score(answers),
                revenue=main.amount if main else None,
                revenue_note=_others(revenue.get(pk, []), currency, lambda item: item.amount),
                links={
                    "clients": links.clients(status=Status.ACTIVE),
                    "interactions": links.interactions(),
                    "follow_ups_done": links.follow_ups("done"),
                    "follow_ups_overdue": links.follow_ups("overdue"),
                    "open_complaints": links.complaints(open=1),
                    "sla": links.complaints_received(),
                    "csat": links.answers(SurveyKind.CSAT),
                    "nps": links.answers(SurveyKind.NPS),
                    "revenue": links.delivered(),
                },
            )
        )
    return rows


# --- The page ---------------------------------------------------------------------------------


@dataclass
class Dashboard:
    scope: Scope
    period: Period
    previous: Period
    groups: list[TileGroup]
    managers: list[ManagerRow]
    feedback_chart: dict
    category_chart: dict
    category_rows: list[metrics.ParetoRow]
    weeks_chart: dict
    revenue_chart: dict
    currency: str
    at_risk: AtRiskPanel = field(default_factory=AtRiskPanel)  # the scope's clients now at risk
    computed_at: datetime | None = None  # when the figures were read from the database
    thin_below: int = metrics.THIN_BELOW

    @property
    def kpis(self) -> list[Kpi]:
        return [kpi for group in self.groups for kpi in group.kpis]


def get_dashboard(
    user: User, *, scope: Scope, period: Period, now: datetime | None = None, sort: str = "name"
) -> Dashboard:
    """The team dashboard for a scope and period, next to the period of as many days before it.

    A constant number of queries whatever the data: one aggregate per table for both periods (clients,
    going cold, interactions, follow-ups, complaints, orders, revenue, answers, requests), up to four
    medians, two grouped queries per chart, seven for the per-manager table, and up to three for account
    health (the at-risk revenue, the at-risk clients with their count, and the panel's clients' revenue).
    """
    now = now or timezone.now()
    sources = list_dashboard_sources(user, scope, now=now)
    previous = period.previous()
    figures = _period_figures(sources, {"current": period, "previous": previous}, now)
    trend = metrics.feedback_by_month(sources.responses, sources.requests, *trend_window(period))
    categories = metrics.complaints_by_category(sources.complaints, period.start, period.end)
    # Whole weeks of the company's calendar, the last one holding the period's last day; the end is capped
    # (as trend_window caps months) so that a viewer west of the company's zone never pushes a 13th week in.
    weeks_start = metrics.week_start(period.last_day - timedelta(weeks=TREND_WEEKS - 1))
    weeks_end = min(period.end, metrics.week_start(period.last_day + timedelta(weeks=1)))
    weeks = metrics.week_starts(weeks_start, weeks_end)
    week_rows = metrics.interactions_by_week(sources.interactions, weeks_start, weeks_end)
    managers = sort_manager_rows(_manager_rows(sources, scope, period, now), sort)
    names = {row.person.pk: row.person.full_name for row in managers}
    missing = {row.person_id for row in week_rows} - set(names) - {None}
    names.update(dict(User.objects.filter(pk__in=missing).values_list("pk", "full_name")) if missing else {})
    revenue_start, revenue_end = trend_window(period)
    months = [bucket.key for bucket in trend]
    links = Links(scope, period)
    at_risk_url = links.clients(health_band=HealthBand.AT_RISK)
    at_risk = get_at_risk_panel(sources.clients, sources.orders, now=now, url=at_risk_url)
    return Dashboard(
        scope=scope,
        period=period,
        previous=previous,
        groups=_tiles(
            figures["current"],
            figures["previous"],
            links,
            at_risk=metrics.at_risk_revenue(sources.orders, now),
            at_risk_clients=at_risk.total,
        ),
        managers=managers,
        feedback_chart=trend_chart(trend),
        category_chart=pareto_chart(categories),
        category_rows=categories,
        weeks_chart=_weeks_chart(week_rows, weeks, names),
        revenue_chart=_revenue_chart(metrics.revenue_by_month(sources.orders, revenue_start, revenue_end), months),
        currency=settings.DEFAULT_CURRENCY,
        at_risk=at_risk,
        computed_at=now,
    )


def list_dashboard_managers(user: User) -> QuerySet[User]:
    """People the dashboard may be narrowed to: managers and leads of the teams the user may analyse."""
    people = User.objects.filter(role__in=[Role.MANAGER, Role.TEAM_LEAD]).select_related("team")
    if user.is_admin:
        return people
    if user.is_team_lead:
        return people.filter(team__lead=user)
    return people.none()
