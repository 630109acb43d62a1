"""REST API of interactions, follow-ups and notifications: the pages' rules, writes through the services.

Reads come from the visibility selectors (an invisible object is a 404); writes on a visible object the user may
not change are refused with 403 before any input is validated; a broken business rule is a 400 on its field.
"""

from datetime import timedelta

import django_filters
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import filters, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from accounts.models import User
from accounts.selectors import list_visible_staff
from clients.api import VisibleClientField, VisibleStaffField
from clients.selectors import clients_visible_to
from contacts.models import Contact
from contacts.selectors import contacts_visible_to
from core.api import SearchFilter, application_errors_as_validation
from core.filters import DayBoundFilter

from . import inbox, selectors
from .filters import InteractionDrillDownFilter
from .models import Direction, FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind, Notification, Outcome
from .permissions import can_change_follow_up, can_edit_interaction, can_log_on_client
from .services import follow_ups as follow_up_services
from .services import interactions as interaction_services
from .services import notifications as notification_services

# --- shared ---------------------------------------------------------------------------------------------------------

CLIENT_READ_ONLY = _("You can view this client but not change it.")


def _visible_clients(request):
    return clients_visible_to(request.user)


def _visible_staff(request):
    # The schema generator calls this without a signed-in user.
    if request is None or not request.user.is_authenticated:
        return User.objects.none()
    return list_visible_staff(request.user)


def _check_can_log(user: User, client) -> None:
    """A teammate's client is visible but read-only: the action is refused (403), not the input."""
    if not can_log_on_client(user, client):
        raise PermissionDenied(CLIENT_READ_ONLY)


class ObjectRule(permissions.BasePermission):
    """Reads follow visibility (the queryset); writes need `rule(user, obj)`; subclasses name the rule."""

    def rule(self, user, obj) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or self.rule(request.user, obj)


class CanEditInteraction(ObjectRule):
    message = _("Only the author or their team lead can change this entry.")

    def rule(self, user, obj):
        return can_edit_interaction(user, obj)


class CanChangeFollowUp(ObjectRule):
    message = _("Only the assignee or their team lead can change this follow-up.")

    def rule(self, user, obj):
        return can_change_follow_up(user, obj)


def day_range_filters(field: str, label_from, label_to):
    """`<x>_after` / `<x>_before` filters on whole days in the user's time zone, both days included; a day at the
    ends of the calendar (0001-01-01, 9999-12-31) keeps every row instead of overflowing (DayBoundFilter)."""
    return (
        DayBoundFilter(field_name=field, bound="from", label=label_from),
        DayBoundFilter(field_name=field, bound="to", label=label_to),
    )


# --- interactions ---------------------------------------------------------------------------------------------------


class VisibleContactField(serializers.PrimaryKeyRelatedField):
    """A contact id among the contacts the user may see; whether it belongs to the client is the service's rule."""

    def get_queryset(self):
        return contacts_visible_to(self.context["request"].user)


class InteractionSerializer(serializers.ModelSerializer):
    client = VisibleClientField(label=_("client"))
    client_name = serializers.CharField(source="client.name", read_only=True, help_text=_("Name of the client."))
    contacts = VisibleContactField(
        many=True, required=False, label=_("contacts"), help_text=_("Contacts of the same client who took part.")
    )
    occurred_at = serializers.DateTimeField(
        required=False, label=_("when"), help_text=_("When it happened or is planned; now if left out.")
    )
    logged_by_name = serializers.CharField(
        source="logged_by.full_name", read_only=True, help_text=_("Full name of the person who logged it.")
    )
    follow_up_due = serializers.DateTimeField(
        write_only=True,
        required=False,
        allow_null=True,
        label=_("follow-up due"),
        help_text=_("Only when logging: also create a follow-up for yourself, due at this time."),
    )
    follow_up_title = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=200,
        label=_("follow-up title"),
        help_text=_("Title of that follow-up; made from the subject or the notes if left out."),
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "client",
            "client_name",
            "contacts",
            "kind",
            "direction",
            "status",
            "occurred_at",
            "duration_minutes",
            "subject",
            "notes",
            "outcome",
            "logged_by",
            "logged_by_name",
            "created_at",
            "updated_at",
            "follow_up_due",
            "follow_up_title",
        ]
        read_only_fields = ["logged_by", "created_at", "updated_at"]

    def validate_client(self, value):
        if self.instance is not None and value.pk != self.instance.client_id:
            raise ValidationError(_("An interaction cannot be moved to another client."))
        return value

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("follow_up_due", "follow_up_title"):
                if name in attrs:
                    raise ValidationError({name: [_("Only when logging a new interaction.")]})
        elif attrs.get("follow_up_title", "").strip() and not attrs.get("follow_up_due"):
            raise ValidationError({"follow_up_due": [_("Give a due time for the follow-up.")]})
        return attrs


class CompleteInteractionSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True, label=_("outcome"))
    notes = serializers.CharField(
        required=False, allow_blank=True, label=_("notes"), help_text=_("Replaces the notes when given.")
    )


class InteractionFilter(InteractionDrillDownFilter):
    """The API's filters; `team`, `tier`, `from` and `to` are the list page's (the dashboard's drill-down words)."""

    # Only visible clients and staff are valid choices: an invisible id is refused like a nonexistent one.
    client = django_filters.ModelChoiceFilter(queryset=_visible_clients, label=_("client"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=InteractionStatus.choices, label=_("status"))
    direction = django_filters.ChoiceFilter(choices=Direction.choices, label=_("direction"))
    logged_by = django_filters.ModelChoiceFilter(queryset=_visible_staff, label=_("logged by"))
    occurred_after, occurred_before = day_range_filters(
        "occurred_at", _("On or after this day (in your time zone)."), _("On or before this day (in your time zone).")
    )

    class Meta:
        model = Interaction
        fields = [
            "client",
            "kind",
            "status",
            "direction",
            "logged_by",
            "team",
            "tier",
            "date_from",
            "date_to",
            "occurred_after",
            "occurred_before",
        ]


@extend_schema(tags=["interactions"])
class InteractionViewSet(viewsets.ModelViewSet):
    """Interactions on the clients visible to the user; changes by the author, their team lead or an admin."""

    serializer_class = InteractionSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditInteraction]
    filter_backends = [DjangoFilterBackend, SearchFilter, filters.OrderingFilter]
    filterset_class = InteractionFilter
    search_fields = ["subject", "notes"]
    ordering_fields = ["occurred_at", "created_at"]
    ordering = ["-occurred_at", "-id"]

    def get_queryset(self):
        return (
            selectors.interactions_visible_to(self.request.user)
            .select_related("client", "logged_by__team")
            .prefetch_related(Prefetch("contacts", queryset=Contact.objects.only("pk", "client_id")))
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        _check_can_log(self.request.user, data["client"])
        with application_errors_as_validation(serializer):
            serializer.instance = interaction_services.log_interaction(actor=self.request.user, **data)

    def perform_update(self, serializer):
        serializer.validated_data.pop("client", None)
        with application_errors_as_validation(serializer):
            interaction_services.update_interaction(
                actor=self.request.user, interaction=serializer.instance, **serializer.validated_data
            )

    def perform_destroy(self, instance):
        interaction_services.delete_interaction(actor=self.request.user, interaction=instance)

    @extend_schema(request=CompleteInteractionSerializer, responses=InteractionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """A scheduled meeting took place: mark it completed with its outcome and notes."""
        interaction = self.get_object()
        form = CompleteInteractionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with application_errors_as_validation(form):
            interaction_services.complete_interaction(
                actor=request.user, interaction=interaction, **form.validated_data
            )
        return Response(self.get_serializer(interaction).data)


# --- follow-ups -----------------------------------------------------------------------------------------------------

# Browser and server clocks differ a little; a time typed as "now" is not "the past".
PAST_TOLERANCE = timedelta(minutes=5)


class VisibleInteractionField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.interactions_visible_to(self.context["request"].user)


class FollowUpSerializer(serializers.ModelSerializer):
    client = VisibleClientField(label=_("client"))
    client_name = serializers.CharField(source="client.name", read_only=True, help_text=_("Name of the client."))
    assignee = VisibleStaffField(
        required=False, label=_("assignee"), help_text=_("Yourself if left out; leads and admins may assign others.")
    )
    assignee_name = serializers.CharField(
        source="assignee.full_name", read_only=True, help_text=_("Full name of the assignee.")
    )
    interaction = VisibleInteractionField(
        required=False, allow_null=True, label=_("from interaction"), help_text=_("An interaction of the same client.")
    )

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "client",
            "client_name",
            "title",
            "due_at",
            "assignee",
            "assignee_name",
            "interaction",
            "status",
            "completed_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["status", "completed_at", "created_by", "created_at", "updated_at"]

    def validate(self, attrs):
        interaction = attrs.get("interaction")
        if interaction is not None and interaction.client_id != attrs["client"].pk:
            raise ValidationError({"interaction": [_("Choose an interaction of this client.")]})
        return attrs


class RescheduleSerializer(serializers.Serializer):
    """PATCH of a follow-up: only the due time moves; everything else has its own action."""

    due_at = serializers.DateTimeField(label=_("new due time"))

    def validate_due_at(self, value):
        if value < timezone.now() - PAST_TOLERANCE:
            raise ValidationError(_("Choose a time in the future."))
        return value

    def validate(self, attrs):
        others = sorted(set(self.initial_data) - {"due_at"})
        if others:
            raise ValidationError({name: [_("Only the due time can be changed.")] for name in others})
        return attrs


class FollowUpFilter(django_filters.FilterSet):
    client = django_filters.ModelChoiceFilter(queryset=_visible_clients, label=_("client"))
    status = django_filters.ChoiceFilter(choices=FollowUpStatus.choices, label=_("status"))
    assignee = django_filters.ModelChoiceFilter(queryset=_visible_staff, label=_("assignee"))
    due_after, due_before = day_range_filters(
        "due_at",
        _("Due on or after this day (in your time zone)."),
        _("Due on or before this day (in your time zone)."),
    )

    class Meta:
        model = FollowUp
        fields = ["client", "status", "assignee", "due_after", "due_before"]


@extend_schema(tags=["follow-ups"])
class FollowUpViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Follow-ups on the clients visible to the user; the assignee, their team lead or an admin act on them."""

    serializer_class = FollowUpSerializer
    permission_classes = [permissions.IsAuthenticated, CanChangeFollowUp]
    filter_backends = [DjangoFilterBackend, filters.OrderingFilter]
    filterset_class = FollowUpFilter
    ordering_fields = ["due_at", "created_at"]
    ordering = ["due_at", "id"]

    def get_queryset(self):
        return selectors.follow_ups_visible_to(self.request.user).select_related("client", "assignee__team")

    def perform_create(self, serializer):
        data = serializer.validated_data
        _check_can_log(self.request.user, data["client"])
        with application_errors_as_validation(serializer):
            serializer.instance = follow_up_services.create_follow_up(actor=self.request.user, **data)

    @extend_schema(request=RescheduleSerializer, responses=FollowUpSerializer)
    def partial_update(self, request, pk=None):
        """Move an open follow-up to a new due time (its reminder moves with it)."""
        follow_up = self.get_object()
        form = RescheduleSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._act(follow_up_services.reschedule_follow_up, follow_up, due_at=form.validated_data["due_at"])

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark an open follow-up done."""
        return self._act(follow_up_services.complete_follow_up, self.get_object())

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an open follow-up."""
        return self._act(follow_up_services.cancel_follow_up, self.get_object())

    @extend_schema(request=None, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a done or cancelled follow-up again."""
        return self._act(follow_up_services.reopen_follow_up, self.get_object())

    def _act(self, service, follow_up, **kwargs):
        serializer = self.get_serializer(follow_up)
        with application_errors_as_validation(serializer):
            service(actor=self.request.user, follow_up=follow_up, **kwargs)
        return Response(serializer.data)


# --- notifications --------------------------------------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField(help_text=_("Not read yet."))
    url = serializers.SerializerMethodField(help_text=_("Where the notification leads in the web interface."))

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at", "unread"]

    def get_unread(self, notification: Notification) -> bool:
        return notification.read_at is None

    def get_url(self, notification: Notification) -> str:
        # Stored as a site path; an API client needs the whole address.
        if notification.url.startswith("/"):
            return self.context["request"].build_absolute_uri(notification.url)
        return notification.url


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label=_("unread"))

    class Meta:
        model = Notification
        fields = ["unread"]


@extend_schema(tags=["notifications"])
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The user's own notifications, newest first; anyone else's do not exist (404)."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]
    filterset_class = NotificationFilter

    queryset = Notification.objects.none()  # for the schema: the real one below depends on the user

    def get_queryset(self):
        return inbox.list_notifications(self.request.user)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read (reading it twice keeps the first time)."""
        notification = notification_services.mark_read(user=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(
        request=None,
        responses=inline_serializer("NotificationsMarkedRead", {"marked": serializers.IntegerField()}),
    )
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        """Mark every unread notification of the user read; answers how many changed."""
        return Response({"marked": notification_services.mark_all_read(user=request.user)})
