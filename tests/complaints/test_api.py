from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from complaints.models import Complaint, ComplaintActivity, ComplaintCategory, RootCause
from complaints.services import complaints as complaint_services
from complaints.services.complaints import register_complaint
from complaints.services.workflow import transition_complaint
from core.exceptions import ApplicationError
from core.models import NumberSequence
from interactions.models import Interaction
from tests.factories.accounts import ManagerFactory
from tests.factories.contacts import ContactFactory
from tests.factories.orders import make_order

COMPLAINTS = "/api/v1/complaints/"
CATEGORIES = "/api/v1/complaint-categories/"
ROOT_CAUSES = "/api/v1/root-causes/"
# A Wednesday, 10:00 in Vilnius: inside the default calendar's business hours (Mon-Fri 9-17, LT holidays).
NOW = datetime(2026, 6, 3, 7, 0, tzinfo=UTC)


def url(complaint, action=""):
    return f"{COMPLAINTS}{complaint.pk}/{action + '/' if action else ''}"


def local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def results(response, key="number"):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def category(name="Late delivery"):
    return ComplaintCategory.objects.get(name=name)


def root_cause(name="Carrier delay"):
    return RootCause.objects.get(name=name)


def register(actor, client, *, category_name="Late delivery", subject="Delivery two days late", **kwargs):
    return register_complaint(actor=actor, client=client, category=category(category_name), subject=subject, **kwargs)


def snapshot(complaint):
    """What a refused write must leave as it was: the complaint's fields and its thread."""
    c = Complaint.objects.get(pk=complaint.pk)
    fields = (c.status, c.subject, c.description, c.category_id, c.severity, c.channel, c.contact_id, c.order_id)
    clocks = (c.owner_id, c.first_response_at, c.first_response_due_at, c.resolution_due_at, c.resolved_at)
    thread = list(c.activities.values_list("kind", "body", "from_value", "to_value"))
    return fields, clocks, c.resolution, c.root_cause_id, thread


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield NOW


@pytest.fixture
def complaints(org):
    """A complaint on each client, by its manager, registered in this order: own, teammate's, foreign."""
    return {
        "own": register(org.manager, org.client, subject="Own complaint"),
        "team": register(org.teammate, org.team_client, subject="Team complaint"),
        "foreign": register(org.outsider, org.foreign_client, subject="Foreign complaint"),
    }


# --- authentication ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [COMPLAINTS, CATEGORIES, ROOT_CAUSES])
def test_unauthenticated_requests_are_refused(api, org, base):
    assert api.get(base).status_code == 401


def test_unauthenticated_registration_creates_nothing(api, org):
    response = api.post(
        COMPLAINTS, {"client": org.client.pk, "category": category().pk, "subject": "Late"}, format="json"
    )

    assert response.status_code == 401
    assert not Complaint.objects.exists()


# --- reads ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["team", "own"]),
        ("teammate", ["team", "own"]),
        ("lead", ["team", "own"]),
        ("outsider", ["foreign"]),
        ("other_lead", ["foreign"]),
        ("admin", ["foreign", "team", "own"]),
    ],
)
def test_each_role_lists_the_complaints_of_the_clients_it_sees_newest_first(
    as_api_user, org, complaints, role, expected
):
    response = as_api_user(getattr(org, role)).get(COMPLAINTS)

    assert results(response) == [complaints[key].number for key in expected]
    assert response.json()["count"] == len(expected)


def test_complaint_detail_shows_every_field(as_api_user, org, frozen):
    contact = ContactFactory(client=org.client)
    order = make_order(actor=org.manager, client=org.client)
    complaint = register(
        org.manager,
        org.client,
        category_name="Damaged goods",
        subject="Broken pallet",
        description="Two boxes crushed",
        severity="high",
        channel="email",
        contact=contact,
        order=order,
        received_at=NOW - timedelta(hours=1),
    )
    transition_complaint(actor=org.manager, complaint=complaint, to_status="in_progress")

    response = as_api_user(org.teammate).get(url(complaint))

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert response.json() == {
        "id": complaint.pk,
        "number": "CMP-2026-000001",
        "url": f"http://testserver/complaints/{complaint.pk}/",
        "client": org.client.pk,
        "client_name": "Own Client UAB",
        "contact": contact.pk,
        "order": order.pk,
        "channel": "email",
        "category": category("Damaged goods").pk,
        "category_name": "Damaged goods",
        "severity": "high",
        "subject": "Broken pallet",
        "description": "Two boxes crushed",
        "owner": org.manager.pk,
        "owner_name": "Mantas Owner",
        "status": "in_progress",
        "status_label": "In progress",
        "allowed_transitions": ["waiting", "resolved"],
        "received_at": "2026-06-03T09:00:00+03:00",
        "first_response_at": None,
        "resolved_at": None,
        "closed_at": None,
        "resolution": "",
        "root_cause": None,
        "root_cause_name": None,
        "sla_state": "on_track",
        # high severity, standard tier: 4 and 16 business hours from 9:00 on Wednesday
        "first_response_due_at": "2026-06-03T13:00:00+03:00",
        "resolution_due_at": "2026-06-04T17:00:00+03:00",
        "first_response_breached_at": None,
        "resolution_breached_at": None,
        "escalated_at": None,
        "cycle": 1,
        "created_at": local(complaint.created_at),
        "updated_at": local(complaint.updated_at),
    }


