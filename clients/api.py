"""REST API of clients: the same visibility and edit rules as the pages, writes through the services."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.selectors import list_visible_staff
from core.api import UserFilterBackend, application_errors_as_validation
from core.exceptions import ApplicationError
from core.filters import MAX_ID

from . import selectors, services
from .filters import ClientFilter
from .models import Client, Handover, HealthBand


class CanEditClientObject(permissions.BasePermission):
    """Reads follow visibility (the queryset); writes need the right to edit the object's client."""

    message = _("You can view this client but not change it.")

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        client = obj if isinstance(obj, Client) else obj.client
        return selectors.can_edit_client(request.user, client)


class VisibleClientField(serializers.PrimaryKeyRelatedField):
    """A client id that must belong to a client the requesting user may see (others read as nonexistent)."""

    def get_queryset(self):
        return selectors.clients_visible_to(self.context["request"].user)


class VisibleStaffField(serializers.PrimaryKeyRelatedField):
    """A staff id among the people the user may see; whether the client may go to them is the service's call."""

    def get_queryset(self):
        return list_visible_staff(self.context["request"].user)


class TagListField(serializers.ListField):
    """Tags as a list of names; written as names, created when new."""

    child = serializers.CharField(max_length=50)

    def to_representation(self, data):
        # `.all()` reads the prefetched tags: no query per row
        return [tag.name for tag in data.all()]


class ClientSerializer(CountryFieldMixin, serializers.ModelSerializer):
    account_manager = VisibleStaffField(required=False, allow_null=True, label=_("account manager"))
    account_manager_name = serializers.CharField(
        source="account_manager.full_name",
        read_only=True,
        allow_null=True,
        help_text=_("Full name of the account manager."),
    )
    referred_by = VisibleClientField(required=False, allow_null=True, label=_("referred by"))
    tags = TagListField(required=False, label=_("tags"))
    url = serializers.SerializerMethodField(help_text=_("The client's page in the web interface."))
    # Computed by the health app (nightly and on demand), never written here; "" and null: never scored.
    health_score = serializers.IntegerField(
        read_only=True, allow_null=True, min_value=0, max_value=100, help_text=_("Account health, 0-100.")
    )
    health_band = serializers.ChoiceField(
        choices=HealthBand.choices, allow_blank=True, read_only=True, help_text=_("The band of the health score.")
    )

    class Meta:
        model = Client
        fields = [
            "id",
            "name",
            "registration_code",
            "tier",
            "status",
            "churned_on",
            "churn_reason",
            "industry",
            "country",
            "city",
            "address",
            "website",
            "account_manager",
            "account_manager_name",
            "source",
            "referred_by",
            "tags",
            "discount_percent",
            "notes",
            "created_at",
            "updated_at",
            "health_score",
            "health_band",
            "url",
        ]
        # The health figures are the health app's computation: never written through the API.
        read_only_fields = ["churned_on", "created_at", "updated_at", "health_score", "health_band"]
        # Uniqueness of the registration code is the service's rule, with its own message.
        extra_kwargs = {"registration_code": {"validators": []}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, client: Client) -> str:
        return self.context["request"].build_absolute_uri(client.get_absolute_url())

    def validate_tags(self, value):
        return services.parse_tags(",".join(value))


@extend_schema_field(OpenApiTypes.INT)
class ManagerIdField(VisibleStaffField):
    """A staff id (typed for the schema: this serializer has no model to derive it from)."""


class HandoverRequestSerializer(serializers.Serializer):
    """Which clients go to whom: exactly one of `clients`, `filter` or `segment`."""

    manager = ManagerIdField(label=_("new account manager"))
    clients = serializers.ListField(
        # bounded like a primary key: a larger number is a 400, not an overflow in the database driver
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        allow_empty=False,
        max_length=10000,
        help_text=_("Ids of the clients to hand over."),
    )
    filter = serializers.DictField(
        required=False,
        allow_empty=False,
        help_text=_("The client list's filters, as in its query string: {\"manager\": 5} is a manager's portfolio."),
    )
    segment = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("The id of a segment: its members are handed over.")
    )
    note = serializers.CharField(allow_blank=True, max_length=1000, default="")

    SOURCES = ("clients", "filter", "segment")

    def validate(self, attrs):
        given = [name for name in self.SOURCES if name in attrs]
        if len(given) != 1:
            raise ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [_("Give exactly one of clients, filter or segment.")]}
            )
        attrs["source"] = given[0]
        return attrs

    def validate_clients(self, value):
        visible = set(
            selectors.clients_visible_to(self.context["request"].user).filter(pk__in=value).values_list("pk", flat=True)
        )
        missing = sorted(set(value) - visible)
        if missing:
            raise ValidationError(_("No such clients: %(ids)s.") % {"ids": ", ".join(map(str, missing[:20]))})
        return value


