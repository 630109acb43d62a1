"""The small kernel every app builds on."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds created_at and updated_at, both set by the database layer on save."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class NumberSequence(models.Model):
    """The last number given out per scope ("order", "complaint") and year; see core.numbering."""

    scope = models.CharField(max_length=20)
    year = models.PositiveIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="number_sequence_once_per_scope_year")]

    def __str__(self):
        return f"{self.scope} {self.year}: {self.last_value}"


class TranslatedName(models.Model):
    """An admin-managed list entry named in every language of the product (en, ru, lt).

    `str()` gives the name in the active language, falling back to English.
    """

    name = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=100, blank=True)
    name_lt = models.CharField(_("name (Lithuanian)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name