def test_category_and_root_cause_names_follow_the_request_language(as_api_user, org):
    complaint = register(org.manager, org.client)
    transition_complaint(
        actor=org.manager, complaint=complaint, to_status="resolved", resolution="Re-sent", root_cause=root_cause()
    )

    body = as_api_user(org.manager).get(url(complaint), HTTP_ACCEPT_LANGUAGE="ru").json()

    assert (body["category_name"], body["root_cause_name"]) == ("Задержка доставки", "Задержка перевозчика")
    assert (body["status"], body["sla_state"], body["allowed_transitions"]) == (
        "resolved",
        "met",
        ["closed", "in_progress"],
    )


def test_owner_sees_and_works_on_a_complaint_of_a_client_they_cannot_see(as_api_user, org):
    complaint = register(org.admin, org.foreign_client, owner=org.manager)
    api = as_api_user(org.manager)

    assert results(api.get(COMPLAINTS)) == [complaint.number]
    assert api.get(url(complaint)).json()["client_name"] == "Foreign Client OOO"
    response = api.post(url(complaint, "activities"), {"kind": "note", "body": "Calling them"}, format="json")

    assert response.status_code == 201, response.content
    assert complaint.activities.get(kind="note").author == org.manager


@pytest.mark.parametrize(("role", "target"), [("manager", "foreign"), ("other_lead", "own"), ("outsider", "team")])
def test_invisible_complaint_is_not_found_for_reads_and_writes(as_api_user, org, complaints, role, target):
    api = as_api_user(getattr(org, role))
    complaint = complaints[target]
    before = snapshot(complaint)

    assert api.get(url(complaint)).status_code == 404
    assert api.get(url(complaint, "activities")).status_code == 404
    assert api.patch(url(complaint), {"subject": "Mine"}, format="json").status_code == 404
    assert api.post(url(complaint, "transition"), {"status": "in_progress"}, format="json").status_code == 404
    assert api.post(url(complaint, "activities"), {"kind": "note", "body": "Hi"}, format="json").status_code == 404
    assert snapshot(complaint) == before


