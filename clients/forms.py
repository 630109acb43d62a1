from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import list_assignable_managers

from .models import Client
from .selectors import clients_visible_to
from .services import parse_tags


class ClientForm(forms.ModelForm):
    # "example.com" means https://example.com (Django 6's default, chosen now)
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    tags = forms.CharField(
        label=_("tags"),
        required=False,
        help_text=_("Separate tags with commas."),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. baltic, distributor")}),
    )

    class Meta:
        model = Client
        fields = [
            "name",
            "registration_code",
            "tier",
            "status",
            "churned_on",
            "churn_reason",
            "industry",
            "country",
            "city",
            "address",
            "website",
            "account_manager",
            "source",
            "referred_by",
            "discount_percent",
            "notes",
        ]
        widgets = {
            "churned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "churn_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autofocus"] = True
        if self.instance.pk:
            self.initial["tags"] = ", ".join(t.name for t in self.instance.tags.all())
        if user.is_manager:
            del self.fields["account_manager"]  # a manager's clients are their own
        else:
            self.fields["account_manager"].queryset = list_assignable_managers(user)
        referrers = clients_visible_to(user).only("pk", "name").order_by("name")
        if self.instance.pk:
            referrers = referrers.exclude(pk=self.instance.pk)
        self.fields["referred_by"].queryset = referrers

    def clean_registration_code(self):
        code = self.cleaned_data["registration_code"].strip()
        if code and Client.objects.filter(registration_code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another client already has this registration code."))
        return code

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])


class ReassignForm(forms.Form):
    manager = forms.ModelChoiceField(label=_("New account manager"), queryset=User.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = list_assignable_managers(user)


class HandoverForm(forms.Form):
    manager = forms.ModelChoiceField(
        label=_("New account manager"), queryset=User.objects.none(), empty_label=_("Choose a manager")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the clients move, or what the new manager should know. Both managers see it."),
    )
    # How many clients the page showed: a selection that changed meanwhile is shown again, not handed over.
    expected = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = list_assignable_managers(user).order_by("full_name", "pk")
