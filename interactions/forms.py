from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import list_assignable_managers
from contacts.models import Contact

from .models import FollowUp, Interaction, Kind, Outcome

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_LOCAL, **kwargs)


def local_datetime_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )


def follow_up_due_from_date(day) -> datetime:
    """A follow-up "on a day" is due at 09:00 in the user's zone (or in an hour, if that is already past)."""
    due = timezone.make_aware(datetime.combine(day, time(9, 0)))
    now = timezone.now()
    if due < now:
        due = (timezone.localtime(now) + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return due


class QuickLogForm(forms.Form):
    """A call (or another kind) with a note and an optional follow-up day, logged in a few keystrokes."""

    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices, initial=Kind.CALL)
    notes = forms.CharField(
        label=_("note"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={"rows": 2, "placeholder": _("What happened? Enter saves, Shift+Enter for a new line")}
        ),
    )
    follow_up_on = forms.DateField(
        label=_("follow up on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_follow_up_on(self):
        day = self.cleaned_data["follow_up_on"]
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later day."))
        return day


class InteractionForm(forms.ModelForm):
    occurred_at = local_datetime_field(_("when"))
    contacts = forms.ModelMultipleChoiceField(
        label=_("contacts"), queryset=Contact.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    follow_up_on = forms.DateField(
        label=_("follow up on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    follow_up_title = forms.CharField(label=_("follow-up title"), max_length=200, required=False)

    class Meta:
        model = Interaction
        fields = [
            "kind",
            "direction",
            "status",
            "occurred_at",
            "duration_minutes",
            "subject",
            "notes",
            "outcome",
            "contacts",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.filter(client=client).order_by("-is_primary", "full_name")
        if not self.instance.pk:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))
        else:
            del self.fields["follow_up_on"]
            del self.fields["follow_up_title"]
        self.fields["notes"].widget.attrs["autofocus"] = True


class CompleteMeetingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=[("", "—"), *Outcome.choices], required=False)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class FollowUpForm(forms.ModelForm):
    due_at = local_datetime_field(_("due"))

    class Meta:
        model = FollowUp
        fields = ["title", "due_at", "assignee"]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["autofocus"] = True
        if user.is_manager:
            del self.fields["assignee"]  # a manager's follow-ups are their own
        else:
            self.fields["assignee"].queryset = list_assignable_managers(user)
            self.fields["assignee"].required = False
            self.initial.setdefault("assignee", user.pk)
        if not self.instance.pk:
            tomorrow = timezone.localdate() + timedelta(days=1)
            self.initial.setdefault("due_at", timezone.make_aware(datetime.combine(tomorrow, time(9, 0))))


class RescheduleForm(forms.Form):
    due_at = local_datetime_field(_("new due time"))

    def clean_due_at(self):
        due = self.cleaned_data["due_at"]
        if due < timezone.now() - timedelta(minutes=5):
            raise forms.ValidationError(_("Choose a time in the future."))
        return due
