"""Daily segment sizes: one row per active segment and company day, counted over every client, written by the beat."""

import datetime

import pytest
from django.conf import settings

from clients.models import Tier
from segments.models import Segment, SegmentSize
from segments.sizes import list_segment_sizes, record_segment_sizes, with_latest_size
from segments.tasks import record_segment_sizes_task
from tests.factories.clients import ClientFactory
from tests.factories.segments import SegmentFactory
from tests.live_worker import wait_until
from tests.segments.conftest import VILNIUS

VIP = {"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]}
NOW = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=VILNIUS)


@pytest.fixture
def segments(org):
    """VIP (two VIP clients, of managers in different teams), everyone (3 + 2), and an inactive one."""
    org.client.tier = org.foreign_client.tier = Tier.VIP
    org.client.save()
    org.foreign_client.save()
    ClientFactory(name="Nobody's", tier=Tier.KEY)
    ClientFactory(name="Nobody's either", tier=Tier.STANDARD)
    return {
        "vip": SegmentFactory(name="VIP", rules=VIP),
        "all": SegmentFactory(name="Everyone"),
        "off": SegmentFactory(name="Switched off", rules=VIP, is_active=False),
    }


def sizes() -> list[tuple[str, datetime.date, int]]:
    return list(SegmentSize.objects.order_by("segment__name", "day").values_list("segment__name", "day", "size"))


def test_each_active_segment_gets_todays_size_counting_every_client(segments):
    assert record_segment_sizes(now=NOW) == 2

    today = datetime.date(2025, 6, 15)
    assert sizes() == [("Everyone", today, 5), ("VIP", today, 2)]


def test_a_second_run_the_same_day_updates_the_days_row_instead_of_adding_one(segments, org):
    record_segment_sizes(now=NOW)
    ClientFactory(name="New VIP", tier=Tier.VIP)

    assert record_segment_sizes(now=NOW + datetime.timedelta(hours=5)) == 2

    today = datetime.date(2025, 6, 15)
    assert sizes() == [("Everyone", today, 6), ("VIP", today, 3)]


def test_the_next_day_adds_a_row(segments):
    record_segment_sizes(now=NOW)
    record_segment_sizes(now=NOW + datetime.timedelta(days=1))

    assert [row[1:] for row in sizes() if row[0] == "VIP"] == [
        (datetime.date(2025, 6, 15), 2),
        (datetime.date(2025, 6, 16), 2),
    ]


def test_the_day_is_the_company_days_not_utcs(segments):
    assert settings.TIME_ZONE == "Europe/Vilnius"
    late_evening_utc = datetime.datetime(2025, 6, 15, 22, 30, tzinfo=datetime.UTC)  # 01:30 on the 16th in Vilnius

    record_segment_sizes(now=late_evening_utc)

    assert {row[1] for row in sizes()} == {datetime.date(2025, 6, 16)}


def test_a_segment_whose_stored_rules_are_broken_is_skipped_and_the_others_are_counted(segments):
    Segment.objects.filter(pk=segments["all"].pk).update(rules={"op": "and", "rules": [{"field": "gone"}]})

    assert record_segment_sizes(now=NOW) == 1
    assert sizes() == [("VIP", datetime.date(2025, 6, 15), 2)]


def test_one_count_per_segment_and_one_write(segments, django_assert_num_queries):
    for n in range(5):
        SegmentFactory(name=f"More {n}", rules=VIP)
    # the segments, 7 counts, one upsert, and the savepoint around it all
    with django_assert_num_queries(1 + 7 + 1 + 2):
        record_segment_sizes(now=NOW)
    assert SegmentSize.objects.count() == 7


def test_the_trend_reads_the_last_days_oldest_first(segments):
    vip = segments["vip"]
    today = datetime.date(2025, 6, 15)
    for back, size in [(0, 9), (1, 8), (89, 7), (90, 6)]:
        SegmentSize.objects.create(segment=vip, day=today - datetime.timedelta(days=back), size=size)
    SegmentSize.objects.create(segment=segments["all"], day=today, size=99)

    assert [(row.day, row.size) for row in list_segment_sizes(vip, today=today)] == [
        (today - datetime.timedelta(days=89), 7),
        (today - datetime.timedelta(days=1), 8),
        (today, 9),
    ]


def test_each_segment_carries_its_latest_size(segments, django_assert_num_queries):
    SegmentSize.objects.create(segment=segments["vip"], day=datetime.date(2025, 6, 1), size=1)
    SegmentSize.objects.create(segment=segments["vip"], day=datetime.date(2025, 6, 3), size=3)
    SegmentSize.objects.create(segment=segments["vip"], day=datetime.date(2025, 6, 2), size=2)

    with django_assert_num_queries(1):
        rows = [(s.name, s.latest_size, s.latest_day) for s in with_latest_size(Segment.objects.order_by("name"))]

    assert rows == [
        ("Everyone", None, None),
        ("Switched off", None, None),
        ("VIP", 3, datetime.date(2025, 6, 3)),
    ]


def test_the_beat_runs_the_task_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["record-segment-sizes"]
    assert entry == {"task": "segments.tasks.record_segment_sizes_task", "schedule": 3600.0}
    assert record_segment_sizes_task.name == entry["task"]


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_the_days_sizes_and_a_second_run_keeps_one_row_each(segments, finished, worker):
    task = "segments.tasks.record_segment_sizes_task"

    record_segment_sizes_task.delay()
    wait_until(lambda: [name for name, _args in finished].count(task) == 1)
    record_segment_sizes_task.delay()
    wait_until(lambda: [name for name, _args in finished].count(task) == 2)

    assert sorted(SegmentSize.objects.values_list("segment__name", "size")) == [("Everyone", 5), ("VIP", 2)]
