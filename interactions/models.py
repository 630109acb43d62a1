"""Interactions with clients, follow-up tasks, and what goes out about them (reminders, notifications)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from clients.models import Client, Tier
from contacts.models import Contact
from core.models import TimeStampedModel
from core.outbox import DeliveryStatus, OutboxRow


class Kind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("E-mail")
    CHAT = "chat", _("Chat")
    VISIT = "visit", _("Visit")
    OTHER = "other", _("Other")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound")
    INBOUND = "inbound", _("Inbound")


class InteractionStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    LEFT_MESSAGE = "left_message", _("Left a message")
    NEXT_STEP = "next_step", _("Agreed next step")
    ISSUE_RAISED = "issue_raised", _("Issue raised")
    NOT_INTERESTED = "not_interested", _("Not interested")


class Interaction(TimeStampedModel):
    """A call, meeting, e-mail, chat or visit with a client: done, or planned (scheduled)."""

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="interactions")
    contacts = models.ManyToManyField(Contact, verbose_name=_("contacts"), blank=True, related_name="interactions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CALL)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.OUTBOUND)
    status = models.CharField(
        _("status"), max_length=10, choices=InteractionStatus.choices, default=InteractionStatus.COMPLETED
    )
    occurred_at = models.DateTimeField(_("when"))
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="interactions"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [
            models.Index(fields=["client", "-occurred_at"]),
            models.Index(fields=["client", "kind", "-occurred_at"]),
            models.Index(fields=["logged_by", "-occurred_at"]),
            models.Index(fields=["status", "occurred_at"]),
            # newest-first lists of many clients (the API, the interactions list) read the index in order
            models.Index(fields=["-occurred_at", "-id"]),
            # a client's last completed contact ("going cold"): one probe per client
            models.Index(fields=["client", "status", "-occurred_at"]),
        ]

    def __str__(self):
        return self.subject or f"{self.get_kind_display()} · {self.client}"

    def get_absolute_url(self):
        return reverse("interactions:edit", args=[self.pk])

    @property
    def is_scheduled(self) -> bool:
        return self.status == InteractionStatus.SCHEDULED


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class FollowUp(TimeStampedModel):
    """A dated task for a manager about a client."""

    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="follow_ups")
    title = models.CharField(_("title"), max_length=200)
    due_at = models.DateTimeField(_("due"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("from interaction"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(fields=["assignee", "status", "due_at"]),
            models.Index(fields=["client", "status", "due_at"]),
            # follow-ups done in a period and open ones overdue (dashboards)
            models.Index(fields=["completed_at"]),
            models.Index(fields=["status", "due_at"]),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == FollowUpStatus.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_at < timezone.now()


class ContactCadence(models.Model):
    """How often a client of a tier expects to hear from its manager (admin-set)."""

    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, unique=True)
    days = models.PositiveIntegerField(_("expected contact every (days)"))

    class Meta:
        ordering = ["days"]
        verbose_name = _("contact cadence")
        verbose_name_plural = _("contact cadences")

    def __str__(self):
        return f"{self.get_tier_display()}: {self.days}"


DEFAULT_CADENCE_DAYS = {Tier.VIP: 14, Tier.KEY: 30, Tier.STANDARD: 90}


# The same states as every outgoing-message row (core.outbox); the old name stays for readability.
ReminderStatus = DeliveryStatus


class Reminder(OutboxRow):
    """The row behind one reminder e-mail + notification (DESIGN principle 1: rows first, tasks deliver).

    One per follow-up and one per scheduled meeting; rescheduling moves it and makes it pending again.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    follow_up = models.OneToOneField(FollowUp, null=True, blank=True, on_delete=models.CASCADE, related_name="reminder")
    interaction = models.OneToOneField(
        Interaction, null=True, blank=True, on_delete=models.CASCADE, related_name="reminder"
    )
    remind_at = models.DateTimeField()

    class Meta:
        ordering = ["remind_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up__isnull=False, interaction__isnull=True)
                | Q(follow_up__isnull=True, interaction__isnull=False),
                name="reminder_exactly_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"Reminder #{self.pk} ({self.status})"


class Notification(models.Model):
    """An in-app notification; `key` makes the same event notify a user only once."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [
            # the header bell: unread count for one user
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self):
        return self.title


class DigestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    EMPTY = "empty", _("Nothing to send")
    FAILED = "failed", _("Failed")


class Digest(models.Model):
    """One morning digest per user per local date; the unique row is the exactly-once guard."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    date = models.DateField()
    status = models.CharField(max_length=10, choices=DigestStatus.choices, default=DigestStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["recipient", "date"], name="digest_once_per_day")]

    def __str__(self):
        return f"Digest {self.recipient_id} {self.date} ({self.status})"


class CalendarFeed(models.Model):
    """A private, revocable iCalendar feed of a user's meetings and follow-ups."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar feed of {self.user}"
