"""The admin's side of feedback: survey templates and triggers to edit, requests and responses to read.

A request's token hash never appears here (it is excluded from every form). The only change an
admin makes to a response, writing down what was done, goes through the same service as the client page.
"""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyInline
from core.exceptions import ApplicationError

from .models import SurveyKind, SurveyRequest, SurveyResponse, SurveyTemplate, SurveyTrigger
from .services.closed_loop import record_action
from .services.scheduling import cancel_survey_link

LANGUAGES = (("en", _("English")), ("ru", _("Russian")), ("lt", _("Lithuanian")))
TEXTS = ("question", "subject", "intro", "comment_question", "thanks")

# --- Templates and triggers -----------------------------------------------------------------------------------


@admin.register(SurveyTemplate)
class SurveyTemplateAdmin(admin.ModelAdmin):
    """The question and e-mail in every language; one in use is deactivated, never deleted (requests keep it)."""

    list_display = ("name", "kind", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "question_en", "question_ru", "question_lt")
    actions = ("activate", "deactivate")
    fieldsets = (
        (None, {"fields": ("name", "kind", "is_active")}),
        *((label, {"fields": tuple(f"{text}_{code}" for text in TEXTS)}) for code, label in LANGUAGES),
    )

    def is_used(self, obj) -> bool:
        used_by = (SurveyRequest, SurveyTrigger)
        return any(model.objects.filter(template=obj).exists() for model in used_by)

    def get_readonly_fields(self, request, obj=None):
        # Requests sent with it are answered on its scale: CSAT (1-5) cannot become NPS (0-10) under them.
        if obj is not None and self.is_used(obj):
            return ("kind",)
        return ()

    def has_delete_permission(self, request, obj=None):
        # Requests and triggers PROTECT their template: a used one has no delete button, and the bulk
        # "delete selected" lists it as protected and deletes nothing.
        if obj is not None and self.is_used(obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Activate the selected templates"))
    def activate(self, request, queryset):
        queryset.update(is_active=True)

    @admin.action(description=_("Deactivate the selected templates (no new surveys, answers kept)"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)


@admin.register(SurveyTrigger)
class SurveyTriggerAdmin(admin.ModelAdmin):
    """The five triggers come with the app (a data migration): each is switched on or off, never added."""

    list_display = ("kind", "template", "is_enabled", "delay_hours", "interval_months")
    list_editable = ("is_enabled", "delay_hours", "template")
    list_select_related = ("template",)
    readonly_fields = ("kind",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Requests and responses -----------------------------------------------------------------------------------


class ResponseInline(ReadOnlyInline):
    model = SurveyResponse
    fields = ("score", "comment", "answered_at", "changed_at", "follow_up", "action_taken", "action_at")


@admin.register(SurveyRequest)
class SurveyRequestAdmin(admin.ModelAdmin):
    """Every survey written, with its delivery state and why it did not go out; read only."""

    list_display = (
        "contact",
        "client",
        "kind",
        "trigger",
        "status",
        "suppressed_reason",
        "scheduled_at",
        "sent_at",
        "answered_at",
        "attempts",
    )
    list_filter = ("status", "trigger", "kind", "suppressed_reason", "language")
    search_fields = ("contact__full_name", "contact__email", "client__name", "source_key")
    list_select_related = ("contact", "client")
    date_hierarchy = "scheduled_at"
    exclude = ("token_hash",)  # the link's secret is in the e-mail only; its hash has no place on a page
    inlines = (ResponseInline,)
    actions = ("cancel_links",)

    @admin.action(description=_("Cancel the selected survey links (they stop working now)"))
    def cancel_links(self, request, queryset):
        cancelled = 0
        for survey in queryset.select_related("client"):
            try:
                cancel_survey_link(actor=request.user, survey=survey)
            except ApplicationError:
                continue  # answered, expired or not sent yet: nothing to cancel
            cancelled += 1
        message = ngettext("%(count)d survey link cancelled.", "%(count)d survey links cancelled.", cancelled)
        self.message_user(request, message % {"count": cancelled})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LowScoreFilter(admin.SimpleListFilter):
    title = _("score band")
    parameter_name = "band"

    def lookups(self, request, model_admin):
        return (
            ("low", _("Low (NPS 0–6, CSAT 1–2)")),
            ("promoter", _("Promoters (NPS 9–10)")),
            ("satisfied", _("Satisfied (CSAT 4–5)")),
        )

    def queryset(self, request, queryset):
        value = self.value()
        if value == "low":
            return queryset.filter(Q(kind=SurveyKind.NPS, score__lte=6) | Q(kind=SurveyKind.CSAT, score__lte=2))
        if value == "promoter":
            return queryset.filter(kind=SurveyKind.NPS, score__gte=9)
        if value == "satisfied":
            return queryset.filter(kind=SurveyKind.CSAT, score__gte=4)
        return queryset


class ActionFilter(admin.SimpleListFilter):
    title = _("what was done")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return (("yes", _("Written down")), ("no", _("Not yet")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(action_taken="")
        if self.value() == "no":
            return queryset.filter(action_taken="")
        return queryset


class SurveyResponseForm(forms.ModelForm):
    """Only "what was done" changes, through `record_action` (which also completes the follow-up)."""

    actor = None  # set by SurveyResponseAdmin.get_form

    class Meta:
        model = SurveyResponse
        fields = ["action_taken"]

    def _post_clean(self):
        super()._post_clean()
        if self.errors or "action_taken" not in self.changed_data:
            return
        try:
            with transaction.atomic():
                record_action(actor=self.actor, response=self.instance, text=self.cleaned_data["action_taken"])
        except ApplicationError as error:
            self.add_error("action_taken", error.message)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Answers as the contacts gave them; only what was done about one is written down here."""

    form = SurveyResponseForm
    list_display = ("kind", "score", "client", "contact", "answered_at", "follow_up_status", "has_action")
    list_filter = ("kind", LowScoreFilter, ActionFilter, "client__tier", "request__trigger")
    search_fields = ("client__name", "request__contact__full_name", "comment")
    list_select_related = ("client", "request__contact", "follow_up")
    date_hierarchy = "answered_at"
    fields = (
        "request",
        "client",
        "kind",
        "score",
        "comment",
        "answered_at",
        "changed_at",
        "follow_up",
        "action_taken",
        "action_by",
        "action_at",
    )
    readonly_fields = tuple(name for name in fields if name != "action_taken")

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Nothing to save: `record_action` wrote it (a plain save would write the same fields again)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("contact"), ordering="request__contact__full_name")
    def contact(self, obj):
        return obj.request.contact

    @admin.display(description=_("follow-up"), ordering="follow_up__status")
    def follow_up_status(self, obj):
        return obj.follow_up.get_status_display() if obj.follow_up_id else "—"

    @admin.display(description=_("what was done"), boolean=True)
    def has_action(self, obj):
        return bool(obj.action_taken)
