"""The demo segments: four sensible segments with 30 days of sizes, once however often `seed_demo` runs."""

from io import StringIO

from django.core.management import call_command

from segments.demo import DEMO_SEGMENTS, HISTORY_DAYS
from segments.models import Segment, SegmentSize
from segments.sizes import company_day


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", clients=20, stdout=out)
    return out.getvalue()


def test_the_demo_defines_the_segments_with_a_month_of_sizes_and_a_second_run_adds_nothing(db):
    output = seed()

    segments = list(Segment.objects.order_by("name"))
    assert [s.name for s in segments] == sorted(spec["name"] for spec in DEMO_SEGMENTS)
    assert {s.created_by.email for s in segments} == {"admin@demo.crm"}
    assert SegmentSize.objects.count() == 4 * HISTORY_DAYS
    latest = max(SegmentSize.objects.values_list("day", flat=True))
    assert latest == company_day(Segment.objects.first().created_at)
    assert "Demo data: 4 segments (4 new), 120 daily sizes written" in output

    Segment.objects.filter(name="Detractors").update(description="Changed by a person")
    again = seed()

    assert "Demo data: 4 segments (0 new), 0 daily sizes written" in again
    assert Segment.objects.count() == 4
    assert SegmentSize.objects.count() == 4 * HISTORY_DAYS
    assert Segment.objects.get(name="Detractors").description == "Changed by a person"
