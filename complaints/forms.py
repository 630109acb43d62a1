"""Complaint forms: registering, details, status changes, the thread's note and reply, owner and severity."""

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import list_assignable_managers
from clients.models import Client
from interactions.models import Kind
from orders.models import Order

from .models import Complaint, Severity
from .selectors import list_categories, list_root_causes

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ComplaintForm(forms.ModelForm):
    """Registering a complaint (with owner and received time) or correcting its details."""

    received_at = forms.DateTimeField(
        label=_("received at"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("When the client complained; leave empty for now. The SLA clocks start here."),
    )
    owner = forms.ModelChoiceField(label=_("owner"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Complaint
        fields = ["subject", "category", "severity", "channel", "contact", "order", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, client: Client, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].widget.attrs.update({"autofocus": True, "maxlength": 200})
        self.fields["category"].queryset = list_categories()
        self.fields["contact"].queryset = client.contacts.order_by("full_name")
        self.fields["contact"].empty_label = _("No contact")
        self.fields["order"].queryset = Order.objects.filter(client=client).order_by("-created_at")
        self.fields["order"].empty_label = _("No order")
        if self.instance.pk:  # editing details: owner, severity and the received time have their own steps
            for name in ("received_at", "owner", "severity"):
                del self.fields[name]
        elif user.is_manager:
            del self.fields["owner"]  # the client's manager owns it
        else:
            self.fields["owner"].queryset = list_assignable_managers(user)
            self.fields["owner"].empty_label = _("The client's account manager")

    def clean_received_at(self):
        value = self.cleaned_data.get("received_at")
        if value and value > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(_("A complaint cannot be received in the future."))
        return value


class TransitionForm(forms.Form):
    status = forms.CharField()
    resolution = forms.CharField(label=_("resolution"), required=False, max_length=5000, widget=forms.Textarea)
    root_cause = forms.ModelChoiceField(label=_("root cause"), queryset=list_root_causes(), required=False)
    note = forms.CharField(required=False, max_length=2000)


class NoteForm(forms.Form):
    body = forms.CharField(label=_("internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("replied by"),
        choices=[
            (Kind.EMAIL, Kind.EMAIL.label),
            (Kind.CALL, Kind.CALL.label),
            (Kind.CHAT, Kind.CHAT.label),
            (Kind.MEETING, Kind.MEETING.label),
        ],
        initial=Kind.EMAIL,
    )
    body = forms.CharField(label=_("reply to the client"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(label=_("severity"), choices=Severity.choices)


class ReassignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("new owner"), queryset=User.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = list_assignable_managers(user)
