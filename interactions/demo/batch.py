"""Demo rows written in memory; `Batch.save()` stores them in a few queries, with the times they "happened"."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from contacts.models import Contact

from ..models import FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind, Reminder, ReminderStatus


@dataclass
class Batch:
    now: datetime
    interactions: list[Interaction] = field(default_factory=list)
    links: list[tuple[Interaction, list[Contact]]] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    stamps: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)  # id(row) → created, updated

    def add_interaction(self, interaction: Interaction, contacts: list[Contact], *, logged_at: datetime) -> None:
        self.interactions.append(interaction)
        self.links.append((interaction, contacts))
        self.stamps[id(interaction)] = (logged_at, logged_at)

    def add_follow_up(self, follow_up: FollowUp, *, created_at: datetime, updated_at: datetime) -> None:
        self.follow_ups.append(follow_up)
        self.stamps[id(follow_up)] = (created_at, updated_at)

    def save(self) -> int:
        """Insert everything; returns how many reminders were created."""
        Interaction.objects.bulk_create(self.interactions, batch_size=500)
        Through = Interaction.contacts.through
        Through.objects.bulk_create(
            [Through(interaction_id=i.pk, contact_id=c.pk) for i, contacts in self.links for c in contacts],
            batch_size=500,
        )
        FollowUp.objects.bulk_create(self.follow_ups, batch_size=500)
        # auto_now_add/auto_now stamped everything "now"; an entry was logged when it happened.
        for rows, model in ((self.interactions, Interaction), (self.follow_ups, FollowUp)):
            for row in rows:
                row.created_at, row.updated_at = self.stamps[id(row)]
            model.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=500)
        reminders = self._reminders()
        Reminder.objects.bulk_create(reminders, batch_size=500)
        return len(reminders)

    def _reminders(self) -> list[Reminder]:
        """As `services.reminders` would have made them; the ones already due count as sent."""
        subjects = [
            (f.assignee, f.due_at, {"follow_up": f}) for f in self.follow_ups if f.status == FollowUpStatus.OPEN
        ]
        subjects += [
            (i.logged_by, i.occurred_at, {"interaction": i})
            for i in self.interactions
            if i.status == InteractionStatus.SCHEDULED and i.kind in (Kind.MEETING, Kind.VISIT)
        ]
        reminders = []
        for recipient, when, subject in subjects:
            remind_at = when - timedelta(minutes=recipient.reminder_lead_minutes or 0)
            past = remind_at <= self.now
            reminders.append(
                Reminder(
                    recipient=recipient,
                    remind_at=remind_at,
                    next_attempt_at=remind_at,
                    status=ReminderStatus.SENT if past else ReminderStatus.PENDING,
                    attempts=1 if past else 0,
                    sent_at=remind_at if past else None,
                    **subject,
                )
            )
        return reminders
