"""REST API of segments: the definitions are read by everyone signed in and kept by admins; their members
are always intersected with what the requesting user may see."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from clients.api import ClientSerializer
from clients.models import Client
from core.api import application_errors_as_validation

from . import selectors, services
from .models import Segment
from .preview import preview_rules


class AdminWritesOnly(permissions.BasePermission):
    """Everyone signed in reads segments; only admins define, change and remove them."""

    message = _("Only administrators can change segments.")

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or request.user.is_admin


@extend_schema_field(OpenApiTypes.OBJECT)
class RulesField(serializers.JSONField):
    """The rule tree as a JSON object; checked by the service's validator, not here, so the API and the
    admin give the same messages."""


class SegmentSerializer(serializers.ModelSerializer):
    rules = RulesField(
        required=False,
        label=_("rules"),
        help_text=_(
            'A group {"op": "and" or "or", "rules": [...]} of conditions {"field", "operator", "value"} '
            "and nested groups. Returned as stored: cleaned by the validator. Every client matches if left out."
        ),
    )

    class Meta:
        model = Segment
        fields = ["id", "name", "description", "colour", "rules", "is_active", "created_by", "created_at", "updated_at"]
        read_only_fields = ["created_by", "created_at", "updated_at"]
        # Uniqueness of the name is the service's rule, with its own message.
        extra_kwargs = {"name": {"validators": []}}


class PreviewRequestSerializer(serializers.Serializer):
    rules = RulesField(label=_("rules"), help_text=_("The rule tree to try, as stored in a segment."))


class PreviewClientSerializer(serializers.ModelSerializer):
    account_manager_name = serializers.CharField(source="account_manager.full_name", default="", read_only=True)

    class Meta:
        model = Client
        fields = ["id", "name", "tier", "status", "city", "account_manager", "account_manager_name"]


class PreviewSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text=_("How many clients the rules match among those the user may see."))
    clients = PreviewClientSerializer(many=True, help_text=_("The first 20 of them, by name."))
    summary = serializers.CharField(help_text=_("The rules in words, in the user's language."))


class SegmentFilter(django_filters.FilterSet):
    active = django_filters.BooleanFilter(field_name="is_active", label=_("active"))

    class Meta:
        model = Segment
        fields = ["active"]


@extend_schema(tags=["segments"])
class SegmentViewSet(viewsets.ModelViewSet):
    """Segments: client groups defined by rules. Writes are for administrators (others get 403)."""

    serializer_class = SegmentSerializer
    permission_classes = [permissions.IsAuthenticated, AdminWritesOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = SegmentFilter
    # Every segment, active or not: the definitions are shared, only their members depend on the user.
    queryset = Segment.objects.order_by("name", "pk")

    def perform_create(self, serializer):
        with application_errors_as_validation(serializer):
            serializer.instance = services.create_segment(actor=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        with application_errors_as_validation(serializer):
            services.update_segment(actor=self.request.user, segment=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_segment(actor=self.request.user, segment=instance)

    @extend_schema(
        responses=ClientSerializer(many=True),
        summary=_("Members of the segment"),
        description=_("The clients the segment's rules match, among those the user may see; paginated."),
    )
    @action(detail=True, serializer_class=ClientSerializer, filter_backends=[])
    def clients(self, request, pk=None):
        segment = self.get_object()
        # Tags are part of a client row: one query for the page instead of one per client.
        members = selectors.list_segment_clients(request.user, segment).prefetch_related("tags")
        page = self.paginate_queryset(members)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=PreviewRequestSerializer,
        responses=PreviewSerializer,
        summary=_("Preview rules"),
        description=_(
            "What a rule tree would match before it is saved: the count and the first 20 clients among those the "
            "user may see (the rule builder's live preview). Administrators only; invalid rules give 400."
        ),
    )
    @action(detail=False, methods=["post"], serializer_class=PreviewRequestSerializer, filter_backends=[])
    def preview(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        preview = preview_rules(request.user, serializer.validated_data["rules"])
        if preview.error:
            raise ValidationError({"rules": [preview.error]})
        return Response(PreviewSerializer(preview).data)
