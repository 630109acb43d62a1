"""Reading the CSV: the upload's size and encoding, the delimiter, the header, and the data rows."""

import csv
import io

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.csv_safety import FORMULA_PREFIXES

from .columns import CSV_COLUMNS, EXPORT_ONLY_COLUMNS, REQUIRED_COLUMNS
from .report import ImportReport


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
    """The text without a byte order mark and with every line break as a bare newline."""
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
    unknown = [column for column in named if column not in CSV_COLUMNS and column not in EXPORT_ONLY_COLUMNS]
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


def parse_rows(report: ImportReport, text: str):
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
            row.update({c: _unescape(v) for c, v in zip(columns, values, strict=False) if c in row})
            yield line, row
    except csv.Error as error:
        report.add_error(reader.line_num, "", _("The CSV is malformed: %(error)s.") % {"error": error})
