"""Filters shared by the list pages and the API (django-filter), and the pieces of the dashboard's drill-down links.

Every list the dashboard links to reads the same words: `team`, a client `tier`, a person's id and ranges of
calendar days; `DrillDownFilterSet` gives each list the same handling of them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta, tzinfo
from typing import Literal

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.http import QueryDict
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1  # the largest primary key (bigint)


def parse_id(raw) -> int | None:
    """A row id as a link gives it ("7"), or None for anything else ("abc", "²", "-1", "1.5", too large)."""
    text = str(raw or "").strip()
    # More digits than the largest id has are no id; int() would also refuse 4301 digits and up with ValueError.
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
        return None
    return int(text) if 0 < int(text) <= MAX_ID else None


# A search box finds by a name, a number or a phrase: longer text is cut, never sent whole to the database
# (a 100 KB term is a slow LIKE on PostgreSQL, and SQLite refuses LIKE patterns over 50 000 bytes).
MAX_SEARCH_LENGTH = 100


def clean_search_term(raw) -> str:
    """The text a search box searches for: trimmed, without NUL characters (PostgreSQL refuses them in a string),
    at most MAX_SEARCH_LENGTH characters."""
    return str(raw or "").replace("\x00", "").strip()[:MAX_SEARCH_LENGTH].strip()


class SearchTermField(forms.CharField):
    def to_python(self, value):
        return clean_search_term(super().to_python(value))


class SearchTermFilter(django_filters.CharFilter):
    """The `q` of a list: its method receives the cleaned term (clean_search_term)."""

    field_class = SearchTermField


class IdFilter(django_filters.NumberFilter):
    """A row id: "1.5", "0" or an id beyond the column's range is ignored, not sent to the database."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Rows without a value (no promised date yet) sort last both ways; SQLite and PostgreSQL disagree by default."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        if value.startswith("-"):
            return F(value[1:]).desc(nulls_last=True)
        return F(value).asc(nulls_last=True)


class FlagInput(forms.CheckboxInput):
    """A checkbox that also reads links: "1", "true" and "on" mean on; anything else (0, junk) means off."""

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).strip().lower() in ("1", "true", "on")


class DayBoundFilter(django_filters.DateFilter):
    """One end of an inclusive range of calendar days on a date-time field.

    "from" keeps the moments on or after the day's first instant, "to" those before the next day's,
    both in `zone()` (the company's calendar) or, without one, in the viewer's time zone; so a
    range reads the same days as the dashboard's periods and the database can use an index.
    """

    def __init__(self, *, bound: Literal["from", "to"], zone: Callable[[], tzinfo] | None = None, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)
        self.bound, self.zone = bound, zone

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        zone = self.zone() if self.zone else timezone.get_current_timezone()
        try:
            day = value if self.bound == "from" else value + timedelta(days=1)
            moment = timezone.make_aware(datetime.combine(day, time.min), zone)
            moment.astimezone(UTC)  # the database stores UTC: year 1 or 9999 may not fit
        except OverflowError:  # beyond the ends of the calendar: every row with a moment
            return qs.filter(**{f"{self.field_name}__isnull": False})
        lookup = "gte" if self.bound == "from" else "lt"
        return qs.filter(**{f"{self.field_name}__{lookup}": moment})


@dataclass(frozen=True)
class LinkFilter:
    """Filters that reach a list only with a link, named on the page as one removable entry:
    one filter, or the (from, to) pair of a range of days."""

    label: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    value: str  # "" for an on/off filter: its label says it all
    query: str  # the page's query string without this filter
    inputs: list[tuple[str, str]] = field(default_factory=list)  # hidden inputs that keep it while refining


