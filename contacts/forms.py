from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Contact
from .services import CONTACT_FIELDS


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autofocus"] = True
        self.fields["phone"].widget.attrs["placeholder"] = "+370 612 34567"


class ErasureForm(forms.Form):
    """Erasing is irreversible: the admin types the contact's name, so that a slip of the mouse cannot do it."""

    confirm_name = forms.CharField(label=_("Type the contact's full name to confirm"), max_length=200)

    def __init__(self, *args, contact: Contact, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact = contact
        self.fields["confirm_name"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean_confirm_name(self):
        typed = self.cleaned_data["confirm_name"]
        if " ".join(typed.split()).casefold() != " ".join(self.contact.full_name.split()).casefold():
            raise forms.ValidationError(
                _("Type the name exactly as it is shown: %(name)s"), params={"name": self.contact.full_name}
            )
        return typed
