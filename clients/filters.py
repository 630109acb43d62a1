"""The client list's filters, shared by the page, the CSV export and the API."""

import dataclasses

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.functional import cached_property, lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from drf_spectacular.utils import extend_schema_field

from accounts.models import Team, User
from accounts.selectors import list_visible_staff
from core.filters import DrillDownFilterSet, FlagInput, IdFilter, LinkFilter, SearchTermFilter, parse_id

from .listing import get_client_groups, get_client_set
from .models import Client, HandoverClient, HealthBand, Status, Tag, Tier
from .selectors import clients_visible_to, list_visible_teams, search_clients_q


def _client_set_label(key: str) -> str:
    client_set = get_client_set(key)
    return str(client_set.label) if client_set else key


class ClientSetFilter(django_filters.BooleanFilter):
    """On: only the clients of the set a higher app registered under `key` (clients.listing)."""

    def __init__(self, key: str, **kwargs):
        # the label is read when the form is drawn, after every app has registered its sets
        super().__init__(label=lazy(_client_set_label, str)(key), widget=FlagInput, **kwargs)
        self.key = key

    def filter(self, qs, value):
        client_set = get_client_set(self.key)
        if not value or client_set is None:
            return qs
        # A subquery, so the set's own annotations, grouping and order stay out of the list's query.
        return qs.filter(pk__in=client_set.narrow(Client.objects.all()).values("pk"))


def _client_groups_label(key: str) -> str:
    groups = get_client_groups(key)
    return str(groups.label) if groups else key


class ClientGroupFilter(IdFilter):
    """An id of a group of the kind a higher app registered under `key` (clients.listing): only its members.

    Like every id filter, an id that names no group on offer (deleted, switched off) leaves the list empty
    rather than whole; junk ("abc", "1.5") is ignored on the page and a 400 in the API.
    """

    def __init__(self, key: str, *, client: str = "", **kwargs):
        super().__init__(label=lazy(_client_groups_label, str)(key), **kwargs)
        self.key = key
        self.client = client  # the path from the listed rows to their client ("client"); "" when they are clients

    def filter(self, qs, value):
        groups = get_client_groups(self.key)
        if value is None or groups is None:
            return qs
        if not self.client:
            return groups.narrow(qs, value)
        # The members as a subquery: the group's rules correlate on the client's own row, never through a join.
        members = groups.narrow(Client.objects.all(), value).values("pk")
        return qs.filter(**{f"{self.client}__in": members})

    def describe(self, value: int) -> str:
        """The group's name for the filter's chip ("#<id>" for one not on offer)."""
        groups = get_client_groups(self.key)
        names = {group.pk: str(group) for group in groups.list_groups()} if groups else {}
        return names.get(value, f"#{value}")


class IdListField(forms.Field):
    """Row ids given as a repeated parameter (?id=1&id=2); any that is not an id makes the whole value invalid."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("Give ids as whole numbers.")}

    def to_python(self, value):
        if value in self.empty_values:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        ids = [parse_id(raw) for raw in values]
        if None in ids:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return sorted(set(ids))


@extend_schema_field({"type": "array", "items": {"type": "integer", "minimum": 1}})
class IdListFilter(django_filters.Filter):
    """Only the rows with these ids (a selection of clients ticked on the list): ?id=1&id=2."""

    field_class = IdListField

    def filter(self, qs, value):
        return qs.filter(pk__in=value) if value else qs


class ClientOrderingFilter(django_filters.OrderingFilter):
    """The list's sort; clients never scored for health sort last both ways (worst first is ascending)."""

    NULLS_LAST = ("health_score",)

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        name = value.removeprefix("-")
        if name not in self.NULLS_LAST:
            return value
        return F(name).desc(nulls_last=True) if value.startswith("-") else F(name).asc(nulls_last=True)


