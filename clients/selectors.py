"""Reads of clients. `clients_visible_to` is the one visibility rule for every page and API."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Team, User

from .handover import count_handover_records, handover_id_from_reason
from .models import Client, Handover, HandoverClient
from .sections import get_history_sources


def clients_visible_to(user: User) -> QuerySet[Client]:
    """Clients the user may see: own, own team's (read-only for managers), the led team's, or all for admins."""
    qs = Client.objects.all()
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_admin:
        return qs
    # The people whose clients are visible, as a small subquery on users: an OR across the join to
    # users would make the database scan every client (see bench/results.md).
    if user.is_team_lead:
        people = User.objects.filter(Q(pk=user.pk) | Q(team__lead=user))
    elif user.team_id:
        people = User.objects.filter(Q(pk=user.pk) | Q(team_id=user.team_id))
    else:
        return qs.filter(account_manager=user)
    return qs.filter(account_manager__in=people.values("pk"))


def of_visible_clients(qs: QuerySet, user: User, *, path: str = "client") -> QuerySet:
    """The records (orders, interactions, …) of the clients the user may see: the same rule as
    clients_visible_to, without a subquery over every client when the user sees them all (admins)."""
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    if user.is_admin:
        return qs
    return qs.filter(**{f"{path}__in": clients_visible_to(user).values("pk")})


def list_visible_teams(user: User) -> QuerySet[Team]:
    """Teams a list's team filter offers: every team for admins, the led teams and their own for team leads,
    their own team for managers (the teams whose people's clients they may see)."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if user.is_admin:
        return Team.objects.all()
    if user.is_team_lead:
        return Team.objects.filter(Q(lead=user) | Q(pk=user.team_id))
    return Team.objects.filter(pk=user.team_id)


def clients_editable_by(user: User) -> QuerySet[Client]:
    """Clients the user may change: a manager only their own; a lead the led team's; an admin all."""
    if user.is_authenticated and user.is_manager:
        return Client.objects.filter(account_manager=user)
    return clients_visible_to(user)


def can_edit_client(user: User, client: Client) -> bool:
    """The same rule as `clients_editable_by`, for a client already fetched through visibility."""
    if user.is_admin:
        return True
    if user.is_team_lead:
        return True  # a lead sees only own and led-team clients, and may edit all of them
    return client.account_manager_id == user.pk


def can_reassign_client(user: User, client: Client) -> bool:
    """Reassigning is for team leads (within their team) and admins."""
    return (user.is_admin or user.is_team_lead) and can_edit_client(user, client)


def can_hand_over_clients(user: User) -> bool:
    """Handing clients over (and seeing past handovers) is for team leads and admins."""
    return user.is_authenticated and user.is_active and (user.is_admin or user.is_team_lead)


def clients_reassignable_by(user: User) -> QuerySet[Client]:
    """`can_reassign_client` for a whole set: every client for admins, those of the led team for leads."""
    if not can_hand_over_clients(user):
        return Client.objects.none()
    return clients_editable_by(user)


def get_client_for_user(user: User, pk) -> Client:
    """The client with this id if the user may see it, else 404 (never 403: existence stays secret)."""
    try:
        return (
            clients_visible_to(user)
            .select_related("account_manager__team", "referred_by", "created_by")
            .prefetch_related("tags")
            .get(pk=pk)
        )
    except (Client.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def phone_contains_q(field: str, term: str) -> Q:
    """Match a typed phone fragment against E.164 numbers (+37061234567).

    A national "8 612 34567" or "0612..." still matches once the trunk prefix is dropped;
    fewer than three digits match nothing.
    """
    digits = "".join(ch for ch in term if ch.isdigit())
    if len(digits) < 3:
        return Q(pk__in=[])
    q = Q(**{f"{field}__contains": digits})
    if digits[0] in "08" and len(digits) >= 6:
        q |= Q(**{f"{field}__contains": digits[1:]})
    return q


def search_clients_q(term: str) -> Q:
    """A Q matching the name, the registration code or any contact's name, e-mail or phone."""
    term = term.strip()
    q = Q(name__icontains=term) | Q(registration_code__icontains=term)
    q |= Q(contacts__full_name__icontains=term) | Q(contacts__email__icontains=term)
    q |= phone_contains_q("contacts__phone", term)
    return q


def list_clients(user: User) -> QuerySet[Client]:
    """Visible clients with what a list row shows, in a constant number of queries."""
    return clients_visible_to(user).select_related("account_manager").prefetch_related("tags")


def get_client_history(client: Client, *, limit: int = 30) -> list[dict]:
    """Field-level changes of the client and of what higher apps attach to it (contacts, …), newest first."""
    records = list(client.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = diff_history_records(records, limit=limit)
    for entry in entries:  # a handover names itself in the reason of the records it wrote
        entry["handover_id"] = handover_id_from_reason(entry["record"].history_change_reason)
    for source in get_history_sources():
        entries.extend(source(client, limit))
    entries.sort(key=lambda entry: entry["record"].history_date, reverse=True)
    return entries[:limit]


def diff_history_records(records: list, *, limit: int) -> list[dict]:
    """Turn simple-history records (newest first) into readable changes.

    Foreign keys and many-to-many values arrive as ids; they are resolved to names
    with one query per related model, whatever the number of records.
    """
    m2m_values = _m2m_values(records)
    # The previous version of each record is the next older record of the same object;
    # the list may mix several objects (a client's contacts).
    previous_of: dict[int, object] = {}
    last_seen: dict = {}
    for record in reversed(records):
        object_id = getattr(record, record.instance_type._meta.pk.attname)
        previous_of[record.pk] = last_seen.get(object_id)
        last_seen[object_id] = record
    raw = []
    for record in records[:limit]:
        previous = previous_of[record.pk]
        changes = []
        if record.history_type == "~" and previous is not None:
            m2m_names = [f.name for f in record._history_m2m_fields]
            # m2m fields are compared here from one prefetched query, not per record
            changes = list(
                record.diff_against(previous, excluded_fields=m2m_names, foreign_keys_are_objs=False).changes
            )
            for name in m2m_names:
                old, new = m2m_values[name].get(previous.pk, set()), m2m_values[name].get(record.pk, set())
                if old != new:
                    changes.append(_M2MChange(name, sorted(old), sorted(new)))
            if not changes:
                continue  # a save that changed nothing a person can see
        raw.append((record, changes))

    wanted: dict = {}
    for record, changes in raw:
        for change in changes:
            model = _related_model(record, change.field)
            if model is not None:
                for value in (change.old, change.new):
                    wanted.setdefault(model, set()).update(_ids(value, model))
    names = {model: model._default_manager.in_bulk(ids) for model, ids in wanted.items() if ids}

    result = []
    for record, changes in raw:
        fields = []
        for change in changes:
            field = record.instance_type._meta.get_field(change.field)
            fields.append(
                {
                    "field": field.verbose_name,
                    "old": _display(field, change.old, names),
                    "new": _display(field, change.new, names),
                }
            )
        result.append({"record": record, "type": record.history_type, "fields": fields})
    return result


@dataclass(frozen=True)
class _M2MChange:
    field: str
    old: list
    new: list


def _m2m_values(records: list) -> dict[str, dict[int, set]]:
    """{m2m field: {history id: {related ids}}} for all records, one query per m2m field."""
    if not records:
        return {}
    result = {}
    for field in records[0]._history_m2m_fields:
        through = getattr(records[0], field.name).model
        target = field.related_model._meta.model_name
        rows = through.objects.filter(history_id__in=[r.pk for r in records]).values_list("history_id", target)
        per_record: dict[int, set] = {}
        for history_id, related_id in rows:
            per_record.setdefault(history_id, set()).add(related_id)
        result[field.name] = per_record
    return result


def _related_model(record, name: str):
    field = record.instance_type._meta.get_field(name)
    return field.related_model if field.is_relation else None


def _ids(value, model) -> set:
    if value in (None, ""):
        return set()
    if isinstance(value, list):  # m2m: a list of related ids
        return set(value)
    return {value}


def _display(field, value, names: dict) -> str:
    """The value as a person reads it: labels instead of codes, names instead of ids."""
    if value in (None, "", []):
        return "—"
    if field.is_relation:
        found = names.get(field.related_model, {})
        ids = _ids(value, field.related_model)
        return ", ".join(sorted(str(found.get(i, f"#{i}")) for i in ids)) or "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


# --- handovers ---------------------------------------------------------------------------------------------------

HANDOVER_PREVIEW_SIZE = 20


def get_handover_preview(clients: QuerySet[Client], *, manager: User | None = None) -> dict:
    """What handing these clients over would do: how many, the first few, whose they are now and what moves
    with them (the registered steps' counts); a constant number of queries whatever the number of clients."""
    selected = Client.objects.filter(pk__in=clients.values("pk"))
    by_manager = (
        selected.values("account_manager", "account_manager__full_name", "account_manager__email")
        .annotate(count=Count("pk"))
        .order_by("-count", "account_manager__full_name")
    )
    return {
        "count": selected.count(),
        "clients": list(selected.select_related("account_manager").order_by("name", "pk")[:HANDOVER_PREVIEW_SIZE]),
        "by_manager": [
            {
                "manager_id": row["account_manager"],
                "name": row["account_manager__full_name"] or row["account_manager__email"],
                "count": row["count"],
            }
            for row in by_manager
        ],
        "moving": count_handover_records(selected, manager),
    }


def get_handover_for_user(user: User, pk) -> Handover:
    """A handover the user may look at: any for admins; for a team lead those they made and those that gave clients
    to or took clients from their team; 404 otherwise (managers never get here: the pages are for leads and admins)."""
    handovers = Handover.objects.select_related("actor", "manager")
    if user.is_team_lead:
        team = Q(pk=user.pk) | Q(team__lead=user)
        took_from_team = HandoverClient.objects.filter(
            handover=OuterRef("pk"), previous_manager__in=User.objects.filter(team).values("pk")
        )
        handovers = handovers.filter(
            Q(actor=user) | Q(manager__in=User.objects.filter(team).values("pk")) | Exists(took_from_team)
        )
    elif not user.is_admin:
        handovers = handovers.none()
    try:
        return handovers.get(pk=pk)
    except (Handover.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def list_handover_sources(handover: Handover) -> list[dict]:
    """The managers the handover's clients had before, with how many each, most first ("—" for none)."""
    rows = (
        HandoverClient.objects.filter(handover=handover)
        .values("previous_manager", "previous_manager__full_name", "previous_manager__email")
        .annotate(count=Count("pk"))
        .order_by("-count", "previous_manager__full_name")
    )
    return [
        {
            "manager_id": row["previous_manager"],
            "name": row["previous_manager__full_name"] or row["previous_manager__email"],
            "count": row["count"],
        }
        for row in rows
    ]


def list_handover_clients(user: User, handover: Handover, *, limit: int = HANDOVER_PREVIEW_SIZE) -> list[Client]:
    """The first clients the handover moved, among those the user may see, with their current manager."""
    moved = HandoverClient.objects.filter(handover=handover).values("client_id")
    return list(
        clients_visible_to(user).filter(pk__in=moved).select_related("account_manager").order_by("name", "pk")[:limit]
    )
