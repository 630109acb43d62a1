"""REST API of clients: the same visibility and edit rules as the pages, writes through the services."""

from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets

from accounts.selectors import list_visible_staff
from core.api import UserFilterBackend, application_errors_as_validation

from . import selectors, services
from .filters import ClientFilter
from .models import Client


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
            "url",
        ]
        read_only_fields = ["churned_on", "created_at", "updated_at"]
        # Uniqueness of the registration code is the service's rule, with its own message.
        extra_kwargs = {"registration_code": {"validators": []}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, client: Client) -> str:
        return self.context["request"].build_absolute_uri(client.get_absolute_url())

    def validate_tags(self, value):
        return services.parse_tags(",".join(value))


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
