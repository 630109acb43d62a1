import pytest
from django.http import Http404

from clients.selectors import (
    can_edit_client,
    can_reassign_client,
    clients_editable_by,
    clients_visible_to,
    get_client_for_user,
    get_client_history,
)
from clients.services import update_client
from tests.factories.accounts import ManagerFactory


def names(qs):
    return sorted(c.name for c in qs)


def test_manager_sees_own_and_team_clients_only(org):
    assert names(clients_visible_to(org.manager)) == ["Own Client UAB", "Teammate Client UAB"]


def test_manager_edits_only_own_clients(org):
    assert names(clients_editable_by(org.manager)) == ["Own Client UAB"]
    assert can_edit_client(org.manager, org.client) is True
    assert can_edit_client(org.manager, org.team_client) is False


def test_manager_without_team_sees_only_own_clients(org):
    loner = ManagerFactory(team=None)
    org.client.account_manager = loner
    org.client.save()
    assert names(clients_visible_to(loner)) == ["Own Client UAB"]


def test_team_lead_sees_and_edits_led_team(org):
    assert names(clients_visible_to(org.lead)) == ["Own Client UAB", "Teammate Client UAB"]
    assert names(clients_editable_by(org.lead)) == ["Own Client UAB", "Teammate Client UAB"]
    assert can_reassign_client(org.lead, org.client) is True


def test_other_team_lead_sees_only_their_team(org):
    assert names(clients_visible_to(org.other_lead)) == ["Foreign Client OOO"]


def test_admin_sees_everything(org):
    assert clients_visible_to(org.admin).count() == 3


def test_manager_cannot_reassign(org):
    assert can_reassign_client(org.manager, org.client) is False


def test_inactive_user_sees_nothing(org):
    org.manager.is_active = False
    assert clients_visible_to(org.manager).count() == 0


def test_get_client_for_user_404s_for_invisible_client(org):
    with pytest.raises(Http404):
        get_client_for_user(org.manager, org.foreign_client.pk)
    with pytest.raises(Http404):
        get_client_for_user(org.manager, "not-a-number")
    assert get_client_for_user(org.manager, org.team_client.pk) == org.team_client


def test_history_shows_who_changed_what_with_labels_and_names(org):
    update_client(actor=org.lead, client=org.client, tier="vip", account_manager=org.teammate, tags=["export"])
    history = get_client_history(org.client)
    changes = {f["field"]: (f["old"], f["new"]) for entry in history for f in entry["fields"]}
    assert changes["tier"] == ("Standard", "VIP")
    assert changes["account manager"] == ("Mantas Owner", "Tomas Teammate")
    assert changes["tags"] == ("—", "export")
    assert history[0]["record"].history_user == org.lead


def test_history_query_count_is_constant(org, django_assert_max_num_queries):
    for tier in ["key", "vip", "standard", "key", "vip", "standard"]:
        update_client(actor=org.admin, client=org.client, tier=tier)
    # the client's records, its tag changes, and one query per registered source (contacts, timeline)
    with django_assert_max_num_queries(4):
        get_client_history(org.client)


def test_history_includes_contact_changes_in_order(org):
    from contacts.services import create_contact, delete_contact, update_contact

    contact = create_contact(actor=org.manager, client=org.client, full_name="Rasa", position="Buyer")
    update_contact(actor=org.manager, contact=contact, position="CFO")
    update_client(actor=org.manager, client=org.client, city="Kaunas")
    delete_contact(actor=org.lead, contact=contact)
    history = get_client_history(org.client)
    summary = [(e.get("subject"), e["type"], [(f["field"], f["old"], f["new"]) for f in e["fields"]]) for e in history]
    assert summary[:4] == [
        ("Rasa", "-", []),
        (None, "~", [("city", "Vilnius", "Kaunas")]),
        ("Rasa", "~", [("position", "Buyer", "CFO")]),
        ("Rasa", "+", []),
    ]
    assert history[0]["record"].history_user == org.lead
