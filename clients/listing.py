"""A registry of client sets that higher apps define, for the client list's filters.

The client list belongs to `clients`, but some ways of narrowing it are rules of higher
apps ("going cold" is an interactions rule). Lower apps must not import higher ones, so
each higher app registers its set here from its AppConfig.ready(), as with client-page
sections (clients.sections); the list offers a `?<key>=1` filter for it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass(frozen=True)
class ClientSet:
    key: str  # also the query parameter of the list's filter
    label: str  # a lazy translation: read when the page is drawn
    narrow: Callable[[QuerySet], QuerySet]  # (clients) -> the clients of the set among them


_client_sets: dict[str, ClientSet] = {}


def register_client_set(key: str, label: str, narrow: Callable[[QuerySet], QuerySet]) -> None:
    _client_sets[key] = ClientSet(key=key, label=label, narrow=narrow)


def get_client_set(key: str) -> ClientSet | None:
    return _client_sets.get(key)
