"""The client timeline: interactions merged with entries that higher apps add (orders, complaints).

Lower apps cannot import higher ones, so a higher app registers a TimelineSource from its
AppConfig.ready(). The merged timeline is one UNION ALL query ordered by time, paginated
in the database; each page then loads its own objects with one query per source.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, F, QuerySet, Value
from django.utils.functional import Promise


@dataclass(frozen=True)
class TimelineSource:
    key: str  # the filter chip's value ("orders")
    label: str | Promise  # the chip's label
    rows: Callable  # (client) -> queryset of the source's model for this client
    at_field: str  # the datetime that places an entry on the timeline
    load: Callable  # (ids) -> {id: object}, with what the entry template shows
    template: str  # renders `entry`
    order: int = 100


_sources: dict[str, TimelineSource] = {}


def register_timeline_source(source: TimelineSource) -> None:
    _sources[source.key] = source


def get_timeline_sources() -> list[TimelineSource]:
    return sorted(_sources.values(), key=lambda source: source.order)


def timeline_rows(qs: QuerySet, key: str, at_field: str) -> QuerySet:
    """(source key, id, time) rows of a queryset, the same columns for every source of the UNION."""
    return (
        qs.order_by()
        .annotate(
            t_source=Value(key, output_field=CharField()),
            t_id=F("pk"),
            t_at=F(at_field),
        )
        .values_list("t_source", "t_id", "t_at")
    )


class MergedTimeline:
    """A sliceable, countable timeline for Django's Paginator: a UNION ALL of (source, id, time)."""

    def __init__(self, parts: list[tuple[str, QuerySet, str]], loaders: dict[str, Callable], templates: dict):
        self._parts = parts
        self._loaders = loaders
        self._templates = templates

    def _union(self) -> QuerySet:
        queries = [timeline_rows(qs, key, at_field) for key, qs, at_field in self._parts]
        first, *rest = queries
        return first.union(*rest, all=True) if rest else first

    def count(self) -> int:
        return self._union().count()

    def __getitem__(self, index: slice) -> list:
        rows = list(self._union().order_by("-t_at", "-t_id")[index])
        wanted: dict[str, list[int]] = {}
        for key, pk, _at in rows:
            wanted.setdefault(key, []).append(pk)
        loaded = {key: self._loaders[key](ids) for key, ids in wanted.items()}
        entries = []
        for key, pk, _at in rows:
            entry = loaded[key].get(pk)
            if entry is not None:  # deleted between the two queries
                entry.timeline_template = self._templates.get(key)
                entries.append(entry)
        return entries
