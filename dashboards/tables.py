"""The dashboard page's figures shaped for templates: the charts' tables (for readers without JavaScript
and for print) and the links next to the heading. Presentation only; the figures come from
selectors.overview."""

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse

from core.money import format_money

from .forms import DEFAULT_PERIOD
from .metrics import THIN_BELOW
from .selectors.display import show_nps, show_percent
from .selectors.overview import Dashboard, ManagerRow, Scope

# The analysis pages understand only these words of the dashboard's query string.
ANALYSIS_PARAMS = ("period", "date_from", "date_to", "team")


@dataclass(frozen=True)
class Cell:
    text: str
    thin: bool = False


@dataclass
class ChartTables:
    """Each chart's figures as table rows; an empty list of rows means the chart has nothing to draw."""

    feedback: list[tuple[str, Cell, Cell, int]] = field(default_factory=list)  # month, NPS, CSAT, answers
    week_labels: list[str] = field(default_factory=list)
    weeks: list[tuple[str, list[int], int]] = field(default_factory=list)  # person, counts per week, total
    week_totals: list[int] = field(default_factory=list)
    currencies: list[str] = field(default_factory=list)
    revenue: list[tuple[str, list[str]]] = field(default_factory=list)  # month, amount per currency


def _score(value: float | None, answers: int, show) -> Cell:
    if value is None:
        return Cell("—")
    return Cell(show(Decimal(str(value))), thin=0 < answers < THIN_BELOW)


def chart_tables(dashboard: Dashboard) -> ChartTables:
    """The four charts' data (the same JSON the charts draw) as rows of formatted figures."""
    tables = ChartTables()
    trend = dashboard.feedback_chart
    if any(trend["npsAnswers"]) or any(trend["csatAnswers"]):
        tables.feedback = [
            (label, _score(nps, nps_n, show_nps), _score(csat, csat_n, show_percent), nps_n + csat_n)
            for label, nps, csat, nps_n, csat_n in zip(
                trend["labels"], trend["nps"], trend["csat"], trend["npsAnswers"], trend["csatAnswers"], strict=True
            )
        ]
    weeks = dashboard.weeks_chart
    if any(any(dataset["data"]) for dataset in weeks["datasets"]):
        tables.week_labels = weeks["labels"]
        tables.weeks = [(dataset["label"], dataset["data"], sum(dataset["data"])) for dataset in weeks["datasets"]]
        columns = zip(*(dataset["data"] for dataset in weeks["datasets"]), strict=True)
        tables.week_totals = [sum(counts) for counts in columns]
    revenue = dashboard.revenue_chart
    if any(any(dataset["data"]) for dataset in revenue["datasets"]):
        tables.currencies = [dataset["currency"] for dataset in revenue["datasets"]]
        tables.revenue = [
            (
                label,
                [
                    format_money(Decimal(str(dataset["data"][index])), dataset["currency"])
                    if dataset["data"][index]
                    else "—"
                    for dataset in revenue["datasets"]
                ],
            )
            for index, label in enumerate(revenue["labels"])
        ]
    return tables


def _with_query(name: str, query: QueryDict | dict) -> str:
    encoded = query.urlencode() if isinstance(query, QueryDict) else urlencode(query)
    return f"{reverse(name)}?{encoded}" if encoded else reverse(name)


def page_links(query: QueryDict, scope: Scope) -> dict[str, str]:
    """The exports and the printable report of exactly what is shown (sort included), and the analysis
    pages for the same period and team."""
    analysis = {key: query[key] for key in ANALYSIS_PARAMS if query.get(key)}
    query = query.copy()
    query.pop("refresh", None)
    refreshed = query.copy()
    refreshed["refresh"] = "1"
    printed = query.copy()
    printed.setdefault("period", DEFAULT_PERIOD)  # the page's period, not the report's own default week
    if scope.team is not None:
        analysis["team"] = scope.team.pk  # a lead's default team, made explicit
    return {
        "refresh": _with_query("dashboards:overview", refreshed),
        "export_kpis": _with_query("dashboards:export_kpis", query),
        "export_managers": _with_query("dashboards:export_managers", query),
        "print": _with_query("dashboards:print", printed),
        "complaints": _with_query("dashboards:complaints", analysis),
        "feedback": _with_query("dashboards:feedback", analysis),
    }


@dataclass(frozen=True)
class PersonRow:
    """A row of the per-manager table with its figures formatted, and the dashboard narrowed to the person."""

    row: ManagerRow
    url: str  # "" when the viewer may not narrow the dashboard to them
    sla: str
    csat: Cell
    nps: Cell
    revenue: str


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else show_percent(value)


def person_rows(dashboard: Dashboard, query: QueryDict) -> list[PersonRow]:
    """The per-manager table's rows; a person can be picked when they are a manager or lead of a team in
    the scope (not someone since moved to another team, nor an admin who logged a call)."""
    base = query.copy()
    for key in ("team", "manager"):
        base.pop(key, None)
    team = dashboard.scope.team
    rows = []
    for row in dashboard.managers:
        person = row.person
        url = ""
        in_scope = person.team_id is not None and (team is None or person.team_id == team.pk)
        if in_scope and (person.is_manager or person.is_team_lead):
            narrowed = base.copy()
            narrowed["team"], narrowed["manager"] = person.team_id, person.pk
            url = _with_query("dashboards:overview", narrowed)
        rows.append(
            PersonRow(
                row=row,
                url=url,
                sla=_percent(row.sla),
                csat=Cell(_percent(row.csat.value), row.csat.thin),
                nps=Cell("—" if row.nps.value is None else show_nps(row.nps.value), row.nps.thin),
                revenue=format_money(row.revenue, dashboard.currency),
            )
        )
    return rows
