"""CSAT and NPS surveys: templates, triggers, one request row per send, at most one response each."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from clients.models import Client
from contacts.models import Contact
from core.outbox import OutboxRow


class SurveyKind(models.TextChoices):
    CSAT = "csat", _("CSAT (1–5)")
    NPS = "nps", _("NPS (0–10)")


SCALES = {SurveyKind.CSAT: range(1, 6), SurveyKind.NPS: range(0, 11)}


class SurveyTemplate(models.Model):
    """The question and e-mail of a survey, in every language of the product; admins edit them."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=4, choices=SurveyKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    question_en = models.CharField(_("question (English)"), max_length=300)
    question_ru = models.CharField(_("question (Russian)"), max_length=300)
    question_lt = models.CharField(_("question (Lithuanian)"), max_length=300)
    subject_en = models.CharField(_("e-mail subject (English)"), max_length=200)
    subject_ru = models.CharField(_("e-mail subject (Russian)"), max_length=200)
    subject_lt = models.CharField(_("e-mail subject (Lithuanian)"), max_length=200)
    intro_en = models.TextField(_("e-mail text (English)"))
    intro_ru = models.TextField(_("e-mail text (Russian)"))
    intro_lt = models.TextField(_("e-mail text (Lithuanian)"))
    comment_question_en = models.CharField(_("comment question (English)"), max_length=300, blank=True)
    comment_question_ru = models.CharField(_("comment question (Russian)"), max_length=300, blank=True)
    comment_question_lt = models.CharField(_("comment question (Lithuanian)"), max_length=300, blank=True)
    thanks_en = models.CharField(_("thank-you text (English)"), max_length=300)
    thanks_ru = models.CharField(_("thank-you text (Russian)"), max_length=300)
    thanks_lt = models.CharField(_("thank-you text (Lithuanian)"), max_length=300)

    class Meta:
        ordering = ["name"]
        verbose_name = _("survey template")
        verbose_name_plural = _("survey templates")

    def __str__(self):
        return self.name

    def text(self, field: str, language: str | None = None) -> str:
        """A text in the language (the active one by default), English when that one is empty."""
        language = (language or translation.get_language() or "en")[:2]
        return getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_en")

    @property
    def scale(self) -> range:
        return SCALES[self.kind]


class TriggerKind(models.TextChoices):
    ORDER_DELIVERED = "order_delivered", _("Order delivered")
    COMPLAINT_RESOLVED = "complaint_resolved", _("Complaint resolved")
    MEETING_COMPLETED = "meeting_completed", _("Meeting completed")
    RELATIONSHIP_NPS = "relationship_nps", _("Relationship NPS")
    MANUAL = "manual", _("Sent by a manager")


class SurveyTrigger(models.Model):
    """When a survey goes out by itself: each trigger on or off, with its template and delay."""

    kind = models.CharField(_("trigger"), max_length=20, choices=TriggerKind.choices, unique=True)
    template = models.ForeignKey(SurveyTemplate, verbose_name=_("template"), on_delete=models.PROTECT)
    is_enabled = models.BooleanField(_("on"), default=True)
    delay_hours = models.PositiveIntegerField(_("delay (hours)"), default=0)
    interval_months = models.PositiveSmallIntegerField(
        _("every (months)"), default=6, help_text=_("Relationship NPS only: how often each contact is asked.")
    )

    class Meta:
        ordering = ["kind"]
        verbose_name = _("survey trigger")
        verbose_name_plural = _("survey triggers")

    def __str__(self):
        return self.get_kind_display()


class SurveyStatus(models.TextChoices):
    # "pending" is the outbox's waiting state (core.outbox): here it reads "scheduled".
    SCHEDULED = "pending", _("Scheduled")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")
    EXPIRED = "expired", _("Expired")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Suppressed")
    CANCELLED = "cancelled", _("Cancelled")


class SuppressedReason(models.TextChoices):
    OPTED_OUT = "opted_out", _("The contact opted out of surveys")
    NO_EMAIL = "no_email", _("The contact has no e-mail address")
    COOLDOWN = "cooldown", _("The contact had a survey recently")
    OUTSTANDING = "outstanding", _("The contact has an unanswered survey")
    OPEN_COMPLAINT = "open_complaint", _("The client has an open complaint")
    CLIENT_LIMIT = "client_limit", _("Enough surveys to this client this month")
    INACTIVE = "inactive", _("The survey or its trigger is switched off")
    REOPENED = "reopened", _("The complaint was reopened")


class SurveyRequest(OutboxRow):
    """One survey sent (or to be sent) to one contact; the token's hash only, never the token."""

    status = models.CharField(_("status"), max_length=12, choices=SurveyStatus.choices, default=SurveyStatus.SCHEDULED)
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="surveys")
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="surveys")
    template = models.ForeignKey(SurveyTemplate, verbose_name=_("template"), on_delete=models.PROTECT)
    kind = models.CharField(_("kind"), max_length=4, choices=SurveyKind.choices)
    trigger = models.CharField(_("trigger"), max_length=20, choices=TriggerKind.choices)
    # What caused it ("order_delivered:123"): unique, so one trigger never sends two surveys.
    source_key = models.CharField(max_length=100, unique=True)
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    suppressed_reason = models.CharField(
        _("suppressed because"), max_length=20, choices=SuppressedReason.choices, blank=True
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        verbose_name = _("survey request")
        verbose_name_plural = _("survey requests")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["contact", "sent_at"]),
            models.Index(fields=["client", "sent_at"]),
            models.Index(fields=["status", "expires_at"]),
            models.Index(fields=["trigger", "sent_at"]),
            models.Index(fields=["sent_at"]),  # response rates of a period (dashboards)
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.contact} ({self.get_status_display()})"


class NpsCategory(models.TextChoices):
    DETRACTOR = "detractor", _("Detractor")
    PASSIVE = "passive", _("Passive")
    PROMOTER = "promoter", _("Promoter")


class SurveyResponse(models.Model):
    """The answer to one request (at most one: the database says so), editable for 24 hours."""

    request = models.OneToOneField(SurveyRequest, on_delete=models.CASCADE, related_name="response")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="survey_responses")
    kind = models.CharField(_("kind"), max_length=4, choices=SurveyKind.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)
    # The closed loop: a low score opens a follow-up; the manager writes down what was done.
    follow_up = models.OneToOneField(
        "interactions.FollowUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_response"
    )
    action_taken = models.TextField(_("what was done"), blank=True)
    action_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-answered_at", "-pk"]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="csat", score__gte=1, score__lte=5) | Q(kind="nps", score__gte=0, score__lte=10),
                name="survey_response_score_on_its_scale",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "answered_at"]),
            models.Index(fields=["client", "kind", "answered_at"]),
            models.Index(fields=["answered_at"]),  # NPS and CSAT of a period, both kinds at once (dashboards)
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.score}"

    @property
    def is_low(self) -> bool:
        """A detractor (NPS 0–6) or an unhappy CSAT (1–2): the closed loop starts."""
        return self.score <= 6 if self.kind == SurveyKind.NPS else self.score <= 2

    @property
    def nps_category(self) -> str | None:
        if self.kind != SurveyKind.NPS:
            return None
        if self.score >= 9:
            return NpsCategory.PROMOTER
        return NpsCategory.PASSIVE if self.score >= 7 else NpsCategory.DETRACTOR
