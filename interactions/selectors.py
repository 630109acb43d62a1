"""Reads of interactions and follow-ups; visibility always follows the client's."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from clients.models import Client, Status, Tier
from clients.selectors import clients_visible_to, diff_history_records, of_visible_clients
from contacts.models import Contact

from .models import (
    DEFAULT_CADENCE_DAYS,
    ContactCadence,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionStatus,
    Kind,
)
from .timeline import MergedTimeline, get_timeline_sources


def interactions_visible_to(user: User) -> QuerySet[Interaction]:
    """Interactions on the clients the user may see."""
    return of_visible_clients(Interaction.objects.all(), user)


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    """Follow-ups on the clients the user may see."""
    return of_visible_clients(FollowUp.objects.all(), user)


def list_interactions(user: User) -> QuerySet[Interaction]:
    """Visible interactions with the client and author a list row shows, in a constant number of queries."""
    return interactions_visible_to(user).select_related("client", "logged_by")


def get_interaction_for_user(user: User, pk) -> Interaction:
    """The interaction if its client is visible to the user, else 404."""
    try:
        return (
            interactions_visible_to(user)
            .select_related("client__account_manager", "logged_by__team")
            .prefetch_related("contacts")
            .get(pk=pk)
        )
    except (Interaction.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_follow_up_for_user(user: User, pk) -> FollowUp:
    """The follow-up if its client is visible to the user, else 404."""
    try:
        return follow_ups_visible_to(user).select_related("client", "assignee__team").get(pk=pk)
    except (FollowUp.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _load_interactions(ids: list[int]) -> dict:
    return (
        Interaction.objects.select_related("logged_by__team")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.only("pk", "full_name", "client_id")))
        .in_bulk(ids)
    )


def list_client_timeline(client: Client, *, kind: str = "") -> MergedTimeline:
    """The client's timeline, newest first: interactions and the entries other apps register (orders).

    `kind` narrows it to one interaction kind or one registered source.
    """
    sources = {source.key: source for source in get_timeline_sources()}
    interactions = Interaction.objects.filter(client=client)
    if kind in Kind.values:
        parts, others = [("interaction", interactions.filter(kind=kind), "occurred_at")], []
    elif kind in sources:
        parts, others = [], [sources[kind]]
    else:
        parts, others = [("interaction", interactions, "occurred_at")], list(sources.values())
    loaders, templates = {"interaction": _load_interactions}, {}
    for source in others:
        parts.append((source.key, source.rows(client), source.at_field))
        loaders[source.key] = source.load
        templates[source.key] = source.template
    return MergedTimeline(parts, loaders, templates)


def list_timeline_filters() -> list[tuple[str, str]]:
    """The timeline's filter chips: interaction kinds, then each registered source."""
    return [*Kind.choices, *((source.key, source.label) for source in get_timeline_sources())]


def list_client_open_follow_ups(client: Client) -> list[FollowUp]:
    """The client's open follow-ups, soonest first."""
    return list(
        FollowUp.objects.filter(client=client, status=FollowUpStatus.OPEN).select_related("assignee__team")[:20]
    )


def get_cadence_days() -> dict[str, int]:
    """Expected contact cadence per tier in days: admin values over the defaults."""
    days = dict(DEFAULT_CADENCE_DAYS)
    days.update(dict(ContactCadence.objects.values_list("tier", "days")))
    return days


def last_contact() -> Max:
    """The client's last completed contact, as an annotation."""
    return Max("interactions__occurred_at", filter=Q(interactions__status=InteractionStatus.COMPLETED))


GOING_COLD_STATUSES = (Status.ACTIVE, Status.PROSPECT)


def going_cold_at(moment: datetime) -> Q:
    """Clients going cold at an instant: active or prospect, added before their tier's cadence began and
    with no completed contact since (never contacted counts from the day the client was added). One
    index probe per client (EXISTS on client, status, occurred_at), where a last-contact aggregate
    would read every interaction of every client."""
    cadence = get_cadence_days()
    cold = Q()
    for tier in Tier.values:
        threshold = moment - timedelta(days=cadence[tier])
        contacted = Interaction.objects.filter(
            client_id=OuterRef("pk"),
            status=InteractionStatus.COMPLETED,
            occurred_at__gte=threshold,
            occurred_at__lt=moment,
        )
        cold |= Q(tier=tier, created_at__lt=threshold) & ~Exists(contacted)
    return Q(status__in=GOING_COLD_STATUSES) & cold


