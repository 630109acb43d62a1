"""Client companies: the accounts that managers own."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.models import TimeStampedModel


class Tier(models.TextChoices):
    STANDARD = "standard", _("Standard")
    KEY = "key", _("Key")
    VIP = "vip", _("VIP")


class Status(models.TextChoices):
    PROSPECT = "prospect", _("Prospect")
    ACTIVE = "active", _("Active")
    INACTIVE = "inactive", _("Inactive")
    CHURNED = "churned", _("Churned")


class Industry(models.TextChoices):
    MANUFACTURING = "manufacturing", _("Manufacturing")
    RETAIL = "retail", _("Retail")
    WHOLESALE = "wholesale", _("Wholesale")
    LOGISTICS = "logistics", _("Logistics")
    CONSTRUCTION = "construction", _("Construction")
    IT = "it", _("IT and software")
    FOOD = "food", _("Food and beverage")
    HEALTHCARE = "healthcare", _("Healthcare")
    FINANCE = "finance", _("Finance")
    ENERGY = "energy", _("Energy")
    AGRICULTURE = "agriculture", _("Agriculture")
    OTHER = "other", _("Other")


class Source(models.TextChoices):
    REFERRAL = "referral", _("Referral by a client")
    EVENT = "event", _("Exhibition or event")
    WEBSITE = "website", _("Website")
    COLD_CALL = "cold_call", _("Cold call")
    OTHER = "other", _("Other")


class HealthBand(models.TextChoices):
    """The account-health bands (health app): worst last, so "at risk" is the one that needs attention."""

    HEALTHY = "healthy", pgettext_lazy("health band", "Healthy")
    WATCH = "watch", pgettext_lazy("health band", "Watch")
    AT_RISK = "at_risk", pgettext_lazy("health band", "At risk")


# Written by the health app's runs only: a save of the whole row from an object read before a run would put the
# old values back, so the client's own services save every field but these.
COMPUTED_FIELDS = ("health_score", "health_band", "health_scored_at")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name


class Client(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    registration_code = models.CharField(_("registration code"), max_length=50, blank=True)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.STANDARD)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROSPECT)
    churned_on = models.DateField(_("churn date"), null=True, blank=True)
    churn_reason = models.TextField(_("churn reason"), blank=True)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    account_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clients",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    referred_by = models.ForeignKey(
        "self",
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="clients")
    # Proposed on new order lines; empty means the tier's default discount (orders.TierDiscount).
    discount_percent = models.DecimalField(
        _("default discount %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Proposed on new order lines. Leave empty to use the tier's discount."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # The latest account-health score (0-100) and its band, written by the health app's nightly run (and on demand):
    # kept on the row so the client list, its API and segments sort and filter by it without a join. Its parts and
    # history live in health.HealthScore. Not in the change history: a score is computed, not edited.
    health_score = models.PositiveSmallIntegerField(_("health score"), null=True, blank=True, editable=False)
    health_band = models.CharField(
        _("health"), max_length=10, choices=HealthBand.choices, blank=True, default="", editable=False
    )
    health_scored_at = models.DateTimeField(_("health scored at"), null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "health_score", "health_band", "health_scored_at"], m2m_fields=[tags]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        constraints = [
            # Unique when given; many clients have no code yet.
            models.UniqueConstraint(
                fields=["registration_code"],
                condition=~Q(registration_code=""),
                name="client_registration_code_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["account_manager", "name"]),
            models.Index(fields=["name", "id"]),  # the client list's default order, read in index order
            models.Index(fields=["tier"]),
            models.Index(fields=["status"]),
            models.Index(fields=["country"]),
            models.Index(fields=["health_band"]),
            models.Index(fields=["health_score", "id"]),  # the client list sorted by health, worst first
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("clients:detail", args=[self.pk])

    @property
    def website_link(self) -> str:
        """The website as a link target, only when it is a web address: a value written around the forms' URL
        check (an old import, the shell) such as "javascript:…" is shown as text, never made clickable."""
        return self.website if self.website.lower().startswith(("https://", "http://")) else ""


class Handover(models.Model):
    """One reassignment of clients (one, a selection, a segment, a departing manager's portfolio) to a manager.

    What moved with them (open follow-ups, complaints, …) is counted in `counts` by the steps higher apps
    register in clients.handover; which clients moved, and from whom, is in HandoverClient.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new account manager"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="handovers_received",
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("handed over at"), db_index=True)
    client_count = models.PositiveIntegerField(_("clients"), default=0)
    counts = models.JSONField(_("moved with the clients"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")

    def __str__(self):
        return f"#{self.pk} → {self.manager or '—'}"

    def get_absolute_url(self):
        return reverse("clients:handover_detail", args=[self.pk])


class HandoverClient(models.Model):
    """A client moved by a handover, and the manager it had before (None when it had none)."""

    handover = models.ForeignKey(Handover, on_delete=models.CASCADE, related_name="entries")
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="handover_entries")
    previous_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["handover", "client"], name="handover_client_once")]
        indexes = [models.Index(fields=["client", "handover"])]

    def __str__(self):
        return f"{self.handover_id}: {self.client_id}"
