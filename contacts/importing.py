"""CSV import of clients with one contact each: check the whole file, then create all rows or none.

The import is two steps: `validate_client_csv` reports every problem and every duplicate
without writing; `import_clients_csv` validates the same text again (the confirm step must
not trust what the browser sent back) and creates the clients in one transaction.
"""

import csv
import io
from dataclasses import dataclass, field

import phonenumbers
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from phonenumber_field.formfields import PhoneNumberField

from accounts.models import Language, User
from accounts.selectors import list_assignable_managers
from clients.models import Client, Industry, Source, Status, Tier
from clients.selectors import clients_visible_to
from clients.services import create_client, parse_tags
from core.exceptions import ApplicationError

from .models import Contact
from .services import create_contact

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
REQUIRED_COLUMNS = ("name",)

# A spreadsheet runs a cell starting with one of these as a formula; the export prefixes such
# cells with a single quote and the import takes that quote off again.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

MAX_REPORTED_ERRORS = 200  # a file that is wrong everywhere should not make a page of 20,000 lines

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


def read_csv_upload(upload) -> str:
    """The text of an uploaded CSV file, or a ValidationError a person can act on."""
    limit = settings.CLIENT_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files up to %(limit)s can be imported. Split it into smaller files.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    data = upload.read(limit + 1)
    if not data.strip():
        raise ValidationError(_("The file is empty."))
    return decode_csv_bytes(data)


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 text with or without a byte order mark; anything else is refused, never guessed."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "The file is not UTF-8 text. In Excel choose “Save as” → “CSV UTF-8 (Comma delimited)”, "
                "then upload it again."
            )
        ) from None
    if "\x00" in text:
        raise ValidationError(_("This is not a CSV text file."))
    return text


