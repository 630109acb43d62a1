"""The admin's side of complaints: categories, root causes, SLA policies, business calendars, and a
complaint view whose changes go through the same services as the page and the API."""

import zoneinfo

import holidays
from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import User
from accounts.selectors import list_assignable_managers
from core.admin import ReadOnlyInline
from core.exceptions import ApplicationError

from .models import (
    TRANSITIONS,
    BusinessCalendar,
    Complaint,
    ComplaintActivity,
    ComplaintCategory,
    ComplaintStatus,
    Escalation,
    Holiday,
    RootCause,
    SlaPolicy,
    SlaState,
    TeamCalendar,
)
from .selectors import with_sla
from .services import sla
from .services.complaints import change_severity, reassign_complaint, update_complaint
from .services.workflow import transition_complaint

# --- Categories and root causes -------------------------------------------------------------------------------


class TranslatedNameAdmin(admin.ModelAdmin):
    """A list entry named in en, ru and lt; one in use is deactivated, never deleted (complaints keep it)."""

    list_display = ("name", "name_ru", "name_lt", "is_active", "position")
    list_editable = ("is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("name", "name_ru", "name_lt")
    actions = ("activate", "deactivate")
    used_by: str  # the Complaint field that points here

    def is_used(self, obj) -> bool:
        return Complaint.objects.filter(**{self.used_by: obj}).exists()

    def has_delete_permission(self, request, obj=None):
        # Complaints PROTECT their category and root cause: a used entry has no delete button, and
        # the bulk "delete selected" lists used ones as protected and deletes nothing.
        if obj is not None and self.is_used(obj):
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description=_("Activate the selected entries"))
    def activate(self, request, queryset):
        queryset.update(is_active=True)

    @admin.action(description=_("Deactivate the selected entries (no longer offered, kept on old complaints)"))
    def deactivate(self, request, queryset):
        queryset.update(is_active=False)


@admin.register(ComplaintCategory)
class ComplaintCategoryAdmin(TranslatedNameAdmin):
    used_by = "category"


@admin.register(RootCause)
class RootCauseAdmin(TranslatedNameAdmin):
    used_by = "root_cause"


# --- SLA policies and business calendars ----------------------------------------------------------------------

TARGETS_HELP = _(
    "Targets are business minutes: counted only in the working hours of the owner's team calendar. "
    "A change applies to complaints received from now on; the due times of existing complaints stay as they were."
)


class SlaPolicyForm(forms.ModelForm):
    class Meta:
        model = SlaPolicy
        fields = ["tier", "severity", "first_response_minutes", "resolution_minutes"]
        help_texts = {"first_response_minutes": TARGETS_HELP, "resolution_minutes": TARGETS_HELP}


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    """First-response and resolution targets per client tier and severity (VIP and key get tighter ones)."""

    form = SlaPolicyForm
    list_display = ("tier", "severity", "first_response_minutes", "resolution_minutes")
    list_editable = ("first_response_minutes", "resolution_minutes")
    list_filter = ("tier", "severity")

    def changelist_view(self, request, extra_context=None):
        # The editable list shows no help texts: the rule goes above it.
        return super().changelist_view(request, extra_context={"subtitle": TARGETS_HELP, **(extra_context or {})})


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


def country_choices() -> list[tuple[str, str]]:
    """Countries the `holidays` package knows, named where django-countries knows the code."""
    choices = [("", _("No public holidays"))]
    for code in sorted(holidays.list_supported_countries()):
        name = countries.name(code)
        choices.append((code, f"{code} · {name}" if name else code))
    return choices


class BusinessCalendarForm(forms.ModelForm):
    """Working days as checkboxes, the zone and the country as lists; model.clean() checks the rest."""

    working_days = forms.TypedMultipleChoiceField(
        label=_("working days"),
        choices=sorted(WEEKDAYS.items()),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)
    country = forms.ChoiceField(
        label=_("holidays of country"),
        choices=country_choices,
        required=False,
        help_text=_("Its public holidays are days off, on top of the days listed below."),
    )

    class Meta:
        model = BusinessCalendar
        fields = ["name", "time_zone", "country", "working_days", "day_start", "day_end", "is_default"]
        help_texts = {
            "day_start": _("In the calendar's time zone."),
            "is_default": _(
                "Used for teams without a calendar of their own. Open complaints keep their calendar: "
                "a change here moves their due times only when their clocks next restart."
            ),
        }

    def clean_working_days(self):
        return sorted(self.cleaned_data["working_days"])

    def clean_is_default(self):
        is_default = self.cleaned_data["is_default"]
        other = BusinessCalendar.objects.filter(is_default=True).exclude(pk=self.instance.pk).first()
        if is_default and other is not None:
            raise forms.ValidationError(
                _("“%(name)s” is the default calendar; untick it there first.") % {"name": other.name}
            )
        return is_default