TIER_RANK = Case(
    When(tier=Tier.VIP, then=Value(0)),
    When(tier=Tier.KEY, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class ClientFilter(DrillDownFilterSet):
    q = SearchTermFilter(method="filter_search", label=_("Search"))
    tier = django_filters.ChoiceFilter(choices=Tier.choices, label=_("tier"), empty_label=_("All tiers"))
    status = django_filters.ChoiceFilter(choices=Status.choices, label=_("status"), empty_label=_("All statuses"))
    manager = django_filters.ModelChoiceFilter(
        field_name="account_manager",
        queryset=User.objects.none(),
        label=_("account manager"),
        empty_label=_("All managers"),
    )
    team = django_filters.ModelChoiceFilter(
        field_name="account_manager__team", queryset=Team.objects.none(), label=_("team"), empty_label=_("All teams")
    )
    country = django_filters.ChoiceFilter(choices=countries, label=_("country"), empty_label=_("All countries"))
    tag = django_filters.ModelChoiceFilter(
        field_name="tags",
        queryset=Tag.objects.all(),
        to_field_name="name",
        label=_("tag"),
        empty_label=_("All tags"),
    )
    cold = ClientSetFilter("cold")
    segment = ClientGroupFilter("segment")
    health_band = django_filters.MultipleChoiceFilter(
        choices=HealthBand.choices, label=_("health"), widget=forms.CheckboxSelectMultiple
    )
    churned_from = django_filters.DateFilter(field_name="churned_on", lookup_expr="gte", label=_("churned from"))
    churned_to = django_filters.DateFilter(field_name="churned_on", lookup_expr="lte", label=_("churned to"))
    id = IdListFilter(label=_("Selected clients"))
    handover = IdFilter(method="filter_handover", label=_("Handover"))
    sort = ClientOrderingFilter(
        fields=(
            ("name", "name"),
            ("tier_rank", "tier"),
            ("status", "status"),
            ("account_manager__full_name", "manager"),
            ("city", "city"),
            ("created_at", "created"),
            ("updated_at", "updated"),
            ("health_score", "health"),
        ),
        label=_("Sort"),
    )

    class Meta:
        model = Client
        fields = [
            "q",
            "tier",
            "status",
            "manager",
            "team",
            "country",
            "tag",
            "cold",
            "segment",
            "health_band",
            "churned_from",
            "churned_to",
            "id",
            "handover",
        ]

    drilldown_filters = (
        LinkFilter(_("Churned"), ("churned_from", "churned_to")),
        LinkFilter(_("Selected"), ("id",)),
        LinkFilter(_("Handover"), ("handover",)),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        staff = list_visible_staff(user)
        requested = parse_id((self.data or {}).get("manager"))
        if requested is not None:
            # A manager who has left (inactive) is no longer offered, yet the clients still theirs are listed when
            # asked for, so their portfolio can be handed over; other people the user may not see stay refused.
            departed = User.objects.filter(pk=requested, is_active=False).filter(
                Exists(clients_visible_to(user).filter(account_manager=OuterRef("pk")))
            )
            staff = User.objects.filter(Q(pk__in=staff.values("pk")) | Q(pk__in=departed.values("pk")))
        self.filters["manager"].queryset = staff
        self.setup_team_filter(user, list_visible_teams(user))
        # Choices read only when the select is drawn: the API and the CSV export never query them.
        self.filters["segment"].extra["widget"] = forms.Select(choices=lambda: self.segment_choices)

    @cached_property
    def segment_choices(self) -> list[tuple[str, str]]:
        """The segment select's options ("" first), the asked-for id as "#<id>" when it is not on offer;
        no options at all when no segments are on offer (the page then has no select)."""
        groups = get_client_groups("segment")
        offered = [(str(group.pk), str(group)) for group in groups.list_groups()] if groups else []
        if not offered:
            return []
        picked = self.asked.get("segment")
        if picked is not None and str(picked) not in dict(offered):
            offered.append((str(picked), f"#{picked}"))
        return [("", str(groups.empty_label)), *offered]

    # The segment is named above the list, with a link that removes it, even while its select shows it: a
    # segment's name is all the page says of who is listed. Without segments on offer it is a link filter.
    @property
    def link_filters(self):
        active = [*self._active([LinkFilter(self.filters["segment"].label, ("segment",))]), *super().link_filters]
        # the selection is several values of one parameter: one hidden input each
        ids = [("id", str(pk)) for pk in self.asked.get("id", [])]
        return [dataclasses.replace(a, inputs=ids) if a.inputs and a.inputs[0][0] == "id" else a for a in active]

    @property
    def summary(self) -> list[tuple[str, str]]:
        """Every filter that picks the clients as (label, value) a person reads ("Account manager", "Jane");
        the value is "" for an on/off filter."""
        named = self.link_filters
        result = [(str(active.label), active.value) for active in named]
        skip = {"sort", *self.link_names, *(name for active in named for name, _value in active.inputs)}
        for name, value in self.asked.items():
            if name in skip or value in (None, False):
                continue
            field = self.form.fields[name]
            if value is True:
                shown = ""
            elif isinstance(value, str) and isinstance(field, forms.ChoiceField):  # a code: its label
                shown = str(dict(field.choices).get(value, value))
            elif isinstance(value, list) and isinstance(field, forms.MultipleChoiceField):  # codes: their labels
                shown = ", ".join(str(dict(field.choices).get(code, code)) for code in value)
            else:  # a person, a team, a tag, a search term
                shown = str(value)
            result.append((str(field.label).capitalize(), shown))
        return result

    @property
    def narrows(self) -> bool:
        """Whether the filters pick some of the clients rather than all of them (ordering does not)."""
        return any(value not in (None, False) for name, value in self.asked.items() if name != "sort")

    @property
    def link_inputs(self):
        inputs = super().link_inputs
        return inputs if "segment" in self.link_names else [pair for pair in inputs if pair[0] != "segment"]

    @property
    def link_names(self):
        names = super().link_names
        return names if self.segment_choices else [*names, "segment"]

    def _display(self, values):
        if set(values) == {"segment"}:
            picked = values["segment"]
            return dict(self.segment_choices).get(str(picked), f"#{picked}")
        if set(values) == {"id"}:
            count = len(values["id"])
            return ngettext("%(count)s client", "%(count)s clients", count) % {"count": count}
        if set(values) == {"handover"}:
            return f"#{values['handover']}"
        return super()._display(values)

    def filter_handover(self, queryset, name, value):
        return queryset.filter(pk__in=HandoverClient.objects.filter(handover_id=value).values("client_id"))

    def filter_search(self, queryset, name, value):
        if not value.strip():
            return queryset
        # A subquery rather than a join: several matching contacts must not repeat a client.
        matching = Client.objects.filter(search_clients_q(value)).values("pk")
        return queryset.filter(pk__in=matching)

    def filter_queryset(self, queryset):
        queryset = queryset.annotate(tier_rank=TIER_RANK)
        queryset = super().filter_queryset(queryset)
        # ties break by name, then id, so pages are stable and read naturally
        return queryset.order_by(*(queryset.query.order_by or ["name"]), "name", "pk")
