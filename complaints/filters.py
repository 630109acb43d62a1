"""The complaint list's filters, shared by the page and the API."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User
from accounts.selectors import list_visible_staff
from clients.filters import ClientGroupFilter
from clients.models import Tier
from clients.selectors import list_visible_teams
from core.filters import (
    DayBoundFilter,
    DrillDownFilterSet,
    FlagInput,
    IdFilter,
    LinkFilter,
    NullsLastOrderingFilter,
    SearchTermFilter,
)

from .models import OPEN_STATUSES, Complaint, ComplaintCategory, ComplaintStatus, Severity, SlaState

OPEN = "open"


class ComplaintFilter(DrillDownFilterSet):
    q = SearchTermFilter(method="filter_search", label=_("Search"))
    status = django_filters.ChoiceFilter(
        choices=[(OPEN, _("All open")), *ComplaintStatus.choices],
        method="filter_status",
        label=_("status"),
        empty_label=_("All statuses"),
    )
    sla = django_filters.ChoiceFilter(choices=SlaState.choices, label=_("SLA"), empty_label=_("Any SLA state"))
    severity = django_filters.ChoiceFilter(
        choices=Severity.choices, label=_("severity"), empty_label=_("All severities")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=ComplaintCategory.objects.all(), label=_("category"), empty_label=_("All categories")
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.none(), label=_("owner"), empty_label=_("All owners")
    )
    team = django_filters.ModelChoiceFilter(
        field_name="owner__team", queryset=Team.objects.none(), label=_("team"), empty_label=_("All teams")
    )
    tier = django_filters.ChoiceFilter(
        field_name="client__tier", choices=Tier.choices, label=_("client tier"), empty_label=_("All tiers")
    )
    # Days in the viewer's time zone, like the dashboard's periods.
    received_from = DayBoundFilter(field_name="received_at", bound="from", label=_("received from"))
    received_to = DayBoundFilter(field_name="received_at", bound="to", label=_("received to"))
    resolved_from = DayBoundFilter(field_name="resolved_at", bound="from", label=_("resolved from"))
    resolved_to = DayBoundFilter(field_name="resolved_at", bound="to", label=_("resolved to"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("Open only"), widget=FlagInput)
    client = IdFilter(field_name="client_id", label=_("client"), widget=forms.HiddenInput)
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)
    escalated = django_filters.BooleanFilter(
        method="filter_escalated", label=_("Escalated only"), widget=forms.CheckboxInput
    )
    segment = ClientGroupFilter("segment", client="client", widget=forms.HiddenInput)
    sort = NullsLastOrderingFilter(
        fields=(
            ("next_due", "due"),
            ("received_at", "received"),
            ("severity_rank", "severity"),
            ("number", "number"),
            ("client__name", "client"),
            ("status", "status"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Complaint
        fields = [
            "q",
            "status",
            "sla",
            "severity",
            "category",
            "owner",
            "team",
            "tier",
            "received_from",
            "received_to",
            "resolved_from",
            "resolved_to",
            "open",
            "client",
            "overdue",
            "escalated",
            "segment",
        ]

    drilldown_filters = (
        LinkFilter(_("Open only"), ("open",)),
        LinkFilter(_("Client tier"), ("tier",)),
        LinkFilter(_("Received"), ("received_from", "received_to")),
        LinkFilter(_("Resolved"), ("resolved_from", "resolved_to")),
        LinkFilter(_("Segment"), ("segment",)),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = list_visible_staff(user)
        self.setup_team_filter(user, list_visible_teams(user))

    def filter_search(self, queryset, name, value):
        value = value.replace("\x00", "").strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value) | Q(subject__icontains=value) | Q(client__name__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        if value == OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        return queryset.filter(status=value)

    def filter_open(self, queryset, name, value):
        return queryset.filter(status__in=OPEN_STATUSES) if value else queryset

    def filter_overdue(self, queryset, name, value):
        """Open and past a due time: the complaints to act on now."""
        return queryset.filter(status__in=OPEN_STATUSES, sla=SlaState.BREACHED) if value else queryset

    def filter_escalated(self, queryset, name, value):
        return queryset.filter(escalated_at__isnull=False) if value else queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = queryset.query.order_by or ["-received_at"]
        return queryset.order_by(*ordering, "-pk")