class HolidayInline(admin.TabularInline):
    model = Holiday
    fields = ("date", "name")
    extra = 1


class TeamCalendarInline(admin.TabularInline):
    model = TeamCalendar
    fields = ("team",)
    extra = 0
    verbose_name = _("team working on this calendar")
    verbose_name_plural = _("teams working on this calendar")


@admin.register(BusinessCalendar)
class BusinessCalendarAdmin(admin.ModelAdmin):
    """When a team works: SLA clocks count only these days and hours, minus public and added holidays."""

    form = BusinessCalendarForm
    list_display = ("name", "time_zone", "country", "working_days_display", "day_start", "day_end", "is_default")
    inlines = (HolidayInline, TeamCalendarInline)

    @admin.display(description=_("working days"))
    def working_days_display(self, obj):
        return ", ".join(str(WEEKDAYS[day])[:3] for day in sorted(obj.working_days) if day in WEEKDAYS)


# --- Complaints -----------------------------------------------------------------------------------------------


def _comparable(value):
    # Browsers post text areas with CRLF line ends: an untouched text must not count as an edit.
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class ComplaintAdminForm(forms.ModelForm):
    """The admin's edit of a complaint, applied through the services (with their rules) once the form is valid.

    Status, severity and owner each have their own step (transition, change of severity,
    reassignment); the details are corrected as on the complaint page. A broken rule is a
    form error, and nothing of the edit is kept.
    """

    status = forms.ChoiceField(label=_("status"))
    note = forms.CharField(
        label=_("note on the status change"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    actor: User  # set by ComplaintAdmin.get_form

    class Meta:
        model = Complaint
        fields = [
            "subject",
            "category",
            "channel",
            "contact",
            "order",
            "description",
            "status",
            "resolution",
            "root_cause",
            "severity",
            "owner",
        ]
        help_texts = {
            "resolution": _("Required when the status becomes “Resolved”, with the root cause."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        complaint = self.instance
        self.before = {name: getattr(complaint, name) for name in (*ComplaintAdminForm.Meta.fields, "owner_id")}
        fields = self.fields
        fields["status"].choices = [
            (status, ComplaintStatus(status).label) for status in (complaint.status, *TRANSITIONS[complaint.status])
        ]
        fields["status"].help_text = _("Only the next steps of the workflow are offered.")
        # What the complaint has now stays valid even when it is no longer offered for new choices.
        fields["category"].queryset = ComplaintCategory.objects.filter(Q(is_active=True) | Q(pk=complaint.category_id))
        fields["root_cause"].queryset = RootCause.objects.filter(Q(is_active=True) | Q(pk=complaint.root_cause_id))
        fields["contact"].queryset = complaint.client.contacts.order_by("full_name")
        fields["order"].queryset = complaint.client.orders.order_by("-created_at")
        assignable = list_assignable_managers(self.actor).values("pk")
        fields["owner"].queryset = User.objects.filter(Q(pk__in=assignable) | Q(pk=complaint.owner_id))
        fields["owner"].required = complaint.owner_id is not None

    def changed(self, *names: str) -> bool:
        return any(_comparable(self.cleaned_data.get(name)) != _comparable(self.before[name]) for name in names)

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            with transaction.atomic():  # all of the edit or none of it
                self.apply()
        except ApplicationError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, error.message)

    def apply(self) -> None:
        """Call the service of each part that changed: details, severity, owner, then status."""
        actor, complaint, data = self.actor, self.instance, self.cleaned_data
        if self.changed("subject", "category", "channel", "contact", "order", "description"):
            complaint = update_complaint(
                actor=actor,
                complaint=complaint,
                category=data["category"],
                subject=data["subject"],
                description=data["description"],
                contact=data["contact"],
                order=data["order"],
                channel=data["channel"],
            )
        if self.changed("severity"):
            complaint = change_severity(actor=actor, complaint=complaint, severity=data["severity"])
        if data.get("owner") is not None and data["owner"].pk != self.before["owner_id"]:
            complaint = reassign_complaint(actor=actor, complaint=complaint, owner=data["owner"])
        if self.changed("status"):
            transition_complaint(
                actor=actor,
                complaint=complaint,
                to_status=data["status"],
                resolution=data["resolution"],
                root_cause=data["root_cause"],
                note=data["note"],
            )
        elif self.changed("resolution", "root_cause"):
            raise ApplicationError(
                _("The resolution and the root cause are recorded when the status becomes “Resolved”."),
                field="resolution",
            )


class ActivityInline(ReadOnlyInline):
    model = ComplaintActivity
    fields = ("at", "kind", "author", "from_value", "to_value", "body", "interaction")


class EscalationInline(ReadOnlyInline):
    model = Escalation
    fields = ("created_at", "cycle", "level", "clock", "recipient", "status", "attempts", "sent_at", "last_error")
    readonly_fields = ("created_at",)


class SlaStateFilter(admin.SimpleListFilter):
    title = _("SLA")
    parameter_name = "sla"

    def lookups(self, request, model_admin):
        return SlaState.choices

    def queryset(self, request, queryset):
        return queryset.filter(sla=self.value()) if self.value() else queryset


SLA_FIELDS = (
    "sla_state",
    "calendar",
    "sla_first_response_minutes",
    "sla_resolution_minutes",
    "first_response_due_at",
    "first_response_at_risk_at",
    "first_response_business_minutes",
    "resolution_due_at",
    "resolution_at_risk_at",
    "resolution_used_minutes",
    "resolution_running_since",
    "waiting_since",
    "paused_seconds",
    "resolution_seconds",
    "first_response_breached_at",
    "resolution_breached_at",
    "escalated_at",
)


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    """Complaints are registered on the client page or through the API; here an admin corrects and moves
    them, through the same services (and rules) as the pages. The SLA fields are the clocks' own."""

    form = ComplaintAdminForm
    list_display = (
        "number",
        "client",
        "status",
        "severity",
        "owner",
        "received_at",
        "sla_state",
        "first_response_due_at",
        "resolution_due_at",
        "escalated_at",
    )
    list_filter = ("status", SlaStateFilter, "severity", "category", "channel", "client__tier", "owner")
    search_fields = ("number", "subject", "client__name")
    list_select_related = ("client", "owner")
    date_hierarchy = "received_at"
    readonly_fields = (
        "number",
        "client",
        "received_at",
        "created_by",
        "cycle",
        "reopen_count",
        "first_response_at",
        "resolved_at",
        "closed_at",
        *SLA_FIELDS,
    )
    fieldsets = (
        (None, {"fields": ("number", "client", "received_at", "created_by")}),
        (_("Details"), {"fields": ("subject", "category", "channel", "contact", "order", "description")}),
        (
            _("Workflow"),
            {
                "fields": (
                    "status",
                    "note",
                    "resolution",
                    "root_cause",
                    "severity",
                    "owner",
                    "first_response_at",
                    "resolved_at",
                    "closed_at",
                    "cycle",
                    "reopen_count",
                )
            },
        ),
        (_("SLA"), {"fields": SLA_FIELDS}),
    )
    inlines = (ActivityInline, EscalationInline)

    def get_queryset(self, request):
        return with_sla(super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def save_model(self, request, obj, form, change):
        """Nothing to save: the form's services wrote the changes (and a plain save would undo theirs)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("SLA"), ordering="sla")
    def sla_state(self, obj):
        state = getattr(obj, "sla", None) or sla.sla_state(obj)  # annotated by get_queryset
        return SlaState(state).label


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    """Delivery state of every escalation e-mail (the in-app notification goes out with the row)."""

    list_display = (
        "complaint",
        "level",
        "cycle",
        "clock",
        "recipient",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    )
    list_filter = ("status", "level")
    list_select_related = ("complaint", "recipient")
    search_fields = ("complaint__number",)
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
