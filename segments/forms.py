"""The segment form's own fields; its rules are the builder's fields, read by segments.rules.form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Segment


class SegmentForm(forms.Form):
    # Plain fields: the service checks the name's uniqueness and the colour, with its own messages.
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(
        label=_("description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who these clients are and what the segment is for."),
    )
    colour = forms.CharField(
        label=_("colour"),
        max_length=7,
        initial=Segment._meta.get_field("colour").default,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    is_active = forms.BooleanField(
        label=_("active"),
        required=False,
        initial=True,
        help_text=_("Inactive segments are hidden from everyone but administrators and are not counted daily."),
    )

    @classmethod
    def for_segment(cls, segment: Segment) -> "SegmentForm":
        return cls(initial={field: getattr(segment, field) for field in cls.base_fields})
