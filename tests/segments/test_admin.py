"""The segment admin: rules as JSON, checked by validate_rules; the colour checked by the model."""

import json

from segments.admin import SegmentForm
from segments.models import Segment
from tests.conftest import login


def form(**data) -> SegmentForm:
    fields = {"name": "VIP", "description": "", "colour": "#1d4ed8", "is_active": "on"}
    fields.update(data)
    return SegmentForm(data=fields)


def test_an_admin_creates_a_segment_with_cleaned_rules(org, client):
    rules = {"op": "and", "rules": [{"field": "country", "operator": "in", "value": ["lt"]}]}
    login(client, org.admin)
    response = client.post(
        "/admin/segments/segment/add/",
        {"name": "Lithuania", "description": "", "colour": "#1d4ed8", "is_active": "on", "rules": json.dumps(rules)},
    )
    assert response.status_code == 302
    segment = Segment.objects.get()
    assert segment.rules == {"op": "and", "rules": [{"field": "country", "operator": "in", "value": ["LT"]}]}
    assert segment.created_by == org.admin


def test_invalid_rules_are_rejected_with_the_validator_message(db):
    bad = form(rules=json.dumps({"op": "and", "rules": [{"field": "tierr", "operator": "in", "value": ["vip"]}]}))
    assert not bad.is_valid()
    assert bad.errors["rules"] == ["rules[0]: unknown field 'tierr'"]
    assert Segment.objects.count() == 0


def test_a_colour_must_be_hex(db):
    bad = form(colour="blue", rules=json.dumps({"op": "and", "rules": []}))
    assert not bad.is_valid()
    assert bad.errors["colour"] == ["Enter a colour as #rrggbb, for example #1d4ed8."]
