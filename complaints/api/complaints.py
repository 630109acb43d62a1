"""REST API of complaints: the pages' rules, writes through the services.

A complaint is seen by whoever sees its client or owns it (an invisible complaint is a 404) and changed by whoever
may edit it (otherwise 403, before the input is looked at); reassigning is for team leads and admins. A broken
business rule is a 400 on its field; a status change the workflow does not allow from the current status is a 409
that names the allowed ones.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from clients.api import VisibleClientField, VisibleStaffField
from clients.selectors import can_edit_client
from core.api import UserFilterBackend, application_errors_as_validation
from interactions.models import Kind

from .. import selectors
from ..filters import ComplaintFilter
from ..models import (
    ActivityKind,
    Channel,
    Complaint,
    ComplaintActivity,
    ComplaintCategory,
    RootCause,
    Severity,
    SlaState,
)
from ..permissions import can_edit_complaint, can_reassign_complaint
from ..services import complaints as services
from ..services import workflow
from .fields import NamedChoiceField, VisibleContactField, VisibleOrderField, complaint_status_field

CLIENT_READ_ONLY = _("You can view this client but not change it.")
REASSIGN_REFUSED = _("Only team leads and admins reassign complaints.")
# What update_complaint() corrects; severity and owner have their own services.
DETAIL_FIELDS = ("category", "subject", "description", "contact", "order", "channel")


class CanEditComplaint(permissions.BasePermission):
    """Reads follow visibility (the queryset); changes need the right to edit the complaint."""

    message = _("You can view this complaint but not change it.")

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can_edit_complaint(request.user, obj)


# --- complaints -------------------------------------------------------------------------------------------------------


class ComplaintSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=_("The complaint's page in the web interface."))
    client = VisibleClientField(label=_("client"), help_text=_("Cannot change once the complaint exists."))
    client_name = serializers.CharField(source="client.name", read_only=True, help_text=_("Name of the client."))
    contact = VisibleContactField(
        required=False, allow_null=True, label=_("contact"), help_text=_("A contact of the complaint's client.")
    )
    order = VisibleOrderField(
        required=False, allow_null=True, label=_("order"), help_text=_("An order of the complaint's client.")
    )
    channel = NamedChoiceField(
        choices=Channel.choices, enum_name="ComplaintChannelEnum", required=False, label=_("received by")
    )
    # Inactive categories are refused by the service, with its message; unknown ids by the field.
    category = serializers.PrimaryKeyRelatedField(
        queryset=ComplaintCategory.objects.all(), label=_("category"), help_text=_("An active complaint category.")
    )
    category_name = serializers.StringRelatedField(
        source="category", help_text=_("The category's name in the request's language.")
    )
    severity = NamedChoiceField(
        choices=Severity.choices,
        enum_name="ComplaintSeverityEnum",
        required=False,
        label=_("severity"),
        help_text=_("Normal if left out. A change recomputes the due times from the received time."),
    )
    owner = VisibleStaffField(
        required=False,
        allow_null=True,
        label=_("owner"),
        help_text=_("The client's account manager if left out; only team leads and admins choose someone else."),
    )
    owner_name = serializers.CharField(
        source="owner.full_name", read_only=True, allow_null=True, help_text=_("Full name of the owner.")
    )
    status = complaint_status_field(read_only=True, label=_("status"))
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, help_text=_("The status in the user's language.")
    )
    allowed_transitions = serializers.ListField(
        child=complaint_status_field(), read_only=True, help_text=_("The statuses the complaint may move to next.")
    )
    received_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        label=_("received at"),
        help_text=_("When the client complained; now if left out, never in the future. The SLA clocks start here."),
    )
    root_cause_name = serializers.StringRelatedField(
        source="root_cause", allow_null=True, help_text=_("The root cause's name in the request's language.")
    )
    sla_state = NamedChoiceField(
        choices=SlaState.choices,
        enum_name="ComplaintSlaStateEnum",
        source="sla",
        read_only=True,
        help_text=_("The SLA state now, on the business calendar."),
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "number",
            "url",
            "client",
            "client_name",
            "contact",
            "order",
            "channel",
            "category",
            "category_name",
            "severity",
            "subject",
            "description",
            "owner",
            "owner_name",
            "status",
            "status_label",
            "allowed_transitions",
            "received_at",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "resolution",
            "root_cause",
            "root_cause_name",
            "sla_state",
            "first_response_due_at",
            "resolution_due_at",
            "first_response_breached_at",
            "resolution_breached_at",
            "escalated_at",
            "cycle",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "number",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "resolution",
            "root_cause",
            "first_response_due_at",
            "resolution_due_at",
            "first_response_breached_at",
            "resolution_breached_at",
            "escalated_at",
            "cycle",
            "created_at",
            "updated_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, Complaint):
            self.fields["client"].required = False
            self.fields["category"].required = False
            self.fields["subject"].required = False

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, complaint: Complaint) -> str:
        return self.context["request"].build_absolute_uri(complaint.get_absolute_url())

    def validate_client(self, value):
        if self.instance is not None and value.pk != self.instance.client_id:
            raise ValidationError(_("A complaint cannot be moved to another client."))
        return value

    def validate_received_at(self, value):
        if self.instance is not None and value != self.instance.received_at:
            raise ValidationError(_("The received time cannot be changed; the SLA clocks started there."))
        return value

    def validate_owner(self, value):
        if self.instance is not None and value is None:
            raise ValidationError(_("Choose the new owner."))
        return value


class ComplaintTransitionSerializer(serializers.Serializer):
    status = complaint_status_field(label=_("new status"))
    resolution = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        label=_("resolution"),
        help_text=_("How the complaint was resolved; required when resolving."),
    )
    root_cause = serializers.PrimaryKeyRelatedField(
        queryset=RootCause.objects.all(),
        required=False,
        allow_null=True,
        label=_("root cause"),
        help_text=_("An active root cause; required when resolving."),
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        label=_("note"),
        help_text=_("Why, for the thread (not used when resolving: the resolution is the entry)."),
    )


TransitionRefusedSerializer = inline_serializer(
    "ComplaintTransitionRefused",
    {
        "detail": serializers.CharField(help_text=_("Why the complaint cannot move to that status.")),
        "allowed_transitions": serializers.ListField(
            child=complaint_status_field(), help_text=_("The statuses the complaint may move to from its current one.")
        ),
    },
)


# --- the thread -------------------------------------------------------------------------------------------------------


class ActivitySerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(choices=ActivityKind.choices, enum_name="ComplaintActivityKindEnum", read_only=True)
    kind_label = serializers.CharField(
        source="get_kind_display", read_only=True, help_text=_("The kind in the user's language.")
    )
    author_name = serializers.CharField(
        source="author.full_name", read_only=True, allow_null=True, help_text=_("Full name of the author.")
    )
    from_value = serializers.CharField(
        read_only=True, help_text=_("Status, severity or owner before the change; empty for other entries.")
    )
    to_value = serializers.CharField(
        read_only=True, help_text=_("Status, severity or owner after the change; empty for other entries.")
    )

    class Meta:
        model = ComplaintActivity
        fields = [
            "id",
            "kind",
            "kind_label",
            "author",
            "author_name",
            "at",
            "body",
            "from_value",
            "to_value",
            "interaction",
        ]
        read_only_fields = ["author", "at", "body", "interaction"]
        extra_kwargs = {"interaction": {"help_text": _("A reply's outbound interaction on the client's timeline.")}}


class ThreadEntrySerializer(serializers.Serializer):
    kind = NamedChoiceField(
        choices=[(kind, kind.label) for kind in (ActivityKind.NOTE, ActivityKind.REPLY)],
        enum_name="ComplaintThreadEntryKindEnum",
        label=_("kind"),
        help_text=_("A note is seen by colleagues only; a reply is logged as an interaction and answers the client."),
    )
    body = serializers.CharField(max_length=5000, label=_("text"))
    reply_kind = NamedChoiceField(
        choices=[(kind, kind.label) for kind in services.REPLY_KINDS],
        enum_name="ComplaintReplyKindEnum",
        required=False,
        label=_("replied by"),
        help_text=_("For a reply: how it reached the client; e-mail if left out."),
    )


# --- the view ---------------------------------------------------------------------------------------------------------


@extend_schema(tags=["complaints"])
class ComplaintViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Complaints visible to the user; no delete (a complaint is resolved and closed, not removed).

    A change is a PATCH: the details, the severity (the due times are recomputed) and the owner (team leads and
    admins) each go through their own service, all or nothing.
    """

    serializer_class = ComplaintSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditComplaint]
    # ComplaintFilter already covers search (q) and ordering (sort), as on the page.
    filter_backends = [UserFilterBackend]
    filterset_class = ComplaintFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.list_complaints(self.request.user).select_related("root_cause")

    def perform_create(self, serializer):
        data = serializer.validated_data
        # A teammate's client is visible but read-only: the action is refused (403), not the input.
        if not can_edit_client(self.request.user, data["client"]):
            raise PermissionDenied(CLIENT_READ_ONLY)
        with application_errors_as_validation(serializer):
            complaint = services.register_complaint(actor=self.request.user, **data)
        serializer.instance = self._fresh(complaint)

    def perform_update(self, serializer):
        complaint, data, actor = serializer.instance, serializer.validated_data, self.request.user
        new_owner = data.get("owner")
        reassigning = new_owner is not None and new_owner.pk != complaint.owner_id
        if reassigning and not can_reassign_complaint(actor, complaint):
            raise PermissionDenied(REASSIGN_REFUSED)
        with application_errors_as_validation(serializer), transaction.atomic():
            if any(name in data for name in DETAIL_FIELDS):
                details = {name: data.get(name, getattr(complaint, name)) for name in DETAIL_FIELDS}
                services.update_complaint(actor=actor, complaint=complaint, **details)
            if "severity" in data:
                services.change_severity(actor=actor, complaint=complaint, severity=data["severity"])
            if reassigning:
                services.reassign_complaint(actor=actor, complaint=complaint, owner=new_owner)
        serializer.instance = self._fresh(complaint)

    @extend_schema(
        request=ComplaintTransitionSerializer,
        responses={
            200: ComplaintSerializer,
            400: OpenApiResponse(description=_("Invalid input or a broken rule (resolving without a root cause).")),
            403: OpenApiResponse(description=_("The complaint is visible but the user may not change it.")),
            404: OpenApiResponse(description=_("No such complaint among those visible to the user.")),
            409: OpenApiResponse(
                response=TransitionRefusedSerializer,
                description=_("The workflow does not lead from the current status to the requested one."),
            ),
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the complaint to another status; resolving needs a resolution and a root cause."""
        complaint = self.get_object()
        form = ComplaintTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with application_errors_as_validation(form):
            try:
                workflow.transition_complaint(
                    actor=request.user,
                    complaint=complaint,
                    to_status=data["status"],
                    resolution=data.get("resolution", ""),
                    root_cause=data.get("root_cause"),
                    note=data.get("note", ""),
                )
            except workflow.TransitionNotAllowed as refusal:
                complaint.refresh_from_db(fields=["status"])  # the service read it under lock; answer with that
                return Response(
                    {"detail": refusal.message, "allowed_transitions": list(complaint.allowed_transitions)},
                    status=status.HTTP_409_CONFLICT,
                )
        return Response(self.get_serializer(self._fresh(complaint)).data)

    @extend_schema(methods=["GET"], request=None, responses=ActivitySerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ThreadEntrySerializer,
        responses={
            201: ActivitySerializer,
            400: OpenApiResponse(description=_("Invalid input or a broken rule (e.g. the complaint is closed).")),
            403: OpenApiResponse(description=_("The complaint is visible but the user may not change it.")),
            404: OpenApiResponse(description=_("No such complaint among those visible to the user.")),
        },
    )
    # The thread is never paginated: without pagination_class=None the schema would describe a page of it.
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def activities(self, request, pk=None):
        """The thread, oldest first (GET); add an internal note or a reply to the client (POST).

        A reply is also an outbound interaction on the client's timeline, counts as the first response and moves a
        new complaint to "in progress".
        """
        complaint = self.get_object()
        if request.method == "GET":
            return Response(ActivitySerializer(selectors.list_thread(complaint), many=True).data)
        form = ThreadEntrySerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        with application_errors_as_validation(form):
            if data["kind"] == ActivityKind.NOTE:
                activity = services.add_note(actor=request.user, complaint=complaint, body=data["body"])
            else:
                activity = services.reply_to_client(
                    actor=request.user, complaint=complaint, body=data["body"], kind=data.get("reply_kind", Kind.EMAIL)
                )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)

    def _fresh(self, complaint: Complaint) -> Complaint:
        """The complaint as the list and detail read it (SLA state, names), after a service changed it."""
        return self.get_queryset().get(pk=complaint.pk)
