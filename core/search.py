"""The header search: apps register providers; the view asks each with the user's visibility.

Lower layers cannot import the apps above them, so clients, contacts and (later)
orders and complaints each register a provider from their AppConfig.ready().
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SearchResult:
    kind: str
    title: str
    subtitle: str
    url: str


_providers: dict[str, tuple[int, Callable]] = {}


def register_search_provider(key: str, provider: Callable, *, order: int = 100) -> None:
    """provider(user, term, limit) -> list[SearchResult], already limited to what the user may see."""
    _providers[key] = (order, provider)


def search_everything(user, term: str, *, limit: int = 8) -> list[SearchResult]:
    """Results of every provider, in registration order; an empty or one-letter term finds nothing."""
    term = (term or "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL in text
    if len(term) < 2:
        return []
    results: list[SearchResult] = []
    for _order, provider in sorted(_providers.values(), key=lambda item: item[0]):
        results.extend(provider(user, term, limit))
    return results
