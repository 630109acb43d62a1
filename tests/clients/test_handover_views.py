"""The handover pages: /clients/handover/?<the client list's filters> previews and hands over, /clients/handover/<id>/
shows what moved; the client list offers them to team leads and admins."""

import re

import pytest
from django.urls import reverse

from clients.models import Client, Handover
from interactions.models import FollowUp, Notification
from segments.services import create_segment
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory
from tests.factories.complaints import make_complaint
from tests.factories.interactions import FollowUpFactory

LIST = reverse("clients:list")
HANDOVER = reverse("clients:handover")


def managers_now() -> list[tuple[str, str]]:
    return sorted((c.name, str(c.account_manager)) for c in Client.objects.select_related("account_manager"))


def post(c, query: str, **data):
    return c.post(f"{HANDOVER}?{query}", data)


@pytest.mark.parametrize("who", ["manager", "teammate", "outsider"])
def test_managers_get_403_on_every_handover_page(as_user, org, who):
    c = as_user(getattr(org, who))
    handover = Handover.objects.create(actor=org.admin, manager=org.teammate, created_at="2026-01-05T10:00Z")
    before = managers_now()
    assert c.get(f"{HANDOVER}?manager={org.manager.pk}").status_code == 403
    assert post(c, f"manager={org.manager.pk}", manager=org.teammate.pk, expected=1).status_code == 403
    assert c.get(handover.get_absolute_url()).status_code == 403
    assert managers_now() == before


def test_a_leads_page_previews_a_managers_portfolio(as_user, org):
    FollowUpFactory(client=org.client)
    make_complaint(actor=org.manager, client=org.client)
    ClientFactory(name="Second UAB", account_manager=org.manager)

    response = as_user(org.lead).get(HANDOVER, {"manager": org.manager.pk})

    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["count"] == 2
    assert [c.name for c in preview["clients"]] == ["Own Client UAB", "Second UAB"]
    assert [(m["key"], m["count"]) for m in preview["moving"]] == [("follow_ups", 1), ("complaints", 1)]
    body = response.content.decode()
    assert "2 clients will be handed over" in body
    assert "Account manager: <strong>Mantas Owner</strong>" in body
    # only the lead's team is offered
    assert [str(m) for m in response.context["form"].fields["manager"].queryset] == [
        "Lina Lead",
        "Mantas Owner",
        "Tomas Teammate",
    ]
    assert 'name="expected" value="2"' in body


@pytest.mark.parametrize("query", ["", "sort=name", "segment=abc", "id=1&id=x"])
def test_without_a_valid_filter_nothing_is_picked(as_user, org, query):
    response = as_user(org.admin).get(f"{HANDOVER}?{query}")
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert '<form method="post"' not in response.content.decode()
    before = managers_now()
    post(as_user(org.admin), query, manager=org.teammate.pk, expected=3)
    assert managers_now() == before
    assert not Handover.objects.exists()


def test_posting_hands_over_and_shows_the_result(as_user, org):
    follow_up = FollowUpFactory(client=org.client)
    c = as_user(org.lead)

    response = post(c, f"manager={org.manager.pk}", manager=org.teammate.pk, note="Mantas leaves", expected=1)

    handover = Handover.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/clients/handover/{handover.pk}/"
    assert Client.objects.get(pk=org.client.pk).account_manager == org.teammate
    assert FollowUp.objects.get(pk=follow_up.pk).assignee == org.teammate
    assert (handover.note, handover.counts) == ("Mantas leaves", {"follow_ups": 1, "complaints": 0})

    page = c.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert f"Handover #{handover.pk}" in body
    assert "Mantas leaves" in body
    assert "Mantas Owner (1)" in body
    assert [(i["key"], i["count"]) for i in page.context["counts"]] == [("follow_ups", 1), ("complaints", 0)]
    assert [cl.name for cl in page.context["clients"]] == ["Own Client UAB"]
    assert f'href="/clients/?handover={handover.pk}"' in body


def test_a_selection_of_ticked_clients_is_handed_over(as_user, org):
    second = ClientFactory(name="Second UAB", account_manager=org.manager)
    ClientFactory(name="Third UAB", account_manager=org.manager)
    c = as_user(org.lead)
    query = f"id={org.client.pk}&id={second.pk}"
    assert c.get(f"{HANDOVER}?{query}").context["preview"]["count"] == 2

    response = post(c, query, manager=org.teammate.pk, expected=2)

    assert response.status_code == 302
    assert managers_now() == [
        ("Foreign Client OOO", "Olga Outsider"),
        ("Own Client UAB", "Tomas Teammate"),
        ("Second UAB", "Tomas Teammate"),
        ("Teammate Client UAB", "Tomas Teammate"),
        ("Third UAB", "Mantas Owner"),
    ]


def test_a_segment_is_handed_over_from_its_link(as_user, org):
    ClientFactory(name="Kaunas UAB", city="Kaunas", account_manager=org.outsider)
    segment = create_segment(
        actor=org.admin,
        name="Kaunas",
        rules={"op": "and", "rules": [{"field": "city", "operator": "equals", "value": "Kaunas"}]},
    )
    c = as_user(org.admin)
    page = c.get(f"{HANDOVER}?segment={segment.pk}")
    assert [cl.name for cl in page.context["preview"]["clients"]] == ["Kaunas UAB"]
    assert "Segment: <strong>Kaunas</strong>" in page.content.decode()

    assert post(c, f"segment={segment.pk}", manager=org.teammate.pk, expected=1).status_code == 302
    assert Client.objects.get(name="Kaunas UAB").account_manager == org.teammate