class HandoverSerializer(serializers.ModelSerializer):
    actor_name = serializers.CharField(source="actor.full_name", read_only=True, allow_null=True)
    manager_name = serializers.CharField(source="manager.full_name", read_only=True, allow_null=True)
    counts = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text=_('What moved with the clients, e.g. {"follow_ups": 3, "complaints": 1}.'),
    )
    url = serializers.SerializerMethodField(help_text=_("The handover's page in the web interface."))

    class Meta:
        model = Handover
        fields = [
            "id",
            "actor",
            "actor_name",
            "manager",
            "manager_name",
            "note",
            "created_at",
            "client_count",
            "counts",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, handover: Handover) -> str:
        return self.context["request"].build_absolute_uri(handover.get_absolute_url())


@extend_schema(tags=["clients"])
class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Clients visible to the user; no delete (a client is churned, not removed)."""

    serializer_class = ClientSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditClientObject]
    # ClientFilter already covers search (q) and ordering (sort), as on the page.
    filter_backends = [UserFilterBackend]
    filterset_class = ClientFilter

    def get_queryset(self):
        return selectors.list_clients(self.request.user)

    def perform_create(self, serializer):
        with application_errors_as_validation(serializer):
            serializer.instance = services.create_client(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        with application_errors_as_validation(serializer):
            services.update_client(actor=self.request.user, client=serializer.instance, **serializer.validated_data)

    @extend_schema(
        request=HandoverRequestSerializer,
        responses={
            201: HandoverSerializer,
            400: OpenApiResponse(description=_("Invalid input, or a client or manager the user may not hand over.")),
            403: OpenApiResponse(description=_("Only team leads and administrators hand clients over.")),
        },
    )
    @action(detail=False, methods=["post"])
    def handover(self, request):
        """Hand clients over to another manager (team leads within their team, admins anywhere): their open
        follow-ups and complaints move with them, both managers are notified, each client's history records it."""
        if not selectors.can_hand_over_clients(request.user):
            raise PermissionDenied(_("Only team leads and administrators hand clients over."))
        form = HandoverRequestSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        data = form.validated_data
        source = data["source"]
        try:
            handover = services.hand_over_clients(
                actor=request.user,
                clients=self._picked_clients(source, data),
                manager=data["manager"],
                note=data["note"],
            )
        except ApplicationError as error:
            # "these clients" are the ones the request named, whichever way it named them
            field = source if error.field == "clients" else error.field
            raise ValidationError(
                {field if field in form.fields else api_settings.NON_FIELD_ERRORS_KEY: [error.message]}
            ) from error
        return Response(
            HandoverSerializer(handover, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    def _picked_clients(self, source: str, data: dict):
        """The clients the request names: ids, or the client list's filters (a segment is one of them)."""
        if source == "clients":
            return selectors.clients_visible_to(self.request.user).filter(pk__in=data["clients"])
        query = QueryDict(mutable=True)
        for name, value in (data["filter"] if source == "filter" else {"segment": data["segment"]}).items():
            query.setlist(name, [str(v) for v in value] if isinstance(value, list) else [str(value)])
        picked = ClientFilter(query, queryset=selectors.list_clients(self.request.user), user=self.request.user)
        unknown = sorted(set(query) - set(picked.filters))
        if unknown:
            raise ValidationError({source: [_("Unknown filters: %(names)s.") % {"names": ", ".join(unknown)}]})
        if picked.errors:
            raise ValidationError({source: {name: list(errors) for name, errors in picked.errors.items()}})
        if not picked.narrows:
            raise ValidationError({source: [_("Give at least one filter that picks some of the clients.")]})
        return picked.qs
