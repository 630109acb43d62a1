"""REST API of account health: a client's score explained (read by whoever sees the client, recomputed by whoever
may edit it) and the health settings (administrators)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit_api import IsAdministrator
from clients.models import Client, HealthBand
from clients.selectors import can_edit_client, get_client_for_user
from core.api import application_errors_as_validation
from core.filters import parse_id

from . import configuration, selectors, services
from .models import HealthConfig, Signal

HISTORY_DAYS = 90
NEXT_ACTION_KINDS = ("call", "resolve_complaint", "follow_up", "send_survey", "review_meeting")


class ReasonSerializer(serializers.Serializer):
    signal = serializers.ChoiceField(choices=Signal.choices, help_text=_("The signal that took the points off."))
    points = serializers.FloatField(help_text=_("Points this signal took off the score (of 100)."))
    text = serializers.CharField(help_text=_("Why, in a sentence in the requested language."))


class NextActionSerializer(serializers.Serializer):
    # Plain text in the schema: a second enum of a field named "kind" would rename the interactions' KindEnum.
    kind = serializers.CharField(help_text=_("One of: %(kinds)s.") % {"kinds": ", ".join(NEXT_ACTION_KINDS)})
    text = serializers.CharField()
    url = serializers.SerializerMethodField(help_text=_("The page of the web interface where it is done."))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, action) -> str:
        return self.context["request"].build_absolute_uri(action.url)


class HistoryPointSerializer(serializers.Serializer):
    day = serializers.DateField(help_text=_("The company day the score changed to this."))
    score = serializers.IntegerField(min_value=0, max_value=100)
    band = serializers.ChoiceField(choices=HealthBand.choices)


class ClientHealthSerializer(serializers.Serializer):
    """A client's health: null score and "" band when it was never scored (or is not scored: inactive, churned)."""

    client = serializers.IntegerField(source="client.pk")
    score = serializers.IntegerField(source="client.health_score", allow_null=True, min_value=0, max_value=100)
    band = serializers.ChoiceField(source="client.health_band", choices=HealthBand.choices, allow_blank=True)
    scored_at = serializers.DateTimeField(source="client.health_scored_at", allow_null=True)
    reasons = ReasonSerializer(many=True, help_text=_("What took points off, strongest first."))
    next_action = NextActionSerializer(allow_null=True, help_text=_("The suggested next step, if any."))
    history = HistoryPointSerializer(
        many=True, help_text=_("The score's changes over the last 90 days, oldest first (a day holds until the next).")
    )


def _client_health(client: Client) -> dict:
    """What the serializer reads: the explanation of the latest score's parts and the last 90 days' changes."""
    health = selectors.get_explained_health(client, days=HISTORY_DAYS)
    return {"client": client, "reasons": health.reasons, "next_action": health.next_action, "history": health.rows}


def _visible_client(request, client_id) -> Client:
    """The client if the user may see it; any other id (unknown, someone else's, out of range) is a 404."""
    pk = parse_id(client_id)
    if pk is None:
        raise Http404
    return get_client_for_user(request.user, pk)


@extend_schema(tags=["health"])
class ClientHealthView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="clients_health_retrieve",
        responses={200: ClientHealthSerializer, 404: OpenApiResponse(description=_("No such client visible."))},
    )
    def get(self, request, id):
        """The client's health score and band, the reasons in words (strongest first), the next best action, and
        the score's changes over the last 90 days. Anyone who may see the client."""
        client = _visible_client(request, id)
        return Response(ClientHealthSerializer(_client_health(client), context={"request": request}).data)


@extend_schema(tags=["health"])
class ClientHealthRecomputeView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="clients_health_recompute",
        request=None,
        responses={
            200: ClientHealthSerializer,
            403: OpenApiResponse(description=_("You can view this client but not change it.")),
            404: OpenApiResponse(description=_("No such client visible.")),
        },
    )
    def post(self, request, id):
        """Recompute the client's health now from its data (whoever may edit the client) and answer it as GET does.
        An inactive or churned client is not scored: its score is cleared."""
        client = _visible_client(request, id)
        if not can_edit_client(request.user, client):
            raise PermissionDenied(_("You can view this client but not change it."))
        services.recompute_client_health(client=client, actor=request.user)
        return Response(ClientHealthSerializer(_client_health(client), context={"request": request}).data)


class HealthSettingsSerializer(serializers.ModelSerializer):
    """The weights (0-100 each; 0 switches a signal off) and the band thresholds (at_risk_below ≤ watch_below)."""

    # null until an administrator first changes the defaults
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_by_name = serializers.CharField(source="updated_by.full_name", read_only=True, allow_null=True)

    class Meta:
        model = HealthConfig
        fields = [*configuration.SETTINGS_FIELDS, "updated_at", "updated_by", "updated_by_name"]
        read_only_fields = ["updated_by"]
        extra_kwargs = {name: {"required": True} for name in configuration.SETTINGS_FIELDS}
        # The order of the thresholds is checked in validate() with a message on its field, not by the constraint.
        validators = []

    def validate(self, attrs):
        error = configuration.thresholds_error(watch_below=attrs["watch_below"], at_risk_below=attrs["at_risk_below"])
        if error:
            raise serializers.ValidationError({"at_risk_below": [error]})
        return attrs


@extend_schema(tags=["health"])
class HealthSettingsView(APIView):
    permission_classes = [IsAdministrator]

    @extend_schema(operation_id="health_settings_retrieve", responses={200: HealthSettingsSerializer})
    def get(self, request):
        """The health settings: a weight per signal and the two band thresholds. Administrators only."""
        return Response(HealthSettingsSerializer(HealthConfig.get()).data)

    @extend_schema(
        operation_id="health_settings_update",
        request=HealthSettingsSerializer,
        responses={200: HealthSettingsSerializer, 400: OpenApiResponse(description=_("Invalid values."))},
    )
    def put(self, request):
        """Replace the weights and thresholds (every field). Scores follow at the next recompute; the change is
        recorded in the audit log. Administrators only."""
        serializer = HealthSettingsSerializer(HealthConfig.get(), data=request.data)
        serializer.is_valid(raise_exception=True)
        with application_errors_as_validation(serializer):
            config = configuration.update_health_config(actor=request.user, values=dict(serializer.validated_data))
        return Response(HealthSettingsSerializer(config).data)
