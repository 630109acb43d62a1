import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from clients.models import Client, Tier
from contacts.importing import CSV_COLUMNS, import_clients_csv, validate_client_csv
from contacts.models import Contact
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.contacts import ContactFactory

EXPORT_URL = reverse("contacts:client_export")
IMPORT_URL = reverse("contacts:client_import")
HEADER = ",".join(CSV_COLUMNS)
EXPORT_HEADER = HEADER + ",health_score,health_band"  # computed columns the import skips


def export(http, query=""):
    response = http.get(f"{EXPORT_URL}?{query}")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8")


def parse(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def csv_text(*rows, header=CSV_COLUMNS):
    """CSV text from dicts keyed by column; missing columns are empty."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def upload(http, content, name="clients.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return http.post(IMPORT_URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def page_text(response):
    return response.content.decode()


# --- Export -------------------------------------------------------------------


def test_export_contains_only_the_clients_the_user_sees(org, as_user):
    rows = parse(export(as_user(org.manager)))
    assert [row["name"] for row in rows] == ["Own Client UAB", "Teammate Client UAB"]


def test_export_applies_the_list_filters(org, as_user):
    ClientFactory(name="Vip Client UAB", tier=Tier.VIP, account_manager=org.manager)
    rows = parse(export(as_user(org.manager), "tier=vip&sort=name"))
    assert [row["name"] for row in rows] == ["Vip Client UAB"]


def test_export_cannot_reach_another_teams_client(org, as_user):
    http = as_user(org.manager)
    assert parse(export(http, "q=Foreign")) == []
    # Filtering by a manager of another team is not a valid choice, so the filter is ignored.
    names = [row["name"] for row in parse(export(http, f"manager={org.outsider.pk}"))]
    assert "Foreign Client OOO" not in names


def test_export_writes_codes_contact_tags_and_a_dated_attachment(org, as_user):
    client = ClientFactory(
        name="Ąžuolas UAB",
        registration_code="301234567",
        tier=Tier.KEY,
        industry="logistics",
        source="cold_call",
        website="https://azuolas.example",
        account_manager=org.manager,
        notes="Line one\nline two",
    )
    client.tags.set([TagFactory(name="baltic"), TagFactory(name="distributor")])
    ContactFactory(client=client, full_name="Other Person", is_primary=False)
    ContactFactory(
        client=client,
        full_name="Jonas Jonaitis",
        email="jonas@azuolas.example",
        phone="+37061234567",
        language="lt",
        is_primary=True,
    )

    response = as_user(org.manager).get(f"{EXPORT_URL}?q=Ąžuolas")
    body = b"".join(response.streaming_content)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="clients-{timezone.localdate():%Y-%m-%d}.csv"'
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.decode("utf-8-sig").splitlines()[0] == EXPORT_HEADER
    assert parse(body.decode("utf-8")) == [
        {
            "name": "Ąžuolas UAB",
            "registration_code": "301234567",
            "tier": "key",
            "status": "active",
            "industry": "logistics",
            "country": "LT",
            "city": "Vilnius",
            "address": "",
            "website": "https://azuolas.example",
            "account_manager_email": org.manager.email,
            "source": "cold_call",
            "tags": "baltic, distributor",
            "notes": "Line one\nline two",
            "contact_name": "Jonas Jonaitis",
            "contact_position": "Buyer",
            "contact_email": "jonas@azuolas.example",
            "contact_phone": "'+37061234567",
            "contact_language": "lt",
            "health_score": "",
            "health_band": "",
        }
    ]


def test_export_neutralises_spreadsheet_formulas(org, as_user):
    ClientFactory(
        name='=HYPERLINK("http://evil.example")',
        city="+cmd",
        address="-2+3",
        notes="@SUM(A1)",
        registration_code="\tTAB",
        account_manager=org.manager,
    )
    rows = parse(export(as_user(org.manager), "q=HYPERLINK"))
    assert len(rows) == 1
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil.example")'
    assert rows[0]["city"] == "'+cmd"
    assert rows[0]["address"] == "'-2+3"
    assert rows[0]["notes"] == "'@SUM(A1)"
    assert rows[0]["registration_code"] == "'\tTAB"


@pytest.mark.parametrize("count", [5, 50])
def test_export_query_count_does_not_grow_with_clients(org, as_user, django_assert_max_num_queries, count):
    for client in ClientFactory.create_batch(count, account_manager=org.manager):
        ContactFactory(client=client)
        client.tags.set([TagFactory(name="baltic")])
    http = as_user(org.manager)
    with django_assert_max_num_queries(7):  # session, user, the audit event (count, insert), clients, tags, contacts
        rows = parse(export(http))
    assert len(rows) == count + 2
    assert all(row["contact_name"] for row in rows if row["name"].startswith("Client "))


def test_template_download_is_the_header_only(org, as_user):
    response = as_user(org.manager).get(f"{EXPORT_URL}?template=1")
    assert response["Content-Disposition"] == 'attachment; filename="clients-template.csv"'
    assert b"".join(response.streaming_content).decode("utf-8-sig") == HEADER + "\r\n"


def test_export_needs_sign_in(client):
    response = client.get(EXPORT_URL)
    assert response.status_code == 302


# --- Import: validation -----------------------------------------------------


def test_import_page_shows_the_upload_form(org, as_user):
    response = as_user(org.manager).get(IMPORT_URL)
    assert response.status_code == 200
    assert "Import clients" in page_text(response)
    assert f"{EXPORT_URL}?template=1" in page_text(response)


def test_valid_file_shows_a_preview_and_writes_nothing(org, as_user):
    text = csv_text({"name": "Alpha UAB", "country": "LT"}, {"name": "Beta SIA", "country": "LV"})
    response = upload(as_user(org.manager), text)
    assert response.status_code == 200
    assert "Import 2 clients" in page_text(response)
    assert 'name="csv_text"' in page_text(response)
    assert not Client.objects.filter(name__in=["Alpha UAB", "Beta SIA"]).exists()


def test_one_bad_row_blocks_the_import_and_names_the_line_and_column(org, as_user):
    text = csv_text(
        {"name": "Alpha UAB"},
        {"name": "Beta UAB", "tier": "gold"},
        {"name": "Gamma UAB", "contact_name": "Ona", "contact_email": "not-an-email"},
    )
    report = validate_client_csv(user=org.manager, text=text)
    assert [str(error) for error in report.errors] == [
        "Line 3, tier: “gold” is not one of standard, key, vip.",
        "Line 4, contact_email: Enter a valid email address.",
    ]
    assert report.can_import is False

    response = upload(as_user(org.manager), text)
    assert "“gold” is not one of standard, key, vip." in page_text(response)
    assert 'name="csv_text"' not in page_text(response)
    result = import_clients_csv(actor=org.manager, text=text)
    assert result.created == []
    assert Client.objects.count() == 3


def test_row_errors_cover_country_phone_manager_and_contact_name(org):
    text = csv_text(
        {"name": "A UAB", "country": "Atlantis"},
        {"name": "B UAB", "country": "LV", "contact_name": "Ieva", "contact_phone": "12"},
        {"name": "C UAB", "contact_email": "x@c.example"},
        {"name": "D UAB", "status": "churned"},
        {"name": "", "city": "Kaunas"},
        {"name": "E UAB", "account_manager_email": org.outsider.email},
    )
    report = validate_client_csv(user=org.lead, text=text)
    assert [(error.line, error.column) for error in report.errors] == [
        (2, "country"),
        (3, "contact_phone"),
        (4, "contact_name"),
        (5, "status"),
        (6, "name"),
        (7, "account_manager_email"),
    ]


def test_semicolon_file_with_bom_is_accepted(org, as_user):
    text = "\ufeff" + "name;country;tier\nAlpha UAB;LT;vip\nBeta SIA;Latvia;KEY\n"
    report = validate_client_csv(user=org.manager, text=text)
    assert report.errors == []
    assert [(row.client["name"], row.client["country"], row.client["tier"]) for row in report.rows] == [
        ("Alpha UAB", "LT", "vip"),
        ("Beta SIA", "LV", "key"),
    ]
    response = upload(as_user(org.manager), text.encode("utf-8"))
    assert "Import 2 clients" in page_text(response)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "The file is not UTF-8 text."),
        ("name,country\nŽalgiris,LT\n".encode("cp1257"), "The file is not UTF-8 text."),
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (b"company,phone\nAlpha,+370\n", "The first line must be the header with the column names"),
        (b"name,tier,colour\nAlpha,vip,red\n", "Unknown column."),
        (b"tier,city\nvip,Vilnius\n", "The required column is missing."),
        (HEADER.encode() + b"\n", "The file has a header but no clients."),
        (b"name\nAlpha\x00UAB\n", "This is not a CSV text file."),
        (b'name,city\n"Alpha,Vilnius\n', "The CSV is malformed"),
    ],
)
def test_malformed_files_get_a_clear_message_and_nothing_is_created(org, as_user, content, message):
    response = upload(as_user(org.manager), content)
    assert response.status_code == 200
    assert message in page_text(response)
    assert 'name="csv_text"' not in page_text(response)
    assert Client.objects.count() == 3


def test_oversized_file_is_refused_before_reading(org, as_user, settings):
    settings.CLIENT_IMPORT_MAX_BYTES = 100
    content = csv_text(*[{"name": f"Client {n} UAB"} for n in range(20)])
    response = upload(as_user(org.manager), content)
    assert "files up to 100" in page_text(response)
    assert Client.objects.count() == 3
    assert (
        validate_client_csv(user=org.manager, text=content).errors[0].message == "The file is larger than 100\xa0bytes."
    )


def test_line_numbers_count_physical_lines_of_multiline_cells(org):
    text = csv_text({"name": "Alpha UAB", "notes": "one\ntwo\nthree"}, {"name": "Beta UAB", "tier": "gold"})
    report = validate_client_csv(user=org.manager, text=text)
    assert [(error.line, error.column) for error in report.errors] == [(5, "tier")]


# --- Import: duplicates ---------------------------------------------------------


def test_duplicates_are_reported_and_skipped(org, as_user):
    ClientFactory(name="Existing UAB", registration_code="111", country="LT", account_manager=org.manager)
    text = csv_text(
        {"name": "Renamed UAB", "registration_code": "111"},
        {"name": "existing uab", "country": "lt"},
        {"name": "New UAB", "registration_code": "222", "country": "LT"},
        {"name": "New UAB again", "registration_code": "222"},
        {"name": "NEW UAB", "country": "LT"},
        {"name": "Existing UAB", "country": "LV"},
    )
    report = validate_client_csv(user=org.manager, text=text)
    assert report.errors == []
    assert [str(d) for d in report.duplicates] == [
        "Line 2, “Renamed UAB”: Duplicate of “Existing UAB” (same registration code).",
        "Line 3, “existing uab”: Duplicate of “Existing UAB” (same name and country).",
        "Line 5, “New UAB again”: Duplicate of line 4 (“New UAB”).",
        "Line 6, “NEW UAB”: Duplicate of line 4 (“New UAB”).",
    ]
    assert [row.client["name"] for row in report.rows] == ["New UAB", "Existing UAB"]

    response = as_user(org.manager).post(IMPORT_URL, {"csv_text": report.text}, follow=True)
    assert "2 clients imported, 4 duplicates skipped." in page_text(response)
    assert Client.objects.filter(name__iexact="new uab").count() == 1
    assert Client.objects.filter(registration_code="111").get().name == "Existing UAB"


def test_duplicate_of_another_teams_client_does_not_reveal_its_name(org):
    org.foreign_client.registration_code = "999"
    org.foreign_client.save()
    report = validate_client_csv(user=org.manager, text=csv_text({"name": "Mine UAB", "registration_code": "999"}))
    assert [d.message for d in report.duplicates] == [
        "Duplicate of a client already in the CRM (same registration code)."
    ]


# --- Import: writing ------------------------------------------------------------


def test_import_creates_clients_contacts_tags_and_managers(org, as_user):
    text = csv_text(
        {
            "name": "Alpha UAB",
            "registration_code": "300000001",
            "tier": "vip",
            "status": "active",
            "industry": "retail",
            "country": "LT",
            "city": "Vilnius",
            "website": "alpha.example",
            "account_manager_email": org.teammate.email.upper(),
            "source": "event",
            "tags": "baltic, Distributor, baltic",
            "notes": "Met at the fair",
            "contact_name": "Ona Onaitė",
            "contact_position": "CEO",
            "contact_email": "ona@alpha.example",
            "contact_phone": "8 612 34567",
            "contact_language": "lt",
        },
        {"name": "Beta SIA", "country": "LV", "contact_name": "Ieva", "contact_phone": "2612 3456"},
        {"name": "Gamma OÜ"},
    )
    http = as_user(org.lead)
    response = http.post(IMPORT_URL, {"csv_text": text})
    assert response.status_code == 302
    assert response["Location"] == reverse("clients:list")

    alpha = Client.objects.get(name="Alpha UAB")
    assert (alpha.tier, alpha.status, alpha.industry, alpha.source, alpha.country.code) == (
        "vip",
        "active",
        "retail",
        "event",
        "LT",
    )
    assert alpha.website == "https://alpha.example"
    assert alpha.account_manager == org.teammate
    assert alpha.created_by == org.lead
    assert sorted(alpha.tags.values_list("name", flat=True)) == ["Distributor", "baltic"]
    contact = alpha.contacts.get()
    assert (contact.full_name, contact.position, contact.email, contact.phone.as_e164, contact.language) == (
        "Ona Onaitė",
        "CEO",
        "ona@alpha.example",
        "+37061234567",
        "lt",
    )
    assert contact.is_primary is True
    beta = Client.objects.get(name="Beta SIA")
    assert beta.contacts.get().phone.as_e164 == "+37126123456"  # national number read as Latvian
    assert beta.account_manager == org.lead  # empty manager: the importing lead
    gamma = Client.objects.get(name="Gamma OÜ")
    assert (gamma.tier, gamma.status, gamma.contacts.count()) == ("standard", "prospect", 0)

    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["3 clients imported, 0 duplicates skipped."]


def test_manager_imports_clients_for_themselves(org, as_user):
    text = csv_text({"name": "Alpha UAB"}, {"name": "Beta UAB", "account_manager_email": org.manager.email})
    result = import_clients_csv(actor=org.manager, text=text)
    assert [c.account_manager for c in result.created] == [org.manager, org.manager]


def test_manager_cannot_import_for_another_manager(org, as_user):
    text = csv_text({"name": "Alpha UAB"}, {"name": "Beta UAB", "account_manager_email": org.teammate.email})
    report = validate_client_csv(user=org.manager, text=text)
    assert [(e.line, e.column) for e in report.errors] == [(3, "account_manager_email")]
    assert "only for yourself" in report.errors[0].message

    response = as_user(org.manager).post(IMPORT_URL, {"csv_text": text})
    assert response.status_code == 200
    assert not Client.objects.filter(name__in=["Alpha UAB", "Beta UAB"]).exists()


def test_confirm_step_validates_the_posted_text_again(org, as_user):
    good = csv_text({"name": "Alpha UAB"})
    assert validate_client_csv(user=org.manager, text=good).can_import
    tampered = csv_text({"name": "Alpha UAB"}, {"name": "Beta UAB", "tier": "platinum"})

    response = as_user(org.manager).post(IMPORT_URL, {"csv_text": tampered})

    assert response.status_code == 200
    assert "“platinum” is not one of standard, key, vip." in page_text(response)
    assert Client.objects.count() == 3
    assert Contact.objects.count() == 0


def test_confirm_with_crlf_line_breaks_reads_the_same_rows(org, as_user):
    text = csv_text({"name": "Alpha UAB", "notes": "one\ntwo"}).replace("\n", "\r\n")
    response = as_user(org.manager).post(IMPORT_URL, {"csv_text": text})
    assert response.status_code == 302
    assert Client.objects.get(name="Alpha UAB").notes == "one\ntwo"


def test_a_service_rule_broken_at_write_time_rolls_back_every_row(org, monkeypatch):
    from contacts import importing

    text = csv_text({"name": "Alpha UAB", "contact_name": "Ona"}, {"name": "Beta UAB", "contact_name": "Ieva"})
    real = importing.create_contact
    calls = []

    def failing_create_contact(**kwargs):
        calls.append(kwargs["full_name"])
        if kwargs["full_name"] == "Ieva":
            raise importing.ApplicationError("Nope.", field="email")
        return real(**kwargs)

    monkeypatch.setattr(importing, "create_contact", failing_create_contact)
    result = import_clients_csv(actor=org.manager, text=text)

    assert calls == ["Ona", "Ieva"]
    assert result.created == []
    assert [str(e) for e in result.report.errors] == ["Line 3, contact_email: Nope."]
    assert not Client.objects.filter(name__in=["Alpha UAB", "Beta UAB"]).exists()
    assert Contact.objects.count() == 0


# --- Round trip -------------------------------------------------------------------


def test_an_export_imports_back_into_an_empty_database(org, as_user):
    client = ClientFactory(
        name="=Ąžuolas UAB",
        tier=Tier.VIP,
        industry="retail",
        source="referral",
        website="https://azuolas.example",
        account_manager=org.teammate,
        notes="Multi\nline; with, separators",
    )
    client.tags.set([TagFactory(name="baltic")])
    ContactFactory(client=client, full_name="Jonas", phone="+37061234567", language="lt")
    ContactFactory(client=org.client, full_name="Ona", email="ona@own.example", phone="+37126123456")
    http = as_user(org.lead)
    exported = export(http)
    assert exported.lstrip("\ufeff").splitlines()[0] == EXPORT_HEADER

    Client.objects.all().delete()
    report = validate_client_csv(user=org.lead, text=exported)
    assert report.errors == []
    assert report.duplicates == []
    result = import_clients_csv(actor=org.lead, text=exported)
    assert len(result.created) == 3

    assert export(http) == exported
