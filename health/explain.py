"""Sentences from a score's parts: why a client scored what it did, and the one thing to do next.

The parts hold numbers, ISO dates and ids only (health.scoring), so the words are made here, in the active
language, when a page or an e-mail shows them: a stored score reads correctly in every language.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from clients.models import Client, Tier

from .models import Signal


@dataclass(frozen=True)
class Reason:
    """One signal that took points off: its name, the points it took and a sentence saying why."""

    signal: str
    points: float
    text: str


@dataclass(frozen=True)
class NextAction:
    """The suggested next step: kind (call, resolve_complaint, follow_up, send_survey, review_meeting), a
    sentence and the page of this site where it is done."""

    kind: str
    text: str
    url: str


def _day(iso: str | None, today: date) -> str:
    """A short date in the active language; the year only when it is not this year's."""
    if not iso:
        return ""
    day = date.fromisoformat(iso)
    if day.year == today.year:
        # Translators: a date format (Django's date filter) for a day of this year inside a sentence: 3 Nov
        return date_filter(day, pgettext("date in a sentence", "j M"))
    # Translators: a date format (Django's date filter) for a day of another year inside a sentence: 3 Nov 2025
    return date_filter(day, pgettext("date in a sentence", "j M Y"))


def _contact_gap(facts: dict, today: date) -> str:
    values = {
        "days": facts["days"],
        "cadence": facts["cadence"],
        "tier": Tier(facts["tier"]).label if facts.get("tier") in Tier.values else facts.get("tier", ""),
    }
    if facts.get("last"):
        text = ngettext(
            "No contact for %(days)s day; expected every %(cadence)s for %(tier)s",
            "No contact for %(days)s days; expected every %(cadence)s for %(tier)s",
            facts["days"],
        )
    else:
        text = ngettext(
            "Never contacted in %(days)s day; expected every %(cadence)s for %(tier)s",
            "Never contacted in %(days)s days; expected every %(cadence)s for %(tier)s",
            facts["days"],
        )
    return text % values


def _overdue_follow_ups(facts: dict, today: date) -> str:
    text = ngettext(
        "%(count)s overdue follow-up, due %(date)s",
        "%(count)s overdue follow-ups, the oldest due %(date)s",
        facts["count"],
    )
    return text % {"count": facts["count"], "date": _day(facts.get("oldest_due"), today)}


def _complaints(facts: dict, today: date) -> str:
    opened, breached, number = facts.get("open", 0), facts.get("breached", 0), facts.get("number", "")
    if opened and breached:
        text = _("%(open)s; %(breached)s (%(number)s)") % {
            "open": ngettext("%(count)s open complaint", "%(count)s open complaints", opened) % {"count": opened},
            "breached": ngettext(
                "%(count)s past its SLA in the last 90 days", "%(count)s past their SLA in the last 90 days", breached
            )
            % {"count": breached},
            "number": number,
        }
    elif breached:
        text = ngettext(
            "%(count)s complaint past its SLA in the last 90 days (%(number)s)",
            "%(count)s complaints past their SLA in the last 90 days (%(number)s)",
            breached,
        ) % {"count": breached, "number": number}
    else:
        text = ngettext("%(count)s open complaint (%(number)s)", "%(count)s open complaints (%(number)s)", opened) % {
            "count": opened,
            "number": number,
        }
    return text


def _fell(facts: dict, drop: int) -> bool:
    previous = facts.get("previous")
    return previous is not None and facts["score"] <= previous - drop


def _nps(facts: dict, today: date) -> str:
    values = {"score": facts["score"], "previous": facts.get("previous"), "date": _day(facts.get("on"), today)}
    if _fell(facts, 3):
        return _("NPS fell from %(previous)s to %(score)s on %(date)s") % values
    if facts["score"] <= 6:
        return _("Detractor on %(date)s (NPS %(score)s)") % values
    return _("Passive on %(date)s (NPS %(score)s)") % values


def _csat(facts: dict, today: date) -> str:
    values = {"score": facts["score"], "previous": facts.get("previous"), "date": _day(facts.get("on"), today)}
    if _fell(facts, 2):
        return _("CSAT fell from %(previous)s to %(score)s on %(date)s") % values
    return _("CSAT %(score)s of 5 on %(date)s") % values


