"""The dashboard as CSV files: raw numbers (no thousands separators, no units in the cells) for
spreadsheets, with the scope and the periods stated in the first rows."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clients.models import Tier
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
MONEY = {"revenue", "revenue_per_client"}


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


def raw(value: Decimal | int | None, currency: str = "") -> str:
    """A number as spreadsheets read it: "1250.50", "-3", and "" for no value (never "1E+1"); an amount
    with its currency's minor units."""
    if value is None:
        return ""
    if currency:
        value = round_money(Decimal(value), currency)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def _scope_rows(dashboard: Dashboard) -> list[list[str]]:
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


def kpi_rows(dashboard: Dashboard) -> list[list[str]]:
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
                    raw(kpi.number, currency),
                    raw(kpi.previous_number, currency),
                    raw(kpi.difference, currency),
                    _unit(kpi.key),
                    currency,
                ]
            )
    return rows


def manager_rows(dashboard: Dashboard) -> list[list[str]]:
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
                raw(row.clients),
                raw(row.interactions),
                raw(row.follow_ups_done),
                raw(row.follow_ups_overdue),
                raw(row.open_complaints),
                raw(row.sla),
                raw(row.csat.value),
                raw(row.csat.answers),
                raw(row.nps.value),
                raw(row.nps.answers),
                raw(row.revenue, dashboard.currency),
                dashboard.currency,
                row.revenue_note,
            ]
        )
    return rows


def filename(name: str, period: Period) -> str:
    return f"{name}-{period.first_day.isoformat()}-{period.last_day.isoformat()}.csv"


def csv_response(rows: Iterable[list[str]], name: str) -> HttpResponse:
    """A CSV attachment in UTF-8 with a byte-order mark, so that Excel reads Cyrillic and Lithuanian letters."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=f"text/csv; charset={settings.DEFAULT_CHARSET}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
