from django import forms
from django.utils.translation import gettext_lazy as _

from clients.models import Client

from .models import SurveyTemplate


class SendSurveyForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("contact"), queryset=None)
    template = forms.ModelChoiceField(label=_("survey"), queryset=SurveyTemplate.objects.filter(is_active=True))

    def __init__(self, *args, client: Client, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = client.contacts.exclude(email="").filter(survey_opt_out=False)


class ActionForm(forms.Form):
    text = forms.CharField(label=_("what was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
