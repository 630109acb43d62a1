from datetime import timedelta

import pytest
from django.utils import timezone

from core.exceptions import ApplicationError
from interactions.models import FollowUp, Interaction, Reminder
from interactions.services.follow_ups import (
    cancel_follow_up,
    complete_follow_up,
    create_follow_up,
    reopen_follow_up,
    reschedule_follow_up,
)
from interactions.services.interactions import (
    complete_interaction,
    delete_interaction,
    log_interaction,
    update_interaction,
)
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory


def test_log_call_with_follow_up_creates_entry_follow_up_and_reminder(org):
    due = timezone.now() + timedelta(days=2)
    entry = log_interaction(actor=org.manager, client=org.client, notes="Asked for a quote", follow_up_due=due)
    assert (entry.kind, entry.status, entry.logged_by) == ("call", "completed", org.manager)
    follow_up = FollowUp.objects.get(interaction=entry)
    assert (follow_up.assignee, follow_up.due_at, follow_up.status) == (org.manager, due, "open")
    assert follow_up.title == "Follow up: Asked for a quote"
    assert Reminder.objects.get(follow_up=follow_up).status == "pending"
    assert entry.history.first().history_user == org.manager


def test_log_requires_a_note_and_edit_rights(org):
    with pytest.raises(ApplicationError) as error:
        log_interaction(actor=org.manager, client=org.client, notes="  ")
    assert error.value.field == "notes"
    with pytest.raises(ApplicationError):
        log_interaction(actor=org.manager, client=org.team_client, notes="Not my client")
    assert Interaction.objects.count() == 0


def test_contacts_must_belong_to_the_client(org):
    stranger = ContactFactory(client=org.team_client)
    with pytest.raises(ApplicationError) as error:
        log_interaction(actor=org.manager, client=org.client, notes="x", contacts=[stranger])
    assert error.value.field == "contacts"
    assert Interaction.objects.count() == 0


def test_completed_entry_cannot_be_in_the_future_and_scheduled_must_be(org):
    with pytest.raises(ApplicationError):
        log_interaction(actor=org.manager, client=org.client, notes="x", occurred_at=timezone.now() + timedelta(days=1))
    with pytest.raises(ApplicationError):
        log_interaction(
            actor=org.manager,
            client=org.client,
            notes="x",
            status="scheduled",
            occurred_at=timezone.now() - timedelta(days=1),
        )
    assert Interaction.objects.count() == 0


def test_scheduled_meeting_gets_a_reminder_and_completion_stops_it(org):
    when = timezone.now() + timedelta(days=1)
    meeting = log_interaction(
        actor=org.manager, client=org.client, kind="meeting", status="scheduled", subject="Review", occurred_at=when
    )
    reminder = Reminder.objects.get(interaction=meeting)
    assert (reminder.status, reminder.remind_at, reminder.recipient) == ("pending", when, org.manager)
    complete_interaction(actor=org.manager, interaction=meeting, outcome="next_step", notes="Went well")
    meeting.refresh_from_db()
    reminder.refresh_from_db()
    assert (meeting.status, meeting.outcome, meeting.notes) == ("completed", "next_step", "Went well")
    assert meeting.occurred_at <= timezone.now()
    assert reminder.status == "cancelled"


def test_reminder_respects_the_users_lead_time(org):
    org.manager.reminder_lead_minutes = 30
    org.manager.save()
    due = timezone.now() + timedelta(days=1)
    follow_up = create_follow_up(actor=org.manager, client=org.client, title="Call", due_at=due)
    assert Reminder.objects.get(follow_up=follow_up).remind_at == due - timedelta(minutes=30)


def test_author_edits_teammate_cannot_lead_can(org):
    entry = InteractionFactory(client=org.client, logged_by=org.manager, notes="old")
    with pytest.raises(ApplicationError):
        update_interaction(actor=org.teammate, interaction=entry, notes="hijack")
    update_interaction(actor=org.lead, interaction=entry, notes="fixed by lead")
    entry.refresh_from_db()
    assert entry.notes == "fixed by lead"
    assert entry.history.first().history_user == org.lead
    with pytest.raises(ApplicationError):
        update_interaction(actor=org.other_lead, interaction=entry, notes="x")
    with pytest.raises(ApplicationError):
        delete_interaction(actor=org.teammate, interaction=entry)
    delete_interaction(actor=org.manager, interaction=entry)
    assert not Interaction.objects.filter(pk=entry.pk).exists()


def test_follow_up_lifecycle_moves_and_cancels_the_reminder(org):
    follow_up = create_follow_up(
        actor=org.manager, client=org.client, title="Send offer", due_at=timezone.now() + timedelta(hours=2)
    )
    reminder = Reminder.objects.get(follow_up=follow_up)
    reminder.status = "sent"
    reminder.save()
    later = timezone.now() + timedelta(days=3)
    reschedule_follow_up(actor=org.manager, follow_up=follow_up, due_at=later)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.remind_at, reminder.next_attempt_at) == ("pending", later, later)
    complete_follow_up(actor=org.manager, follow_up=follow_up)
    reminder.refresh_from_db()
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    assert follow_up.completed_at is not None
    assert reminder.status == "cancelled"
    with pytest.raises(ApplicationError):
        complete_follow_up(actor=org.manager, follow_up=follow_up)
    reopen_follow_up(actor=org.manager, follow_up=follow_up)
    reminder.refresh_from_db()
    assert reminder.status == "pending"
    cancel_follow_up(actor=org.manager, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.status == "cancelled"


def test_only_assignee_or_their_lead_change_a_follow_up(org):
    follow_up = FollowUpFactory(client=org.client, assignee=org.manager)
    with pytest.raises(ApplicationError):
        complete_follow_up(actor=org.teammate, follow_up=follow_up)
    with pytest.raises(ApplicationError):
        complete_follow_up(actor=org.other_lead, follow_up=follow_up)
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    complete_follow_up(actor=org.lead, follow_up=follow_up)


def test_manager_cannot_assign_follow_ups_to_others_but_lead_can(org):
    due = timezone.now() + timedelta(days=1)
    with pytest.raises(ApplicationError) as error:
        create_follow_up(actor=org.manager, client=org.client, title="x", due_at=due, assignee=org.teammate)
    assert error.value.field == "assignee"
    follow_up = create_follow_up(actor=org.lead, client=org.client, title="x", due_at=due, assignee=org.manager)
    assert follow_up.assignee == org.manager
    with pytest.raises(ApplicationError):
        create_follow_up(actor=org.lead, client=org.client, title="x", due_at=due, assignee=org.outsider)
