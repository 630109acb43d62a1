"""The complaint workflow and registration: allowed and refused steps, the thread, signals, rights."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.db import transaction
from django.forms.models import model_to_dict

from complaints.models import (
    TRANSITIONS,
    ActivityKind,
    Complaint,
    ComplaintActivity,
    ComplaintStatus,
    Severity,
)
from complaints.services.complaints import add_note, change_severity, register_complaint
from complaints.services.workflow import TransitionNotAllowed, transition_complaint
from complaints.signals import complaint_reopened, complaint_resolved
from core.exceptions import ApplicationError
from interactions.models import Interaction
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory
from tests.factories.complaints import (
    ComplaintCategoryFactory,
    RootCauseFactory,
    active_root_cause,
    make_complaint,
    move,
    reply,
)
from tests.factories.contacts import ContactFactory
from tests.factories.orders import OrderFactory

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
MON = datetime(2026, 3, 2, 10, tzinfo=VILNIUS)
STEP = MON + timedelta(hours=3)
STATUSES = list(ComplaintStatus.values)
ALLOWED = [(source, target) for source in STATUSES for target in TRANSITIONS[source]]
FORBIDDEN = [(source, target) for source in STATUSES for target in STATUSES if target not in TRANSITIONS[source]]
# How to bring a new complaint into each status.
PATHS = {
    ComplaintStatus.NEW: [],
    ComplaintStatus.IN_PROGRESS: [ComplaintStatus.IN_PROGRESS],
    ComplaintStatus.WAITING: [ComplaintStatus.WAITING],
    ComplaintStatus.RESOLVED: [ComplaintStatus.RESOLVED],
    ComplaintStatus.CLOSED: [ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED],
}


def complaint_in(org, status):
    complaint = make_complaint(actor=org.manager, client=org.client, received_at=MON)
    for minutes, step in enumerate(PATHS[status], start=1):
        move(complaint, step, actor=org.manager, at=MON + timedelta(minutes=minutes))
    return Complaint.objects.get(pk=complaint.pk)


def snapshot(complaint):
    complaint = Complaint.objects.get(pk=complaint.pk)
    return model_to_dict(complaint), complaint.activities.count()


@pytest.fixture
def received_signals():
    """(signal name, kwargs) of every complaint_resolved and complaint_reopened sent."""
    received = []

    def on_resolved(sender, **kwargs):
        received.append(("resolved", {k: v for k, v in kwargs.items() if k != "signal"}))

    def on_reopened(sender, **kwargs):
        received.append(("reopened", {k: v for k, v in kwargs.items() if k != "signal"}))

    complaint_resolved.connect(on_resolved, weak=False)
    complaint_reopened.connect(on_reopened, weak=False)
    yield received
    complaint_resolved.disconnect(on_resolved)
    complaint_reopened.disconnect(on_reopened)


# --- transitions ------------------------------------------------------------------------------


def test_the_workflow_lists_these_transitions():
    assert sorted(ALLOWED) == sorted(
        [
            ("new", "in_progress"),
            ("new", "waiting"),
            ("new", "resolved"),
            ("in_progress", "waiting"),
            ("in_progress", "resolved"),
            ("waiting", "in_progress"),
            ("waiting", "resolved"),
            ("resolved", "closed"),
            ("resolved", "in_progress"),
        ]
    )


@pytest.mark.parametrize(("source", "target"), ALLOWED)
def test_an_allowed_transition_changes_the_status_and_writes_a_thread_entry(org, source, target):
    complaint = complaint_in(org, source)

    moved = move(complaint, target, actor=org.lead, at=STEP, note="  Spoke to the carrier.  ")

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert moved.status == complaint.status == target
    entry = complaint.activities.order_by("at", "pk").last()
    assert (entry.kind, entry.author, entry.at, entry.from_value, entry.to_value) == (
        ActivityKind.STATUS,
        org.lead,
        STEP,
        source,
        target,
    )
    assert entry.body == ("Replaced the goods." if target == ComplaintStatus.RESOLVED else "Spoke to the carrier.")
    if target == ComplaintStatus.RESOLVED:
        assert (complaint.resolved_at, complaint.resolution, complaint.root_cause) == (
            STEP,
            "Replaced the goods.",
            active_root_cause(),
        )
    if target == ComplaintStatus.CLOSED:
        assert complaint.closed_at == STEP


@pytest.mark.parametrize(("source", "target"), FORBIDDEN)
def test_a_transition_the_workflow_does_not_list_is_refused_and_changes_nothing(org, source, target):
    complaint = complaint_in(org, source)
    before = snapshot(complaint)

    with pytest.raises(TransitionNotAllowed) as refused:
        move(complaint, target, actor=org.manager, at=STEP)

    assert refused.value.field == "status"
    assert snapshot(complaint) == before


def test_an_unknown_status_is_refused_and_changes_nothing(org):
    complaint = complaint_in(org, ComplaintStatus.NEW)
    before = snapshot(complaint)

    with pytest.raises(ApplicationError, match="Unknown status"):
        move(complaint, "archived", actor=org.manager, at=STEP)

    assert snapshot(complaint) == before


@pytest.mark.parametrize(
    ("resolution", "root_cause", "field"),
    [
        ("   ", "active", "resolution"),
        ("Replaced the goods.", None, "root_cause"),
        ("Replaced the goods.", "inactive", "root_cause"),
    ],
)
def test_resolving_needs_a_resolution_text_and_an_active_root_cause(org, resolution, root_cause, field):
    complaint = complaint_in(org, ComplaintStatus.IN_PROGRESS)
    before = snapshot(complaint)
    causes = {"active": active_root_cause(), "inactive": RootCauseFactory(name="Retired cause", is_active=False)}

    with pytest.raises(ApplicationError) as refused:
        transition_complaint(
            actor=org.manager,
            complaint=complaint,
            to_status=ComplaintStatus.RESOLVED,
            resolution=resolution,
            root_cause=causes.get(root_cause),
            now=STEP,
        )

    assert refused.value.field == field
    assert snapshot(complaint) == before


# --- signals ----------------------------------------------------------------------------------


def test_complaint_resolved_is_sent_once_after_the_commit(org, django_capture_on_commit_callbacks, received_signals):
    complaint = complaint_in(org, ComplaintStatus.IN_PROGRESS)

    with django_capture_on_commit_callbacks(execute=True):
        move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=STEP)
        assert received_signals == []  # not before the commit

    assert received_signals == [
        ("resolved", {"complaint_id": complaint.pk, "cycle": 1, "actor_id": org.manager.pk, "resolved_at": STEP})
    ]


def test_complaint_resolved_is_not_sent_when_the_transaction_rolls_back(
    org, django_capture_on_commit_callbacks, received_signals
):
    complaint = complaint_in(org, ComplaintStatus.IN_PROGRESS)

    def resolve_then_fail():
        with transaction.atomic():
            move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=STEP)
            raise RuntimeError("the request failed later")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        resolve_then_fail()

    assert (callbacks, received_signals) == ([], [])
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.IN_PROGRESS


def test_complaint_reopened_is_sent_on_reopen_with_the_new_cycle(
    org, django_capture_on_commit_callbacks, received_signals
):
    complaint = complaint_in(org, ComplaintStatus.RESOLVED)

    with django_capture_on_commit_callbacks(execute=True):
        move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=STEP)

    assert received_signals == [("reopened", {"complaint_id": complaint.pk, "cycle": 2, "actor_id": org.manager.pk})]


def test_closing_a_resolved_complaint_is_not_a_reopen(org, django_capture_on_commit_callbacks, received_signals):
    complaint = complaint_in(org, ComplaintStatus.RESOLVED)

    with django_capture_on_commit_callbacks(execute=True):
        move(complaint, ComplaintStatus.CLOSED, actor=org.manager, at=STEP)

    assert received_signals == []


def test_steps_that_neither_resolve_nor_reopen_send_no_signal(
    org, django_capture_on_commit_callbacks, received_signals
):
    complaint = complaint_in(org, ComplaintStatus.NEW)

    with django_capture_on_commit_callbacks(execute=True):
        move(complaint, ComplaintStatus.WAITING, actor=org.manager, at=STEP)
        move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=STEP + timedelta(hours=1))

    assert received_signals == []


# --- who may act ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_colleagues_who_may_only_read_cannot_change_the_complaint(org, who):
    complaint = complaint_in(org, ComplaintStatus.NEW)
    before = snapshot(complaint)
    actor = getattr(org, who)

    with pytest.raises(ApplicationError, match="not change it"):
        move(complaint, ComplaintStatus.IN_PROGRESS, actor=actor, at=STEP)
    with pytest.raises(ApplicationError, match="not change it"):
        reply(complaint, actor=actor, at=STEP)
    with pytest.raises(ApplicationError, match="not change it"):
        change_severity(actor=actor, complaint=complaint, severity=Severity.HIGH, now=STEP)
    with pytest.raises(ApplicationError, match="not change it"):
        add_note(actor=actor, complaint=complaint, body="Looks bad.", now=STEP)

    assert snapshot(complaint) == before


def test_an_owner_who_is_not_the_clients_manager_may_work_on_the_complaint(org):
    complaint = make_complaint(actor=org.lead, client=org.client, owner=org.teammate, received_at=MON)
    assert complaint.owner == org.teammate

    reply(complaint, actor=org.teammate, at=STEP)
    move(complaint, ComplaintStatus.RESOLVED, actor=org.teammate, at=STEP + timedelta(hours=1))

    complaint = Complaint.objects.get(pk=complaint.pk)
    assert (complaint.status, complaint.first_response_at) == (ComplaintStatus.RESOLVED, STEP)
    # The reply is on the client's timeline as the owner's, although the client is a colleague's.
    interaction = Interaction.objects.get(client=org.client)
    assert (interaction.logged_by, interaction.direction, interaction.occurred_at) == (org.teammate, "outbound", STEP)
    assert interaction.subject == f"Re: complaint {complaint.number}"
    assert list(complaint.activities.values_list("kind", "author")) == [
        (ActivityKind.CREATED, org.lead.pk),
        (ActivityKind.REPLY, org.teammate.pk),
        (ActivityKind.STATUS, org.teammate.pk),
        (ActivityKind.STATUS, org.teammate.pk),
    ]


def test_the_team_lead_and_an_admin_may_work_on_a_managers_complaint(org):
    complaint = complaint_in(org, ComplaintStatus.NEW)

    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.lead, at=STEP)
    move(complaint, ComplaintStatus.WAITING, actor=org.admin, at=STEP + timedelta(hours=1))

    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.WAITING


# --- registration -----------------------------------------------------------------------------


def test_registration_writes_the_first_thread_entry_and_defaults_the_owner_to_the_clients_manager(org):
    complaint = make_complaint(
        actor=org.lead, client=org.client, received_at=MON - timedelta(hours=1), now=MON, description=" Cracked. "
    )

    assert (complaint.owner, complaint.created_by, complaint.status) == (org.manager, org.lead, ComplaintStatus.NEW)
    assert complaint.received_at == MON - timedelta(hours=1)
    entry = ComplaintActivity.objects.get(complaint=complaint)
    assert (entry.kind, entry.author, entry.at, entry.body) == (ActivityKind.CREATED, org.lead, MON, "Cracked.")


def test_a_client_without_a_manager_gets_the_registering_person_as_owner(org):
    client = ClientFactory(name="Orphan UAB", account_manager=None)

    assert make_complaint(actor=org.admin, client=client, received_at=MON).owner == org.admin


def test_numbers_are_consecutive_within_the_year_of_receipt(org):
    numbers = [make_complaint(actor=org.manager, client=org.client, received_at=MON).number for _ in range(3)]
    new_year_eve = datetime(2025, 12, 31, 23, 30, tzinfo=VILNIUS)
    last_year = make_complaint(actor=org.manager, client=org.client, received_at=new_year_eve, now=MON)

    assert numbers == ["CMP-2026-000001", "CMP-2026-000002", "CMP-2026-000003"]
    assert last_year.number == "CMP-2025-000001"


def rejected_registrations(org):
    """(keyword arguments, actor, field): registrations a rule refuses."""
    inactive = ComplaintCategoryFactory(name="Retired category", is_active=False)
    return [
        ({"received_at": MON + timedelta(minutes=6)}, org.manager, "received_at"),
        ({"contact": ContactFactory(client=org.foreign_client)}, org.manager, "contact"),
        ({"order": OrderFactory(client=org.foreign_client)}, org.manager, "order"),
        ({"category": inactive}, org.manager, "category"),
        ({"owner": org.teammate}, org.manager, "owner"),
        ({"owner": ManagerFactory(is_active=False)}, org.lead, "owner"),
        ({"subject": "   "}, org.manager, "subject"),
        ({"severity": "urgent"}, org.manager, "severity"),
        ({}, org.teammate, None),  # may see the client, may not edit it
    ]


def test_registrations_breaking_a_rule_are_refused_create_nothing_and_use_no_number(org):
    for kwargs, actor, field in rejected_registrations(org):
        arguments = {"category": active_category(), "subject": "Broken pallets", "now": MON, **kwargs}
        with pytest.raises(ApplicationError) as refused:
            register_complaint(actor=actor, client=org.client, **arguments)
        assert refused.value.field == field, kwargs

    assert Complaint.objects.count() == 0
    assert ComplaintActivity.objects.count() == 0
    assert make_complaint(actor=org.manager, client=org.client, received_at=MON).number == "CMP-2026-000001"


def test_a_contact_and_an_order_of_the_same_client_are_accepted(org):
    contact = ContactFactory(client=org.client)
    order = OrderFactory(client=org.client)

    complaint = make_complaint(actor=org.manager, client=org.client, contact=contact, order=order, received_at=MON)

    assert (complaint.contact, complaint.order) == (contact, order)


def active_category():
    from complaints.models import ComplaintCategory

    return ComplaintCategory.objects.filter(is_active=True).order_by("position").first()
