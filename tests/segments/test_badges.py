"""Segment badges on the client page: the active segments the client is in, found in one query."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clients.models import Tier
from segments.membership import list_client_segments
from segments.models import Segment
from tests.factories.clients import TagFactory
from tests.factories.segments import SegmentFactory


def rule(field, operator, value) -> dict:
    return {"op": "and", "rules": [{"field": field, "operator": operator, "value": value}]}


def badges(html: str) -> list[tuple[str, str]]:
    """(href, name) of each segment badge on the page."""
    section = re.search(r'<div class="client-segments".*?</div>', html, re.DOTALL)
    if section is None:
        return []
    return re.findall(r'<a class="segment-badge" href="([^"]+)"[^>]*>([^<]+)</a>', section.group(0))


def test_the_client_page_shows_a_linked_badge_for_each_active_segment_the_client_is_in(as_user, org):
    org.client.tier = Tier.VIP
    org.client.save()
    vip = SegmentFactory(name="VIP", colour="#9d174d", rules=rule("tier", "in", ["vip"]))
    everyone = SegmentFactory(name="Everyone")
    SegmentFactory(name="Key", rules=rule("tier", "in", ["key"]))
    SegmentFactory(name="VIP, switched off", rules=rule("tier", "in", ["vip"]), is_active=False)

    html = as_user(org.manager).get(org.client.get_absolute_url()).content.decode()

    assert badges(html) == [(f"/segments/{everyone.pk}/", "Everyone"), (f"/segments/{vip.pk}/", "VIP")]
    assert 'style="--segment-colour: #9d174d"' in html


def test_a_client_in_no_segment_has_no_segments_line(as_user, org):
    SegmentFactory(name="Key", rules=rule("tier", "in", ["key"]))

    html = as_user(org.manager).get(org.client.get_absolute_url()).content.decode()

    assert 'id="client-segments"' not in html


def test_membership_of_every_active_segment_is_one_query_after_reading_the_segments(org, django_assert_num_queries):
    wine = TagFactory(name="wine")
    org.client.tags.add(wine)
    SegmentFactory(name="Wine", rules=rule("tags", "in", [wine.pk]))
    SegmentFactory(name="Quiet", rules=rule("days_since_last_interaction", "gte", 30))
    for n in range(8):
        SegmentFactory(name=f"Key {n}", rules=rule("tier", "in", ["key"]))

    with django_assert_num_queries(2):
        names = [segment.name for segment in list_client_segments(org.client)]

    assert names == ["Quiet", "Wine"]


def test_no_active_segment_costs_one_query(org, django_assert_num_queries):
    SegmentFactory(name="Off", is_active=False)
    with django_assert_num_queries(1):
        assert list_client_segments(org.client) == []


def test_a_segment_whose_stored_rules_are_broken_is_left_off(org):
    good = SegmentFactory(name="Everyone")
    broken = SegmentFactory(name="Broken")
    Segment.objects.filter(pk=broken.pk).update(rules={"op": "and", "rules": [{"field": "gone"}]})

    assert list_client_segments(org.client) == [good]


def test_the_client_page_costs_the_same_with_one_segment_or_many(as_user, org):
    client = as_user(org.manager)
    url = org.client.get_absolute_url()
    SegmentFactory(name="Everyone")
    client.get(url)  # warm up: session, content types
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(12):
        SegmentFactory(name=f"Everyone {n}", rules=rule("status", "not_in", ["churned"]))
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()

    assert len(badges(html)) == 13
    assert len(many) == len(one)