def normalise_text(text: str) -> str:
    # The confirm step sends the text back through a form field, where browsers turn every
    # line break into CRLF; one form of line break makes both steps read the same rows.
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        error_messages={"empty": gettext_lazy("The file is empty.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> str:
        return read_csv_upload(self.cleaned_data["file"])


class CodeField(forms.ChoiceField):
    """A choice given by its code (`vip`), case-insensitively; the error lists the valid codes."""

    def __init__(self, *, choices, **kwargs):
        super().__init__(choices=choices, required=False, **kwargs)
        self.codes = [code for code, _label in choices]

    def to_python(self, value):
        return super().to_python(value).strip().lower()

    def validate(self, value):
        if value and value not in self.codes:
            raise ValidationError(
                gettext_lazy("“%(value)s” is not one of %(codes)s."),
                code="invalid_choice",
                params={"value": value, "codes": ", ".join(self.codes)},
            )


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class ClientRowForm(forms.Form):
    """One CSV row: the client's fields, its manager by e-mail and its first contact."""

    name = forms.CharField(max_length=_max_length(Client, "name"))
    registration_code = forms.CharField(max_length=_max_length(Client, "registration_code"), required=False)
    tier = CodeField(choices=Tier.choices)
    status = CodeField(choices=Status.choices)
    industry = CodeField(choices=Industry.choices)
    country = forms.CharField(required=False)
    city = forms.CharField(max_length=_max_length(Client, "city"), required=False)
    address = forms.CharField(max_length=_max_length(Client, "address"), required=False)
    website = forms.URLField(max_length=_max_length(Client, "website"), required=False, assume_scheme="https")
    account_manager_email = forms.EmailField(required=False)
    source = CodeField(choices=Source.choices)
    tags = forms.CharField(required=False)
    notes = forms.CharField(required=False)
    contact_name = forms.CharField(max_length=_max_length(Contact, "full_name"), required=False)
    contact_position = forms.CharField(max_length=_max_length(Contact, "position"), required=False)
    contact_email = forms.EmailField(required=False)
    contact_phone = forms.CharField(required=False)
    contact_language = CodeField(choices=Language.choices)

    def __init__(self, *args, user: User, managers: dict[str, User], **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.managers = managers  # assignable managers by lower-cased e-mail, fetched once per file

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Status.CHURNED:
            # A churn is a person's decision with a date and a reason, and it moves the churn rate.
            raise ValidationError(
                _("Churned clients cannot be imported. Import the client as inactive, then mark it churned.")
            )
        return status or Status.PROSPECT

    def clean_tier(self):
        return self.cleaned_data["tier"] or Tier.STANDARD

    def clean_country(self):
        value = self.cleaned_data["country"].strip()
        if not value:
            return ""
        code = countries.alpha2(value) or countries.by_name(value)  # LT, ltu, 440 or Lithuania
        if not code:
            raise ValidationError(_("“%(value)s” is not a country code (e.g. LT, LV, PL).") % {"value": value})
        return code

    def clean_account_manager_email(self):
        email = self.cleaned_data["account_manager_email"].lower()
        if self.user.is_manager:
            if email and email != self.user.email.lower():
                raise ValidationError(
                    _("You can import clients only for yourself: leave it empty or give your own e-mail.")
                )
            return self.user
        if not email:
            # An admin may leave a client unassigned; a lead's client with nobody would vanish
            # from the lead's own list, so it is the lead's.
            return None if self.user.is_admin else self.user
        manager = self.managers.get(email)
        if manager is None:
            raise ValidationError(_("“%(email)s” is not a manager you can assign clients to.") % {"email": email})
        return manager

    def clean_tags(self):
        return parse_tags(self.cleaned_data["tags"])

    def clean_contact_phone(self):
        raw = self.cleaned_data["contact_phone"].strip()
        # A national number belongs to the client's country, not to the default region.
        country = self.cleaned_data.get("country")
        region = country if country in phonenumbers.SUPPORTED_REGIONS else None
        return PhoneNumberField(region=region, required=False).clean(raw)

    def clean(self):
        data = super().clean()
        has_contact = any(data.get(column) for column in CONTACT_COLUMNS if column != "contact_language")
        if has_contact and not data.get("contact_name"):
            self.add_error("contact_name", _("Give the contact's name when other contact columns are filled."))
        return data

    def client_fields(self) -> dict:
        data = self.cleaned_data
        fields = {column: data[column] for column in CLIENT_COLUMNS if column != "account_manager_email"}
        fields["account_manager"] = data["account_manager_email"]
        return fields

    def contact_fields(self) -> dict | None:
        data = self.cleaned_data
        if not data["contact_name"]:
            return None
        fields = {CONTACT_FIELD_BY_COLUMN[column]: data[column] for column in CONTACT_COLUMNS}
        if not fields["language"]:
            del fields["language"]  # the model's default
        return fields


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


def _unescape(value: str) -> str:
    """Undo the export's formula guard: `'=x` back to `=x`, `'+370…` back to `+370…`."""
    value = value.strip()
    if value[:1] == "'" and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def _delimiter(header_line: str) -> str:
    # Excel in most European locales writes ";"; the header has no quoted commas, so counting works.
    return max((",", ";", "\t"), key=header_line.count)


def _read_header(report: ImportReport, header: list[str]) -> list[str] | None:
    columns = [column.strip().lower() for column in header]
    named = [column for column in columns if column]
    unknown = [column for column in named if column not in CSV_COLUMNS]
    if len(unknown) == len(named):  # no known column at all: data, another format, or nothing
        report.add_error(
            1,
            "",
            _("The first line must be the header with the column names: %(columns)s.")
            % {"columns": ", ".join(CSV_COLUMNS)},
        )
        return None
    for column in unknown:
        report.add_error(
            1, column, _("Unknown column. The columns are: %(columns)s.") % {"columns": ", ".join(CSV_COLUMNS)}
        )
    for column in sorted({c for c in columns if c and columns.count(c) > 1}):
        report.add_error(1, column, _("This column appears more than once."))
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            report.add_error(1, column, _("The required column is missing."))
    return None if report.error_count else columns


def _parse_rows(report: ImportReport, text: str):
    """Yield (line, {column: value}) for each non-blank data row, reporting malformed ones."""
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines, delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    try:
        columns = _read_header(report, next(reader, None) or [])
        if columns is None:
            return
        while True:
            line = reader.line_num + 1  # where the row starts; a quoted cell may span lines
            values = next(reader, None)
            if values is None:
                return
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
                report.add_error(
                    line,
                    "",
                    _("The line has %(found)s values but the header has %(expected)s columns.")
                    % {"found": len(values), "expected": len(columns)},
                )
                continue
            row = dict.fromkeys(CSV_COLUMNS, "")
            row.update({c: _unescape(v) for c, v in zip(columns, values, strict=False) if c})
            yield line, row
    except csv.Error as error:
        report.add_error(reader.line_num, "", _("The CSV is malformed: %(error)s.") % {"error": error})


class _Duplicates:
    """Finds rows already in the CRM or earlier in the file, by registration code or name + country."""

    def __init__(self, user: User, rows: list[dict]):
        codes = {row["registration_code"] for row in rows if row["registration_code"]}
        names = list({row["name"].lower() for row in rows})
        existing = list(Client.objects.filter(registration_code__in=codes).only("pk", "name", "registration_code"))
        self.by_code = {client.registration_code: client for client in existing}
        self.by_name: dict[tuple[str, str], Client] = {}
        # PostgreSQL lowers every letter; SQLite (development only) lowers ASCII letters only.
        for start in range(0, len(names), 500):
            batch = Client.objects.annotate(lower_name=Lower("name")).filter(lower_name__in=names[start : start + 500])
            for client in batch.only("pk", "name", "country"):
                existing.append(client)
                self.by_name.setdefault((client.name.lower(), client.country.code or ""), client)
        found = {client.pk for client in existing}
        self.visible = (
            set(clients_visible_to(user).filter(pk__in=found).values_list("pk", flat=True)) if found else set()
        )
        self.seen_codes: dict[str, tuple[int, str]] = {}
        self.seen_names: dict[tuple[str, str], tuple[int, str]] = {}

    def _existing(self, client: Client, reason: str) -> str:
        if client.pk in self.visible:
            return _("Duplicate of “%(name)s” (same %(reason)s).") % {"name": client.name, "reason": reason}
        # Another team's client: say that it exists (the code is unique anyway), not whose it is.
        return _("Duplicate of a client already in the CRM (same %(reason)s).") % {"reason": reason}

    def check(self, line: int, fields: dict) -> str | None:
        """Why this row is a duplicate, or None after remembering it for the rows below."""
        code, name_key = fields["registration_code"], (fields["name"].lower(), fields["country"] or "")
        if code and code in self.by_code:
            return self._existing(self.by_code[code], _("registration code"))
        if name_key in self.by_name:
            return self._existing(self.by_name[name_key], _("name and country"))
        earlier = (code and self.seen_codes.get(code)) or self.seen_names.get(name_key)
        if earlier:
            return _("Duplicate of line %(line)s (“%(name)s”).") % {"line": earlier[0], "name": earlier[1]}
        if code:
            self.seen_codes[code] = (line, fields["name"])
        self.seen_names[name_key] = (line, fields["name"])
        return None


def validate_client_csv(*, user: User, text: str) -> ImportReport:
    """Check every row of the CSV text as `user` would import it; nothing is written."""
    text = normalise_text(text)
    report = ImportReport(text=text)
    if len(text.encode()) > settings.CLIENT_IMPORT_MAX_BYTES:
        report.add_error(
            1, "", _("The file is larger than %(limit)s.") % {"limit": filesizeformat(settings.CLIENT_IMPORT_MAX_BYTES)}
        )
        return report
    if not text.strip():
        report.add_error(1, "", _("The file is empty."))
        return report
    if "\x00" in text:
        report.add_error(1, "", _("This is not a CSV text file."))
        return report

    managers = {m.email.lower(): m for m in list_assignable_managers(user)}
    valid: list[tuple[int, ClientRowForm]] = []
    for line, row in _parse_rows(report, text):
        form = ClientRowForm(row, user=user, managers=managers)
        if form.is_valid():
            valid.append((line, form))
            continue
        for column, errors in form.errors.items():
            for message in errors:
                report.add_error(line, "" if column == "__all__" else column, message)
    if not report.error_count and not valid:
        report.add_error(1, "", _("The file has a header but no clients."))

    duplicates = _Duplicates(user, [form.cleaned_data for _line, form in valid])
    for line, form in valid:
        fields = form.client_fields()
        reason = duplicates.check(line, fields)
        if reason:
            report.duplicates.append(DuplicateRow(line, fields["name"], reason))
        else:
            report.rows.append(ImportRow(line=line, client=fields, contact=form.contact_fields()))
    return report


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
