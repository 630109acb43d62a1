"""What a check of the CSV found (rows to create, errors, duplicates) and what an import created."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from clients.models import Client, Status, Tier

MAX_REPORTED_ERRORS = 200  # a file that is wrong everywhere should not make a page of 20,000 lines


@dataclass
class RowIssue:
    """A problem that blocks the import; `column` is empty when it concerns the whole line or file."""

    line: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("Line %(line)s, %(column)s: %(message)s") % vars(self)
        return _("Line %(line)s: %(message)s") % vars(self)


@dataclass
class DuplicateRow:
    """A valid row that will be skipped because the client exists already."""

    line: int
    name: str
    message: str

    def __str__(self):
        return _("Line %(line)s, “%(name)s”: %(message)s") % vars(self)


@dataclass
class ImportRow:
    line: int
    client: dict
    contact: dict | None

    @property
    def tier_label(self) -> str:
        return Tier(self.client["tier"]).label

    @property
    def status_label(self) -> str:
        return Status(self.client["status"]).label


@dataclass
class ImportReport:
    text: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowIssue] = field(default_factory=list)
    duplicates: list[DuplicateRow] = field(default_factory=list)
    error_count: int = 0  # errors beyond MAX_REPORTED_ERRORS are counted, not listed

    @property
    def can_import(self) -> bool:
        return not self.error_count and bool(self.rows)

    def add_error(self, line: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowIssue(line, column, str(message)))

    @property
    def hidden_error_count(self) -> int:
        return self.error_count - len(self.errors)


@dataclass
class ImportResult:
    report: ImportReport
    created: list[Client] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.report.duplicates)