def _revenue_trend(facts: dict, today: date) -> str:
    return _("Revenue down %(percent)s %% against the previous 12 months") % {"percent": abs(facts["change_percent"])}


def _order_frequency(facts: dict, today: date) -> str:
    return ngettext(
        "%(recent)s order in the last 90 days; %(baseline)s in an average 90 days before",
        "%(recent)s orders in the last 90 days; %(baseline)s in an average 90 days before",
        facts["recent"],
    ) % {"recent": facts["recent"], "baseline": floatformat(facts["baseline"], -1)}


def _survey_non_response(facts: dict, today: date) -> str:
    decided = facts.get("decided", facts["sent"])
    return ngettext(
        "%(unanswered)s of the last %(decided)s survey unanswered",
        "%(unanswered)s of the last %(decided)s surveys unanswered",
        decided,
    ) % {"unanswered": facts["unanswered"], "decided": decided}


SENTENCES = {
    Signal.CONTACT_GAP: _contact_gap,
    Signal.OVERDUE_FOLLOW_UPS: _overdue_follow_ups,
    Signal.COMPLAINTS: _complaints,
    Signal.NPS: _nps,
    Signal.CSAT: _csat,
    Signal.REVENUE_TREND: _revenue_trend,
    Signal.ORDER_FREQUENCY: _order_frequency,
    Signal.SURVEY_NON_RESPONSE: _survey_non_response,
}


def _negative(parts: list[dict]) -> list[dict]:
    """The parts that took points off, strongest first (Signal order among equals)."""
    order = {signal: index for index, signal in enumerate(Signal.values)}
    taken = [part for part in parts or [] if part.get("points", 0) > 0 and part.get("facts")]
    return sorted(taken, key=lambda part: (-part["points"], order.get(part["signal"], len(order))))


def describe(parts: list[dict], today: date | None = None) -> list[Reason]:
    """The negative parts of a score (points > 0), strongest first, each with a sentence in the active language."""
    today = today or timezone.localdate()
    reasons = []
    for part in _negative(parts):
        sentence = SENTENCES.get(part["signal"])
        if sentence is None:  # a signal this version does not know (an old row): nothing to say about it
            continue
        reasons.append(Reason(signal=part["signal"], points=part["points"], text=sentence(part["facts"], today)))
    return reasons


def _log_url(client: Client, kind: str) -> str:
    return f"{reverse('interactions:create', args=[client.pk])}?kind={kind}"


def _no_recent_nps(parts: list[dict]) -> bool:
    """No NPS answer in the 180 days before the score (the nps part holds the latest answer of 365 days)."""
    for part in parts or []:
        if part["signal"] == Signal.NPS:
            answered = part.get("facts", {}).get("on")
            return not answered or date.fromisoformat(answered) < timezone.localdate() - timedelta(days=180)
    return True


def next_best_action(client: Client, parts: list[dict]) -> NextAction | None:
    """The one step the strongest negative signal asks for; a survey when nothing is wrong but no NPS answer came
    in 180 days; None for a healthy client with nothing to do."""
    negative = _negative(parts)
    if not negative:
        if parts and _no_recent_nps(parts):
            return NextAction("send_survey", _("Send a survey"), client.get_absolute_url() + "#client-feedback")
        return None
    part = negative[0]
    signal, facts = part["signal"], part["facts"]
    if signal in (Signal.CONTACT_GAP, Signal.SURVEY_NON_RESPONSE):
        return NextAction("call", _("Call the client"), _log_url(client, "call"))
    if signal == Signal.COMPLAINTS and facts.get("complaint_id"):
        return NextAction(
            "resolve_complaint",
            _("Resolve complaint %(number)s") % {"number": facts.get("number", "")},
            reverse("complaints:detail", args=[facts["complaint_id"]]),
        )
    if signal == Signal.OVERDUE_FOLLOW_UPS and facts.get("follow_up_id"):
        return NextAction(
            "follow_up",
            _("Do the overdue follow-up"),
            f"{client.get_absolute_url()}#follow-up-{facts['follow_up_id']}",
        )
    meeting = _log_url(client, "meeting") + "&status=scheduled"
    return NextAction("review_meeting", _("Schedule a review meeting"), meeting)
