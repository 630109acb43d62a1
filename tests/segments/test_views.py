"""Pages of segment definitions: who may open and change them, the list, a segment's page, the rule builder with
its live preview (htmx and plain POST), saving through the services, and deleting."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Tier
from segments.models import Segment, SegmentSize
from segments.rules.form import rules_to_data
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.segments import SegmentFactory

LIST = reverse("segments:list")
NEW = reverse("segments:create")
PREVIEW = reverse("segments:preview")
HTMX = {"HTTP_HX_REQUEST": "true"}
VIP = {"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]}


def detail(segment) -> str:
    return reverse("segments:detail", args=[segment.pk])


def edit(segment) -> str:
    return reverse("segments:edit", args=[segment.pk])


def delete(segment) -> str:
    return reverse("segments:delete", args=[segment.pk])


def form_data(rules: dict, **fields) -> dict:
    """What the builder posts: the segment's own fields and the rules as flat fields."""
    data = {"name": "VIP", "description": "", "colour": "#1d4ed8", "is_active": "on", **fields}
    for key, values in rules_to_data(rules).lists():
        data[key] = values
    return data


def snapshot():
    return list(Segment.objects.order_by("pk").values("name", "description", "colour", "rules", "is_active"))


@pytest.fixture
def vip(org):
    """A VIP segment; the manager's own client and the foreign one are VIP."""
    for client in (org.client, org.foreign_client):
        client.tier = Tier.VIP
        client.save()
    return SegmentFactory(name="VIP", description="Our best clients", rules=VIP)


