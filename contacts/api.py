"""REST API of contacts: visibility follows the contact's client; writes through the services."""

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from phonenumber_field import serializerfields
from rest_framework import filters, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.audit_api import IsAdministratorForObject
from clients.api import CanEditClientObject, VisibleClientField
from clients.selectors import can_edit_client, clients_visible_to
from core.api import SearchFilter, application_errors_as_validation

from . import privacy, selectors, services
from .models import Contact


class E164PhoneNumberField(serializerfields.PhoneNumberField):
    """A phone number read in any usual notation, always written back in E.164 (+37061234567)."""

    def to_representation(self, value):
        return value.as_e164 if value else ""


class ContactSerializer(serializers.ModelSerializer):
    client = VisibleClientField(label=_("client"))
    phone = E164PhoneNumberField(
        required=False,
        allow_blank=True,
        label=_("phone"),
        help_text=_("Any usual notation is accepted; the number is returned in E.164, e.g. +37061234567."),
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "client",
            "full_name",
            "position",
            "email",
            "phone",
            "preferred_channel",
            "language",
            "is_primary",
            "is_decision_maker",
            "survey_opt_out",
            "announcement_opt_out",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # One primary contact per client is kept by the service, which moves the flag instead of refusing.
        validators = []

    def validate_client(self, value):
        if self.instance is not None and value.pk != self.instance.client_id:
            raise ValidationError(_("A contact cannot be moved to another client."))
        return value


def visible_clients(request):
    return clients_visible_to(request.user)


class ContactFilter(django_filters.FilterSet):
    # Only visible clients are valid choices: an invisible id is refused like a nonexistent one.
    client = django_filters.ModelChoiceFilter(queryset=visible_clients, label=_("client"))

    class Meta:
        model = Contact
        fields = ["client", "language", "is_primary", "is_decision_maker"]


@extend_schema(tags=["contacts"])
class ContactViewSet(viewsets.ModelViewSet):
    """Contacts of the clients visible to the user; changes only on clients the user may edit."""

    serializer_class = ContactSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditClientObject]
    filter_backends = [django_filters.DjangoFilterBackend, SearchFilter, filters.OrderingFilter]
    filterset_class = ContactFilter
    search_fields = ["full_name", "email", "phone"]
    ordering_fields = ["full_name", "created_at", "updated_at"]
    ordering = ["full_name", "id"]

    def get_queryset(self):
        return selectors.contacts_visible_to(self.request.user).select_related("client")

    def perform_create(self, serializer):
        client = serializer.validated_data.pop("client")
        # A teammate's client is visible but read-only: the action is refused, not the input.
        if not can_edit_client(self.request.user, client):
            raise PermissionDenied(CanEditClientObject.message)
        with application_errors_as_validation(serializer):
            serializer.instance = services.create_contact(
                actor=self.request.user, client=client, **serializer.validated_data
            )

    def perform_update(self, serializer):
        serializer.validated_data.pop("client", None)
        with application_errors_as_validation(serializer):
            services.update_contact(actor=self.request.user, contact=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_contact(actor=self.request.user, contact=instance)

    # Personal data requests: administrators only (a contact the user cannot see is a 404, one they see a 403).
    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Everything the CRM holds about the person."))
        },
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated, IsAdministratorForObject])
    def export(self, request, pk=None):
        """The person's data as JSON: the contact, its history, and their interactions, orders, complaints, surveys
        and announcement e-mails (audited)."""
        return Response(privacy.export_contact_data(actor=request.user, contact=self.get_object(), request=request))

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                "ContactErasure",
                {
                    "id": serializers.IntegerField(),
                    "changed": serializers.DictField(
                        child=serializers.IntegerField(), help_text=_("Rows changed in each place the data was kept.")
                    ),
                },
            )
        },
    )
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated, IsAdministratorForObject])
    def erase(self, request, pk=None):
        """Anonymise the person everywhere, keeping every record and figure; irreversible, safe to repeat (audited)."""
        contact = self.get_object()
        changed = privacy.erase_contact(actor=request.user, contact=contact, request=request)
        return Response({"id": contact.pk, "changed": changed})
