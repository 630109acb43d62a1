"""Complaints: workflow, activity thread, SLA clocks on business calendars, escalations."""

import datetime
import zoneinfo

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Team
from clients.models import Client, Tier
from contacts.models import Contact
from core.models import TimeStampedModel, TranslatedName
from core.outbox import OutboxRow
from orders.models import Order


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    CHAT = "chat", _("Chat")
    WEB = "web", _("Web form")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


class ComplaintStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("complaint status", "New")
    IN_PROGRESS = "in_progress", pgettext_lazy("complaint status", "In progress")
    WAITING = "waiting", pgettext_lazy("complaint status", "Waiting for client")
    RESOLVED = "resolved", pgettext_lazy("complaint status", "Resolved")
    CLOSED = "closed", pgettext_lazy("complaint status", "Closed")


# The workflow. A resolved complaint goes back to "in progress" when it is reopened (within
# settings.COMPLAINT_REOPEN_DAYS); a closed one is final.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ComplaintStatus.NEW: (ComplaintStatus.IN_PROGRESS, ComplaintStatus.WAITING, ComplaintStatus.RESOLVED),
    ComplaintStatus.IN_PROGRESS: (ComplaintStatus.WAITING, ComplaintStatus.RESOLVED),
    ComplaintStatus.WAITING: (ComplaintStatus.IN_PROGRESS, ComplaintStatus.RESOLVED),
    ComplaintStatus.RESOLVED: (ComplaintStatus.CLOSED, ComplaintStatus.IN_PROGRESS),
    ComplaintStatus.CLOSED: (),
}
OPEN_STATUSES = (ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS, ComplaintStatus.WAITING)


class SlaState(models.TextChoices):
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    BREACHED = "breached", _("Breached")
    PAUSED = "paused", _("Paused")
    MET = "met", _("Met")


class ComplaintCategory(TranslatedName):
    class Meta(TranslatedName.Meta):
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")


class RootCause(TranslatedName):
    class Meta(TranslatedName.Meta):
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")


def default_working_days():
    return [0, 1, 2, 3, 4]  # Monday to Friday


class BusinessCalendar(models.Model):
    """When a team works: SLA clocks count only this time (days, hours, zone, holidays)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Vilnius")
    country = models.CharField(
        _("holidays of country"),
        max_length=2,
        blank=True,
        help_text=_("ISO code (LT, LV, PL…) whose public holidays are days off; empty for none."),
    )
    working_days = models.JSONField(
        _("working days"), default=default_working_days, help_text=_("0 = Monday … 6 = Sunday.")
    )
    day_start = models.TimeField(_("working day starts"), default=datetime.time(9))
    day_end = models.TimeField(_("working day ends"), default=datetime.time(17))
    is_default = models.BooleanField(
        _("default calendar"), default=False, help_text=_("Used for teams without a calendar of their own.")
    )
    teams = models.ManyToManyField(
        Team, through="TeamCalendar", blank=True, related_name="business_calendars", verbose_name=_("teams")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_calendar")
        ]

    def __str__(self):
        return self.name

    def clean(self):
        try:
            zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValidationError({"time_zone": _("Unknown time zone.")}) from None
        days = self.working_days
        if not isinstance(days, list) or not days or any(d not in range(7) for d in days):
            raise ValidationError({"working_days": _("List the working days as numbers 0 (Monday) to 6 (Sunday).")})
        if self.day_start >= self.day_end:
            raise ValidationError({"day_end": _("The working day must end after it starts.")})
        if self.country and self.country.upper() not in holidays.list_supported_countries():
            raise ValidationError({"country": _("No holiday list is known for this country.")})


class TeamCalendar(models.Model):
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="calendar_link", verbose_name=_("team"))
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, verbose_name=_("calendar"))

    class Meta:
        verbose_name = _("team calendar")
        verbose_name_plural = _("team calendars")

    def __str__(self):
        return f"{self.team}: {self.calendar}"


class Holiday(models.Model):
    """A day off added by an admin on top of the country's public holidays."""

    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.CASCADE, related_name="holidays")
    date = models.DateField(_("date"))
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("day off")
        verbose_name_plural = _("days off")
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="holiday_once_per_calendar")]

    def __str__(self):
        return f"{self.date} {self.name}"


