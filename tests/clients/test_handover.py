"""Handing clients over: the account manager changes set-wise, open follow-ups and complaints go along, both
managers are notified once, each client's history records it; refusals change nothing."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

import interactions.registrations as registrations
from clients.filters import ClientFilter
from clients.handover import get_handover_steps
from clients.models import Client, Handover, HandoverClient
from clients.selectors import get_client_history, get_handover_preview, list_clients
from clients.services import hand_over_clients, reassign_client, update_client
from complaints.models import ActivityKind, Complaint, ComplaintActivity, ComplaintStatus
from core.exceptions import ApplicationError
from interactions.models import FollowUp, FollowUpStatus, Notification, Reminder, ReminderStatus
from interactions.services.follow_ups import create_follow_up
from segments.services import create_segment
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.complaints import make_complaint
from tests.factories.interactions import FollowUpFactory


def open_work(client):
    """An open follow-up and an open complaint of the client's manager, and one of each that must not move."""
    manager = client.account_manager
    follow_up = FollowUpFactory(client=client, assignee=manager)
    done = FollowUpFactory(client=client, assignee=manager, status=FollowUpStatus.DONE)
    complaint = make_complaint(actor=manager, client=client)
    resolved = make_complaint(actor=manager, client=client, subject="Late delivery")
    Complaint.objects.filter(pk=resolved.pk).update(status=ComplaintStatus.RESOLVED)
    return follow_up, done, complaint, resolved


def assignees(*follow_ups):
    return [FollowUp.objects.get(pk=f.pk).assignee for f in follow_ups]


def owners(*complaints):
    return [Complaint.objects.get(pk=c.pk).owner for c in complaints]


def notifications():
    return sorted((n.recipient.full_name, n.key, n.title) for n in Notification.objects.select_related("recipient"))


def snapshot():
    """Everything a handover may change, to assert that a refused one changed nothing."""
    return (
        sorted(Client.objects.values_list("pk", "account_manager_id")),
        sorted(FollowUp.objects.values_list("pk", "assignee_id")),
        sorted(Complaint.objects.values_list("pk", "owner_id")),
        Handover.objects.count(),
        Notification.objects.count(),
        ComplaintActivity.objects.filter(kind=ActivityKind.REASSIGNED).count(),
        sum(client.history.count() for client in Client.objects.all()),
    )


def test_steps_are_registered_in_order():
    assert [step.key for step in get_handover_steps()] == ["follow_ups", "complaints", "notifications"]


def test_one_client_moves_with_its_open_follow_ups_and_complaints(org):
    follow_up, done, complaint, resolved = open_work(org.client)

    reassign_client(actor=org.lead, client=org.client, manager=org.teammate)

    org.client.refresh_from_db()
    assert org.client.account_manager == org.teammate
    assert assignees(follow_up, done) == [org.teammate, org.manager]
    assert owners(complaint, resolved) == [org.teammate, org.manager]
    handover = Handover.objects.get()
    assert (handover.actor, handover.manager, handover.client_count) == (org.lead, org.teammate, 1)
    assert handover.counts == {"follow_ups": 1, "complaints": 1}
    assert list(HandoverClient.objects.values_list("client_id", "previous_manager_id")) == [
        (org.client.pk, org.manager.pk)
    ]


def test_both_managers_are_notified_once_per_handover(org):
    open_work(org.client)
    handover = hand_over_clients(
        actor=org.lead, clients=Client.objects.filter(pk=org.client.pk), manager=org.teammate, note="Mantas leaves"
    )

    key = f"handover:{handover.pk}"
    assert notifications() == [
        ("Mantas Owner", key, "1 client handed over to Tomas Teammate"),
        ("Tomas Teammate", key, "1 client handed over to you (from Mantas Owner)"),
    ]
    received = Notification.objects.get(recipient=org.teammate)
    assert received.body == "Handed over by Lina Lead.\nOpen follow-ups: 1 · Open complaints: 1\nMantas leaves"
    assert received.url == f"/clients/?handover={handover.pk}"


def test_notification_titles_are_written_in_the_recipients_language(org, monkeypatch):
    org.manager.language = "lt"
    org.manager.save()
    seen = {}
    real_notify = registrations.notify

    def spy(**kwargs):
        seen[kwargs["recipient"].full_name] = translation.get_language()
        return real_notify(**kwargs)

    monkeypatch.setattr(registrations, "notify", spy)
    reassign_client(actor=org.lead, client=org.client, manager=org.teammate)
    assert seen == {"Mantas Owner": "lt", "Tomas Teammate": "en"}