# --- permissions for writes -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target"),
    [("manager", "own"), ("lead", "own"), ("lead", "team"), ("admin", "team"), ("admin", "foreign")],
)
def test_who_may_edit_the_client_edits_its_complaints(as_api_user, org, complaints, role, target):
    response = as_api_user(getattr(org, role)).patch(url(complaints[target]), {"subject": "Checked"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["subject"] == "Checked"
    assert Complaint.objects.get(pk=complaints[target].pk).subject == "Checked"


@pytest.mark.parametrize(("role", "target"), [("manager", "team"), ("teammate", "own")])
def test_teammates_complaint_is_visible_but_read_only(as_api_user, org, complaints, role, target):
    api = as_api_user(getattr(org, role))
    complaint = complaints[target]
    before = snapshot(complaint)

    assert api.get(url(complaint)).status_code == 200
    assert api.get(url(complaint, "activities")).status_code == 200
    # refused before the (invalid) input is even looked at
    response = api.patch(url(complaint), {"severity": "urgent"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this complaint but not change it."}
    assert api.post(url(complaint, "transition"), {"status": "in_progress"}, format="json").status_code == 403
    assert api.post(url(complaint, "activities"), {"kind": "note", "body": "Mine"}, format="json").status_code == 403
    assert snapshot(complaint) == before


def test_complaints_cannot_be_deleted_or_replaced(as_api_user, org, complaints):
    api = as_api_user(org.admin)

    assert api.delete(url(complaints["own"])).status_code == 405
    assert api.put(url(complaints["own"]), {"subject": "Replaced"}, format="json").status_code == 405
    assert Complaint.objects.get(pk=complaints["own"].pk).subject == "Own complaint"


# --- registering ------------------------------------------------------------------------------------------------------


def test_manager_registers_a_complaint_owned_by_the_clients_manager_with_due_times(as_api_user, org, frozen):
    contact = ContactFactory(client=org.client)

    response = as_api_user(org.manager).post(
        COMPLAINTS,
        {
            "client": org.client.pk,
            "category": category().pk,
            "subject": " Late again ",
            "description": "Third time this month",
            "contact": contact.pk,
            "channel": "email",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    complaint = Complaint.objects.get()
    body = response.json()
    assert body["id"] == complaint.pk
    assert body["number"] == complaint.number == "CMP-2026-000001"
    assert (body["subject"], body["severity"], body["status"], body["owner"], body["owner_name"]) == (
        "Late again",
        "normal",
        "new",
        org.manager.pk,
        "Mantas Owner",
    )
    # normal severity, standard tier: 8 and 40 business hours from Wednesday 10:00
    assert (body["received_at"], body["first_response_due_at"], body["resolution_due_at"], body["sla_state"]) == (
        "2026-06-03T10:00:00+03:00",
        "2026-06-04T10:00:00+03:00",
        "2026-06-10T10:00:00+03:00",
        "on_track",
    )
    assert body["allowed_transitions"] == ["in_progress", "waiting", "resolved"]
    assert (complaint.client, complaint.contact, complaint.channel, complaint.owner, complaint.created_by) == (
        org.client,
        contact,
        "email",
        org.manager,
        org.manager,
    )
    assert (complaint.received_at, complaint.first_response_due_at, complaint.resolution_due_at) == (
        NOW,
        NOW + timedelta(days=1),
        NOW + timedelta(days=7),
    )
    assert list(complaint.activities.values_list("kind", "author", "body")) == [
        ("created", org.manager.pk, "Third time this month")
    ]


def test_team_lead_registers_for_a_members_client_and_the_member_owns_it(as_api_user, org):
    response = as_api_user(org.lead).post(
        COMPLAINTS, {"client": org.team_client.pk, "category": category().pk, "subject": "Late"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["owner"], response.json()["owner_name"]) == (org.teammate.pk, "Tomas Teammate")
    assert Complaint.objects.get().owner == org.teammate


def test_team_lead_chooses_another_owner(as_api_user, org):
    response = as_api_user(org.lead).post(
        COMPLAINTS,
        {"client": org.client.pk, "category": category().pk, "subject": "Late", "owner": org.teammate.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Complaint.objects.get().owner == org.teammate


def test_a_complaint_received_earlier_starts_its_clocks_then(as_api_user, org, frozen):
    response = as_api_user(org.manager).post(
        COMPLAINTS,
        {
            "client": org.client.pk,
            "category": category().pk,
            "subject": "Called yesterday",
            "severity": "critical",
            "received_at": "2026-06-02T16:30:00+03:00",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    # critical: 1 business hour, of which 30 minutes on Tuesday and 30 on Wednesday morning; now it is 10:00
    assert (response.json()["first_response_due_at"], response.json()["sla_state"]) == (
        "2026-06-03T09:30:00+03:00",
        "breached",
    )


def test_registering_for_a_teammates_client_is_forbidden(as_api_user, org):
    response = as_api_user(org.manager).post(
        COMPLAINTS, {"client": org.team_client.pk, "category": category().pk, "subject": "Late"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this client but not change it."}
    assert not Complaint.objects.exists()


def test_registering_for_an_invisible_client_is_a_bad_request(as_api_user, org):
    response = as_api_user(org.manager).post(
        COMPLAINTS, {"client": org.foreign_client.pk, "category": category().pk, "subject": "Late"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"client": [f'Invalid pk "{org.foreign_client.pk}" - object does not exist.']}
    assert not Complaint.objects.exists()


def _other_clients_contact(org):
    return {"contact": ContactFactory(client=org.team_client).pk}


def _inactive_category(org):
    return {"category": ComplaintCategory.objects.create(name="Retired", is_active=False).pk}


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (lambda org: {"subject": None}, {"subject": ["This field may not be null."]}),
        (lambda org: {"subject": "   "}, {"subject": ["This field may not be blank."]}),
        (lambda org: {"category": 999999}, {"category": ['Invalid pk "999999" - object does not exist.']}),
        (_inactive_category, {"category": ["Choose a category."]}),
        (_other_clients_contact, {"contact": ["Choose a contact of this client."]}),
        (
            lambda org: {"received_at": (timezone.now() + timedelta(hours=1)).isoformat()},
            {"received_at": ["A complaint cannot be received in the future."]},
        ),
        (lambda org: {"severity": "urgent"}, {"severity": ['"urgent" is not a valid choice.']}),
        (lambda org: {"channel": "fax"}, {"channel": ['"fax" is not a valid choice.']}),
        (lambda org: {"owner": org.teammate.pk}, {"owner": ["Only team leads and admins choose another owner."]}),
    ],
)
def test_bad_registration_input_returns_field_errors_and_creates_nothing(as_api_user, org, payload, errors):
    valid = {"client": org.client.pk, "category": category().pk, "subject": "Late"}

    response = as_api_user(org.manager).post(COMPLAINTS, {**valid, **payload(org)}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Complaint.objects.exists()
    assert not ComplaintActivity.objects.exists()
    assert not NumberSequence.objects.filter(scope="complaint").exists()


def test_an_owner_one_cannot_see_is_unknown(as_api_user, org):
    response = as_api_user(org.lead).post(
        COMPLAINTS,
        {"client": org.client.pk, "category": category().pk, "subject": "Late", "owner": org.outsider.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"owner": [f'Invalid pk "{org.outsider.pk}" - object does not exist.']}
    assert not Complaint.objects.exists()


def test_registering_without_subject_and_category_names_both(as_api_user, org):
    response = as_api_user(org.manager).post(COMPLAINTS, {"client": org.client.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"category": ["This field is required."], "subject": ["This field is required."]}
    assert not Complaint.objects.exists()


# --- changing a complaint ---------------------------------------------------------------------------------------------


def test_manager_corrects_the_details(as_api_user, org, complaints):
    contact = ContactFactory(client=org.client)
    order = make_order(actor=org.manager, client=org.client)
    complaint = complaints["own"]
    due = (complaint.first_response_due_at, complaint.resolution_due_at)

    response = as_api_user(org.manager).patch(
        url(complaint),
        {
            "category": category("Damaged goods").pk,
            "subject": "Crushed boxes",
            "description": "Photos sent",
            "contact": contact.pk,
            "order": order.pk,
            "channel": "chat",
        },
        format="json",
    )

    assert response.status_code == 200, response.content
    assert (response.json()["category_name"], response.json()["subject"]) == ("Damaged goods", "Crushed boxes")
    complaint.refresh_from_db()
    assert (complaint.category.name, complaint.subject, complaint.description, complaint.channel) == (
        "Damaged goods",
        "Crushed boxes",
        "Photos sent",
        "chat",
    )
    assert (complaint.contact, complaint.order, complaint.severity, complaint.owner) == (
        contact,
        order,
        "normal",
        org.manager,
    )
    assert (complaint.first_response_due_at, complaint.resolution_due_at) == due


def test_a_partial_change_keeps_the_other_details(as_api_user, org):
    contact = ContactFactory(client=org.client)
    complaint = register(org.manager, org.client, description="Keep me", contact=contact, channel="email")

    response = as_api_user(org.manager).patch(url(complaint), {"subject": "Shorter"}, format="json")

    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    assert (complaint.subject, complaint.description, complaint.contact, complaint.channel, complaint.category) == (
        "Shorter",
        "Keep me",
        contact,
        "email",
        category(),
    )


def test_a_new_severity_recomputes_the_due_times_and_is_on_the_thread(as_api_user, org, frozen):
    complaint = register(org.manager, org.client)

    response = as_api_user(org.manager).patch(url(complaint), {"severity": "critical"}, format="json")

    assert response.status_code == 200, response.content
    # critical, standard tier: 1 and 8 business hours from Wednesday 10:00
    assert (response.json()["severity"], response.json()["first_response_due_at"]) == (
        "critical",
        "2026-06-03T11:00:00+03:00",
    )
    assert response.json()["resolution_due_at"] == "2026-06-04T10:00:00+03:00"
    complaint.refresh_from_db()
    assert (complaint.severity, complaint.first_response_due_at) == ("critical", NOW + timedelta(hours=1))
    assert list(complaint.activities.values_list("kind", "from_value", "to_value")) == [
        ("created", "", ""),
        ("severity", "normal", "critical"),
    ]


def test_team_lead_reassigns_a_complaint(as_api_user, org, complaints):
    complaint = complaints["own"]

    response = as_api_user(org.lead).patch(url(complaint), {"owner": org.teammate.pk}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["owner"], response.json()["owner_name"]) == (org.teammate.pk, "Tomas Teammate")
    complaint.refresh_from_db()
    assert complaint.owner == org.teammate
    assert list(complaint.activities.values_list("kind", "author", "from_value", "to_value")) == [
        ("created", org.manager.pk, "", ""),
        ("reassigned", org.lead.pk, "Mantas Owner", "Tomas Teammate"),
    ]


def test_a_manager_may_not_reassign_their_complaint(as_api_user, org, complaints):
    complaint = complaints["own"]
    before = snapshot(complaint)

    response = as_api_user(org.manager).patch(
        url(complaint), {"owner": org.teammate.pk, "subject": "Passing it on"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "Only team leads and admins reassign complaints."}
    assert snapshot(complaint) == before


def test_sending_the_current_owner_is_not_a_reassignment(as_api_user, org, complaints):
    response = as_api_user(org.manager).patch(
        url(complaints["own"]), {"owner": org.manager.pk, "subject": "Same owner"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert list(complaints["own"].activities.values_list("kind", flat=True)) == ["created"]


def test_a_change_is_all_or_nothing(as_api_user, org, complaints, monkeypatch):
    def refuse(**kwargs):
        raise ApplicationError("Not now.", field="owner")

    monkeypatch.setattr(complaint_services, "reassign_complaint", refuse)
    complaint = complaints["own"]
    before = snapshot(complaint)

    response = as_api_user(org.lead).patch(
        url(complaint), {"subject": "Changed", "severity": "high", "owner": org.teammate.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"owner": ["Not now."]}
    assert snapshot(complaint) == before


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        (lambda org: {"subject": ""}, {"subject": ["This field may not be blank."]}),
        (lambda org: {"category": 0}, {"category": ['Invalid pk "0" - object does not exist.']}),
        (_other_clients_contact, {"contact": ["Choose a contact of this client."]}),
        (lambda org: {"severity": "urgent"}, {"severity": ['"urgent" is not a valid choice.']}),
        (lambda org: {"client": org.team_client.pk}, {"client": ["A complaint cannot be moved to another client."]}),
        (
            lambda org: {"received_at": "2026-01-01T10:00:00Z"},
            {"received_at": ["The received time cannot be changed; the SLA clocks started there."]},
        ),
        (lambda org: {"owner": None}, {"owner": ["Choose the new owner."]}),
    ],
)
def test_bad_change_input_returns_field_errors_and_changes_nothing(as_api_user, org, complaints, payload, errors):
    complaint = complaints["own"]
    before = snapshot(complaint)

    response = as_api_user(org.lead).patch(url(complaint), payload(org), format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert snapshot(complaint) == before


def test_number_status_and_clocks_cannot_be_written(as_api_user, org, complaints):
    complaint = complaints["own"]
    before = snapshot(complaint)

    response = as_api_user(org.admin).patch(
        url(complaint),
        {"number": "CMP-1999-000001", "status": "closed", "first_response_due_at": None, "root_cause": 1},
        format="json",
    )

    assert response.status_code == 200
    assert Complaint.objects.get(pk=complaint.pk).number == complaint.number
    assert snapshot(complaint) == before


def test_a_closed_complaint_cannot_be_changed(as_api_user, org, complaints):
    complaint = complaints["own"]
    transition_complaint(
        actor=org.manager, complaint=complaint, to_status="resolved", resolution="Done", root_cause=root_cause()
    )
    transition_complaint(actor=org.manager, complaint=complaint, to_status="closed")
    before = snapshot(complaint)

    response = as_api_user(org.manager).patch(url(complaint), {"subject": "Late note"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A closed complaint cannot be changed."]}
    assert snapshot(complaint) == before


# --- status transitions -----------------------------------------------------------------------------------------------


def test_starting_work_on_a_new_complaint(as_api_user, org, complaints):
    complaint = complaints["own"]

    response = as_api_user(org.manager).post(
        url(complaint, "transition"), {"status": "in_progress", "note": "On it"}, format="json"
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["number"], body["status"], body["status_label"], body["allowed_transitions"]) == (
        complaint.number,
        "in_progress",
        "In progress",
        ["waiting", "resolved"],
    )
    assert Complaint.objects.get(pk=complaint.pk).status == "in_progress"
    assert list(complaint.activities.values_list("kind", "author", "from_value", "to_value", "body")) == [
        ("created", org.manager.pk, "", "", ""),
        ("status", org.manager.pk, "new", "in_progress", "On it"),
    ]


def test_waiting_for_the_client_pauses_the_resolution_clock(as_api_user, org, complaints):
    response = as_api_user(org.manager).post(url(complaints["own"], "transition"), {"status": "waiting"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["resolution_due_at"]) == ("waiting", None)
    assert response.json()["sla_state"] == "paused"


def test_team_lead_resolves_a_members_complaint_with_a_root_cause(as_api_user, org, complaints):
    complaint = complaints["team"]

    response = as_api_user(org.lead).post(
        url(complaint, "transition"),
        {"status": "resolved", "resolution": " Re-delivered ", "root_cause": root_cause().pk},
        format="json",
    )

    assert response.status_code == 200, response.content
    complaint.refresh_from_db()
    body = response.json()
    assert (body["status"], body["resolution"], body["root_cause"], body["root_cause_name"], body["sla_state"]) == (
        "resolved",
        "Re-delivered",
        root_cause().pk,
        "Carrier delay",
        "met",
    )
    assert body["resolved_at"] == local(complaint.resolved_at)
    assert (complaint.status, complaint.resolution, complaint.root_cause) == ("resolved", "Re-delivered", root_cause())


def test_forbidden_transition_is_a_conflict_naming_the_allowed_ones(as_api_user, org, complaints):
    complaint = complaints["own"]
    before = snapshot(complaint)

    response = as_api_user(org.manager).post(url(complaint, "transition"), {"status": "closed"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "A complaint that is “New” cannot become “Closed”.",
        "allowed_transitions": ["in_progress", "waiting", "resolved"],
    }
    assert snapshot(complaint) == before


def test_a_closed_complaint_goes_nowhere(as_api_user, org, complaints):
    complaint = complaints["own"]
    transition_complaint(
        actor=org.manager, complaint=complaint, to_status="resolved", resolution="Done", root_cause=root_cause()
    )
    transition_complaint(actor=org.manager, complaint=complaint, to_status="closed")

    response = as_api_user(org.manager).post(url(complaint, "transition"), {"status": "in_progress"}, format="json")

    assert response.status_code == 409
    assert response.json() == {
        "detail": "A complaint that is “Closed” cannot become “In progress”.",
        "allowed_transitions": [],
    }


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"status": "resolved", "resolution": "Re-sent"}, {"root_cause": ["Choose the root cause."]}),
        ({"status": "resolved", "root_cause": 1}, {"resolution": ["Describe how the complaint was resolved."]}),
        (
            {"status": "resolved", "resolution": "Re-sent", "root_cause": 0},
            {"root_cause": ['Invalid pk "0" - object does not exist.']},
        ),
        ({"status": "lost"}, {"status": ['"lost" is not a valid choice.']}),
        ({}, {"status": ["This field is required."]}),
    ],
)
def test_bad_transition_input_is_a_bad_request_and_changes_nothing(as_api_user, org, complaints, payload, errors):
    complaint = complaints["own"]
    before = snapshot(complaint)

    response = as_api_user(org.manager).post(url(complaint, "transition"), payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert snapshot(complaint) == before


def test_an_inactive_root_cause_cannot_resolve(as_api_user, org, complaints):
    retired = RootCause.objects.create(name="Retired cause", is_active=False)
    before = snapshot(complaints["own"])

    response = as_api_user(org.manager).post(
        url(complaints["own"], "transition"),
        {"status": "resolved", "resolution": "Re-sent", "root_cause": retired.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"root_cause": ["Choose the root cause."]}
    assert snapshot(complaints["own"]) == before


def test_reopening_after_the_reopen_window_is_a_bad_request(as_api_user, org, complaints, settings):
    complaint = complaints["own"]
    transition_complaint(
        actor=org.manager,
        complaint=complaint,
        to_status="resolved",
        resolution="Done",
        root_cause=root_cause(),
        now=timezone.now() - timedelta(days=settings.COMPLAINT_REOPEN_DAYS + 1),
    )
    before = snapshot(complaint)

    response = as_api_user(org.manager).post(url(complaint, "transition"), {"status": "in_progress"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "status": ["A complaint can be reopened within 14 days of its resolution; register a new one."]
    }
    assert snapshot(complaint) == before


def test_reopening_a_resolved_complaint_starts_a_new_cycle(as_api_user, org, complaints):
    complaint = complaints["own"]
    transition_complaint(
        actor=org.manager, complaint=complaint, to_status="resolved", resolution="Done", root_cause=root_cause()
    )

    response = as_api_user(org.manager).post(url(complaint, "transition"), {"status": "in_progress"}, format="json")

    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["cycle"], response.json()["resolved_at"]) == (
        "in_progress",
        2,
        None,
    )


# --- the thread -------------------------------------------------------------------------------------------------------


def test_thread_lists_every_entry_oldest_first(as_api_user, org, complaints):
    complaint = complaints["own"]
    complaint_services.add_note(actor=org.manager, complaint=complaint, body="Checking with the carrier")
    reply = complaint_services.reply_to_client(actor=org.manager, complaint=complaint, body="Sorry", kind="call")

    response = as_api_user(org.lead).get(url(complaint, "activities"))

    assert response.status_code == 200
    entries = response.json()
    assert [(e["kind"], e["kind_label"], e["author_name"], e["body"]) for e in entries] == [
        ("created", "Registered", "Mantas Owner", ""),
        ("note", "Internal note", "Mantas Owner", "Checking with the carrier"),
        ("reply", "Reply to the client", "Mantas Owner", "Sorry"),
        ("status", "Status change", "Mantas Owner", ""),
    ]
    assert entries[2] == {
        "id": reply.pk,
        "kind": "reply",
        "kind_label": "Reply to the client",
        "author": org.manager.pk,
        "author_name": "Mantas Owner",
        "at": local(reply.at),
        "body": "Sorry",
        "from_value": "",
        "to_value": "",
        "interaction": reply.interaction_id,
    }
    assert (entries[3]["from_value"], entries[3]["to_value"], entries[3]["interaction"]) == ("new", "in_progress", None)


def test_internal_note_is_not_a_response(as_api_user, org, complaints):
    complaint = complaints["own"]

    response = as_api_user(org.manager).post(
        url(complaint, "activities"), {"kind": "note", "body": " Waiting for photos "}, format="json"
    )

    assert response.status_code == 201, response.content
    note = complaint.activities.get(kind="note")
    assert response.json() == {
        "id": note.pk,
        "kind": "note",
        "kind_label": "Internal note",
        "author": org.manager.pk,
        "author_name": "Mantas Owner",
        "at": local(note.at),
        "body": "Waiting for photos",
        "from_value": "",
        "to_value": "",
        "interaction": None,
    }
    complaint.refresh_from_db()
    assert (complaint.status, complaint.first_response_at) == ("new", None)
    assert not Interaction.objects.exists()


def test_reply_is_the_first_response_and_an_outbound_interaction(as_api_user, org, frozen):
    contact = ContactFactory(client=org.client)
    complaint = register(org.manager, org.client, contact=contact, received_at=NOW - timedelta(hours=2))

    response = as_api_user(org.manager).post(
        url(complaint, "activities"),
        {"kind": "reply", "body": "We are sending new boxes", "reply_kind": "call"},
        format="json",
    )

    assert response.status_code == 201, response.content
    interaction = Interaction.objects.get()
    assert (response.json()["kind"], response.json()["body"], response.json()["interaction"]) == (
        "reply",
        "We are sending new boxes",
        interaction.pk,
    )
    assert (interaction.client, interaction.kind, interaction.direction, interaction.occurred_at) == (
        org.client,
        "call",
        "outbound",
        NOW,
    )
    assert (interaction.subject, interaction.notes, list(interaction.contacts.all())) == (
        f"Re: complaint {complaint.number}",
        "We are sending new boxes",
        [contact],
    )
    complaint.refresh_from_db()
    assert (complaint.status, complaint.first_response_at, complaint.first_response_business_minutes) == (
        "in_progress",
        NOW,
        60,  # received at 8:00, before the working day: counted from 9:00
    )
    detail = as_api_user(org.manager).get(url(complaint)).json()
    assert (detail["first_response_at"], detail["status"]) == ("2026-06-03T10:00:00+03:00", "in_progress")


def test_a_reply_is_an_email_unless_told(as_api_user, org, complaints):
    response = as_api_user(org.manager).post(
        url(complaints["own"], "activities"), {"kind": "reply", "body": "Sorry"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert Interaction.objects.get().kind == "email"


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"kind": "note", "body": "   "}, {"body": ["This field may not be blank."]}),
        ({"kind": "reply"}, {"body": ["This field is required."]}),
        ({"kind": "status", "body": "Hi"}, {"kind": ['"status" is not a valid choice.']}),
        ({"kind": "reply", "body": "Hi", "reply_kind": "visit"}, {"reply_kind": ['"visit" is not a valid choice.']}),
        ({"kind": "note", "body": "x" * 5001}, {"body": ["Ensure this field has no more than 5000 characters."]}),
    ],
)
def test_bad_thread_input_is_a_bad_request_and_adds_nothing(as_api_user, org, complaints, payload, errors):
    complaint = complaints["own"]
    before = snapshot(complaint)

    response = as_api_user(org.manager).post(url(complaint, "activities"), payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert snapshot(complaint) == before
    assert not Interaction.objects.exists()


def test_nothing_is_added_to_a_closed_complaints_thread(as_api_user, org, complaints):
    complaint = complaints["own"]
    transition_complaint(
        actor=org.manager, complaint=complaint, to_status="resolved", resolution="Done", root_cause=root_cause()
    )
    transition_complaint(actor=org.manager, complaint=complaint, to_status="closed")
    before = snapshot(complaint)

    response = as_api_user(org.manager).post(
        url(complaint, "activities"), {"kind": "reply", "body": "One more thing"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["A closed complaint cannot be changed."]}
    assert snapshot(complaint) == before
    assert not Interaction.objects.exists()


# --- filters, sorting and query count ---------------------------------------------------------------------------------


@pytest.fixture
def filter_complaints(org, frozen):
    """With the time frozen: two old complaints (one still open, one resolved late), a fresh one, an escalated one."""
    late = register(
        org.manager, org.client, subject="Late pallets", severity="high", received_at=NOW - timedelta(days=20)
    )
    done = register(org.manager, org.client, subject="Wrong invoice", received_at=NOW - timedelta(days=21))
    transition_complaint(
        actor=org.manager,
        complaint=done,
        to_status="resolved",
        resolution="Credit note",
        root_cause=root_cause("Pricing or invoicing error"),
        now=NOW - timedelta(days=1),
    )
    team = register(
        org.teammate,
        org.team_client,
        category_name="Damaged goods",
        subject="Crushed boxes",
        received_at=NOW - timedelta(hours=1),
    )
    Complaint.objects.filter(pk=team.pk).update(escalated_at=NOW)
    fresh = register(org.manager, org.client, category_name="Damaged goods", subject="Scratched doors")
    return {"late": late, "done": done, "team": team, "fresh": fresh}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["fresh", "team", "late", "done"]),
        ({"status": "open"}, ["fresh", "team", "late"]),
        ({"status": "resolved"}, ["done"]),
        ({"sla": "breached"}, ["late", "done"]),
        ({"sla": "on_track"}, ["fresh", "team"]),
        ({"overdue": "true"}, ["late"]),
        ({"escalated": "true"}, ["team"]),
        ({"severity": "high"}, ["late"]),
        ({"q": "boxes"}, ["team"]),
        ({"q": "teammate"}, ["team"]),
        ({"sort": "due"}, ["late", "team", "fresh", "done"]),  # nothing is due on a resolved one: last
        ({"sort": "-due"}, ["fresh", "team", "late", "done"]),
        ({"status": "open", "sort": "due"}, ["late", "team", "fresh"]),
        ({"sort": "severity"}, ["late", "fresh", "team", "done"]),
    ],
)
def test_complaint_filters(as_api_user, org, filter_complaints, params, expected):
    response = as_api_user(org.lead).get(COMPLAINTS, params)

    assert results(response) == [filter_complaints[key].number for key in expected]


def test_complaint_filters_by_owner_category_and_client(as_api_user, org, filter_complaints):
    api = as_api_user(org.lead)
    numbers = {key: complaint.number for key, complaint in filter_complaints.items()}

    assert results(api.get(COMPLAINTS, {"owner": org.teammate.pk})) == [numbers["team"]]
    assert results(api.get(COMPLAINTS, {"category": category("Damaged goods").pk})) == [
        numbers["fresh"],
        numbers["team"],
    ]
    assert results(api.get(COMPLAINTS, {"client": org.client.pk})) == [
        numbers["fresh"],
        numbers["late"],
        numbers["done"],
    ]
    assert results(api.get(COMPLAINTS, {"q": numbers["late"]})) == [numbers["late"]]


def test_list_rows_show_the_sla_state(as_api_user, org, filter_complaints):
    response = as_api_user(org.lead).get(COMPLAINTS, {"sort": "number"})

    rows = {row["subject"]: (row["sla_state"], row["status"]) for row in response.json()["results"]}
    assert rows == {
        "Late pallets": ("breached", "new"),
        "Wrong invoice": ("breached", "resolved"),
        "Crushed boxes": ("on_track", "new"),
        "Scratched doors": ("on_track", "new"),
    }


def test_filtering_by_an_invisible_client_finds_nothing(as_api_user, org, complaints):
    response = as_api_user(org.manager).get(COMPLAINTS, {"client": org.foreign_client.pk})

    assert results(response) == []


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"status": "lost"}, {"status": ["Select a valid choice. lost is not one of the available choices."]}),
        ({"sla": "late"}, {"sla": ["Select a valid choice. late is not one of the available choices."]}),
        ({"sort": "secret"}, {"sort": ["Select a valid choice. secret is not one of the available choices."]}),
        ({"category": "0"}, {"category": ["Select a valid choice. That choice is not one of the available choices."]}),
    ],
)
def test_bad_complaint_filter_values_are_a_bad_request(as_api_user, org, params, errors):
    response = as_api_user(org.manager).get(COMPLAINTS, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_filtering_by_an_owner_one_cannot_see_is_a_bad_request(as_api_user, org):
    response = as_api_user(org.manager).get(COMPLAINTS, {"owner": org.outsider.pk})

    assert response.status_code == 400
    assert response.json() == {"owner": ["Select a valid choice. That choice is not one of the available choices."]}


@pytest.mark.parametrize("rows", [2, 20])
def test_complaint_list_query_count_does_not_grow_with_complaints(
    as_api_user, org, django_assert_max_num_queries, rows
):
    contact = ContactFactory(client=org.client)
    order = make_order(actor=org.manager, client=org.client)
    for index in range(rows):
        complaint = register(org.manager, org.client, contact=contact, order=order)
        if index % 2:
            transition_complaint(
                actor=org.manager, complaint=complaint, to_status="resolved", resolution="Done", root_cause=root_cause()
            )
    api = as_api_user(org.admin)

    # count, the page with clients, owners, categories and root causes
    with django_assert_max_num_queries(2):
        response = api.get(COMPLAINTS)

    assert response.status_code == 200
    assert len(response.json()["results"]) == rows
    assert {row["root_cause_name"] for row in response.json()["results"]} == {None, "Carrier delay"}


def test_thread_query_count_does_not_grow_with_entries(as_api_user, org, complaints, django_assert_max_num_queries):
    for index in range(10):
        complaint_services.reply_to_client(actor=org.manager, complaint=complaints["own"], body=f"Reply {index}")
    api = as_api_user(org.manager)

    # the complaint, the thread with authors
    with django_assert_max_num_queries(2):
        response = api.get(url(complaints["own"], "activities"))

    assert len(response.json()) == 12


# --- categories and root causes ---------------------------------------------------------------------------------------


def test_categories_list_the_active_ones_in_the_admins_order(as_api_user, org):
    ComplaintCategory.objects.filter(name="Other").update(is_active=False)

    response = as_api_user(org.manager).get(CATEGORIES)

    assert response.status_code == 200
    assert [row["name"] for row in response.json()] == [
        "Late delivery",
        "Damaged goods",
        "Wrong or missing items",
        "Product quality",
        "Invoice or price",
        "Service and communication",
    ]
    assert response.json()[0] == {
        "id": category().pk,
        "name": "Late delivery",
        "name_en": "Late delivery",
        "name_ru": "Задержка доставки",
        "name_lt": "Vėluojantis pristatymas",
    }


def test_root_causes_are_named_in_the_request_language(as_api_user, org):
    RootCause.objects.create(name="Untranslated cause", position=99)

    response = as_api_user(org.manager).get(ROOT_CAUSES, HTTP_ACCEPT_LANGUAGE="lt")

    assert response.status_code == 200
    assert [row["name"] for row in response.json()][-3:] == [
        "Nesusikalbėjimas",
        "Priežastis kliento pusėje",
        "Untranslated cause",  # no Lithuanian name: the English one
    ]
    assert response.json()[0] == {
        "id": root_cause().pk,
        "name": "Vežėjo vėlavimas",
        "name_en": "Carrier delay",
        "name_ru": "Задержка перевозчика",
        "name_lt": "Vežėjo vėlavimas",
    }


def test_a_token_users_own_language_beats_the_browsers(api, org):
    user = ManagerFactory(language="ru")
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    response = api.get(CATEGORIES, HTTP_ACCEPT_LANGUAGE="lt")

    assert response.status_code == 200
    assert response.json()[0]["name"] == "Задержка доставки"


@pytest.mark.parametrize("base", [CATEGORIES, ROOT_CAUSES])
def test_categories_and_root_causes_are_read_only(as_api_user, org, base):
    before = (ComplaintCategory.objects.count(), RootCause.objects.count())

    response = as_api_user(org.admin).post(base, {"name": "New"}, format="json")

    assert response.status_code == 405
    assert (ComplaintCategory.objects.count(), RootCause.objects.count()) == before
