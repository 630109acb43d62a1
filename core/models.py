"""The small kernel every app builds on."""

from django.db import models


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