def test_a_selection_moves_only_the_selected_clients(org):
    second = ClientFactory(name="Second UAB", account_manager=org.manager)
    kept = ClientFactory(name="Kept UAB", account_manager=org.manager)
    moved_work = [open_work(org.client), open_work(second)]
    kept_follow_up, _, kept_complaint, _ = open_work(kept)

    handover = hand_over_clients(
        actor=org.lead, clients=Client.objects.filter(pk__in=[org.client.pk, second.pk]), manager=org.teammate
    )

    assert sorted(Client.objects.filter(account_manager=org.teammate).values_list("name", flat=True)) == [
        "Own Client UAB",
        "Second UAB",
        "Teammate Client UAB",
    ]
    assert assignees(*(work[0] for work in moved_work)) == [org.teammate, org.teammate]
    assert owners(*(work[2] for work in moved_work)) == [org.teammate, org.teammate]
    assert assignees(kept_follow_up) == [org.manager]
    assert owners(kept_complaint) == [org.manager]
    assert (handover.client_count, handover.counts) == (2, {"follow_ups": 2, "complaints": 2})
    assert notifications() == [
        ("Mantas Owner", f"handover:{handover.pk}", "2 clients handed over to Tomas Teammate"),
        ("Tomas Teammate", f"handover:{handover.pk}", "2 clients handed over to you (from Mantas Owner)"),
    ]


def test_follow_ups_and_complaints_held_by_someone_else_stay(org):
    """Only what the previous manager holds moves: a colleague's follow-up on the client is theirs to keep."""
    colleague_follow_up = FollowUpFactory(client=org.client, assignee=org.lead)
    colleague_complaint = make_complaint(actor=org.lead, client=org.client, owner=org.lead)
    other_client_follow_up = FollowUpFactory(client=org.team_client, assignee=org.manager)

    reassign_client(actor=org.lead, client=org.client, manager=org.teammate)

    handover = Handover.objects.get()

    assert assignees(colleague_follow_up, other_client_follow_up) == [org.lead, org.manager]
    assert owners(colleague_complaint) == [org.lead]
    assert handover.counts == {"follow_ups": 0, "complaints": 0}


def test_a_segment_is_handed_over(org):
    kaunas = [ClientFactory(name=f"Kaunas {i} UAB", city="Kaunas", account_manager=org.manager) for i in range(3)]
    segment = create_segment(
        actor=org.admin,
        name="Kaunas",
        rules={"op": "and", "rules": [{"field": "city", "operator": "equals", "value": "Kaunas"}]},
    )
    follow_ups = [FollowUpFactory(client=client) for client in kaunas]
    picked = ClientFilter({"segment": str(segment.pk)}, queryset=list_clients(org.admin), user=org.admin)

    handover = hand_over_clients(actor=org.admin, clients=picked.qs, manager=org.outsider)

    assert sorted(Client.objects.filter(account_manager=org.outsider).values_list("name", flat=True)) == [
        "Foreign Client OOO",
        "Kaunas 0 UAB",
        "Kaunas 1 UAB",
        "Kaunas 2 UAB",
    ]
    assert assignees(*follow_ups) == [org.outsider] * 3
    assert Client.objects.get(pk=org.client.pk).account_manager == org.manager  # in Vilnius: not a member
    assert handover.counts == {"follow_ups": 3, "complaints": 0}


def test_a_departing_managers_whole_portfolio_goes_and_they_are_not_notified(org):
    leaver = ManagerFactory(full_name="Leo Leaver", team=org.north)
    portfolio = [ClientFactory(account_manager=leaver) for _ in range(4)]
    follow_ups = [FollowUpFactory(client=client) for client in portfolio]
    complaints = [make_complaint(actor=leaver, client=client) for client in portfolio[:2]]
    leaver.is_active = False
    leaver.save()

    picked = ClientFilter({"manager": str(leaver.pk)}, queryset=list_clients(org.lead), user=org.lead)
    handover = hand_over_clients(actor=org.lead, clients=picked.qs, manager=org.teammate)

    assert not Client.objects.filter(account_manager=leaver).exists()
    assert assignees(*follow_ups) == [org.teammate] * 4
    assert owners(*complaints) == [org.teammate] * 2
    assert (handover.client_count, handover.counts) == (4, {"follow_ups": 4, "complaints": 2})
    assert notifications() == [
        ("Tomas Teammate", f"handover:{handover.pk}", "4 clients handed over to you (from Leo Leaver)"),
    ]


