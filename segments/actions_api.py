"""REST API of the bulk actions on a segment's members and of the announcements (registered in crm/api_urls.py).

The same rules as the pages: team leads act within their team, admins on all, managers get 403; a lead reads the
actions they took, an admin all of them (another's is a 404). Actions are records: created, never changed.
"""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from complaints.api.fields import NamedChoiceField
from core.api import application_errors_as_validation
from feedback.models import SurveyTemplate

from .bulk import access
from .bulk.announcements import create_announcement
from .bulk.selectors import annotate_progress
from .bulk.surveys import send_survey_to_segment
from .bulk.tags import add_tag_to_segment, remove_tag_from_segment
from .models import Announcement, AnnouncementKind, BulkAction, BulkActionKind, BulkActionStatus, Segment


class CanActOnSegments(permissions.BasePermission):
    message = _("Only team leads and administrators act on a segment's clients.")

    def has_permission(self, request, view):
        return access.can_act_on_segments(request.user)


@extend_schema_field(OpenApiTypes.OBJECT)
class ParamsField(serializers.JSONField):
    """{"tag": id, "tag_name": …} for a tag, {"template": id, "template_name": …} for a survey,
    {"announcement": id} for an announcement."""


def _kind_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(choices=BulkActionKind.choices, enum_name="SegmentActionKindEnum", **kwargs)


class BulkActionSerializer(serializers.ModelSerializer):
    kind = _kind_field(read_only=True, label=_("action"))
    status = NamedChoiceField(
        choices=BulkActionStatus.choices, enum_name="SegmentActionStatusEnum", read_only=True, label=_("status")
    )
    params = ParamsField(read_only=True, help_text=_("What the action used, with names copied for the record."))
    actor_name = serializers.CharField(
        source="actor.full_name", read_only=True, allow_null=True, help_text=_("Full name of who took the action.")
    )
    announcement = serializers.SerializerMethodField(help_text=_("The announcement's id; null for other actions."))

    class Meta:
        model = BulkAction
        fields = [
            "id",
            "segment",
            "segment_name",
            "kind",
            "params",
            "status",
            "actor",
            "actor_name",
            "matched",
            "changed",
            "skipped",
            "created_at",
            "finished_at",
            "announcement",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "segment": {"help_text": _("The segment; null once it was removed (its name is kept).")},
            "matched": {"help_text": _("Member clients the action applied to (within the actor's team for a lead).")},
            "changed": {
                "help_text": _(
                    "Clients tagged or untagged, survey requests written, or announcement e-mails sent "
                    "(queued while it runs)."
                )
            },
            "skipped": {
                "help_text": _(
                    "Clients that already had (or lacked) the tag, clients without a primary contact, or contacts "
                    "skipped by an announcement."
                )
            },
        }

    @extend_schema_field(serializers.IntegerField(allow_null=True))  # null for the other kinds of action
    def get_announcement(self, action) -> int | None:
        return action.params.get("announcement") if action.kind == BulkActionKind.ANNOUNCEMENT else None


class BulkActionCreateSerializer(serializers.Serializer):
    segment = serializers.PrimaryKeyRelatedField(queryset=Segment.objects.all(), label=_("segment"))
    kind = NamedChoiceField(
        choices=[(k, v) for k, v in BulkActionKind.choices if k != BulkActionKind.ANNOUNCEMENT],
        enum_name="SegmentActionCreateKindEnum",
        label=_("action"),
        help_text=_("Announcements are sent through /api/v1/announcements/."),
    )
    tag = serializers.CharField(
        required=False, max_length=50, label=_("tag"), help_text=_("For add_tag (created if new) and remove_tag.")
    )
    template = serializers.PrimaryKeyRelatedField(
        queryset=SurveyTemplate.objects.all(), required=False, label=_("survey"), help_text=_("For send_survey.")
    )

    def validate(self, attrs):
        if attrs["kind"] == BulkActionKind.SEND_SURVEY and not attrs.get("template"):
            raise serializers.ValidationError({"template": [_("Choose the survey to send.")]})
        if attrs["kind"] != BulkActionKind.SEND_SURVEY and not attrs.get("tag"):
            raise serializers.ValidationError({"tag": [_("Name the tag.")]})
        return attrs


