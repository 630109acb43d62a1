"""Score rows for the page, list and API tests: a client's latest score and its history, written directly."""

import datetime

from django.utils import timezone

from clients.models import Client
from health.models import DEFAULT_WEIGHTS, HealthConfig, HealthScore, Signal
from health.scoring import company_day

# An at-risk VIP (score 36): not contacted for 47 days (cadence 14: -25), three overdue follow-ups (-10), one open
# complaint past its SLA (-14), a detractor answer (-15).
AT_RISK_FACTS = {
    Signal.CONTACT_GAP: (1.0, {"days": 47, "cadence": 14, "tier": "vip", "last": "2026-10-10"}),
    Signal.OVERDUE_FOLLOW_UPS: (1.0, {"count": 3, "oldest_due": "2026-11-01", "follow_up_id": 123}),
    Signal.COMPLAINTS: (0.7, {"open": 1, "breached": 1, "complaint_id": 55, "number": "C-2026-0055"}),
    Signal.NPS: (1.0, {"score": 3, "on": "2026-11-03", "previous": None}),
}


def make_parts(facts: dict | None = None) -> list[dict]:
    """All eight parts in Signal order with the default weights; `facts` gives (severity, facts) of the bad ones."""
    facts = facts or {}
    total = sum(DEFAULT_WEIGHTS.values())
    parts = []
    for signal in Signal:
        severity, signal_facts = facts.get(signal, (0.0, {}))
        weight = DEFAULT_WEIGHTS[signal]
        parts.append(
            {
                "signal": signal.value,
                "weight": weight,
                "severity": round(severity, 3),
                "points": round(100 * weight * severity / total, 1),
                "facts": signal_facts,
            }
        )
    return parts


def score_of(parts: list[dict]) -> int:
    return round(100 - sum(part["points"] for part in parts))


def set_health(client: Client, parts: list[dict], *, days_ago: int = 0, history: int = 1) -> HealthScore:
    """Store `parts` as the client's score `days_ago` days back, after `history - 1` older rows one day apart
    (scores rising from 50 so that each row differs), and put the score on the client row."""
    today = company_day(timezone.now())
    score = score_of(parts)
    band = HealthConfig().band_for(score)
    now = timezone.now()
    for index in range(history - 1, 0, -1):
        HealthScore.objects.create(
            client=client,
            day=today - datetime.timedelta(days=days_ago + index),
            score=min(100, 50 + index % 40),
            band=HealthConfig().band_for(min(100, 50 + index % 40)),
            parts=make_parts(),
            computed_at=now,
        )
    row = HealthScore.objects.create(
        client=client,
        day=today - datetime.timedelta(days=days_ago),
        score=score,
        band=band,
        parts=parts,
        computed_at=now,
    )
    Client.objects.filter(pk=client.pk).update(health_score=score, health_band=band, health_scored_at=now)
    client.health_score, client.health_band, client.health_scored_at = score, band, now
    return row
