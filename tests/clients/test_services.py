import pytest

from clients.models import Client, Tag
from clients.services import create_client, parse_tags, reassign_client, update_client
from core.exceptions import ApplicationError


def test_parse_tags_trims_and_deduplicates_case_insensitively():
    assert parse_tags(" export, Baltic ,baltic,, ") == ["export", "Baltic"]


def test_manager_cannot_create_a_client_for_someone_else(org):
    with pytest.raises(ApplicationError) as error:
        create_client(actor=org.manager, name="New UAB", account_manager=org.teammate)
    assert error.value.field == "account_manager"
    assert not Client.objects.filter(name="New UAB").exists()


def test_referral_needs_referral_source_and_another_client(org):
    with pytest.raises(ApplicationError) as error:
        create_client(actor=org.manager, name="Ref", source="website", referred_by=org.client)
    assert error.value.field == "source"
    with pytest.raises(ApplicationError) as error:
        update_client(actor=org.manager, client=org.client, source="referral", referred_by=org.client)
    assert error.value.field == "referred_by"
    org.client.refresh_from_db()
    assert org.client.referred_by is None
    created = create_client(actor=org.manager, name="Ref", source="referral", referred_by=org.client)
    assert created.referred_by == org.client


def test_manager_creates_client_assigned_to_themselves(org):
    client = create_client(actor=org.manager, name="New UAB", tags=["pilot"])
    assert client.account_manager == org.manager
    assert client.created_by == org.manager
    assert [t.name for t in client.tags.all()] == ["pilot"]
    assert client.history.first().history_user == org.manager


def test_lead_cannot_assign_to_another_teams_manager(org):
    with pytest.raises(ApplicationError) as error:
        create_client(actor=org.lead, name="X", account_manager=org.outsider)
    assert error.value.field == "account_manager"
    assert not Client.objects.filter(name="X").exists()


def test_registration_code_unique_when_given(org):
    create_client(actor=org.manager, name="A", registration_code="")
    create_client(actor=org.manager, name="B", registration_code="")
    with pytest.raises(ApplicationError) as error:
        create_client(actor=org.manager, name="C", registration_code=org.client.registration_code)
    assert error.value.field == "registration_code"
    assert not Client.objects.filter(name="C").exists()


def test_churn_requires_a_reason_and_sets_the_date(org):
    with pytest.raises(ApplicationError) as error:
        update_client(actor=org.manager, client=org.client, status="churned")
    assert error.value.field == "churn_reason"
    org.client.refresh_from_db()
    assert org.client.status == "active"
    update_client(actor=org.manager, client=org.client, status="churned", churn_reason="Moved to a competitor")
    org.client.refresh_from_db()
    assert org.client.churned_on is not None
    update_client(actor=org.manager, client=org.client, status="active")
    org.client.refresh_from_db()
    assert org.client.churned_on is None


def test_teammate_cannot_update_and_nothing_changes(org):
    with pytest.raises(ApplicationError):
        update_client(actor=org.manager, client=org.team_client, name="Hijacked")
    org.team_client.refresh_from_db()
    assert org.team_client.name == "Teammate Client UAB"


def test_manager_cannot_change_account_manager_through_update(org):
    with pytest.raises(ApplicationError):
        update_client(actor=org.manager, client=org.client, account_manager=org.teammate)
    org.client.refresh_from_db()
    assert org.client.account_manager == org.manager


def test_update_tags_reuses_existing_tags_case_insensitively(org):
    Tag.objects.create(name="Export")
    update_client(actor=org.manager, client=org.client, tags=["export", "new"])
    assert sorted(t.name for t in org.client.tags.all()) == ["Export", "new"]
    assert Tag.objects.count() == 2


def test_lead_reassigns_within_team(org):
    reassign_client(actor=org.lead, client=org.client, manager=org.teammate)
    org.client.refresh_from_db()
    assert org.client.account_manager == org.teammate
    assert org.client.history.first().history_user == org.lead


def test_lead_cannot_reassign_to_other_team(org):
    with pytest.raises(ApplicationError):
        reassign_client(actor=org.lead, client=org.client, manager=org.outsider)
    org.client.refresh_from_db()
    assert org.client.account_manager == org.manager


def test_admin_reassigns_anywhere(org):
    reassign_client(actor=org.admin, client=org.client, manager=org.outsider)
    org.client.refresh_from_db()
    assert org.client.account_manager == org.outsider


def test_manager_cannot_reassign(org):
    with pytest.raises(ApplicationError):
        reassign_client(actor=org.manager, client=org.client, manager=org.teammate)
    org.client.refresh_from_db()
    assert org.client.account_manager == org.manager
