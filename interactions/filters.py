"""Filters of the interaction and follow-up lists.

The team lead dashboard links to these lists with the same parameter names everywhere: `from` / `to` (whole days in
the viewer's time zone, both included), `team=<id>`, `tier` and a person's id.
"""

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import list_visible_staff
from clients.filters import ClientGroupFilter
from clients.models import Tier
from clients.selectors import list_visible_teams
from core.filters import DayBoundFilter, DrillDownFilterSet, IdFilter, LinkFilter, SearchTermFilter

from .models import Direction, FollowUp, Interaction, InteractionStatus, Kind


def _search_q(value: str) -> Q | None:
    value = value.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a string
    if not value:
        return None
    return Q(subject__icontains=value) | Q(notes__icontains=value) | Q(client__name__icontains=value)


class InteractionDrillDownFilter(DrillDownFilterSet):
    """The dashboard's words for interactions, shared by the list page and the API so that both read them the same
    way: the team of whoever logged it, the client's tier, and `from` / `to` on when it took place."""

    team = IdFilter(field_name="logged_by__team_id", label=_("team"))
    tier = django_filters.ChoiceFilter(
        field_name="client__tier", choices=Tier.choices, label=_("tier"), empty_label=_("All tiers")
    )
    date_from = DayBoundFilter(field_name="occurred_at", bound="from", label=_("From"))
    date_to = DayBoundFilter(field_name="occurred_at", bound="to", label=_("To"))
    segment = ClientGroupFilter("segment", client="client", widget=forms.HiddenInput)

    class Meta:
        model = Interaction
        fields = ["team", "tier", "date_from", "date_to", "segment"]

    drilldown_filters = (LinkFilter(_("Segment"), ("segment",)),)


class InteractionFilter(InteractionDrillDownFilter):
    q = SearchTermFilter(method="filter_search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("kind"), empty_label=_("All kinds"))
    direction = django_filters.ChoiceFilter(
        choices=Direction.choices, label=_("direction"), empty_label=_("Both directions")
    )
    status = django_filters.ChoiceFilter(
        choices=InteractionStatus.choices, label=_("status"), empty_label=_("All statuses")
    )
    logged_by = IdFilter(field_name="logged_by_id", label=_("logged by"))
    client = IdFilter(field_name="client_id", label=_("client"), widget=forms.HiddenInput)
    sort = django_filters.OrderingFilter(
        fields=(
            ("occurred_at", "when"),
            ("kind", "kind"),
            ("client__name", "client"),
            ("logged_by__full_name", "logged_by"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Interaction
        fields = [
            "q",
            "kind",
            "direction",
            "status",
            "logged_by",
            "team",
            "tier",
            "date_from",
            "date_to",
            "segment",
            "client",
        ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_picks("logged_by", list_visible_staff(user), _("Anyone"))
        self.set_picks("team", list_visible_teams(user), _("All teams"))

    def filter_search(self, queryset, name, value):
        q = _search_q(value)
        return queryset if q is None else queryset.filter(q)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # newest first, also among rows tied on the sorted column; then by id so pages are stable
        return queryset.order_by(*queryset.query.order_by, "-occurred_at", "-pk")


FOLLOW_UP_STATES = ("overdue", "today", "upcoming", "open", "done", "cancelled")


class FollowUpListFilter(DrillDownFilterSet):
    """The follow-up list's team, client tier and done-day filters; the state chips and the assignee stay the view's.

    `done_from` / `done_to` are days of `completed_at`: they only mean something for done follow-ups, so they apply
    to the "done" state (the state when only a done range is asked for) and are left out for the others.
    """

    team = IdFilter(field_name="assignee__team_id", label=_("team"))
    tier = django_filters.ChoiceFilter(
        field_name="client__tier", choices=Tier.choices, label=_("client tier"), empty_label=_("All tiers")
    )
    done_from = DayBoundFilter(field_name="completed_at", bound="from", label=_("Done from"))
    done_to = DayBoundFilter(field_name="completed_at", bound="to", label=_("Done to"))
    segment = ClientGroupFilter("segment", client="client", widget=forms.HiddenInput)

    class Meta:
        model = FollowUp
        fields = ["team", "tier", "done_from", "done_to", "segment"]

    drilldown_filters = (LinkFilter(_("Segment"), ("segment",)),)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_picks("team", list_visible_teams(user), _("All teams"))

    @property
    def state(self) -> str:
        asked = self.data.get("state") or ("done" if self.done_range != (None, None) else "open")
        return asked if asked in FOLLOW_UP_STATES else "open"

    @property
    def done_range(self) -> tuple[date | None, date | None]:
        return self.asked.get("done_from"), self.asked.get("done_to")

    def filter_queryset(self, queryset):
        for name, value in self.asked.items():
            if name in ("team", "tier", "segment") or self.state == "done":
                queryset = self.filters[name].filter(queryset, value)
        return queryset