def test_clients_from_several_managers_name_them_all_and_each_is_told_their_count(org):
    handover = hand_over_clients(
        actor=org.admin,
        clients=Client.objects.filter(pk__in=[org.client.pk, org.team_client.pk, org.foreign_client.pk]),
        manager=org.other_lead,
    )
    key = f"handover:{handover.pk}"
    assert notifications() == [
        ("Mantas Owner", key, "1 client handed over to Sergej South-Lead"),
        ("Olga Outsider", key, "1 client handed over to Sergej South-Lead"),
        ("Sergej South-Lead", key, "3 clients handed over to you (from Mantas Owner, Olga Outsider, Tomas Teammate)"),
        ("Tomas Teammate", key, "1 client handed over to Sergej South-Lead"),
    ]


def test_the_actor_is_not_notified_of_their_own_handover(org):
    own = ClientFactory(account_manager=org.lead)
    handover = hand_over_clients(actor=org.lead, clients=Client.objects.filter(pk=own.pk), manager=org.teammate)
    assert notifications() == [
        ("Tomas Teammate", f"handover:{handover.pk}", "1 client handed over to you (from Lina Lead)"),
    ]


def test_clients_already_with_the_manager_are_skipped(org):
    handover = hand_over_clients(
        actor=org.lead, clients=Client.objects.filter(pk__in=[org.client.pk, org.team_client.pk]), manager=org.teammate
    )
    assert handover.client_count == 1
    assert list(handover.entries.values_list("client_id", flat=True)) == [org.client.pk]
    assert org.team_client.history.count() == 1  # created only: no handover record


def test_complaints_record_the_reassignment_in_their_thread(org):
    complaint = make_complaint(actor=org.manager, client=org.client)
    reassign_client(actor=org.lead, client=org.client, manager=org.teammate)
    activity = ComplaintActivity.objects.get(complaint=complaint, kind=ActivityKind.REASSIGNED)
    assert (activity.author, activity.from_value, activity.to_value) == (org.lead, "Mantas Owner", "Tomas Teammate")


def test_pending_reminders_of_moved_follow_ups_remind_the_new_manager(org):
    org.teammate.reminder_lead_minutes = 30
    org.teammate.save()
    due = timezone.now() + timedelta(days=2)
    follow_up = create_follow_up(actor=org.manager, client=org.client, title="Call back", due_at=due)
    sent = create_follow_up(actor=org.manager, client=org.client, title="Sent already", due_at=due)
    Reminder.objects.filter(follow_up=sent).update(status=ReminderStatus.SENT)

    reassign_client(actor=org.lead, client=org.client, manager=org.teammate)

    reminder = Reminder.objects.get(follow_up=follow_up)
    assert (reminder.recipient, reminder.status) == (org.teammate, ReminderStatus.PENDING)
    assert reminder.remind_at == reminder.next_attempt_at == due - timedelta(minutes=30)
    assert Reminder.objects.get(follow_up=sent).recipient == org.manager


def test_each_client_history_records_the_handover_with_actor_and_reason(org):
    org.client.tags.set([TagFactory(name="export")])
    follow_up = FollowUpFactory(client=org.client)
    handover = hand_over_clients(actor=org.lead, clients=Client.objects.filter(pk=org.client.pk), manager=org.teammate)

    record = org.client.history.first()
    assert (record.history_user, record.history_change_reason) == (org.lead, f"Handover #{handover.pk}")
    assert record.history_date == handover.created_at
    entry = get_client_history(org.client)[0]
    assert entry["handover_id"] == handover.pk
    # the tags were written with the record: only the manager reads as changed
    assert [(f["field"], f["old"], f["new"]) for f in entry["fields"]] == [
        ("account manager", "Mantas Owner", "Tomas Teammate")
    ]
    fu_record = FollowUp.objects.get(pk=follow_up.pk).history.first()
    assert (fu_record.history_user, fu_record.assignee_id) == (org.lead, org.teammate.pk)


def test_changing_the_manager_through_update_is_a_handover(org):
    follow_up = FollowUpFactory(client=org.client)
    update_client(actor=org.lead, client=org.client, account_manager=org.teammate, city="Kaunas")

    org.client.refresh_from_db()
    assert (org.client.account_manager, org.client.city) == (org.teammate, "Kaunas")
    assert assignees(follow_up) == [org.teammate]
    assert Handover.objects.get().client_count == 1


