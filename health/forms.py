"""The health settings form (admins): the eight weights and the two band thresholds."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .configuration import SETTINGS_FIELDS, thresholds_error
from .models import HealthConfig

# What each setting does, in the words of the settings page (docs/health.md has the formulas).
HELP_TEXTS = {
    "weight_contact_gap": _(
        "Days since the last completed interaction against the tier's contact cadence: nothing within the "
        "cadence, full weight at three times it."
    ),
    "weight_overdue_follow_ups": _("Open follow-ups past their due time: full weight at three or more."),
    "weight_complaints": _(
        "Open complaints, and complaints of the last 90 days that missed their SLA; a breach weighs more."
    ),
    "weight_nps": _(
        "The latest NPS answer of the last 12 months: a detractor (0-6) takes the full weight, a passive (7-8) "
        "part of it; a drop of 3 points or more adds to it."
    ),
    "weight_csat": _(
        "The latest CSAT answer of the last 6 months: 1 of 5 takes the full weight, 4 or 5 nothing; a drop of "
        "2 points or more adds to it."
    ),
    "weight_revenue_trend": _(
        "Delivered revenue of the last 90 days against an average 90 days of the 12 months before: full "
        "weight when it fell by three quarters or more."
    ),
    "weight_order_frequency": _(
        "Orders placed in the last 90 days against an average 90 days of the 12 months before: full weight "
        "when none came."
    ),
    "weight_survey_non_response": _(
        "Survey links of the last 6 months that expired unanswered, as a share of those answered or expired "
        "(from two surveys on)."
    ),
    "watch_below": _("A score below this is “watch”."),
    "at_risk_below": _(
        "A score below this is “at risk”: the manager gets a follow-up when a client enters it. At most “watch below”."
    ),
}


# Under the page's "Weights" heading a weight is named by its signal alone.
LABELS = {
    "weight_contact_gap": _("Contact gap"),
    "weight_overdue_follow_ups": _("Overdue follow-ups"),
    "weight_complaints": _("Complaints"),
    "weight_nps": _("NPS"),
    "weight_csat": _("CSAT"),
    "weight_revenue_trend": _("Revenue trend"),
    "weight_order_frequency": _("Order frequency"),
    "weight_survey_non_response": _("Unanswered surveys"),
}


class HealthConfigForm(forms.ModelForm):
    """Each value a whole number from 0 to 100 (the model's validators); "at risk below" at most "watch below"."""

    class Meta:
        model = HealthConfig
        fields = list(SETTINGS_FIELDS)
        help_texts = HELP_TEXTS
        labels = LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.update({"min": 0, "max": 100, "step": 1, "inputmode": "numeric"})

    def clean(self):
        data = super().clean()
        watch, at_risk = data.get("watch_below"), data.get("at_risk_below")
        if watch is not None and at_risk is not None:
            error = thresholds_error(watch_below=watch, at_risk_below=at_risk)
            if error:
                # on the field, which also leaves the model's own check of the pair out of validation
                self.add_error("at_risk_below", error)
        return data
