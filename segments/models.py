"""Segments: named groups of clients defined by rules (see segments.rules for the rule language)."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

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
