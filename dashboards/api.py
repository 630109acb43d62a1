"""REST API of the team dashboard (registered in crm/api_urls.py): the page's tiles and per-manager table as JSON.

The same query parameters, access rule and figures as the page: `dashboards.access` decides who may look at which
team (a manager is refused with 403; another team or its people are a 404), and the dashboard is served from the
same cache. Where the page shows the default period next to a form error, the API refuses the query with 400 and
the errors by field, before anything is computed or cached. Figures come raw, as the CSV exports give them
(amounts as decimal strings in the currency's minor units), with the page's formatted strings beside them and the
address of the list behind each one.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from clients.models import Tier
from complaints.api.fields import NamedChoiceField
from feedback.api import NullableNamedChoiceField

from . import exports
from .access import access_dashboard_scope
from .forms import PeriodChoice
from .selectors.display import Kpi
from .selectors.overview import MANAGER_SORTS, ManagerRow
from .selectors.served import get_served_dashboard

SORTS = [sort for key in MANAGER_SORTS for sort in (key, f"-{key}")]
TRENDS = [("better", _("better")), ("worse", _("worse")), ("same", _("same"))]
UNITS = [
    ("percent", _("percent")),
    ("nps", _("NPS points")),
    ("business_minutes", _("business minutes")),
    ("seconds", _("seconds")),
    ("count", _("count")),
    ("money", _("amount in the dashboard's currency")),
]
# A raw figure: a number, or an amount as a decimal string ("1250.50"); null when there is no value.
FIGURE_SCHEMA = {
    "oneOf": [{"type": "number"}, {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}],
    "nullable": True,
}
MONEY_SCHEMA = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$", "nullable": True}


# --- query parameters -----------------------------------------------------------------------------------------------


class DashboardScopeParameters(serializers.Serializer):
    """The page's filter form (dashboards.forms.DashboardForm), which validates them; described here for the schema."""

    period = NamedChoiceField(
        choices=PeriodChoice.choices,
        enum_name="DashboardPeriodEnum",
        required=False,
        help_text=_("The days to show, ending today in your time zone; the last 30 days if left out."),
    )
    date_from = serializers.DateField(required=False, help_text=_("First day of a custom period."))
    date_to = serializers.DateField(required=False, help_text=_("Last day of a custom period."))
    team = serializers.IntegerField(
        required=False,
        help_text=_("A team you may analyse; every team for admins and your (first) led team if left out."),
    )
    manager = serializers.IntegerField(required=False, help_text=_("Only this manager's figures."))
    tier = serializers.ChoiceField(choices=Tier.choices, required=False, help_text=_("Only clients of this tier."))
    segment = serializers.IntegerField(
        required=False, help_text=_("Only the records of this active segment's clients.")
    )


class DashboardOptionsSerializer(serializers.Serializer):
    sort = NamedChoiceField(
        choices=SORTS,
        enum_name="DashboardSortEnum",
        required=False,
        default="name",
        help_text=_("The column the managers are sorted by; prefix with '-' for largest first."),
    )
    refresh = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("Read the figures from the database now instead of the copy of the last few minutes."),
    )


# --- the response ---------------------------------------------------------------------------------------------------


class AbsoluteUrlField(serializers.URLField):
    """A site path as the whole address an API client can follow."""

    def to_representation(self, value):
        return self.context["request"].build_absolute_uri(value)


class DashboardTeamSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class DashboardPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(source="full_name")


class DashboardSegmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()


class DashboardScopeSerializer(serializers.Serializer):
    team = DashboardTeamSerializer(allow_null=True, help_text=_("The team; null for every team."))
    manager = DashboardPersonSerializer(allow_null=True, help_text=_("The manager; null for all of them."))
    tier = serializers.ChoiceField(
        choices=Tier.choices, allow_null=True, help_text=_("The clients' tier; null for every tier.")
    )
    segment = DashboardSegmentSerializer(allow_null=True, help_text=_("The clients' segment; null for every client."))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["tier"] = data["tier"] or None
        return data


