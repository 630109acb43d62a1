"""The rule builder's live preview: what a rule tree being edited would match, before it is saved."""

import datetime
from dataclasses import dataclass, field

from accounts.models import User
from clients.models import Client
from core.exceptions import ApplicationError

from .models import Segment
from .rules import validate_rules
from .rules.describe import describe_rules
from .selectors import list_segment_clients

PREVIEW_ROWS = 20


@dataclass(frozen=True)
class Preview:
    count: int | None = None  # None when the rules are not valid
    clients: list[Client] = field(default_factory=list)
    summary: str = ""
    error: str = ""  # the validator's message, naming the path of the bad node


def preview_rules(user: User, rules, *, now: datetime.datetime | None = None) -> Preview:
    """How many clients the (unsaved) rules match among those the user sees, and the first rows by name;
    or the validator's message. A constant number of queries: the id checks, the count and one page."""
    try:
        cleaned = validate_rules(rules)
    except ApplicationError as error:
        return Preview(error=error.message)
    members = list_segment_clients(user, Segment(rules=cleaned), now=now)
    # Two statements on purpose: COUNT(*) OVER () in the page's query would evaluate and sort every match before
    # the LIMIT, where the page alone walks the (name, id) index and stops at 20 (bench: 318 ms against ~200 ms).
    return Preview(count=members.count(), clients=list(members[:PREVIEW_ROWS]), summary=describe_rules(cleaned))