# --- Who may do what --------------------------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, vip):
    for url in (LIST, detail(vip), NEW, edit(vip), delete(vip)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(PREVIEW, {})["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["manager", "lead"])
def test_managers_and_leads_open_segments_but_may_not_change_them(as_user, org, vip, who):
    web = as_user(getattr(org, who))
    before = snapshot()

    assert web.get(LIST).status_code == 200
    assert web.get(detail(vip)).status_code == 200
    assert web.get(NEW).status_code == 403
    assert web.post(NEW, form_data(VIP, name="Mine")).status_code == 403
    assert web.get(edit(vip)).status_code == 403
    assert web.post(edit(vip), form_data(VIP, name="Renamed")).status_code == 403
    assert web.get(delete(vip)).status_code == 403
    assert web.post(delete(vip)).status_code == 403
    assert web.post(PREVIEW, form_data(VIP)).status_code == 403
    assert snapshot() == before


def test_admins_open_every_page(as_user, org, vip):
    web = as_user(org.admin)

    for url in (LIST, detail(vip), NEW, edit(vip), delete(vip)):
        assert web.get(url).status_code == 200
    assert web.post(PREVIEW, form_data(VIP)).status_code == 200


def test_an_inactive_segment_is_hidden_from_all_but_admins(as_user, org):
    off = SegmentFactory(name="Switched off", is_active=False)
    SegmentFactory(name="On")

    manager = as_user(org.manager)
    assert [s.name for s in manager.get(LIST).context["page"].object_list] == ["On"]
    assert manager.get(detail(off)).status_code == 404

    admin = as_user(org.admin)
    assert [s.name for s in admin.get(LIST).context["page"].object_list] == ["On", "Switched off"]
    assert admin.get(detail(off)).status_code == 200


def test_the_top_navigation_links_to_segments_for_everyone(as_user, org):
    html = as_user(org.manager).get(reverse("clients:list")).content.decode()
    assert f'<a href="{LIST}" >Segments</a>' in html


# --- The list ---------------------------------------------------------------------------------------------------


def test_the_list_shows_each_segment_with_its_latest_recorded_size(as_user, org, vip):
    SegmentSize.objects.create(segment=vip, day=datetime.date(2025, 6, 1), size=11)
    SegmentSize.objects.create(segment=vip, day=datetime.date(2025, 6, 2), size=12)
    SegmentFactory(name="Uncounted")

    response = as_user(org.manager).get(LIST)

    rows = {s.name: (s.latest_size, s.latest_day) for s in response.context["page"].object_list}
    assert rows == {"VIP": (12, datetime.date(2025, 6, 2)), "Uncounted": (None, None)}
    html = response.content.decode()
    assert "Our best clients" in html
    size_cell = 'class="num segment-size" data-label="Clients">12<span class="segment-size-unit"> clients</span></td>'
    assert size_cell in html
    assert "New segment" not in html
    assert edit(vip) not in html


def test_admins_get_the_new_and_edit_links(as_user, org, vip):
    html = as_user(org.admin).get(LIST).content.decode()
    assert NEW in html
    assert edit(vip) in html


def test_the_list_pages_and_htmx_gets_the_table_alone(as_user, org):
    for n in range(30):
        SegmentFactory(name=f"Segment {n:02d}")
    web = as_user(org.manager)

    second = web.get(LIST, {"page": 2})
    assert [s.name for s in second.context["page"].object_list] == [f"Segment {n:02d}" for n in range(25, 30)]
    fragment = web.get(LIST, {"page": 2}, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<div id="segment-table"')
    assert "<html" not in fragment


def test_the_empty_list_says_who_defines_segments(as_user, org):
    assert "Administrators define segments" in as_user(org.manager).get(LIST).content.decode()
    assert "Define the first one" in as_user(org.admin).get(LIST).content.decode()


def test_the_list_costs_the_same_with_few_or_many_segments(as_user, org, django_assert_max_num_queries):
    web = as_user(org.admin)
    SegmentFactory(name="One")
    web.get(LIST)
    with CaptureQueriesContext(connection) as few:
        web.get(LIST)
    for n in range(24):
        segment = SegmentFactory(name=f"More {n}")
        SegmentSize.objects.create(segment=segment, day=datetime.date(2025, 6, 1), size=n)
    with django_assert_max_num_queries(len(few)):
        assert len(web.get(LIST).context["page"].object_list) == 25


# --- A segment's page -------------------------------------------------------------------------------------------


def test_the_page_lists_the_members_the_user_may_see(as_user, org, vip):
    assert [c.name for c in as_user(org.manager).get(detail(vip)).context["page"].object_list] == ["Own Client UAB"]
    assert [c.name for c in as_user(org.outsider).get(detail(vip)).context["page"].object_list] == [
        "Foreign Client OOO"
    ]
    assert [c.name for c in as_user(org.admin).get(detail(vip)).context["page"].object_list] == [
        "Foreign Client OOO",
        "Own Client UAB",
    ]


def test_the_page_reads_the_rules_and_links_to_the_filtered_client_list(as_user, org, vip):
    vip.rules = {
        "op": "and",
        "rules": [
            {"field": "tier", "operator": "in", "value": ["vip", "key"]},
            {
                "op": "or",
                "rules": [
                    {"field": "city", "operator": "contains", "value": "Vil"},
                    {"field": "orders_last_days", "operator": "gte", "value": 3, "days": 90},
                ],
            },
        ],
    }
    vip.save()

    response = as_user(org.manager).get(detail(vip))

    html = response.content.decode()
    summary = "Tier is any of VIP, Key AND (City contains “Vil” OR Orders in the last 90 days ≥ 3)"
    assert response.context["summary"] == summary
    assert f'<p class="segment-summary" id="segment-summary">{summary}</p>' in html
    assert f'href="{reverse("clients:list")}?segment={vip.pk}"' in html
    assert edit(vip) not in html
    assert delete(vip) not in html
    assert 'id="segment-members"' in html


def test_the_members_link_leads_to_exactly_the_list_the_user_sees(as_user, org, vip):
    web = as_user(org.manager)
    members = [c.name for c in web.get(detail(vip)).context["page"].object_list]
    listed = [c.name for c in web.get(reverse("clients:list"), {"segment": vip.pk}).context["page"].object_list]
    assert listed == members == ["Own Client UAB"]


def test_admins_get_edit_and_delete_on_the_page(as_user, org, vip):
    html = as_user(org.admin).get(detail(vip)).content.decode()
    assert edit(vip) in html
    assert delete(vip) in html


def test_the_trend_is_drawn_from_the_recorded_sizes_with_a_table(as_user, org, vip):
    today = timezone.localdate()
    for back, size in [(2, 5), (1, 6), (0, 8)]:
        SegmentSize.objects.create(segment=vip, day=today - datetime.timedelta(days=back), size=size)

    response = as_user(org.manager).get(detail(vip))

    assert response.context["chart"]["sizes"] == [5, 6, 8]
    assert len(response.context["chart"]["labels"]) == 3
    html = response.content.decode()
    assert 'id="segment-sizes"' in html  # the chart's data (json_script)
    table = re.search(r'<table class="table analysis-table" id="segment-sizes-table">.*?</table>', html, re.DOTALL)
    assert re.findall(r'<td class="num">(\d+)</td>', table.group(0)) == ["8", "6", "5"]  # newest first


def test_a_segment_never_counted_says_so(as_user, org, vip):
    assert "No sizes recorded yet" in as_user(org.manager).get(detail(vip)).content.decode()


def test_the_members_page_through_htmx_and_cost_the_same_for_few_or_many(as_user, org, vip):
    web = as_user(org.admin)
    web.get(detail(vip))
    with CaptureQueriesContext(connection) as few:
        web.get(detail(vip))
    for n in range(60):
        ClientFactory(name=f"VIP {n:02d}", tier=Tier.VIP, account_manager=org.teammate)
    with CaptureQueriesContext(connection) as many:
        page = web.get(detail(vip), {"page": 2}).context["page"]

    assert (page.paginator.count, len(page.object_list)) == (62, 25)
    assert len(many) == len(few)
    fragment = web.get(detail(vip), {"page": 3}, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<section id="segment-members"')
    assert fragment.count('<td class="primary-cell">') == 12


def test_the_actions_panel_of_the_segment_actions_has_its_place(as_user, org, vip):
    response = as_user(org.admin).get(detail(vip))
    assert "segments/segment_actions_panel.html" in [t.name for t in response.templates]


# --- The rule builder ------------------------------------------------------------------------------------------


def test_a_new_segment_starts_matching_every_client_with_the_preview_of_them(as_user, org):
    response = as_user(org.admin).get(NEW)

    assert response.context["preview"].count == 3
    html = response.content.decode()
    assert 'name="r-kind" value="group"' in html
    assert "No conditions yet: every client matches." in html
    assert 'type="color"' in html


def test_adding_a_condition_through_htmx_returns_the_builder_and_the_preview_out_of_band(as_user, org):
    data = form_data({"op": "and", "rules": []}, action="add-condition:r")

    response = as_user(org.admin).post(NEW, data, **HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="rule-builder"')
    assert 'name="r-0-field"' in html
    assert '<section id="segment-preview"' in html
    assert 'hx-swap-oob="true"' in html
    assert "rules[0]: the value must be a non-empty list" in html  # the new condition is not complete yet
    assert Segment.objects.count() == 0


def test_without_javascript_an_action_returns_the_whole_page_keeping_what_was_typed(as_user, org):
    data = form_data({"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["vip"]}]})
    data.update(name="Typed name", description="Typed text", action="add-group:r")

    response = as_user(org.admin).post(NEW, data)

    html = response.content.decode()
    assert "<html" in html
    assert 'value="Typed name"' in html
    assert "Typed text" in html
    assert 'name="r-1-kind" value="group"' in html
    assert 'name="r-1-0-field"' in html
    assert "This field is required" not in html
    assert Segment.objects.count() == 0


def test_removing_and_changing_a_field_redraw_the_builder(as_user, org):
    web = as_user(org.admin)
    rules = {
        "op": "and",
        "rules": [
            {"field": "tier", "operator": "in", "value": ["vip"]},
            {"field": "status", "operator": "in", "value": ["active"]},
        ],
    }

    removed = web.post(NEW, form_data(rules, action="remove:r-0"), **HTMX).content.decode()
    assert 'name="r-0-field"' in removed
    assert 'name="r-1-field"' not in removed
    assert '<option value="status" selected>' in removed

    data = form_data(rules, action="field:r-1")
    data["r-1-field"] = "orders_last_days"
    changed = web.post(NEW, data, **HTMX).content.decode()
    assert '<option value="orders_last_days" selected>' in changed
    assert '<option value="gte" selected>' in changed
    assert 'name="r-1-days" value="30"' in changed


def test_saving_creates_the_segment_with_the_cleaned_rules_and_opens_it(as_user, org):
    rules = {
        "op": "and",
        "rules": [
            {"field": "country", "operator": "in", "value": ["lt"]},
            {"field": "revenue_last_days", "operator": "gte", "value": "1500", "days": 90},
        ],
    }

    response = as_user(org.admin).post(NEW, form_data(rules, name="  Big   in LT ", colour="#15803d"))

    segment = Segment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail(segment)
    assert (segment.name, segment.colour, segment.is_active, segment.created_by) == (
        "Big in LT",
        "#15803d",
        True,
        org.admin,
    )
    assert segment.rules == {
        "op": "and",
        "rules": [
            {"field": "country", "operator": "in", "value": ["LT"]},
            {"field": "revenue_last_days", "operator": "gte", "value": "1500.00", "days": 90},
        ],
    }


def test_the_edit_page_draws_the_saved_rules(as_user, org, vip):
    html = as_user(org.admin).get(edit(vip)).content.decode()

    assert 'value="VIP"' in html
    assert '<input type="checkbox" name="r-0-value" value="vip" checked>' in html
    assert '<input type="checkbox" name="r-0-value" value="key">' in html


def test_saving_an_edit_changes_the_segment(as_user, org, vip):
    rules = {"op": "or", "rules": [{"field": "tier", "operator": "in", "value": ["key"]}]}

    response = as_user(org.admin).post(edit(vip), form_data(rules, name="Key", is_active=""))

    vip.refresh_from_db()
    assert response["Location"] == detail(vip)
    assert (vip.name, vip.is_active, vip.rules) == ("Key", False, rules)


def test_a_taken_name_is_shown_next_to_the_name_and_nothing_is_saved(as_user, org, vip):
    other = SegmentFactory(name="Other")
    before = snapshot()

    response = as_user(org.admin).post(edit(other), form_data(VIP, name="VIP"))

    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Another segment already has this name."]}
    assert "<h1>Edit segment</h1>" in response.content.decode()
    assert response.context["segment"].name == "Other"
    assert snapshot() == before


def test_a_bad_colour_is_shown_next_to_the_colour(as_user, org):
    response = as_user(org.admin).post(NEW, form_data(VIP, colour="red"))

    assert response.context["form"].errors == {"colour": ["Enter a colour as #rrggbb, for example #1d4ed8."]}
    assert Segment.objects.count() == 0


def test_a_bad_rule_is_shown_with_its_path_on_its_condition_and_nothing_is_saved(as_user, org, vip):
    before = snapshot()
    data = form_data(
        {
            "op": "and",
            "rules": [
                {"field": "tier", "operator": "in", "value": ["vip"]},
                {"op": "or", "rules": [{"field": "open_complaints", "operator": "gt", "value": 1}]},
            ],
        },
        name="Renamed",
    )
    data["r-1-0-value"] = "lots"

    response = as_user(org.admin).post(edit(vip), data)

    html = response.content.decode()
    message = "rules[1].rules[0]: the value must be a whole number from 0 to 1000000"
    assert response.context["rules_error"] == message
    assert f"The rules were not saved: {message}" in html
    condition = re.search(r'<div class="rule-condition has-error" id="node-r-1-0">.*?</div>\s*</div>', html, re.DOTALL)
    assert "the value must be a whole number from 0 to 1000000" in condition.group(0)
    assert 'name="r-1-0-value" value="lots"' in html  # what was typed stays to be fixed
    assert snapshot() == before


@pytest.mark.parametrize(
    "junk",
    [
        {"name": ""},
        {"name": "\x00"},
        {"r-op": "xor", "r-0-kind": "condition"},
        {"r-0-kind": "condition", "r-0-field": "tierr", "r-0-operator": "in", "r-0-value": "x"},
        {"r-0-kind": "condition", "r-0-field": "city", "r-0-operator": "in", "r-0-value": ["a", "b"]},
        {"r-0-kind": "condition", "r-0-field": "created", "r-0-operator": "between", "r-0-value": "nope"},
        {"r-0-kind": "condition", "r-0-field": "latest_csat", "r-0-operator": "eq", "r-0-value": "9" * 40},
        {"r-0-kind": "condition", "r-0-field": "tags", "r-0-operator": "in", "r-0-value": ["999999", "-1", "x"]},
        {"r-0-kind": "condition", "r-0-field": "city", "r-0-operator": "contains", "r-0-value": "\x00" * 3},
        {"r-0-kind": "group", "r-0-0-kind": "group", "r-0-0-0-kind": "group", "r-0-0-0-0-kind": "group"},
        {"action": "remove:r-99"},
        {"action": "add-group:r-0-0-0-0-0-0-0"},
        {"action": "field:r-0", "r-0-kind": "condition", "r-0-field": "nonsense"},
        {"action": "\x00"},
    ],
)
def test_bad_input_never_fails_and_saves_nothing(as_user, org, junk):
    web = as_user(org.admin)
    data = {"name": "Junk", "colour": "#000000", **junk}

    for headers in ({}, HTMX):
        assert web.post(NEW, data, **headers).status_code == 200
        assert web.post(PREVIEW, data, **headers).status_code == 200
    assert Segment.objects.count() == 0


# --- The live preview -------------------------------------------------------------------------------------------


@pytest.fixture
def many_vips(org):
    """25 VIP clients (two of the org's, 23 more) and 5 others; names sort as numbered."""
    for client in (org.client, org.team_client):
        client.tier = Tier.VIP
        client.save()
    for n in range(23):
        ClientFactory(name=f"VIP {n:02d}", tier=Tier.VIP, account_manager=org.outsider if n % 2 else None)
    for n in range(5):
        ClientFactory(name=f"Plain {n}", tier=Tier.STANDARD)


def test_the_preview_counts_the_matches_and_shows_the_first_twenty_by_name(as_user, org, many_vips):
    response = as_user(org.admin).post(PREVIEW, form_data(VIP), **HTMX)

    preview = response.context["preview"]
    expected = sorted(Client.objects.filter(tier=Tier.VIP).values_list("name", flat=True))[:20]
    assert preview.count == 25
    assert [c.name for c in preview.clients] == expected
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="segment-preview"')
    assert '<span id="preview-count" class="segment-preview-number">25</span>' in html
    assert html.count('<span class="badge badge-tier-vip">VIP</span>') == 20
    assert "Olga Outsider" in html  # the account manager of each row
    assert "The first 20 by name." in html
    assert "Tier is any of VIP" in html


def test_an_invalid_tree_previews_as_the_validators_message(as_user, org):
    data = form_data({"op": "and", "rules": [{"field": "tier", "operator": "in", "value": []}]})

    html = as_user(org.admin).post(PREVIEW, data, **HTMX).content.decode()

    assert 'id="preview-error">rules[0]: the value must be a non-empty list</div>' in html
    assert 'id="preview-count"' not in html


def test_the_preview_costs_the_same_for_few_or_many_clients(as_user, org, django_assert_max_num_queries):
    web = as_user(org.admin)
    tag = TagFactory(name="wine")
    rules = {
        "op": "and",
        "rules": [
            {"field": "tier", "operator": "in", "value": ["vip"]},
            {"field": "tags", "operator": "not_in", "value": [tag.pk]},  # its ids are checked: one query
            {"field": "orders_last_days", "operator": "lt", "value": 5, "days": 30},
        ],
    }
    data = form_data(rules)
    web.post(PREVIEW, data, **HTMX)
    with CaptureQueriesContext(connection) as few:
        web.post(PREVIEW, data, **HTMX)
    for n in range(40):
        ClientFactory(name=f"VIP {n:02d}", tier=Tier.VIP, account_manager=org.manager)
    with django_assert_max_num_queries(len(few)):
        assert web.post(PREVIEW, data, **HTMX).context["preview"].count == 40
    assert len(few) <= 6  # session, user, the tag check, the count and the first rows


# --- Delete -----------------------------------------------------------------------------------------------------


def test_delete_asks_first_then_removes_the_segment_and_its_sizes_but_no_client(as_user, org, vip):
    SegmentSize.objects.create(segment=vip, day=datetime.date(2025, 6, 1), size=2)
    web = as_user(org.admin)

    assert "Delete the segment “VIP”?" in web.get(delete(vip)).content.decode()
    assert Segment.objects.filter(pk=vip.pk).exists()

    response = web.post(delete(vip))

    assert response["Location"] == LIST
    assert not Segment.objects.filter(pk=vip.pk).exists()
    assert SegmentSize.objects.count() == 0
    assert Client.objects.count() == 3
