"""The import format: its columns, which are also the export's header, and their accepted codes."""

from accounts.models import Language
from clients.models import Industry, Source, Status, Tier

# The import format, which is also the export's header so that an export re-imports.
CLIENT_COLUMNS = (
    "name",
    "registration_code",
    "tier",
    "status",
    "industry",
    "country",
    "city",
    "address",
    "website",
    "account_manager_email",
    "source",
    "tags",
    "notes",
)
CONTACT_COLUMNS = ("contact_name", "contact_position", "contact_email", "contact_phone", "contact_language")
CSV_COLUMNS = CLIENT_COLUMNS + CONTACT_COLUMNS
# Computed figures the export adds after the import format's columns; an import accepts and skips them, so an
# export still re-imports (a health score is the health app's nightly computation, never typed in).
EXPORT_ONLY_COLUMNS = ("health_score", "health_band")
EXPORT_COLUMNS = CSV_COLUMNS + EXPORT_ONLY_COLUMNS
REQUIRED_COLUMNS = ("name",)

CONTACT_FIELD_BY_COLUMN = {
    "contact_name": "full_name",
    "contact_position": "position",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_language": "language",
}

COLUMN_BY_SERVICE_FIELD = {"account_manager": "account_manager_email"} | {
    name: column for column, name in CONTACT_FIELD_BY_COLUMN.items()
}


def column_codes() -> dict[str, str]:
    """The accepted codes of each coded column, for the page that explains the format."""
    choices = {"tier": Tier, "status": Status, "industry": Industry, "source": Source, "contact_language": Language}
    codes = {column: [code for code in enum.values if code != Status.CHURNED] for column, enum in choices.items()}
    return {column: ", ".join(values) for column, values in codes.items()}
