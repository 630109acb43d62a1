import zoneinfo

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Language, User

# The zones people actually pick first, then the rest alphabetically.
_COMMON_ZONES = [
    "Europe/Vilnius",
    "Europe/Riga",
    "Europe/Tallinn",
    "Europe/Warsaw",
    "Europe/Berlin",
    "Europe/London",
    "Europe/Moscow",
    "Europe/Minsk",
    "Europe/Kyiv",
    "Asia/Almaty",
    "UTC",
]


def time_zone_choices():
    rest = sorted(z for z in zoneinfo.available_timezones() if z not in _COMMON_ZONES and "/" in z)
    return [(z, z.replace("_", " ")) for z in _COMMON_ZONES + rest]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["full_name", "language", "time_zone", "reminder_lead_minutes"]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    next = forms.CharField(required=False)


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail leaves through a Celery task after the commit."""

    def save(self, domain_override=None, use_https=False, request=None, **kwargs):
        domain = domain_override or (request.get_host() if request else "localhost")
        services.request_password_reset(
            email=self.cleaned_data["email"], domain=domain, protocol="https" if use_https else "http"
        )


class CodeForm(forms.Form):
    """The 6-digit code of an authenticator app: the sign-in's second step, and confirming a new key."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
