"""The dashboard as CSV files: raw numbers (no thousands separators, no units in the cells) for
spreadsheets, with the scope and the periods stated in the first rows.

Figures go into the rows as numbers (`figure`: int, Decimal or None) and names as text, so that the writer
(core.csv_safety) guards the text against spreadsheet formulas and leaves a negative change such as -3 a number."""

import io
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clients.models import Tier
from core.csv_safety import SafeWriter
from core.money import round_money

from .selectors.display import Period
from .selectors.overview import Dashboard

# What each KPI's raw number counts; money tiles are in the default currency (their own column).
UNITS = {
    "csat": "percent",
    "response_rate": "percent",
    "sla": "percent",
    "on_time": "percent",
    "churn_rate": "percent",
    "nps": "nps",
    "first_response": "business_minutes",
    "resolution": "seconds",
}
MONEY = {"revenue", "revenue_per_client", "at_risk_revenue"}


def unit_code(key: str) -> str:
    """What a KPI's raw number counts, as a code: percent, nps, business_minutes, seconds, count or money."""
    return "money" if key in MONEY else UNITS.get(key, "count")


def _unit(key: str) -> str:
    unit = unit_code(key)
    return {
        "percent": "%",
        "business_minutes": _("business minutes"),
        "seconds": _("seconds"),
        "count": _("count"),
        "money": _("amount"),
        "nps": _("NPS"),
    }[unit]


def figure(value: Decimal | int | None, currency: str = "") -> Decimal | int | None:
    """A figure for a CSV cell, kept a number; an amount rounded to its currency's minor units."""
    if value is not None and currency:
        return round_money(Decimal(value), currency)
    return value


def raw(value: Decimal | int | None, currency: str = "") -> str:
    """A number as spreadsheets read it: "1250.50", "-3", and "" for no value (never "1E+1"); an amount
    with its currency's minor units."""
    value = figure(value, currency)
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _scope_rows(dashboard: Dashboard) -> list[list]:
    scope = dashboard.scope
    period, previous = dashboard.period, dashboard.previous
    return [
        [_("Team"), scope.team.name if scope.team else _("All teams")],
        [_("Manager"), scope.manager.full_name if scope.manager else _("All managers")],
        [_("Tier"), Tier(scope.tier).label if scope.tier else _("All tiers")],
        # only when chosen: files without a segment keep the layout they always had
        *([[_("Segment"), scope.segment.name]] if scope.segment else []),
        [_("Period"), period.first_day.isoformat(), period.last_day.isoformat()],
        [_("Previous period"), previous.first_day.isoformat(), previous.last_day.isoformat()],
        [],
    ]


def kpi_rows(dashboard: Dashboard) -> list[list]:
    """The scope, then one row per tile: group, key, label, value, previous value, change, unit, currency."""
    rows = _scope_rows(dashboard)
    rows.append(
        [
            _("Group"),
            pgettext("figure's code", "Key"),
            _("Label"),
            _("Value"),
            _("Previous value"),
            pgettext("difference between two periods", "Change"),
            _("Unit"),
            _("Currency"),
        ]
    )
    for group in dashboard.groups:
        for kpi in group.kpis:
            currency = dashboard.currency if kpi.key in MONEY else ""
            rows.append(
                [
                    group.title,
                    kpi.key,
                    kpi.label,
                    figure(kpi.number, currency),
                    figure(kpi.previous_number, currency),
                    figure(kpi.difference, currency),
                    _unit(kpi.key),
                    currency,
                ]
            )
    return rows


def manager_rows(dashboard: Dashboard) -> list[list]:
    """The scope, then one row per person of the per-manager table, in the page's order."""
    rows = _scope_rows(dashboard)
    rows.append(
        [
            _("Manager"),
            _("Team"),
            _("Active clients"),
            _("Interactions"),
            _("Follow-ups done"),
            _("Overdue follow-ups"),
            _("Open complaints"),
            _("SLA compliance %"),
            _("CSAT %"),
            _("CSAT answers"),
            _("NPS"),
            _("NPS answers"),
            _("Delivered revenue"),
            _("Currency"),
            _("Revenue in other currencies"),
        ]
    )
    for row in dashboard.managers:
        rows.append(
            [
                row.person.full_name,
                row.person.team.name if row.person.team else "",
                figure(row.clients),
                figure(row.interactions),
                figure(row.follow_ups_done),
                figure(row.follow_ups_overdue),
                figure(row.open_complaints),
                figure(row.sla),
                figure(row.csat.value),
                figure(row.csat.answers),
                figure(row.nps.value),
                figure(row.nps.answers),
                figure(row.revenue, dashboard.currency),
                dashboard.currency,
                row.revenue_note,
            ]
        )
    return rows


def filename(name: str, period: Period) -> str:
    return f"{name}-{period.first_day.isoformat()}-{period.last_day.isoformat()}.csv"


def csv_response(rows: Iterable[list], name: str) -> HttpResponse:
    """A CSV attachment in UTF-8 with a byte-order mark, so that Excel reads Cyrillic and Lithuanian letters; no
    cell runs as a spreadsheet formula."""
    buffer = io.StringIO()
    SafeWriter(buffer).writerows(rows)
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=f"text/csv; charset={settings.DEFAULT_CHARSET}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
