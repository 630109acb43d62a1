"""REST API of the audit log (administrators only), and the permissions other apps use for admin-only actions."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets

from .filters import AuditEventFilter
from .models import AuditAction, AuditEvent
from .selectors import list_audit_events


class IsAdministrator(permissions.BasePermission):
    """Administrators only: everyone else signed in gets 403."""

    message = _("Only administrators may do this.")

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_admin)


class IsAdministratorForObject(IsAdministrator):
    """Administrators only, checked on the object: a row the user may not see stays a 404, one they see is a 403."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj):
        return request.user.is_admin


@extend_schema_field(OpenApiTypes.OBJECT)
class DetailsField(serializers.JSONField):
    """Ids, counts and filters of the event (an erasure names the contact by id only)."""


class AuditEventSerializer(serializers.ModelSerializer):
    action = serializers.ChoiceField(choices=AuditAction.choices, read_only=True, label=_("action"))
    actor_name = serializers.CharField(
        source="actor.full_name", read_only=True, allow_null=True, help_text=_("Full name of who did it, if known.")
    )
    details = DetailsField(read_only=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "created_at",
            "action",
            "actor",
            "actor_name",
            "actor_email",
            "subject",
            "object_type",
            "object_id",
            "details",
            "ip",
            "user_agent",
        ]
        read_only_fields = fields


@extend_schema(tags=["audit"])
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The audit log, newest first, with the page's filters; administrators only. Records are never changed."""

    serializer_class = AuditEventSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdministrator]
    filter_backends = [DjangoFilterBackend]
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return list_audit_events()
