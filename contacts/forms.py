from django import forms

from .models import Contact


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = [
            "full_name",
            "position",
            "email",
            "phone",
            "preferred_channel",
            "language",
            "is_primary",
            "is_decision_maker",
            "survey_opt_out",
            "announcement_opt_out",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].widget.attrs["autofocus"] = True
        self.fields["phone"].widget.attrs["placeholder"] = "+370 612 34567"
