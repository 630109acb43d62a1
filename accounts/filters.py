"""The audit log's filters, shared by the page, its CSV download and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import DayBoundFilter, SearchTermFilter

from .models import AuditAction, AuditEvent, User


class AuditEventFilter(django_filters.FilterSet):
    q = SearchTermFilter(method="filter_search", label=_("Search"))  # cut to 100 characters
    action = django_filters.ChoiceFilter(choices=AuditAction.choices, label=_("action"), empty_label=_("All actions"))
    actor = django_filters.ModelChoiceFilter(
        queryset=User.objects.order_by("full_name", "email"), label=_("who"), empty_label=_("Everyone")
    )
    # Days in the viewer's time zone, as everywhere else on the site.
    date_from = DayBoundFilter(field_name="created_at", bound="from", label=_("from"))
    date_to = DayBoundFilter(field_name="created_at", bound="to", label=_("to"))
    # "Every event about this contact": the contact's privacy page links here with both.
    object_type = django_filters.CharFilter(field_name="object_type", label=_("object type"), widget=forms.HiddenInput)
    object_id = django_filters.CharFilter(field_name="object_id", label=_("object id"), widget=forms.HiddenInput)

    class Meta:
        model = AuditEvent
        fields = ["q", "action", "actor", "date_from", "date_to", "object_type", "object_id"]

    def filter_search(self, queryset, name, value):
        """The subject (an e-mail tried, a contact, a segment, an export) or the actor's e-mail contains the text."""
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(subject__icontains=value) | Q(actor_email__icontains=value))