def clients_going_cold(clients: QuerySet[Client], *, now: datetime | None = None) -> QuerySet[Client]:
    """Active and prospect clients whose last completed contact is older than their tier's cadence.

    Annotated with `last_contact_at` (None when never contacted), most neglected first.
    """
    now = now or timezone.now()
    cold = clients.filter(going_cold_at(now)).annotate(last_contact_at=last_contact())
    # never-contacted first on every database (PostgreSQL sorts NULL last by default)
    return cold.order_by(F("last_contact_at").asc(nulls_first=True), "created_at", "pk")


def days_since(moment: datetime | None, fallback: datetime, now: datetime) -> int:
    return (now - (moment or fallback)).days


@dataclass
class MyDay:
    overdue: list
    overdue_count: int
    today: list
    upcoming: list
    meetings_today: list
    going_cold: list
    going_cold_count: int
    team_overdue: list


def get_my_day(user: User, *, now: datetime | None = None, limit: int = 50) -> MyDay:
    """Everything on a manager's home page, in a fixed number of queries whatever the data size."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    start_of_day = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    end_of_day = start_of_day + timedelta(days=1)
    week_end = start_of_day + timedelta(days=8)

    open_mine = (
        FollowUp.objects.filter(assignee=user, status=FollowUpStatus.OPEN)
        .filter(client__in=clients_visible_to(user).values("pk"))
        .select_related("client")
    )
    overdue_qs = open_mine.filter(due_at__lt=now)
    meetings = (
        Interaction.objects.filter(
            logged_by=user,
            status=InteractionStatus.SCHEDULED,
            occurred_at__gte=start_of_day,
            occurred_at__lt=end_of_day,
        )
        .select_related("client")
        .order_by("occurred_at")
    )
    cold_qs = clients_going_cold(Client.objects.filter(account_manager=user), now=now)
    cold = list(cold_qs[:limit])
    for client in cold:
        client.days_since_contact = days_since(client.last_contact_at, client.created_at, now)
    team_overdue = []
    if user.is_team_lead or user.is_admin:
        members = User.objects.filter(is_active=True, team__lead=user) if user.is_team_lead else User.objects.none()
        team_overdue = list(
            members.annotate(
                overdue_count=Count(
                    "follow_ups", filter=Q(follow_ups__status=FollowUpStatus.OPEN, follow_ups__due_at__lt=now)
                )
            )
            .filter(overdue_count__gt=0)
            .order_by("-overdue_count", "full_name")
        )
    return MyDay(
        overdue=list(overdue_qs.order_by("due_at")[:limit]),
        overdue_count=overdue_qs.count(),
        today=list(open_mine.filter(due_at__gte=now, due_at__lt=end_of_day).order_by("due_at")[:limit]),
        upcoming=list(open_mine.filter(due_at__gte=end_of_day, due_at__lt=week_end).order_by("due_at")[:limit]),
        meetings_today=list(meetings[:limit]),
        going_cold=cold,
        going_cold_count=cold_qs.count() if len(cold) == limit else len(cold),
        team_overdue=team_overdue,
    )


def filter_follow_ups_by_state(qs: QuerySet[FollowUp], state: str, *, now: datetime) -> QuerySet[FollowUp]:
    """overdue / today / upcoming (7 days) / open / done / cancelled, each ordered as a person expects."""
    local_now = timezone.localtime(now)
    end_of_day = local_now.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    open_qs = qs.filter(status=FollowUpStatus.OPEN)
    if state == "overdue":
        return open_qs.filter(due_at__lt=now).order_by("due_at", "pk")
    if state == "today":
        return open_qs.filter(due_at__gte=now, due_at__lt=end_of_day).order_by("due_at", "pk")
    if state == "upcoming":
        return open_qs.filter(due_at__gte=end_of_day, due_at__lt=end_of_day + timedelta(days=7)).order_by(
            "due_at", "pk"
        )
    if state in (FollowUpStatus.DONE, FollowUpStatus.CANCELLED):
        return qs.filter(status=state).order_by("-updated_at", "-pk")
    return open_qs.order_by("due_at", "pk")


def get_client_interactions_history(client: Client, limit: int) -> list[dict]:
    """Edits and deletions of the client's timeline entries, for the client's change history.

    New entries are left out: the timeline already shows them.
    """
    records = list(
        Interaction.history.filter(client_id=client.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit * 3]
    )
    entries = [e for e in diff_history_records(records, limit=len(records)) if e["type"] != "+"]
    for entry in entries:
        record = entry["record"]
        entry["subject"] = f"{record.get_kind_display()}, {timezone.localtime(record.occurred_at):%Y-%m-%d}"
        entry["subject_kind"] = "interaction"
    return entries[:limit]
