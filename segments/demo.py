"""The demo seeder of segments (registered as "segments" in registrations.py).

It runs after the feedback seeder, so every rule has clients, interactions, orders and answers to count, and
defines, as the demo administrator and through the services (validated like any segment), the segments an
account-management team keeps: the VIP clients in Vilnius, the active clients going quiet, the detractors and
the big spenders of the quarter.

Each also gets the last 30 days of its size, each day counted as of its end over the clients that existed
then, so the trend line on its page has a history to show. A segment that exists (by name) is left as it is,
and a day already recorded is kept, so a second run adds nothing.
"""

import datetime

from django.utils import timezone

from accounts.models import Role, User
from clients.models import Client

from .models import Segment, SegmentSize
from .rules import compile_rules, validate_rules
from .services import create_segment
from .sizes import company_day

HISTORY_DAYS = 30
DEMO_ADMIN = "admin@demo.crm"

DEMO_SEGMENTS = [
    {
        "name": "VIP in Vilnius",
        "description": "VIP clients based in Vilnius: invitations to events in town and a visit each quarter.",
        "colour": "#9d174d",
        "rules": {
            "op": "and",
            "rules": [
                {"field": "tier", "operator": "in", "value": ["vip"]},
                {"field": "city", "operator": "contains", "value": "Vilnius"},
            ],
        },
    },
    {
        "name": "Going quiet: no contact for 60 days",
        "description": "Active clients nobody has called, met or written to for two months: call before they drift.",
        "colour": "#b45309",
        "rules": {
            "op": "and",
            "rules": [
                {"field": "status", "operator": "in", "value": ["active"]},
                {"field": "days_since_last_interaction", "operator": "gte", "value": 60},
            ],
        },
    },
    {
        "name": "Detractors",
        "description": "Current clients whose latest NPS answer was 0–6: call them before they tell others.",
        "colour": "#dc2626",
        "rules": {
            "op": "and",
            "rules": [
                {"field": "last_nps_category", "operator": "in", "value": ["detractor"]},
                {"field": "status", "operator": "not_in", "value": ["churned"]},
            ],
        },
    },
    {
        "name": "Big spenders last 90 days",
        "description": "At least €10,000 of delivered orders in the last 90 days: candidates for Key or VIP.",
        "colour": "#15803d",
        "rules": {
            "op": "and",
            "rules": [
                {"field": "revenue_last_days", "operator": "gte", "value": "10000.00", "days": 90},
                {"field": "status", "operator": "not_in", "value": ["churned"]},
            ],
        },
    },
]


def seed_demo_data(*, rng_seed: int, clients: int, stdout) -> str:
    """Seeder: the demo segments and 30 days of their sizes (idempotent; nothing random to seed)."""
    admins = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk")
    admin = admins.filter(email=DEMO_ADMIN).first() or admins.first()  # the README's admin, else any
    if admin is None:
        stdout.write("Segments: no administrator to define them; skipped.")
        return "0 segments (no administrator)"
    existing = set(Segment.objects.values_list("name", flat=True))
    new = 0
    for spec in DEMO_SEGMENTS:
        if spec["name"] not in existing:
            create_segment(actor=admin, **spec)
            new += 1
    names = [spec["name"] for spec in DEMO_SEGMENTS]
    segments = list(Segment.objects.filter(name__in=names, is_active=True))
    written = _seed_sizes(segments, now=timezone.now())
    return f"{len(segments)} segments ({new} new), {written} daily sizes written"


def _seed_sizes(segments: list[Segment], *, now: datetime.datetime) -> int:
    """Each segment's size on each of the last 30 days that has none yet: as of the day's end (now, today)."""
    today = company_day(now)
    days = [today - datetime.timedelta(days=back) for back in range(HISTORY_DAYS)]
    recorded = set(SegmentSize.objects.filter(segment__in=segments, day__gte=days[-1]).values_list("segment_id", "day"))
    rows = []
    for segment in segments:
        cleaned = validate_rules(segment.rules, check_ids=False)
        for day in days:
            if (segment.pk, day) in recorded:
                continue
            at = now if day == today else _end_of(day)
            existing = Client.objects.filter(created_at__lte=at)
            size = existing.filter(compile_rules(cleaned, now=at)).count()
            rows.append(SegmentSize(segment=segment, day=day, size=size))
    SegmentSize.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _end_of(day: datetime.date) -> datetime.datetime:
    tz = timezone.get_default_timezone()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)), tz)