class SlaPolicy(models.Model):
    """Targets in business minutes for one client tier and severity; VIP and key clients get tighter ones."""

    tier = models.CharField(_("client tier"), max_length=10, choices=Tier.choices)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    first_response_minutes = models.PositiveIntegerField(_("first response within (business minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolution within (business minutes)"))

    class Meta:
        ordering = ["tier", "severity"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [models.UniqueConstraint(fields=["tier", "severity"], name="sla_policy_once_per_tier_severity")]

    def __str__(self):
        return f"{self.get_tier_display()} · {self.get_severity_display()}"


class Complaint(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.PROTECT, related_name="complaints")
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    order = models.ForeignKey(
        Order, verbose_name=_("order"), null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    channel = models.CharField(_("received by"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    category = models.ForeignKey(ComplaintCategory, verbose_name=_("category"), on_delete=models.PROTECT)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="owned_complaints",
    )
    status = models.CharField(_("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW)
    cycle = models.PositiveSmallIntegerField(default=1, help_text="1 + the number of reopenings")
    received_at = models.DateTimeField(_("received at"))
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    root_cause = models.ForeignKey(
        RootCause, verbose_name=_("root cause"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # --- SLA: snapshotted when received (a later policy edit does not move these) ---------
    calendar = models.ForeignKey(BusinessCalendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sla_first_response_minutes = models.PositiveIntegerField(default=0)
    sla_resolution_minutes = models.PositiveIntegerField(default=0)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_at_risk_at = models.DateTimeField(null=True, blank=True)
    # The resolution clock: business minutes used in finished running spans, the start of the
    # current span (None while waiting for the client or once resolved), and the times derived.
    resolution_used_minutes = models.PositiveIntegerField(default=0)
    resolution_running_since = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_at_risk_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(default=0)  # wall-clock time spent waiting for the client
    # Breaches stay recorded, whatever happens later.
    first_response_breached_at = models.DateTimeField(_("first response breached at"), null=True, blank=True)
    resolution_breached_at = models.DateTimeField(_("resolution breached at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    # Durations written when they end, for the analysis medians.
    first_response_business_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_seconds = models.PositiveIntegerField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "resolution_due_at"]),
            models.Index(fields=["status", "first_response_due_at"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["client", "-received_at"]),
            models.Index(fields=["category", "received_at"]),
            models.Index(fields=["root_cause", "resolved_at"]),
            models.Index(fields=["severity"]),
            models.Index(fields=["received_at"]),
            # complaints answered, resolved or closed in a period (dashboards)
            models.Index(fields=["first_response_at"]),
            models.Index(fields=["resolved_at"]),
            models.Index(fields=["closed_at"]),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("complaints:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]


class ActivityKind(models.TextChoices):
    CREATED = "created", _("Registered")
    NOTE = "note", _("Internal note")
    REPLY = "reply", _("Reply to the client")
    STATUS = "status", _("Status change")
    REASSIGNED = "reassigned", _("Reassigned")
    SEVERITY = "severity", _("Severity changed")
    ESCALATION = "escalation", _("Escalation")


class ComplaintActivity(models.Model):
    """One entry of the complaint's thread: who did what, when."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField(max_length=12, choices=ActivityKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    body = models.TextField(blank=True)
    from_value = models.CharField(max_length=100, blank=True)
    to_value = models.CharField(max_length=100, blank=True)
    # A reply is also an outbound interaction on the client's timeline.
    interaction = models.OneToOneField(
        "interactions.Interaction", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaint_reply"
    )

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"])]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def _label(self, value: str) -> str:
        choices = {ActivityKind.STATUS: ComplaintStatus, ActivityKind.SEVERITY: Severity}.get(self.kind)
        return str(choices(value).label) if choices and value in choices.values else value

    @property
    def from_label(self) -> str:
        return self._label(self.from_value)

    @property
    def to_label(self) -> str:
        return self._label(self.to_value)


class EscalationLevel(models.TextChoices):
    AT_RISK = "at_risk", _("At risk: owner notified")
    BREACHED = "breached", _("Breached: team lead notified")


class Escalation(OutboxRow):
    """One escalation level of one complaint in one reopen cycle; the unique row makes it happen once.

    The in-app notification is written with the row; the e-mail (this row's delivery) waits for
    the recipient's business hours unless the complaint is critical.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    cycle = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=EscalationLevel.choices)
    clock = models.CharField(max_length=20)  # "first_response" or "resolution": what crossed the line
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "cycle", "level"], name="escalation_once_per_level_and_cycle")
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"]), models.Index(fields=["recipient", "created_at"])]

    def __str__(self):
        return f"{self.complaint_id} {self.level} #{self.cycle}"
