"""REST API of surveys: requests and responses, read-only (registered in crm/api_urls.py).

A request or a response is seen by whoever sees its client (an invisible one is a 404). Surveys are written by the
triggers and by the contacts' answers, never through the API, so every write is a 405. The answer link's token is
secret: neither the token nor its hash is ever serialized, and no filter accepts it.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets

from complaints.api.fields import NamedChoiceField
from core.filters import IdFilter, NullsLastOrderingFilter
from interactions.api import day_range_filters
from interactions.models import FollowUpStatus

from . import selectors
from .filters import AnswerDrillDownFilter
from .models import NpsCategory, SuppressedReason, SurveyKind, SurveyRequest, SurveyResponse, SurveyStatus, TriggerKind

MAX_ID = 2**63 - 1


class NullableNamedChoiceField(NamedChoiceField):
    """A named-enum choice that may be null (no follow-up, no NPS band).

    The null goes on the field, not into the enum: FollowUpStatusEnum is shared with the follow-up API, where a
    status is never null.
    """

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)


class NullableNamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NullableNamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        schema["enum"] = [choice for choice in schema["enum"] if choice is not None]
        name = self.target.enum_name
        component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
        auto_schema.registry.register_on_missing(component)
        return component.ref  # drf-spectacular marks the property nullable from allow_null


def _kind_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(choices=SurveyKind.choices, enum_name="SurveyKindEnum", **kwargs)


def _trigger_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(choices=TriggerKind.choices, enum_name="SurveyTriggerEnum", **kwargs)


# --- serializers ------------------------------------------------------------------------------------------------------


class SurveyRequestSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True, help_text=_("Name of the client."))
    contact_name = serializers.CharField(
        source="contact.full_name", read_only=True, help_text=_("Full name of the contact asked.")
    )
    template_name = serializers.CharField(source="template.name", read_only=True, help_text=_("Name of the template."))
    kind = _kind_field(read_only=True, label=_("kind"))
    trigger = _trigger_field(read_only=True, label=_("trigger"))
    trigger_label = serializers.CharField(
        source="get_trigger_display", read_only=True, help_text=_("The trigger in the user's language.")
    )
    status = NamedChoiceField(
        choices=SurveyStatus.choices, enum_name="SurveyStatusEnum", read_only=True, label=_("status")
    )
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, help_text=_("The status in the user's language.")
    )
    suppressed_reason = NamedChoiceField(
        choices=SuppressedReason.choices,
        enum_name="SurveySuppressedReasonEnum",
        allow_blank=True,
        read_only=True,
        label=_("suppressed because"),
        help_text=_("Why the survey was not sent (suppressed or cancelled); empty otherwise."),
    )
    suppressed_reason_label = serializers.CharField(
        source="get_suppressed_reason_display", read_only=True, help_text=_("The reason in the user's language.")
    )
    requested_by_name = serializers.CharField(
        source="requested_by.full_name",
        read_only=True,
        allow_null=True,
        help_text=_("Full name of the manager who sent it by hand; empty for automatic surveys."),
    )

    class Meta:
        model = SurveyRequest
        # Never token_hash (nor source_key or delivery internals): the answer link must not leak.
        fields = [
            "id",
            "client",
            "client_name",
            "contact",
            "contact_name",
            "template",
            "template_name",
            "kind",
            "trigger",
            "trigger_label",
            "status",
            "status_label",
            "suppressed_reason",
            "suppressed_reason_label",
            "language",
            "scheduled_at",
            "sent_at",
            "expires_at",
            "answered_at",
            "requested_by",
            "requested_by_name",
        ]
        read_only_fields = fields


class SurveyResponseSerializer(serializers.ModelSerializer):
    client_name = serializers.CharField(source="client.name", read_only=True, help_text=_("Name of the client."))
    contact = serializers.IntegerField(
        source="request.contact_id", read_only=True, help_text=_("The contact who answered.")
    )
    contact_name = serializers.CharField(
        source="request.contact.full_name", read_only=True, help_text=_("Full name of the contact who answered.")
    )
    trigger = _trigger_field(source="request.trigger", read_only=True, label=_("trigger"))
    kind = _kind_field(read_only=True, label=_("kind"))
    nps_category = NullableNamedChoiceField(
        choices=NpsCategory.choices,
        enum_name="SurveyNpsCategoryEnum",
        read_only=True,
        label=_("NPS category"),
        help_text=_("Promoter (9–10), passive (7–8) or detractor (0–6); null for CSAT."),
    )
    is_low = serializers.BooleanField(
        read_only=True, help_text=_("An NPS detractor or a CSAT of 1–2: the closed loop opened a follow-up.")
    )
    follow_up_status = NullableNamedChoiceField(
        choices=FollowUpStatus.choices,
        enum_name="FollowUpStatusEnum",
        source="follow_up.status",
        read_only=True,
        help_text=_("Status of the follow-up opened for a low score; null when there is none."),
    )
    action_by_name = serializers.CharField(
        source="action_by.full_name",
        read_only=True,
        allow_null=True,
        help_text=_("Full name of the person who wrote down what was done."),
    )

    class Meta:
        model = SurveyResponse
        fields = [
            "id",
            "request",
            "client",
            "client_name",
            "contact",
            "contact_name",
            "trigger",
            "kind",
            "score",
            "nps_category",
            "is_low",
            "comment",
            "answered_at",
            "changed_at",
            "follow_up",
            "follow_up_status",
            "action_taken",
            "action_by",
            "action_by_name",
            "action_at",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "request": {"help_text": _("The survey request this answers.")},
            "changed_at": {"help_text": _("When the contact last changed the answer (allowed for 24 hours).")},
            "follow_up": {"help_text": _("The follow-up opened for a low score.")},
        }


# --- filters ----------------------------------------------------------------------------------------------------------


def _id_filter(field_name: str, label) -> IdFilter:
    return IdFilter(field_name=field_name, label=label, widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


class SurveyFilterSet(django_filters.FilterSet):
    """What both lists share: client, kind, the answer day; newest first unless sorted otherwise."""

    client = _id_filter("client_id", _("client"))
    kind = django_filters.ChoiceFilter(choices=SurveyKind.choices, label=_("kind"))
    answered_from, answered_to = day_range_filters(
        "answered_at",
        _("Answered on or after this day (in your time zone)."),
        _("Answered on or before this day (in your time zone)."),
    )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        ordering = queryset.query.order_by or queryset.model._meta.ordering
        return queryset.order_by(*ordering, "-pk")  # a stable order for the pages


class SurveyRequestFilter(SurveyFilterSet):
    contact = _id_filter("contact_id", _("contact"))
    trigger = django_filters.ChoiceFilter(choices=TriggerKind.choices, label=_("trigger"))
    status = django_filters.ChoiceFilter(choices=SurveyStatus.choices, label=_("status"))
    sent_from, sent_to = day_range_filters(
        "sent_at",
        _("Sent on or after this day (in your time zone)."),
        _("Sent on or before this day (in your time zone)."),
    )
    ordering = NullsLastOrderingFilter(
        fields=("scheduled_at", "sent_at", "expires_at", "answered_at"),
        label=_("Sort by a date; prefix with '-' for newest first. Rows without the date come last."),
    )

    class Meta:
        model = SurveyRequest
        fields = ["client", "contact", "kind", "trigger", "status"]


class SurveyResponseFilter(AnswerDrillDownFilter, SurveyFilterSet):
    """The API's filters; `band`, `manager`, `team`, `tier`, `from` and `to` are the answer list's (the dashboard's
    drill-down words)."""

    contact = _id_filter("request__contact_id", _("contact"))
    trigger = django_filters.ChoiceFilter(
        field_name="request__trigger", choices=TriggerKind.choices, label=_("trigger")
    )
    score_min = django_filters.NumberFilter(field_name="score", lookup_expr="gte", label=_("Score at least"))
    score_max = django_filters.NumberFilter(field_name="score", lookup_expr="lte", label=_("Score at most"))
    nps_category = django_filters.ChoiceFilter(
        choices=NpsCategory.choices, method="filter_nps_category", label=_("NPS category")
    )
    low = django_filters.BooleanFilter(
        method="filter_low", label=_("Low scores only (NPS 0–6, CSAT 1–2)"), widget=forms.CheckboxInput
    )
    ordering = NullsLastOrderingFilter(
        fields=("answered_at", "changed_at", "action_at"),
        label=_("Sort by a date; prefix with '-' for newest first. Rows without the date come last."),
    )

    class Meta:
        model = SurveyResponse
        fields = ["client", "contact", "kind", "trigger", "band", "manager", "team", "tier", "date_from", "date_to"]

    def filter_nps_category(self, queryset, name, value):
        return queryset.filter(selectors.nps_category_q(value))

    def filter_low(self, queryset, name, value):
        return queryset.filter(selectors.low_score_q()) if value else queryset


# --- views ------------------------------------------------------------------------------------------------------------


class SurveyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail only; the queryset applies the client's visibility."""

    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [DjangoFilterBackend]


@extend_schema(tags=["surveys"])
class SurveyRequestViewSet(SurveyViewSet):
    """Survey requests (one per send, whatever its fate) of the clients visible to the user, newest first."""

    serializer_class = SurveyRequestSerializer
    filterset_class = SurveyRequestFilter

    def get_queryset(self):
        return selectors.list_survey_requests(self.request.user)


@extend_schema(tags=["surveys"])
class SurveyResponseViewSet(SurveyViewSet):
    """Answers of the contacts of the clients visible to the user, newest first, with the closed loop's state."""

    serializer_class = SurveyResponseSerializer
    filterset_class = SurveyResponseFilter

    def get_queryset(self):
        return selectors.list_survey_responses(self.request.user)
