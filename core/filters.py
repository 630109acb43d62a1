"""Filters shared by the list pages and the API (django-filter)."""

import django_filters
from django import forms
from django.db.models import F


class IdFilter(django_filters.NumberFilter):
    """A row id: "1.5" or an id beyond the column's range is ignored, not sent to the database."""

    field_class = forms.IntegerField


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Rows without a value (no promised date yet) sort last both ways; SQLite and PostgreSQL disagree by default."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        if value.startswith("-"):
            return F(value[1:]).desc(nulls_last=True)
        return F(value).asc(nulls_last=True)