@extend_schema(tags=["segments"])
class BulkActionViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Bulk actions on a segment's members: add or remove a tag, send a survey. Team leads and admins only."""

    serializer_class = BulkActionSerializer
    permission_classes = [permissions.IsAuthenticated, CanActOnSegments]
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["segment", "kind", "status"]

    def get_queryset(self):
        return access.actions_visible_to(self.request.user).select_related("actor").order_by("-created_at", "-pk")

    @extend_schema(request=BulkActionCreateSerializer, responses={201: BulkActionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = BulkActionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with application_errors_as_validation(serializer):
            if data["kind"] == BulkActionKind.SEND_SURVEY:
                action = send_survey_to_segment(actor=request.user, segment=data["segment"], template=data["template"])
            else:
                service = add_tag_to_segment if data["kind"] == BulkActionKind.ADD_TAG else remove_tag_from_segment
                action = service(actor=request.user, segment=data["segment"], tag=data["tag"])
        return Response(BulkActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("Contacts of the member clients: one row each."))
    sent = serializers.IntegerField()
    pending = serializers.IntegerField(help_text=_("Waiting to be sent (or retried)."))
    failed = serializers.IntegerField(help_text=_("Given up after repeated failures."))
    opted_out = serializers.IntegerField(help_text=_("Skipped: the contact opted out of announcements."))
    no_email = serializers.IntegerField(help_text=_("Skipped: the contact has no e-mail address."))
    duplicate = serializers.IntegerField(help_text=_("Skipped: another contact with the same address got it."))


PROGRESS_KEYS = tuple(ProgressSerializer().fields)


class AnnouncementSerializer(serializers.ModelSerializer):
    kind = NamedChoiceField(
        choices=AnnouncementKind.choices, enum_name="AnnouncementKindEnum", read_only=True, label=_("kind")
    )
    segment = serializers.IntegerField(source="action.segment_id", read_only=True, allow_null=True)
    segment_name = serializers.CharField(source="action.segment_name", read_only=True)
    status = NamedChoiceField(
        choices=BulkActionStatus.choices, enum_name="SegmentActionStatusEnum", source="action.status", read_only=True
    )
    created_by = serializers.IntegerField(source="action.actor_id", read_only=True, allow_null=True)
    created_by_name = serializers.CharField(source="action.actor.full_name", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(source="action.created_at", read_only=True)
    finished_at = serializers.DateTimeField(source="action.finished_at", read_only=True, allow_null=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Announcement
        fields = [
            "id",
            "action",
            "segment",
            "segment_name",
            "kind",
            "subject_en",
            "body_en",
            "subject_ru",
            "body_ru",
            "subject_lt",
            "body_lt",
            "status",
            "created_by",
            "created_by_name",
            "created_at",
            "finished_at",
            "progress",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, announcement) -> dict:
        # Counted by annotate_progress in the list's (or the detail's) one query.
        return {key: getattr(announcement, f"progress_{key}") for key in PROGRESS_KEYS}


class AnnouncementCreateSerializer(serializers.Serializer):
    segment = serializers.PrimaryKeyRelatedField(queryset=Segment.objects.all(), label=_("segment"))
    kind = NamedChoiceField(choices=AnnouncementKind.choices, enum_name="AnnouncementKindEnum", label=_("kind"))
    subject_en = serializers.CharField(max_length=200, label=_("subject (English)"))
    body_en = serializers.CharField(max_length=10000, trim_whitespace=False, label=_("text (English)"))
    subject_ru = serializers.CharField(max_length=200, required=False, allow_blank=True, label=_("subject (Russian)"))
    body_ru = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, trim_whitespace=False, label=_("text (Russian)")
    )
    subject_lt = serializers.CharField(
        max_length=200, required=False, allow_blank=True, label=_("subject (Lithuanian)")
    )
    body_lt = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, trim_whitespace=False, label=_("text (Lithuanian)")
    )


@extend_schema(tags=["segments"])
class AnnouncementViewSet(
    mixins.CreateModelMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Announcement e-mails to the contacts of a segment's members, in en (required), ru and lt (empty: the English
    text), with their delivery progress. Team leads and admins only."""

    serializer_class = AnnouncementSerializer
    permission_classes = [permissions.IsAuthenticated, CanActOnSegments]
    filter_backends = []

    def get_queryset(self):
        announcements = access.announcements_visible_to(self.request.user).select_related("action__actor")
        return annotate_progress(announcements).order_by("-pk")

    @extend_schema(request=AnnouncementCreateSerializer, responses={201: AnnouncementSerializer})
    def create(self, request, *args, **kwargs):
        serializer = AnnouncementCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        with application_errors_as_validation(serializer):
            announcement = create_announcement(actor=request.user, **serializer.validated_data)
        announcement = self.get_queryset().get(pk=announcement.pk)
        return Response(AnnouncementSerializer(announcement).data, status=status.HTTP_201_CREATED)
