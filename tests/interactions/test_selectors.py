from datetime import timedelta

import pytest
from django.utils import timezone

from clients.models import Client
from interactions.models import ContactCadence
from interactions.selectors import clients_going_cold, get_my_day, interactions_visible_to
from tests.factories.clients import ClientFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory


def test_interactions_follow_client_visibility(org):
    InteractionFactory(client=org.client)
    InteractionFactory(client=org.foreign_client)
    assert [i.client for i in interactions_visible_to(org.manager)] == [org.client]
    assert interactions_visible_to(org.admin).count() == 2


def test_going_cold_uses_tier_cadence_and_never_contacted_clients(org):
    now = timezone.now()
    old = now - timedelta(days=400)
    vip = ClientFactory(name="VIP quiet", tier="vip", account_manager=org.manager)
    key = ClientFactory(name="Key fine", tier="key", account_manager=org.manager)
    never = ClientFactory(name="Never called", tier="standard", account_manager=org.manager)
    churned = ClientFactory(name="Gone", tier="vip", status="churned", account_manager=org.manager)
    Client.objects.filter(pk__in=[vip.pk, key.pk, never.pk, churned.pk]).update(created_at=old)
    InteractionFactory(client=vip, occurred_at=now - timedelta(days=20))  # VIP cadence 14 → cold
    InteractionFactory(client=key, occurred_at=now - timedelta(days=20))  # key cadence 30 → fine
    InteractionFactory(client=vip, status="scheduled", occurred_at=now + timedelta(days=1))  # plans don't count
    cold = list(clients_going_cold(Client.objects.filter(account_manager=org.manager), now=now))
    assert [c.name for c in cold] == ["Never called", "VIP quiet"]
    ContactCadence.objects.filter(tier="vip").update(days=30)
    cold = list(clients_going_cold(Client.objects.filter(account_manager=org.manager), now=now))
    assert [c.name for c in cold] == ["Never called"]


def test_my_day_groups_follow_ups_and_meetings(org):
    now = timezone.now().replace(hour=10, minute=0)
    overdue = FollowUpFactory(client=org.client, assignee=org.manager, due_at=now - timedelta(days=1))
    today = FollowUpFactory(client=org.client, assignee=org.manager, due_at=now + timedelta(hours=2))
    upcoming = FollowUpFactory(client=org.client, assignee=org.manager, due_at=now + timedelta(days=3))
    FollowUpFactory(client=org.client, assignee=org.manager, due_at=now + timedelta(days=20))
    FollowUpFactory(client=org.client, assignee=org.manager, due_at=now - timedelta(days=2), status="done")
    FollowUpFactory(client=org.team_client, assignee=org.teammate, due_at=now - timedelta(days=1))
    meeting = InteractionFactory(
        client=org.client,
        logged_by=org.manager,
        kind="meeting",
        status="scheduled",
        occurred_at=now + timedelta(hours=1),
    )
    day = get_my_day(org.manager, now=now)
    assert (day.overdue, day.today, day.upcoming, day.meetings_today) == ([overdue], [today], [upcoming], [meeting])
    assert day.overdue_count == 1
    assert day.team_overdue == []
    lead_day = get_my_day(org.lead, now=now)
    assert [(m.full_name, m.overdue_count) for m in lead_day.team_overdue] == [
        ("Mantas Owner", 1),
        ("Tomas Teammate", 1),
    ]


@pytest.mark.parametrize("rows", [5, 50])
def test_my_day_query_count_is_constant(org, rows, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(rows):
        FollowUpFactory(client=org.client, assignee=org.manager, due_at=now + timedelta(hours=i - rows // 2))
        ClientFactory(account_manager=org.manager, tier="vip")
    with django_assert_max_num_queries(9):
        get_my_day(org.lead, now=now)


def test_client_history_records_edits_and_deletions_of_timeline_entries(org):
    from clients.selectors import get_client_history
    from interactions.services.interactions import delete_interaction, log_interaction, update_interaction

    entry = log_interaction(actor=org.manager, client=org.client, notes="first words")
    update_interaction(actor=org.lead, interaction=entry, notes="better words")
    delete_interaction(actor=org.manager, interaction=entry)
    timeline_changes = [e for e in get_client_history(org.client) if e.get("subject_kind") == "interaction"]
    assert [(e["type"], e["record"].history_user) for e in timeline_changes] == [
        ("-", org.manager),
        ("~", org.lead),
    ]
    assert timeline_changes[1]["fields"] == [{"field": "notes", "old": "first words", "new": "better words"}]
