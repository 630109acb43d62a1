"""Every list the dashboard links to filters by segment (`?segment=<id>`): the records of the segment's clients,
named above the list, kept while refining; the same words in the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Tier
from orders.models import OrderStatus
from segments.rules import validate_rules
from tests.factories.complaints import make_complaint
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import ensure_survey_defaults
from tests.factories.interactions import FollowUpFactory, InteractionFactory
from tests.factories.orders import OrderFactory
from tests.factories.segments import SegmentFactory
from tests.feedback.test_answer_list import answer

KEY_ACCOUNTS = {"op": "and", "rules": [{"field": "tier", "operator": "in", "value": ["key"]}]}
PAGES = {
    "interactions:list": "status=completed",
    "interactions:follow_up_list": "state=open&assignee=all",
    "orders:list": "",
    "complaints:list": "",
    "surveys:answers": "",
}


@pytest.fixture
def key_accounts(org):
    """The North manager's client is a key account (the segment); the teammate's is not. Each has one record of
    every kind."""
    ensure_survey_defaults()
    Client.objects.filter(pk=org.client.pk).update(tier=Tier.KEY)
    earlier = timezone.now() - timedelta(hours=2)
    for client in (org.client, org.team_client):
        client.refresh_from_db()
        InteractionFactory(client=client, occurred_at=earlier)
        FollowUpFactory(client=client, due_at=earlier)
        make_complaint(actor=org.admin, client=client)
        OrderFactory(client=client, status=OrderStatus.CONFIRMED)
        answer(ContactFactory(client=client), "NPS", 9, earlier)
    return SegmentFactory(name="Key accounts", rules=validate_rules(KEY_ACCOUNTS))


def listed(response) -> set[int]:
    return {row.client_id for row in response.context["page"].object_list}


@pytest.mark.parametrize("name", PAGES)
def test_a_list_with_a_segment_shows_the_records_of_its_clients_and_names_it(org, as_user, key_accounts, name):
    c = as_user(org.lead)
    everyone = c.get(f"{reverse(name)}?{PAGES[name]}")
    narrowed = c.get(f"{reverse(name)}?{PAGES[name]}&segment={key_accounts.pk}")

    assert listed(everyone) == {org.client.pk, org.team_client.pk}
    assert listed(narrowed) == {org.client.pk}
    page = narrowed.content.decode()
    assert "Key accounts" in page  # the chip names the segment
    assert f'<input type="hidden" name="segment" value="{key_accounts.pk}">' in page  # refining keeps it


@pytest.mark.parametrize("name", PAGES)
def test_a_segment_nobody_offers_lists_nothing_and_junk_is_ignored(org, as_user, key_accounts, name):
    c = as_user(org.lead)
    unknown = c.get(f"{reverse(name)}?{PAGES[name]}&segment={key_accounts.pk + 100}")
    junk = c.get(f"{reverse(name)}?{PAGES[name]}&segment=abc")

    assert listed(unknown) == set()
    assert f"#{key_accounts.pk + 100}" in unknown.content.decode()
    assert listed(junk) == {org.client.pk, org.team_client.pk}


def test_a_switched_off_segment_lists_nothing(org, as_user, key_accounts):
    key_accounts.is_active = False
    key_accounts.save()

    response = as_user(org.lead).get(f"{reverse('orders:list')}?segment={key_accounts.pk}")

    assert listed(response) == set()


@pytest.mark.parametrize("url", ["/api/v1/interactions/", "/api/v1/surveys/responses/"])
def test_the_api_filters_by_segment_and_refuses_junk(org, as_api_user, key_accounts, url):
    api = as_api_user(org.lead)

    narrowed = api.get(url, {"segment": key_accounts.pk})
    junk = api.get(url, {"segment": "abc"})

    assert narrowed.status_code == 200
    assert {row["client"] for row in narrowed.json()["results"]} == {org.client.pk}
    assert junk.status_code == 400
    assert "segment" in junk.json()


def test_the_segment_never_widens_what_a_manager_sees(org, as_user, key_accounts):
    Client.objects.filter(pk=org.foreign_client.pk).update(tier=Tier.KEY)
    OrderFactory(client=org.foreign_client, status=OrderStatus.CONFIRMED)

    response = as_user(org.teammate).get(f"{reverse('orders:list')}?segment={key_accounts.pk}")

    assert listed(response) <= {org.client.pk}  # the teammate sees their team's orders, never the South one


def test_the_list_query_count_does_not_grow_with_the_segment(org, as_user, key_accounts, django_assert_max_num_queries):
    c = as_user(org.lead)
    url = f"{reverse('interactions:list')}?segment={key_accounts.pk}"
    c.get(url)
    for _ in range(20):
        InteractionFactory(client=org.client, occurred_at=timezone.now() - timedelta(hours=1))
    with django_assert_max_num_queries(14):
        c.get(url)
