"""The catalogue of rule fields: what each one is, which operators it takes, which values it allows."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django_countries import countries

from accounts.models import Language, Team, User
from clients.models import HealthBand, Industry, Status, Tag, Tier
from feedback.models import NpsCategory

# Field kinds and the operators each kind takes.
CHOICE, TEXT, IDS, NUMBER, DATE = "choice", "text", "ids", "number", "date"
OPERATORS = {
    CHOICE: ("in", "not_in"),
    TEXT: ("equals", "contains", "starts_with"),
    IDS: ("in", "not_in"),
    NUMBER: ("eq", "ne", "gt", "gte", "lt", "lte", "between"),
    DATE: ("before", "after", "between", "in_last_days"),
}

MAX_DAYS = 3650  # the longest "last N days" window: ten years
MAX_COUNT = 1_000_000
MAX_AMOUNT = Decimal("1000000000000")  # revenue figures fit in Order.total's 14 digits
MAX_TEXT = 200


@dataclass(frozen=True)
class RuleField:
    kind: str
    label: str
    choices: object = None  # CHOICE: a callable returning the allowed values
    upper: bool = False  # CHOICE: values are upper-case codes; lower case is accepted and upper-cased
    model: type | None = None  # IDS: the model the ids point to
    window: bool = False  # needs "days": N (a "last N days" window)
    decimal: bool = False  # NUMBER: an amount (2 decimal places) rather than a whole number
    minimum: int = 0
    maximum: int = MAX_COUNT
    help: str = ""  # a line under the condition in the builder: what the field reads and how unscored rows match


def _country_codes() -> set[str]:
    return {country.code for country in countries}


FIELDS: dict[str, RuleField] = {
    "tier": RuleField(CHOICE, _("Tier"), choices=lambda: Tier.values),
    "status": RuleField(CHOICE, _("Status"), choices=lambda: Status.values),
    "industry": RuleField(CHOICE, _("Industry"), choices=lambda: Industry.values),
    "country": RuleField(CHOICE, _("Country"), choices=_country_codes, upper=True),
    "city": RuleField(TEXT, _("City")),
    "account_manager": RuleField(IDS, _("Account manager"), model=User),
    "team": RuleField(IDS, _("Team"), model=Team),
    "tags": RuleField(IDS, _("Tags"), model=Tag),
    "created": RuleField(DATE, _("Created")),
    "contact_language": RuleField(CHOICE, _("Contact language"), choices=lambda: Language.values),
    "days_since_last_interaction": RuleField(NUMBER, _("Days since the last interaction"), maximum=100 * 366),
    "interactions_last_days": RuleField(NUMBER, _("Interactions in the last N days"), window=True),
    "orders_last_days": RuleField(NUMBER, _("Orders in the last N days"), window=True),
    "revenue_last_days": RuleField(NUMBER, _("Delivered revenue in the last N days"), window=True, decimal=True),
    "last_nps_category": RuleField(CHOICE, _("Last NPS category"), choices=lambda: NpsCategory.values),
    "latest_csat": RuleField(NUMBER, _("Latest CSAT score"), minimum=1, maximum=5),
    "open_complaints": RuleField(NUMBER, _("Open complaints")),
    "breached_complaints_last_days": RuleField(
        NUMBER, _("Complaints with a breached SLA in the last N days"), window=True
    ),
    # The latest account health (health app), read from the client's row. Clients never scored have no score and
    # no band: they match no condition on the score, and "is none of" on the band (the complement of "is any of").
    "health_score": RuleField(
        NUMBER,
        _("Health score"),
        maximum=100,
        help=_("The latest account-health score, 0 to 100. Clients not scored yet match no condition on it."),
    ),
    "health_band": RuleField(
        CHOICE,
        _("Health band"),
        choices=lambda: HealthBand.values,
        help=_("The latest account-health band. “Is none of” also matches clients not scored yet."),
    ),
}
