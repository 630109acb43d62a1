"""Account health: a 0-100 score per client from its own signals, its parts, its history and its band changes.

The latest score and band are also kept on the client row (Client.health_score, health_band) for lists, filters
and segments; this app keeps what explains them. See docs/health.md for the signals, weights and bands.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clients.models import Client, HealthBand


class Signal(models.TextChoices):
    """The signals a score is built from; each has an admin-tunable weight (HealthConfig.weight_<signal>)."""

    CONTACT_GAP = "contact_gap", _("Days since the last contact against the tier's cadence")
    OVERDUE_FOLLOW_UPS = "overdue_follow_ups", _("Overdue follow-ups")
    COMPLAINTS = "complaints", _("Open and breached complaints")
    NPS = "nps", _("Latest NPS answer and its trend")
    CSAT = "csat", _("Latest CSAT answer and its trend")
    REVENUE_TREND = "revenue_trend", _("Revenue against the client's previous 12 months")
    ORDER_FREQUENCY = "order_frequency", _("Order frequency against the client's previous 12 months")
    SURVEY_NON_RESPONSE = "survey_non_response", _("Surveys left unanswered")


DEFAULT_WEIGHTS = {
    Signal.CONTACT_GAP: 25,
    Signal.OVERDUE_FOLLOW_UPS: 10,
    Signal.COMPLAINTS: 20,
    Signal.NPS: 15,
    Signal.CSAT: 10,
    Signal.REVENUE_TREND: 10,
    Signal.ORDER_FREQUENCY: 5,
    Signal.SURVEY_NON_RESPONSE: 5,
}
WEIGHT = [MinValueValidator(0), MaxValueValidator(100)]


class HealthConfig(models.Model):
    """The one row of tunable settings (HealthConfig.get()): a weight per signal and the band thresholds."""

    weight_contact_gap = models.PositiveSmallIntegerField(_("weight: contact gap"), default=25, validators=WEIGHT)
    weight_overdue_follow_ups = models.PositiveSmallIntegerField(
        _("weight: overdue follow-ups"), default=10, validators=WEIGHT
    )
    weight_complaints = models.PositiveSmallIntegerField(_("weight: complaints"), default=20, validators=WEIGHT)
    weight_nps = models.PositiveSmallIntegerField(_("weight: NPS"), default=15, validators=WEIGHT)
    weight_csat = models.PositiveSmallIntegerField(_("weight: CSAT"), default=10, validators=WEIGHT)
    weight_revenue_trend = models.PositiveSmallIntegerField(_("weight: revenue trend"), default=10, validators=WEIGHT)
    weight_order_frequency = models.PositiveSmallIntegerField(
        _("weight: order frequency"), default=5, validators=WEIGHT
    )
    weight_survey_non_response = models.PositiveSmallIntegerField(
        _("weight: unanswered surveys"), default=5, validators=WEIGHT
    )
    # A score below at_risk_below is "at risk", below watch_below "watch", otherwise "healthy".
    watch_below = models.PositiveSmallIntegerField(_("watch below"), default=70, validators=WEIGHT)
    at_risk_below = models.PositiveSmallIntegerField(_("at risk below"), default=50, validators=WEIGHT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("health settings")
        verbose_name_plural = _("health settings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(at_risk_below__lte=models.F("watch_below")), name="health_bands_in_order"
            ),
        ]

    def __str__(self):
        return str(_("Health settings"))

    @classmethod
    def get(cls) -> "HealthConfig":
        """The settings as stored, or the defaults (unsaved) before an administrator first changed them: reading the
        settings writes nothing (health.configuration.update_health_config creates the row)."""
        return cls.objects.filter(pk=1).select_related("updated_by").first() or cls(pk=1)

    @property
    def weights(self) -> dict[str, int]:
        return {signal.value: getattr(self, f"weight_{signal.value}") for signal in Signal}

    def band_for(self, score: int) -> str:
        if score < self.at_risk_below:
            return HealthBand.AT_RISK
        if score < self.watch_below:
            return HealthBand.WATCH
        return HealthBand.HEALTHY


class HealthScore(models.Model):
    """A client's score as computed on a company day, with its parts; one row per client and day at most, written
    only when the score, band or parts changed since the client's previous row (so history stays small)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="health_scores")
    day = models.DateField(_("day"))
    score = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("band"), max_length=10, choices=HealthBand.choices)
    # [{"signal": "contact_gap", "weight": 25, "severity": 0.62, "points": 15.5, "facts": {...}}, …] in Signal order;
    # facts hold numbers, dates (ISO) and ids only, never names or free text (see health.explain).
    parts = models.JSONField(default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("health score")
        verbose_name_plural = _("health scores")
        constraints = [models.UniqueConstraint(fields=["client", "day"], name="health_score_once_per_client_day")]
        indexes = [models.Index(fields=["client", "-day"])]

    def __str__(self):
        return f"{self.client_id} {self.day}: {self.score}"


class HealthTransition(models.Model):
    """A client's move from one band to another, recorded once (the nightly run and an on-demand recompute share
    the rule in health.services); entering "at risk" creates a follow-up for the client's manager."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="health_transitions")
    from_band = models.CharField(_("from"), max_length=10, choices=HealthBand.choices, blank=True)
    to_band = models.CharField(_("to"), max_length=10, choices=HealthBand.choices)
    score = models.PositiveSmallIntegerField(_("score"))
    at = models.DateTimeField(_("at"))
    day = models.DateField(_("day"))
    # Who asked for the recompute that found it (None: the nightly run).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    follow_up = models.OneToOneField(
        "interactions.FollowUp", null=True, blank=True, on_delete=models.SET_NULL, related_name="health_transition"
    )

    class Meta:
        verbose_name = _("health change")
        verbose_name_plural = _("health changes")
        constraints = [
            models.UniqueConstraint(fields=["client", "day", "to_band"], name="health_transition_once_per_day"),
        ]
        indexes = [models.Index(fields=["to_band", "-at"]), models.Index(fields=["client", "-at"])]

    def __str__(self):
        return f"{self.client_id}: {self.from_band or '—'} → {self.to_band}"


class HealthRun(models.Model):
    """One nightly recompute per company day (health.tasks): the row says it ran, so the hourly beat entry does the
    work once a day, and a run that died half-way (no finished_at) is taken over by the next hour's."""

    day = models.DateField(_("day"), unique=True)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    clients = models.PositiveIntegerField(_("clients scored"), default=0)
    changed = models.PositiveIntegerField(_("scores changed"), default=0)
    transitions = models.PositiveIntegerField(_("band changes"), default=0)
    cleared = models.PositiveIntegerField(_("scores cleared"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("health run")
        verbose_name_plural = _("health runs")

    def __str__(self):
        return f"{self.day}: {self.clients}"
