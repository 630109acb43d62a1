"""CSV import of clients with one contact each: check the whole file, then create all rows or none.

The import is two steps: `validate_client_csv` reports every problem and every duplicate
without writing; `import_clients_csv` validates the same text again (the confirm step must
not trust what the browser sent back) and creates the clients in one transaction.

The package is split by step: `columns` (the format), `parsing` (upload, decoding, delimiter,
header), `rows` (row form, duplicates, the check), `report` (what a check found). The write
stays here, so that it goes through `contacts.importing.create_client`/`create_contact`.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from clients.services import create_client
from core.csv_safety import FORMULA_PREFIXES
from core.exceptions import ApplicationError

from ..services import create_contact
from .columns import COLUMN_BY_SERVICE_FIELD, CSV_COLUMNS, column_codes
from .parsing import CsvUploadForm, decode_csv_bytes, read_csv_upload
from .report import ImportReport, ImportResult
from .rows import validate_client_csv

__all__ = (
    "CSV_COLUMNS",
    "FORMULA_PREFIXES",
    "ApplicationError",
    "CsvUploadForm",
    "ImportReport",
    "ImportResult",
    "column_codes",
    "create_client",
    "create_contact",
    "decode_csv_bytes",
    "import_clients_csv",
    "read_csv_upload",
    "validate_client_csv",
)


class _RowFailed(Exception):
    def __init__(self, line: int, error: ApplicationError):
        self.line, self.error = line, error


def import_clients_csv(*, actor: User, text: str) -> ImportResult:
    """Validate the text again and create every non-duplicate client with its contact, all or none."""
    report = validate_client_csv(user=actor, text=text)
    result = ImportResult(report=report)
    if not report.can_import:
        return result
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    client = create_client(actor=actor, **row.client)
                    if row.contact:
                        create_contact(actor=actor, client=client, **row.contact)
                except ApplicationError as error:
                    raise _RowFailed(row.line, error) from error
                result.created.append(client)
    except _RowFailed as failed:
        # The services' rules are checked again here (a code may have been taken since the check).
        column = COLUMN_BY_SERVICE_FIELD.get(failed.error.field, failed.error.field or "")
        report.add_error(failed.line, column, failed.error.message)
        result.created = []
    except IntegrityError:
        report.add_error(1, "", _("Clients changed while importing. Check the file again."))
        result.created = []
    return result
