"""CSV export of clients with their primary contact, in the import's format so that an export re-imports."""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet

from clients.models import Client
from core.csv_safety import SafeWriter

from .importing import CSV_COLUMNS
from .importing.columns import EXPORT_COLUMNS
from .models import Contact

CHUNK_SIZE = 500
BOM = "\ufeff"  # without it Excel reads UTF-8 as the local code page and garbles ą, ž, Ж


class _Echo:
    """A file-like object whose write() hands the line back, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


def with_export_contact(queryset: QuerySet[Client]) -> QuerySet[Client]:
    """The clients with their primary contact (or the first one) in `export_contacts`: one query per chunk."""
    first_contact = Contact.objects.order_by("-is_primary", "pk")[:1]
    return queryset.prefetch_related(Prefetch("contacts", queryset=first_contact, to_attr="export_contacts"))


def client_row(client: Client) -> list:
    contact = client.export_contacts[0] if client.export_contacts else None
    manager = client.account_manager
    values = [
        client.name,
        client.registration_code,
        client.tier,
        client.status,
        client.industry,
        client.country.code or "",
        client.city,
        client.address,
        client.website,
        manager.email if manager else "",
        client.source,
        ", ".join(tag.name for tag in client.tags.all()),
        client.notes,
    ]
    if contact is None:
        values += [""] * 5
    else:
        phone = contact.phone.as_e164 if contact.phone else ""
        values += [contact.full_name, contact.position, contact.email, phone, contact.language]
    # the export-only columns (EXPORT_ONLY_COLUMNS): "" for a client never scored
    values += ["" if client.health_score is None else client.health_score, client.health_band]
    return values  # guarded against formulas when written (stream_csv)


def client_csv_rows(queryset: QuerySet[Client]) -> Iterator[list[str]]:
    """The header, then one row per client; `queryset` carries the list's visibility and filters."""
    yield list(EXPORT_COLUMNS)
    # iterator() keeps memory flat on large exports; with chunk_size the prefetches run per chunk.
    for client in with_export_contact(queryset).iterator(chunk_size=CHUNK_SIZE):
        yield client_row(client)


def template_rows() -> Iterator[list[str]]:
    """An empty import template: the header only."""
    yield list(CSV_COLUMNS)


def stream_csv(rows: Iterable[list]) -> Iterator[str]:
    """UTF-8 CSV text, line by line, starting with a byte order mark; no cell runs as a spreadsheet formula."""
    writer = SafeWriter(_Echo())
    yield BOM
    for row in rows:
        yield writer.writerow(row)
