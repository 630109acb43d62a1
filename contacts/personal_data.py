"""A registry of the places that hold personal data about a contact, which higher apps fill.

A contact's export (everything the CRM holds about the person) and erasure span interactions, orders, complaints,
surveys and announcements, which `contacts` must not import. So each of those apps registers a source here from
its AppConfig.ready() (its registrations.py), as with client-page sections (clients.sections): `export` lists its
records about the contact as JSON-ready dicts, and `erase`, when the app keeps personal data of its own beyond the
link to the contact (a survey comment, a copied e-mail address), removes it inside the erasure's transaction.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Replace


@dataclass(frozen=True)
class Erasure:
    """What an eraser needs: the contact (still as it was: erasers run before its own row is anonymised), the
    label that takes the person's name ("Erased contact #12"), and every name and e-mail address the contact had
    (from its history), to find them in texts that quote them."""

    contact: Any
    label: str
    names: tuple[str, ...]
    emails: tuple[str, ...]


@dataclass(frozen=True)
class PersonalDataSource:
    key: str  # the export's key for these records ("interactions")
    export: Callable[[Any], list[dict]] | None = None  # (contact) -> records; None for a source with nothing to show
    erase: Callable[[Erasure], int] | None = None  # -> rows changed
    label: str = ""  # a lazy translation naming the records on the privacy page ("Interactions")
    order: int = 50


_sources: dict[str, PersonalDataSource] = {}


def register_personal_data_source(
    key: str,
    export: Callable[[Any], list[dict]] | None = None,
    *,
    erase: Callable[[Erasure], int] | None = None,
    label: str = "",
    order: int = 50,
) -> None:
    _sources[key] = PersonalDataSource(key=key, export=export, erase=erase, label=label, order=order)


def get_personal_data_sources() -> list[PersonalDataSource]:
    return sorted(_sources.values(), key=lambda source: (source.order, source.key))


def plain(value) -> Any:
    """A field's value as JSON carries it: times and days in ISO 8601, amounts as text, phone numbers in E.164."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "as_e164"):
        return value.as_e164 if value else ""
    return value


def record(obj: models.Model, *fields: str) -> dict:
    """The named fields of a row as a JSON-ready dict; a foreign key as its id (`client` → the client's id)."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = field.attname if isinstance(field, models.ForeignKey) else name
        result[name] = plain(getattr(obj, attname))
    return result


def replace_names(queryset: models.QuerySet, field: str, erasure: Erasure) -> int:
    """In `field` of these rows, every name the person had becomes the erasure's label (in the database, set-wise):
    "Detractor: NPS 3 from Jonas Jonaitis" → "Detractor: NPS 3 from Erased contact #12". Returns the rows changed."""
    changed = 0
    for name in erasure.names:
        changed += queryset.filter(**{f"{field}__contains": name}).update(
            **{field: Replace(F(field), Value(name), Value(erasure.label))}
        )
    return changed
