"""The survey answer list's filters; the team lead dashboard links to it with the same parameters as its figures."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from accounts.models import User
from accounts.selectors import list_visible_staff
from clients.filters import ClientGroupFilter
from clients.models import Tier
from clients.selectors import list_visible_teams
from core.filters import DayBoundFilter, DrillDownFilterSet, IdFilter, LinkFilter, SearchTermFilter

from .models import NpsCategory, SurveyKind, SurveyResponse
from .selectors import score_band_q

# One list for both kinds, grouped; a band's name says its kind (a CSAT band with kind=nps finds nothing).
BAND_CHOICES = [
    (
        _("NPS"),
        [
            (NpsCategory.PROMOTER, _("Promoters (9–10)")),
            (NpsCategory.PASSIVE, _("Passives (7–8)")),
            (NpsCategory.DETRACTOR, _("Detractors (0–6)")),
        ],
    ),
    (_("CSAT"), [("satisfied", _("Satisfied (4–5)")), ("neutral", _("Neutral (3)")), ("unhappy", _("Unhappy (1–2)"))]),
]

BAND_VALUES = [value for _group, bands in BAND_CHOICES for value, _label in bands]


class AnswerDrillDownFilter(DrillDownFilterSet):
    """The dashboard's words for survey answers, shared by the answer list and the API so that both read them the
    same way: the kind and score band, the client's account manager and their team, the client's tier, and
    `from` / `to` on the answer day."""

    kind = django_filters.ChoiceFilter(choices=SurveyKind.choices, label=_("kind"), empty_label=_("NPS and CSAT"))
    band = django_filters.ChoiceFilter(
        choices=BAND_CHOICES, method="filter_band", label=_("score band"), empty_label=_("Any score")
    )
    manager = IdFilter(field_name="client__account_manager_id", label=_("account manager"))
    team = IdFilter(field_name="client__account_manager__team_id", label=_("team"))
    tier = django_filters.ChoiceFilter(
        field_name="client__tier", choices=Tier.choices, label=_("tier"), empty_label=_("All tiers")
    )
    date_from = DayBoundFilter(field_name="answered_at", bound="from", label=_("From"))
    date_to = DayBoundFilter(field_name="answered_at", bound="to", label=_("To"))
    segment = ClientGroupFilter("segment", client="client", widget=forms.HiddenInput)

    class Meta:
        model = SurveyResponse
        fields = ["kind", "band", "manager", "team", "tier", "date_from", "date_to", "segment"]

    drilldown_filters = (LinkFilter(_("Segment"), ("segment",)),)

    # The grouped choices are beyond drf-spectacular's guessing: the API's schema gets the bands spelled out.
    @extend_schema_field({"type": "string", "enum": BAND_VALUES, "description": _("score band")})
    def filter_band(self, queryset, name, value):
        return queryset.filter(score_band_q(value))


class AnswerFilter(AnswerDrillDownFilter):
    q = SearchTermFilter(method="filter_search", label=_("Search"))
    client = IdFilter(field_name="client_id", label=_("client"), widget=forms.HiddenInput)
    sort = django_filters.OrderingFilter(
        fields=(("answered_at", "answered"), ("client__name", "client"), ("score", "score")),
        label=_("Sort"),
    )

    class Meta:
        model = SurveyResponse
        fields = ["q", "kind", "band", "manager", "team", "tier", "date_from", "date_to", "segment", "client"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_picks("manager", list_visible_staff(user), _("All managers"))
        self.set_picks("team", list_visible_teams(user), _("All teams"))

    def filter_search(self, queryset, name, value):
        value = value.replace("\x00", "").strip()  # PostgreSQL refuses NUL in a string
        if not value:
            return queryset
        return queryset.filter(
            Q(comment__icontains=value)
            | Q(client__name__icontains=value)
            | Q(request__contact__full_name__icontains=value)
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # newest answer first, also among rows tied on the sorted column; then by id so pages are stable
        return queryset.order_by(*queryset.query.order_by, "-answered_at", "-pk")