class DrillDownFilterSet(django_filters.FilterSet):
    """A list the dashboard links to ("drill-down"), with the links' filters.

    A filter declared `date_from` / `date_to` is read from the link's `from` / `to`. The team and person choices are
    the viewer's, and an asked-for id outside them is still applied, never dropped (dropping it would show more): the
    list's visibility then leaves nothing of another team. Two kinds of choice filter do it:

    - a model choice `team` (`setup_team_filter`) names the asked-for team; it is a select for team leads and
      admins (`offers_team`) and a named filter for managers, who see one team;
    - an `IdFilter` drawn as a select (`set_picks`) shows an id outside the choices as "#<id>", without its name.

    Filters a person rarely sets by hand (a tier, a range of days: `drilldown_filters`) have no control in the filter
    form; the page names each one that applies, with a link that removes it (`link_filters`), and the form carries
    them in hidden inputs (`link_inputs`) so that refining the list keeps them.
    """

    # "from" is a Python keyword: the filters are declared as date_from / date_to and renamed here.
    PARAMETER_NAMES = {"date_from": "from", "date_to": "to"}

    drilldown_filters: tuple[LinkFilter, ...] = ()
    offers_team = True

    @classmethod
    def get_filters(cls):
        return {cls.PARAMETER_NAMES.get(name, name): f for name, f in super().get_filters().items()}

    @property
    def asked(self) -> dict:
        """The valid values asked for; an invalid one is left out (and ignored by the filtering), as on every list."""
        if not self.is_bound:
            return {}
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value not in (None, "", [])}

    def set_picks(self, name: str, objects, empty_label) -> None:
        """Offer `objects` as the choices of the id filter `name`; an asked-for id not among them stays shown."""
        choices = [("", empty_label), *((str(obj.pk), str(obj)) for obj in objects)]
        picked = parse_id((self.data or {}).get(name))
        if picked is not None and str(picked) not in {value for value, _label in choices}:
            choices.append((str(picked), f"#{picked}"))
        self.filters[name].extra["widget"] = forms.Select(choices=choices)

    def setup_team_filter(self, user, teams: QuerySet) -> None:
        """Offer `teams` (the viewer's) in the model choice filter `team`, and accept an asked-for team besides."""
        self.offers_team = user.is_admin or user.is_team_lead
        requested = parse_id((self.data or {}).get("team"))
        if requested is not None:  # shown selected and accepted even when not offered
            teams = teams.model.objects.filter(Q(pk__in=teams.values("pk")) | Q(pk=requested))
        self.filters["team"].queryset = teams

    @property
    def team_filter(self) -> ActiveFilter | None:
        """The team as a named filter, for pages that do not show the team select."""
        found = self._active([LinkFilter(_("Team"), ("team",))])
        return found[0] if found else None

    @property
    def link_filters(self) -> list[ActiveFilter]:
        groups = list(self.drilldown_filters)
        if not self.offers_team:
            groups.insert(0, LinkFilter(_("Team"), ("team",)))
        return self._active(groups)

    @property
    def link_inputs(self) -> list[tuple[str, str]]:
        return [pair for active in self.link_filters for pair in active.inputs]

    @property
    def link_names(self) -> list[str]:
        """Fields the filter form leaves out: the page names them instead."""
        names = [name for group in self.drilldown_filters for name in group.names]
        return names if self.offers_team else ["team", *names]

    def _active(self, groups: list[LinkFilter]) -> list[ActiveFilter]:
        asked, result = self.asked, []
        for group in groups:
            values = {name: asked.get(name) for name in group.names}
            if all(value in (None, False) for value in values.values()):
                continue
            query = QueryDict(mutable=True)
            query.update(self.data)
            for name in (*group.names, "page"):
                query.pop(name, None)
            inputs = [(name, self.form[name].value()) for name, value in values.items() if value is not None]
            inputs = [(name, "1" if value is True else str(value)) for name, value in inputs]
            result.append(ActiveFilter(group.label, self._display(values), query.urlencode(), inputs))
        return result

    def _display(self, values: dict) -> str:
        if len(values) == 2:  # a range of days
            first, last = (formats.date_format(v, "SHORT_DATE_FORMAT") if v else None for v in values.values())
            if first and last:
                return first if first == last else f"{first} – {last}"
            return _("from %(day)s") % {"day": first} if first else _("until %(day)s") % {"day": last}
        ((name, value),) = values.items()
        if value is True:
            return ""
        describe = getattr(self.filters.get(name), "describe", None)  # a filter that names its own values
        if describe is not None:
            return describe(value)
        choices = getattr(self.form.fields[name], "choices", None)
        if isinstance(value, str) and choices is not None:
            return str(dict(choices).get(value, value))
        return str(value)
