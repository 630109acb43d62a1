"""Segments: named groups of clients defined by rules (see segments.rules for the rule language)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from clients.models import Client
from contacts.models import Contact
from core.models import TimeStampedModel
from core.outbox import OutboxRow

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}\Z", _("Enter a colour as #rrggbb, for example #1d4ed8."))


def match_all_rules() -> dict:
    """A new segment's rules: an empty AND group, which every client matches."""
    return {"op": "and", "rules": []}


class Segment(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#6b7280", validators=[colour_validator])
    # Validated by segments.rules.validate_rules before every save (admin form, later the builder and the API).
    rules = models.JSONField(_("rules"), default=match_all_rules)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("segment")
        verbose_name_plural = _("segments")

    def __str__(self):
        return self.name


class SegmentSize(models.Model):
    """How many clients matched a segment on a day (recorded daily, for the trend line)."""

    segment = models.ForeignKey(Segment, verbose_name=_("segment"), on_delete=models.CASCADE, related_name="sizes")
    day = models.DateField(_("day"))
    size = models.PositiveIntegerField(_("size"))

    class Meta:
        ordering = ["segment", "day"]
        verbose_name = _("segment size")
        verbose_name_plural = _("segment sizes")
        constraints = [models.UniqueConstraint(fields=["segment", "day"], name="segment_size_once_per_day")]

    def __str__(self):
        return f"{self.segment} {self.day}: {self.size}"


class BulkActionKind(models.TextChoices):
    ADD_TAG = "add_tag", _("Tag added")
    REMOVE_TAG = "remove_tag", _("Tag removed")
    SEND_SURVEY = "send_survey", _("Survey sent")
    ANNOUNCEMENT = "announcement", _("Announcement")


class BulkActionStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


class BulkAction(models.Model):
    """Who did what to a segment's members, when, and to how many: the audit record of a bulk action.

    `matched` is the number of member clients the actor could act on at the time; `changed` what the action did
    (clients tagged or untagged, survey requests written, e-mails queued) and `skipped` what it left out (clients
    already tagged, clients without a primary contact, contacts opted out or without an e-mail address).
    """

    # Kept when the segment is removed (the record outlives it): its name is copied for the record.
    segment = models.ForeignKey(
        Segment, verbose_name=_("segment"), null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    segment_name = models.CharField(_("segment"), max_length=100)
    kind = models.CharField(_("action"), max_length=20, choices=BulkActionKind.choices)
    # {"tag": id, "tag_name": "…"} or {"template": id, "template_name": "…"}; names copied for the record.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=BulkActionStatus.choices, default=BulkActionStatus.RUNNING
    )
    matched = models.PositiveIntegerField(_("member clients"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Set by every delivery batch of an announcement (or survey batch): the sweep re-enqueues only a chain of
    # batches that stopped moving, so a lost task message is picked up without racing a chain still at work.
    last_batch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bulk action")
        verbose_name_plural = _("bulk actions")
        indexes = [
            models.Index(fields=["segment", "-created_at"]),  # the segment page's recent actions
            models.Index(fields=["actor", "-created_at"]),  # a lead's own actions
            models.Index(fields=["status", "kind"]),  # the sweep: running actions
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.segment_name}"

    def get_absolute_url(self):
        if self.kind == BulkActionKind.ANNOUNCEMENT and hasattr(self, "announcement"):
            return self.announcement.get_absolute_url()
        return reverse("segments:action", args=[self.pk])


class AnnouncementKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion")
    UPDATE = "update", _("Update")


ANNOUNCEMENT_LANGUAGES = ("en", "ru", "lt")


class Announcement(models.Model):
    """An e-mail to every contact of a segment's members, in each contact's language.

    English is required; a Russian or Lithuanian text left empty falls back to the English one.
    """

    action = models.OneToOneField(BulkAction, on_delete=models.CASCADE, related_name="announcement")
    kind = models.CharField(_("kind"), max_length=10, choices=AnnouncementKind.choices)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("text (English)"), max_length=10000)
    subject_ru = models.CharField(_("subject (Russian)"), max_length=200, blank=True)
    body_ru = models.TextField(_("text (Russian)"), max_length=10000, blank=True)
    subject_lt = models.CharField(_("subject (Lithuanian)"), max_length=200, blank=True)
    body_lt = models.TextField(_("text (Lithuanian)"), max_length=10000, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self):
        return self.subject_en

    def get_absolute_url(self):
        return reverse("segments:announcement", args=[self.pk])

    def text(self, field: str, language: str | None = None) -> str:
        """The subject or body in the language (the active one by default), English when that one is empty."""
        language = (language or translation.get_language() or "en")[:2]
        if language not in ANNOUNCEMENT_LANGUAGES:
            language = "en"
        return getattr(self, f"{field}_{language}") or getattr(self, f"{field}_en")


class SkippedReason(models.TextChoices):
    OPTED_OUT = "opted_out", _("Opted out of announcements")
    NO_EMAIL = "no_email", _("No e-mail address")
    DUPLICATE = "duplicate", _("Same e-mail as another contact")


class AnnouncementDelivery(OutboxRow):
    """The announcement to one contact: one row per contact (the database says so), sent at most once."""

    announcement = models.ForeignKey(
        Announcement, verbose_name=_("announcement"), on_delete=models.CASCADE, related_name="deliveries"
    )
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=5)
    skipped_reason = models.CharField(_("skipped because"), max_length=10, choices=SkippedReason.choices, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("announcement e-mail")
        verbose_name_plural = _("announcement e-mails")
        constraints = [
            models.UniqueConstraint(fields=["announcement", "contact"], name="announcement_once_per_contact"),
        ]
        indexes = [
            # A batch: this announcement's due rows; the page's counts and status filter.
            models.Index(fields=["announcement", "status", "next_attempt_at"]),
            # The sweep: announcements that still have due rows.
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["announcement", "skipped_reason"]),
        ]

    def __str__(self):
        return f"{self.announcement} → {self.email or self.contact_id} ({self.get_status_display()})"
