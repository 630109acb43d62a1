"""Registries of client sets and groups that higher apps define, for the client list's filters.

The client list belongs to `clients`, but some ways of narrowing it are rules of higher
apps ("going cold" is an interactions rule, a segment is a segments one). Lower apps must not
import higher ones, so each higher app registers here from its AppConfig.ready(), as with
client-page sections (clients.sections): a set gets a `?<key>=1` filter, a kind of groups
chosen by id (segments) a `?<key>=<id>` filter drawn as a select.
"""

from collections.abc import Callable, Iterable
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


@dataclass(frozen=True)
class ClientGroups:
    """Named groups of clients a higher app keeps by id (segments): the list offers a `?<key>=<id>` filter."""

    key: str  # also the query parameter of the list's filter
    label: str  # lazy translations, read when the page is drawn
    empty_label: str
    list_groups: Callable[[], Iterable]  # () -> the groups to offer, each with a pk and a str()
    # (clients, id) -> the group's members among the clients, by filtering only (no joins repeating a client);
    # none of them for an id that names no group on offer
    narrow: Callable[[QuerySet, int], QuerySet]


_client_groups: dict[str, ClientGroups] = {}


def register_client_groups(
    key: str,
    *,
    label: str,
    empty_label: str,
    list_groups: Callable[[], Iterable],
    narrow: Callable[[QuerySet, int], QuerySet],
) -> None:
    _client_groups[key] = ClientGroups(
        key=key, label=label, empty_label=empty_label, list_groups=list_groups, narrow=narrow
    )


def get_client_groups(key: str) -> ClientGroups | None:
    return _client_groups.get(key)
