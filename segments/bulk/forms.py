"""Forms of the bulk actions; the rules (who may act, paired texts, an existing tag to remove) live in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from feedback.models import SurveyTemplate

from ..models import Announcement, AnnouncementKind
from .announcements import check_texts


class TagActionForm(forms.Form):
    operation = forms.ChoiceField(
        label=_("action"),
        choices=[("add", _("Add the tag")), ("remove", _("Remove the tag"))],
        widget=forms.RadioSelect,
        initial="add",
    )
    tag = forms.CharField(
        label=_("tag"),
        max_length=50,
        help_text=_("An existing tag, or a new name to create it (when adding)."),
        widget=forms.TextInput(attrs={"list": "tag-names", "autocomplete": "off"}),
    )


class SurveyActionForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("survey"),
        queryset=SurveyTemplate.objects.filter(is_active=True).order_by("name"),
        empty_label=None,
    )


def _text_field(name: str, *, required: bool = False, rows: int = 8):
    field = Announcement._meta.get_field(name)
    if name.startswith("subject"):
        return forms.CharField(label=field.verbose_name, max_length=field.max_length, required=required)
    return forms.CharField(
        label=field.verbose_name,
        max_length=field.max_length,
        required=required,
        strip=False,  # the service trims; the author's line breaks stay
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AnnouncementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=AnnouncementKind.choices, widget=forms.RadioSelect, initial=AnnouncementKind.UPDATE
    )
    subject_en = _text_field("subject_en", required=True)
    body_en = _text_field("body_en", required=True)
    subject_ru = _text_field("subject_ru")
    body_ru = _text_field("body_ru", rows=5)
    subject_lt = _text_field("subject_lt")
    body_lt = _text_field("body_lt", rows=5)

    def clean(self):
        # Every pairing or length problem at once (the service, which decides, stops at the first).
        data = super().clean()
        _cleaned, errors = check_texts({name: data.get(name, "") for name in self.fields if name != "kind"})
        for field, message in errors.items():
            if field not in self.errors:
                self.add_error(field, message)
        return data