class DashboardPeriodSerializer(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()


class DashboardKpiDisplaySerializer(serializers.Serializer):
    value = serializers.CharField(help_text=_('The value as the page shows it; "—" when there is none.'))
    previous = serializers.CharField(help_text=_("The previous period's value as the page shows it."))
    change = serializers.CharField(help_text=_("The change as the page shows it; empty when either value is missing."))


def _figure(value, currency: str = ""):
    """A raw figure: an amount as a decimal string in its currency's minor units, any other value as a number."""
    if value is None:
        return None
    if currency:
        return exports.raw(value, currency)
    return value if isinstance(value, int) else float(value)


class DashboardKpiSerializer(serializers.Serializer):
    key = serializers.CharField(help_text=_("Which figure (csat, nps, sla, interactions, revenue…)."))
    label = serializers.CharField()
    help = serializers.CharField(help_text=_("How the figure is defined."))
    unit = serializers.SerializerMethodField()
    value = serializers.SerializerMethodField()
    previous = serializers.SerializerMethodField()
    change = serializers.SerializerMethodField()
    trend = NullableNamedChoiceField(
        choices=TRENDS,
        enum_name="DashboardTrendEnum",
        help_text=_("Whether the change is for the better; null when either value is missing or neither is better."),
    )
    thin = serializers.BooleanField(help_text=_("The value stands on fewer answers than make it reliable."))
    previous_thin = serializers.BooleanField()
    display = DashboardKpiDisplaySerializer(source="*")
    note = serializers.CharField(help_text=_("What else the figure stands on, e.g. amounts in other currencies."))
    url = AbsoluteUrlField(help_text=_("The list of the records behind the figure."))
    current_only = serializers.BooleanField(
        help_text=_("A figure of now rather than of the period (at-risk revenue): it has no previous value.")
    )

    def _currency(self, kpi: Kpi) -> str:
        return self.context["currency"] if exports.unit_code(kpi.key) == "money" else ""

    @extend_schema_field(NamedChoiceField(choices=UNITS, enum_name="DashboardUnitEnum"))
    def get_unit(self, kpi: Kpi) -> str:
        return exports.unit_code(kpi.key)

    @extend_schema_field({**FIGURE_SCHEMA, "description": _("The raw value; null when there is none.")})
    def get_value(self, kpi: Kpi):
        return _figure(kpi.number, self._currency(kpi))

    @extend_schema_field({**FIGURE_SCHEMA, "description": _("The previous period's raw value.")})
    def get_previous(self, kpi: Kpi):
        return _figure(kpi.previous_number, self._currency(kpi))

    @extend_schema_field(
        {**FIGURE_SCHEMA, "description": _("Value minus previous value; null when either is missing.")}
    )
    def get_change(self, kpi: Kpi):
        return _figure(kpi.difference, self._currency(kpi))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["trend"] = data["trend"] or None
        return data


class DashboardTileGroupSerializer(serializers.Serializer):
    title = serializers.CharField()
    kpis = DashboardKpiSerializer(many=True)


class DashboardScoreSerializer(serializers.Serializer):
    value = serializers.FloatField(allow_null=True)
    answers = serializers.IntegerField(help_text=_("How many answers the value stands on."))
    thin = serializers.BooleanField()


class DashboardManagerLinksSerializer(serializers.Serializer):
    clients = AbsoluteUrlField()
    interactions = AbsoluteUrlField()
    follow_ups_done = AbsoluteUrlField()
    follow_ups_overdue = AbsoluteUrlField()
    open_complaints = AbsoluteUrlField()
    sla = AbsoluteUrlField()
    csat = AbsoluteUrlField()
    nps = AbsoluteUrlField()
    revenue = AbsoluteUrlField()


class DashboardManagerSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="person.pk")
    name = serializers.CharField(source="person.full_name")
    team = DashboardTeamSerializer(source="person.team", allow_null=True)
    clients = serializers.IntegerField(help_text=_("Clients active at the end of the period."))
    interactions = serializers.IntegerField()
    follow_ups_done = serializers.IntegerField()
    follow_ups_overdue = serializers.IntegerField()
    open_complaints = serializers.IntegerField()
    sla = serializers.FloatField(allow_null=True, help_text=_("SLA compliance %"))
    csat = DashboardScoreSerializer()
    nps = DashboardScoreSerializer()
    revenue = serializers.SerializerMethodField()
    revenue_note = serializers.CharField(help_text=_("Delivered revenue in other currencies."))
    links = DashboardManagerLinksSerializer(help_text=_("The list of the records behind each figure."))

    @extend_schema_field({**MONEY_SCHEMA, "description": _("Delivered revenue in the dashboard's currency.")})
    def get_revenue(self, row: ManagerRow):
        return _figure(row.revenue, self.context["currency"])


class DashboardAtRiskClientSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    url = AbsoluteUrlField(help_text=_("The client's page."))
    manager = serializers.CharField(help_text=_("The account manager's name; empty when there is none."))
    score = serializers.IntegerField(allow_null=True, help_text=_("The latest health score, 0-100."))
    entered_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the client last entered the at-risk band; null when not recorded.")
    )
    revenue = serializers.SerializerMethodField()
    revenue_note = serializers.CharField(help_text=_("Revenue in other currencies."))

    @extend_schema_field(
        {**FIGURE_SCHEMA, "description": _("Delivered in the last 12 months, in the dashboard's currency.")}
    )
    def get_revenue(self, row):
        return _figure(row.amount, self.context["currency"])


class DashboardAtRiskSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("Clients of the scope whose health is now at risk."))
    url = AbsoluteUrlField(help_text=_("The client list of all of them."))
    clients = DashboardAtRiskClientSerializer(
        many=True, help_text=_("The latest to enter the at-risk band first, at most 10.")
    )


@extend_schema_serializer(many=False)  # the only action is "list", yet it answers one dashboard
class DashboardSerializer(serializers.Serializer):
    scope = DashboardScopeSerializer()
    period = DashboardPeriodSerializer()
    previous = DashboardPeriodSerializer(
        help_text=_("The period of as many days just before, which the changes compare with.")
    )
    computed_at = serializers.DateTimeField(help_text=_("When the figures were read from the database."))
    currency = serializers.CharField(help_text=_("The currency of the amounts; other currencies are in the notes."))
    groups = DashboardTileGroupSerializer(many=True)
    managers = DashboardManagerSerializer(many=True)
    at_risk = DashboardAtRiskSerializer(help_text=_("The scope's clients whose account health is now at risk."))


# --- the view -------------------------------------------------------------------------------------------------------


def _field_errors(form) -> dict:
    return {
        api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name: list(messages)
        for name, messages in form.errors.items()
    }


@extend_schema(tags=["dashboard"])
class DashboardViewSet(viewsets.ViewSet):
    """The team dashboard for team leads and admins."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[DashboardScopeParameters, DashboardOptionsSerializer],
        responses={
            200: DashboardSerializer,
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description=_(
                    "A parameter is invalid (e.g. a custom period ending before it starts): errors by field."
                ),
            ),
            403: OpenApiResponse(description=_("Managers have no dashboard.")),
            404: OpenApiResponse(description=_("No such team or manager among those you may analyse.")),
        },
    )
    def list(self, request):
        """Every KPI of the scope and period next to the period before, and the per-manager table."""
        form, scope, period = access_dashboard_scope(request.user, request.query_params)
        options = DashboardOptionsSerializer(data=request.query_params)
        errors = {**_field_errors(form), **({} if options.is_valid() else options.errors)}
        if errors:
            raise ValidationError(errors)
        dashboard = get_served_dashboard(request.user, scope=scope, period=period, **options.validated_data)
        context = {"request": request, "currency": dashboard.currency}
        return Response(DashboardSerializer(dashboard, context=context).data)
