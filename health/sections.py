"""The client page's health section: score and band, the reasons in words, the next best action and the last 90
days of the score (registered in health.registrations; also the health page and its htmx partial)."""

from datetime import timedelta

from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _

from clients.models import Status

from . import selectors
from .models import HealthConfig, Signal
from .scoring import company_day

HISTORY_DAYS = 90
SCORED_STATUSES = (Status.ACTIVE, Status.PROSPECT)


def _history_chart(client, rows: list, *, since, today, config: HealthConfig) -> dict:
    """The score of each day of the window for the chart: a row holds from its day until the next one, so the days
    before the window's first row take the score of the row before the window (one query, only when needed)."""
    current = None
    if not rows or rows[0].day > since:
        before = selectors.get_health_on(client, since)
        current = before.score if before else None
    by_day = {row.day: row.score for row in rows}
    labels, scores = [], []
    day = since
    while day <= today:
        current = by_day.get(day, current)
        labels.append(date_filter(day, "j M"))
        scores.append(current)
        day += timedelta(days=1)
    first = next((index for index, score in enumerate(scores) if score is not None), 0)
    labels, scores = labels[first:], scores[first:]  # from the first score on: no empty stretch before it
    return {
        "labels": labels,
        "scores": scores,
        "watchBelow": config.watch_below,
        "atRiskBelow": config.at_risk_below,
        "scoreLabel": _("Health score"),
        "watchLabel": _("Watch below"),
        "atRiskLabel": _("At risk below"),
    }


def client_health_context(request, client, can_edit):
    """The client page's health: score and band, the reasons in words strongest first, the next best action, and
    the last 90 days of the score; a constant number of queries whatever the history's length."""
    context = {"client": client, "can_edit": can_edit, "scored": client.health_score is not None}
    context["scoreable"] = client.status in SCORED_STATUSES
    if not context["scored"]:
        return context
    today = company_day(timezone.now())
    since = today - timedelta(days=HISTORY_DAYS)
    health = selectors.get_explained_health(client, days=HISTORY_DAYS, today=today)
    context.update(
        reasons=health.reasons,
        next_action=health.next_action,
        # every signal with its weight and the points it took: the health page's table
        parts=[
            {**part, "label": Signal(part["signal"]).label} for part in health.parts if part["signal"] in Signal.values
        ],
        history=list(reversed(health.rows)),  # the table: newest first
        chart=_history_chart(client, health.rows, since=since, today=today, config=HealthConfig.get()),
    )
    return context