def test_unassigning_through_update_moves_nothing(org):
    follow_up = FollowUpFactory(client=org.client)
    update_client(actor=org.lead, client=org.client, account_manager=None)
    assert Client.objects.get(pk=org.client.pk).account_manager is None
    assert assignees(follow_up) == [org.manager]
    assert not Handover.objects.exists()


def test_a_manager_cannot_hand_over_and_nothing_changes(org):
    open_work(org.client)
    before = snapshot()
    with pytest.raises(ApplicationError):
        hand_over_clients(actor=org.manager, clients=Client.objects.filter(pk=org.client.pk), manager=org.teammate)
    assert snapshot() == before


def test_a_lead_cannot_hand_over_another_teams_client_and_nothing_changes(org):
    open_work(org.client)
    open_work(org.foreign_client)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        hand_over_clients(
            actor=org.lead,
            clients=Client.objects.filter(pk__in=[org.client.pk, org.foreign_client.pk]),
            manager=org.teammate,
        )
    assert error.value.message == "You may hand over only your team's clients; 1 of these are not."
    assert error.value.field == "clients"
    assert snapshot() == before


def test_a_lead_cannot_hand_over_to_another_teams_manager_and_nothing_changes(org):
    open_work(org.client)
    before = snapshot()
    with pytest.raises(ApplicationError) as error:
        hand_over_clients(actor=org.lead, clients=Client.objects.filter(pk=org.client.pk), manager=org.outsider)
    assert (error.value.message, error.value.field) == ("You cannot assign clients to this person.", "manager")
    assert snapshot() == before


def test_an_empty_selection_or_one_already_with_the_manager_is_refused(org):
    before = snapshot()
    with pytest.raises(ApplicationError, match="Choose at least one client"):
        hand_over_clients(actor=org.admin, clients=Client.objects.none(), manager=org.teammate)
    with pytest.raises(ApplicationError, match="already managed by Tomas Teammate"):
        hand_over_clients(actor=org.admin, clients=Client.objects.filter(pk=org.team_client.pk), manager=org.teammate)
    assert snapshot() == before


def test_the_preview_counts_what_would_move(org):
    open_work(org.client)
    open_work(org.team_client)
    preview = get_handover_preview(Client.objects.filter(pk__in=[org.client.pk, org.team_client.pk]))
    assert preview["count"] == 2
    assert [(row["name"], row["count"]) for row in preview["by_manager"]] == [
        ("Mantas Owner", 1),
        ("Tomas Teammate", 1),
    ]
    assert [(m["key"], m["count"]) for m in preview["moving"]] == [("follow_ups", 2), ("complaints", 2)]
    # to Tomas, his own client's records stay where they are
    to_tomas = get_handover_preview(
        Client.objects.filter(pk__in=[org.client.pk, org.team_client.pk]), manager=org.teammate
    )
    assert [(m["key"], m["count"]) for m in to_tomas["moving"]] == [("follow_ups", 1), ("complaints", 1)]


def portfolio_of(org, size: int):
    leaver = ManagerFactory(team=org.north)
    clients = [ClientFactory(account_manager=leaver) for _ in range(size)]
    for client in clients:
        FollowUpFactory(client=client)
        client.tags.set([TagFactory(name="export")])
    for client in clients[:3]:
        make_complaint(actor=leaver, client=client)
    return Client.objects.filter(account_manager=leaver)


def statements(queries) -> list[str]:
    """The statements run, with the batches of one bulk INSERT counted once: SQLite takes at most 999 parameters
    a statement, so Django splits a large INSERT there (PostgreSQL runs each in one)."""
    shapes = [re.split(r' VALUES | SET | WHERE |"s\d', query["sql"])[0][:80] for query in queries.captured_queries]
    return [shape for i, shape in enumerate(shapes) if i == 0 or shape != shapes[i - 1] or "INSERT" not in shape]


def test_a_handover_takes_as_many_queries_for_100_clients_as_for_10(org):
    runs = {}
    for size in (10, 100):
        portfolio = portfolio_of(org, size)
        with CaptureQueriesContext(connection) as queries:
            handover = hand_over_clients(actor=org.lead, clients=portfolio, manager=org.teammate)
        assert handover.counts == {"follow_ups": size, "complaints": 3}
        runs[size] = statements(queries)
    assert runs[10] == runs[100]
    assert len(runs[100]) <= 28  # with the handover's audit event


def test_the_preview_takes_as_many_queries_for_100_clients_as_for_10(org, django_assert_max_num_queries):
    for size in (10, 100):
        portfolio = portfolio_of(org, size)
        with django_assert_max_num_queries(5):
            preview = get_handover_preview(portfolio)
        assert preview["count"] == size