def test_a_lead_cannot_pick_another_teams_clients_nor_manager_and_nothing_changes(as_user, org):
    c = as_user(org.lead)
    before = managers_now()
    # another team's client is not among those the lead sees: nothing is picked
    foreign = c.get(f"{HANDOVER}?id={org.foreign_client.pk}")
    assert foreign.context["preview"]["count"] == 0
    assert "No clients match these filters" in foreign.content.decode()
    post(c, f"id={org.foreign_client.pk}", manager=org.teammate.pk, expected=1)
    # another team's manager is not a choice: the form says so
    response = post(c, f"manager={org.manager.pk}", manager=org.outsider.pk, expected=1)
    assert response.status_code == 200
    assert "manager" in response.context["form"].errors
    assert managers_now() == before
    assert not Handover.objects.exists()
    assert not Notification.objects.exists()


def test_a_selection_that_changed_meanwhile_is_shown_again(as_user, org):
    c = as_user(org.lead)
    ClientFactory(account_manager=org.manager)  # arrived after the page was drawn with 1 client
    before = managers_now()

    response = post(c, f"manager={org.manager.pk}", manager=org.teammate.pk, expected=1)

    assert response.status_code == 200
    assert "The selection changed meanwhile" in response.content.decode()
    assert 'name="expected" value="2"' in response.content.decode()
    assert managers_now() == before


def test_a_missing_manager_re_renders_with_the_error(as_user, org):
    response = post(as_user(org.lead), f"manager={org.manager.pk}", expected=1)
    assert response.status_code == 200
    assert response.context["form"].errors["manager"] == ["This field is required."]
    assert not Handover.objects.exists()


def test_a_handover_page_of_another_team_is_not_found_for_a_lead(as_user, org):
    handover = Handover.objects.create(actor=org.admin, manager=org.outsider, created_at="2026-01-05T10:00Z")
    assert as_user(org.lead).get(handover.get_absolute_url()).status_code == 404
    assert as_user(org.other_lead).get(handover.get_absolute_url()).status_code == 200


def test_the_client_list_offers_handover_to_leads_only(as_user, org):
    manager_page = as_user(org.manager).get(LIST).content.decode()
    assert 'name="id"' not in manager_page
    assert "Hand over" not in manager_page

    lead_page = as_user(org.lead).get(LIST).content.decode()
    assert re.findall(r'name="id" value="(\d+)" form="handover-selection"', lead_page) == [
        str(org.client.pk),
        str(org.team_client.pk),
    ]
    assert f'<form id="handover-selection" method="get" action="{HANDOVER}">' in lead_page
    assert 'id="handover-all"' not in lead_page  # not without a filter: never "everyone"

    filtered = as_user(org.lead).get(LIST, {"manager": org.manager.pk}).content.decode()
    assert f'id="handover-all" href="{HANDOVER}?manager={org.manager.pk}">Hand over all 1</a>' in filtered


def test_the_list_names_a_selection_and_a_handover(as_user, org):
    c = as_user(org.lead)
    response = c.get(LIST, {"id": [org.client.pk, org.team_client.pk]})
    assert [cl.name for cl in response.context["page"].object_list] == ["Own Client UAB", "Teammate Client UAB"]
    body = response.content.decode()
    assert "Selected:</span> 2 clients" in body
    assert re.findall(r'<input type="hidden" name="id" value="(\d+)">', body) == [
        str(org.client.pk),
        str(org.team_client.pk),
    ]
    post(c, f"id={org.client.pk}", manager=org.teammate.pk, expected=1)
    handover = Handover.objects.get()
    listed = c.get(LIST, {"handover": handover.pk})
    assert [cl.name for cl in listed.context["page"].object_list] == ["Own Client UAB"]


def test_the_client_history_links_the_handover(as_user, org):
    c = as_user(org.lead)
    post(c, f"id={org.client.pk}", manager=org.teammate.pk, expected=1)
    handover = Handover.objects.get()
    body = c.get(org.client.get_absolute_url()).content.decode()
    assert f'<a href="/clients/handover/{handover.pk}/">Handover #{handover.pk}</a>' in body
    assert "Account manager: <del>Mantas Owner</del> → Tomas Teammate" in body


def test_the_reassign_form_on_the_client_page_moves_follow_ups(as_user, org):
    follow_up = FollowUpFactory(client=org.client)
    response = as_user(org.lead).post(reverse("clients:reassign", args=[org.client.pk]), {"manager": org.teammate.pk})
    assert response.status_code == 302
    assert FollowUp.objects.get(pk=follow_up.pk).assignee == org.teammate
    assert Notification.objects.filter(recipient=org.teammate, key__startswith="handover:").count() == 1


def test_the_handover_page_takes_as_many_queries_for_100_clients_as_for_10(as_user, org, django_assert_max_num_queries):
    c = as_user(org.lead)
    for size in (10, 100):
        leaver = ManagerFactory(team=org.north)
        for client in ClientFactory.create_batch(size, account_manager=leaver):
            FollowUpFactory(client=client)
        with django_assert_max_num_queries(12):
            response = c.get(HANDOVER, {"manager": leaver.pk})
        assert response.context["preview"]["count"] == size
        assert len(response.context["preview"]["clients"]) == min(size, 20)
