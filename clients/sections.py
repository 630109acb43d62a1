"""A registry of client-page sections that higher apps fill.

The client page belongs to `clients`, but contacts, interactions, orders and
complaints add their own blocks to it. Lower apps must not import higher ones, so
each higher app registers a section here from its AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ClientSection:
    key: str  # also the DOM id and the partial name of the section
    template: str
    get_context: Callable  # (request, client, can_edit) -> dict
    slot: str = "main"  # "header" (under the title), "main" column or "side" column
    order: int = 100


_sections: dict[str, ClientSection] = {}


def register_section(section: ClientSection) -> None:
    _sections[section.key] = section


def get_sections(slot: str) -> list[ClientSection]:
    return sorted((s for s in _sections.values() if s.slot == slot), key=lambda s: s.order)


# History sources: a higher app adds its records to the client's change history.
_history_sources: dict[str, Callable] = {}


def register_history_source(key: str, source: Callable) -> None:
    """source(client, limit) -> entries shaped like clients.selectors.diff_history_records(), with "subject"."""
    _history_sources[key] = source


def get_history_sources() -> list[Callable]:
    return list(_history_sources.values())
