"""Words for people: how the rule builder and the rule summary name fields, operators and choice values."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from django_countries import countries

from accounts.models import Language
from clients.models import HealthBand, Industry, Status, Tier
from feedback.models import NpsCategory

from .fields import CHOICE, DATE, IDS, NUMBER, TEXT

# The field select's groups, in the order people think of a client: who it is, then what it did.
FIELD_GROUPS = (
    (_("Client"), ("tier", "status", "industry", "country", "city", "account_manager", "team", "tags", "created")),
    (_("Contacts"), ("contact_language",)),
    (_("Interactions"), ("days_since_last_interaction", "interactions_last_days")),
    (_("Orders"), ("orders_last_days", "revenue_last_days")),
    (_("Feedback"), ("last_nps_category", "latest_csat")),
    (_("Complaints"), ("open_complaints", "breached_complaints_last_days")),
    (_("Account health"), ("health_score", "health_band")),
)

# The operator select: short words that read after the field's name.
OPERATOR_LABELS = {
    CHOICE: {"in": _("is any of"), "not_in": _("is none of")},
    IDS: {"in": _("is any of"), "not_in": _("is none of")},
    TEXT: {"equals": _("is"), "contains": _("contains"), "starts_with": _("starts with")},
    NUMBER: {
        "eq": _("equals"),
        "ne": _("does not equal"),
        "gt": _("is more than"),
        "gte": _("is at least"),
        "lt": _("is less than"),
        "lte": _("is at most"),
        "between": _("is between"),
    },
    DATE: {
        "before": _("is before"),
        "after": _("is after"),
        "between": _("is between"),
        "in_last_days": _("is within the last"),
    },
}
# Tags are a set the client has: "Tags include any of wine, beer" rather than "Tags is any of".
FIELD_OPERATOR_LABELS = {"tags": {"in": _("include any of"), "not_in": _("include none of")}}

# Whole sentences of the summary, so each language can put the words in its own order.
SUMMARY = {
    "in": _("%(field)s is any of %(value)s"),
    "not_in": _("%(field)s is none of %(value)s"),
    "equals": _("%(field)s is “%(value)s”"),
    "contains": _("%(field)s contains “%(value)s”"),
    "starts_with": _("%(field)s starts with “%(value)s”"),
    "eq": _("%(field)s = %(value)s"),
    "ne": _("%(field)s ≠ %(value)s"),
    "gt": _("%(field)s > %(value)s"),
    "gte": _("%(field)s ≥ %(value)s"),
    "lt": _("%(field)s < %(value)s"),
    "lte": _("%(field)s ≤ %(value)s"),
    "between": _("%(field)s is between %(low)s and %(high)s"),
    "before": _("%(field)s is before %(value)s"),
    "after": _("%(field)s is after %(value)s"),
    "in_last_days": _("%(field)s is within the last %(value)s"),
}
FIELD_SUMMARY = {
    "tags": {"in": _("Tags include any of %(value)s"), "not_in": _("Tags include none of %(value)s")},
    "health_score": {
        "lt": _("Health score below %(value)s"),
        "gt": _("Health score above %(value)s"),
    },
    # The bands read as words inside the sentence (HEALTH_BAND_WORDS); "none of" says that unscored clients match.
    "health_band": {
        "in": _("Health is %(value)s"),
        "not_in": _("Health is not %(value)s, or not scored yet"),
    },
}
# A band as a word inside "Health is …", lower case where the language wants it.
HEALTH_BAND_WORDS = {
    HealthBand.HEALTHY: pgettext_lazy("health is …", "healthy"),
    HealthBand.WATCH: pgettext_lazy("health is …", "on watch"),
    HealthBand.AT_RISK: pgettext_lazy("health is …", "at risk"),
}


def operator_label(field: str, kind: str, operator: str) -> str:
    return str(FIELD_OPERATOR_LABELS.get(field, {}).get(operator) or OPERATOR_LABELS[kind][operator])


def window_label(field: str, days: int) -> str:
    """The name of a "last N days" field with its N filled in: "Orders in the last 90 days"."""
    texts = {
        "interactions_last_days": ngettext(
            "Interactions in the last %(days)d day", "Interactions in the last %(days)d days", days
        ),
        "orders_last_days": ngettext("Orders in the last %(days)d day", "Orders in the last %(days)d days", days),
        "revenue_last_days": ngettext(
            "Delivered revenue in the last %(days)d day", "Delivered revenue in the last %(days)d days", days
        ),
        "breached_complaints_last_days": ngettext(
            "Complaints with a breached SLA in the last %(days)d day",
            "Complaints with a breached SLA in the last %(days)d days",
            days,
        ),
    }
    return texts[field] % {"days": days}


def last_days_label(days: int) -> str:
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def choice_options(field: str) -> list[tuple[str, str]]:
    """(value, label) of a choice field's values in the active language; countries by name."""
    if field == "country":
        return [(code, str(name)) for code, name in countries]
    enums = {
        "tier": Tier,
        "status": Status,
        "industry": Industry,
        "contact_language": Language,
        "last_nps_category": NpsCategory,
        "health_band": HealthBand,
    }
    return [(value, str(label)) for value, label in enums[field].choices]
