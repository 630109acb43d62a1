"""Writes of clients. Every change records who made it (django-simple-history)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_audit
from accounts.models import AuditAction, User
from accounts.selectors import list_assignable_managers
from core.exceptions import ApplicationError

from .handover import HandoverRun, handover_change_reason, run_handover_steps
from .models import COMPUTED_FIELDS, Client, Handover, HandoverClient, Source, Status, Tag
from .selectors import can_edit_client, can_hand_over_clients, can_reassign_client, clients_reassignable_by

HANDOVER_BATCH_SIZE = 500

CLIENT_FIELDS = (
    "name",
    "registration_code",
    "tier",
    "status",
    "churned_on",
    "churn_reason",
    "industry",
    "country",
    "city",
    "address",
    "website",
    "account_manager",
    "source",
    "referred_by",
    "discount_percent",
    "notes",
)

# What an update writes: the whole row as before, less the health app's fields (clients.models.COMPUTED_FIELDS).
EDITED_FIELDS = [
    field.name for field in Client._meta.concrete_fields if not field.primary_key and field.name not in COMPUTED_FIELDS
]


def parse_tags(text: str) -> list[str]:
    """'vip, Baltic ,baltic' → ['vip', 'Baltic']: trimmed, de-duplicated case-insensitively."""
    seen, result = set(), []
    for raw in (text or "").split(","):
        name = " ".join(raw.split())[:50]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result


def _tag_objects(names: list[str]) -> list[Tag]:
    tags = []
    for name in names:
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags.append(tag)
    return tags


def _check_churn(client: Client) -> None:
    if client.status == Status.CHURNED and not client.churn_reason.strip():
        raise ApplicationError(_("Give a reason when a client is marked as churned."), field="churn_reason")
    if client.status == Status.CHURNED and client.churned_on is None:
        from django.utils import timezone

        client.churned_on = timezone.localdate()
    if client.status != Status.CHURNED:
        client.churned_on = None


def _check_referral(client: Client) -> None:
    if client.referred_by_id is None:
        return
    if client.pk is not None and client.referred_by_id == client.pk:
        raise ApplicationError(_("A client cannot refer itself."), field="referred_by")
    if client.source != Source.REFERRAL:
        raise ApplicationError(_("Choose “Referral by a client” when a referring client is given."), field="source")


def _check_unique_code(client: Client) -> None:
    code = client.registration_code
    if code and Client.objects.filter(registration_code=code).exclude(pk=client.pk).exists():
        raise ApplicationError(_("Another client already has this registration code."), field="registration_code")


@transaction.atomic
def create_client(*, actor: User, tags: list[str] | None = None, **fields) -> Client:
    """Create a client; a manager's new client is theirs, leads and admins may pick the manager."""
    if actor.is_manager:
        if fields.get("account_manager") not in (None, actor):
            raise ApplicationError(
                _("Only team leads and administrators assign clients to others."), field="account_manager"
            )
        fields["account_manager"] = actor
    elif (
        fields.get("account_manager") is not None
        and not list_assignable_managers(actor).filter(pk=fields["account_manager"].pk).exists()
    ):
        raise ApplicationError(_("You cannot assign clients to this person."), field="account_manager")
    client = Client(created_by=actor, **{k: v for k, v in fields.items() if k in CLIENT_FIELDS})
    client.registration_code = client.registration_code.strip()
    _check_churn(client)
    _check_referral(client)
    _check_unique_code(client)
    client._history_user = actor
    client.save()
    if tags:
        client.tags.set(_tag_objects(tags))
    return client


@transaction.atomic
def update_client(*, actor: User, client: Client, tags: list[str] | None = None, **fields) -> Client:
    """Change a client's fields; only those who may edit it, and the manager only by leads and admins."""
    if not can_edit_client(actor, client):
        raise ApplicationError(_("You can view this client but not change it."))
    new_manager = fields.pop("account_manager", client.account_manager)
    if new_manager != client.account_manager:
        if not can_reassign_client(actor, client):
            raise ApplicationError(_("Only team leads and administrators reassign clients."), field="account_manager")
        if new_manager is not None and not list_assignable_managers(actor).filter(pk=new_manager.pk).exists():
            raise ApplicationError(_("You cannot assign clients to this person."), field="account_manager")
    handing_over = new_manager is not None and new_manager != client.account_manager
    if new_manager is None:
        client.account_manager = None  # unassigned: open follow-ups and complaints stay with whoever has them
    for name, value in fields.items():
        if name in CLIENT_FIELDS:
            setattr(client, name, value)
    client.registration_code = client.registration_code.strip()
    _check_churn(client)
    _check_referral(client)
    _check_unique_code(client)
    if handing_over:
        # The same path as a handover of many: follow-ups and complaints move, both managers hear of it.
        hand_over_clients(actor=actor, clients=Client.objects.filter(pk=client.pk), manager=new_manager)
        client.account_manager = new_manager
    client._history_user = actor
    client.save(update_fields=EDITED_FIELDS)
    if tags is not None:
        client.tags.set(_tag_objects(tags))
    return client


@transaction.atomic
def reassign_client(*, actor: User, client: Client, manager: User) -> Client:
    """Give the client to another manager of the actor's team (any manager for admins)."""
    if not can_reassign_client(actor, client):
        raise ApplicationError(_("Only team leads and administrators reassign clients."))
    if not list_assignable_managers(actor).filter(pk=manager.pk).exists():
        raise ApplicationError(_("You cannot assign clients to this person."), field="manager")
    if client.account_manager_id == manager.pk:
        return client
    hand_over_clients(actor=actor, clients=Client.objects.filter(pk=client.pk), manager=manager)
    client.refresh_from_db(fields=["account_manager", "updated_at"])
    return client


@transaction.atomic
def hand_over_clients(
    *, actor: User, clients: QuerySet[Client], manager: User, note: str = "", now: datetime | None = None
) -> Handover:
    """Give clients to another manager (a team lead within their team, an admin anywhere); their open follow-ups
    and complaints go with them and both managers are told (the registered steps, clients.handover).

    Clients already with that manager are left alone. Nothing changes when any of the clients may not be
    handed over by the actor. Each moved client's history records the change with the actor and the handover.
    """
    now = now or timezone.now()
    if not can_hand_over_clients(actor):
        raise ApplicationError(_("Only team leads and administrators reassign clients."))
    if manager is None or not list_assignable_managers(actor).filter(pk=manager.pk).exists():
        raise ApplicationError(_("You cannot assign clients to this person."), field="manager")
    # Locked first, so no one reassigns or edits them meanwhile; whether the actor may hand each one over is
    # read in the same statement, on the locked rows.
    reassignable = clients_reassignable_by(actor)
    allowed = Value(True) if actor.is_admin else Exists(reassignable.filter(pk=OuterRef("pk")))
    locked = list(
        Client.objects.select_for_update()
        .filter(pk__in=clients.values("pk"))
        .annotate(may_hand_over=allowed)
        .order_by("pk")
    )
    if not locked:
        raise ApplicationError(_("Choose at least one client to hand over."), field="clients")
    refused = sum(1 for client in locked if not client.may_hand_over)
    if refused:
        raise ApplicationError(
            _("You may hand over only your team's clients; %(count)s of these are not.") % {"count": refused},
            field="clients",
        )
    moving = [client for client in locked if client.account_manager_id != manager.pk]
    if not moving:
        raise ApplicationError(
            _("These clients are already managed by %(manager)s.") % {"manager": manager}, field="clients"
        )

    previous = {client.pk: client.account_manager_id for client in moving}
    handover = Handover.objects.create(
        actor=actor, manager=manager, note=(note or "").strip(), created_at=now, client_count=len(moving)
    )
    HandoverClient.objects.bulk_create(
        [HandoverClient(handover=handover, client_id=pk, previous_manager_id=old) for pk, old in previous.items()],
        batch_size=HANDOVER_BATCH_SIZE,
    )
    # Every row gets the same manager: one UPDATE (bulk_update would write a CASE per row), then one history
    # record per client with the actor and the handover as the reason, as a single save would have written.
    Client.objects.filter(pk__in=HandoverClient.objects.filter(handover=handover).values("client_id")).update(
        account_manager=manager, updated_at=now
    )
    for client in moving:
        client.account_manager, client.updated_at = manager, now
    records = Client.history.bulk_history_create(
        moving,
        batch_size=HANDOVER_BATCH_SIZE,
        update=True,
        default_user=actor,
        default_change_reason=handover_change_reason(handover),
        default_date=now,
    )
    _record_tags_history(records, handover)

    previous_ids = {pk for pk in previous.values() if pk is not None}
    clients_by_previous: dict[int | None, int] = {}
    for old in previous.values():
        clients_by_previous[old] = clients_by_previous.get(old, 0) + 1
    run = HandoverRun(
        handover=handover,
        actor=actor,
        manager=manager,
        now=now,
        previous_managers=User.objects.in_bulk(previous_ids),
        clients_by_previous=clients_by_previous,
    )
    handover.counts = run_handover_steps(run)
    handover.save(update_fields=["counts"])
    record_audit(
        actor=actor,
        action=AuditAction.HANDOVER,
        subject=manager.email,
        object_type="handover",
        object_id=handover.pk,
        details={"manager": manager.pk, "clients": handover.client_count, "moved": handover.counts},
    )
    return handover


def _record_tags_history(records: list | None, handover: Handover) -> None:
    """The tags each history record shows, as simple-history writes them after a save (its bulk writer does not):
    without them the next change would read as tags removed and added back."""
    if not records:
        return
    history_tags = records[0].tags.model  # the historical through model
    through = Client.tags.through
    by_client: dict[int, list] = {}
    moved = HandoverClient.objects.filter(handover=handover).values("client_id")
    for row in through.objects.filter(client_id__in=moved).order_by("pk"):
        by_client.setdefault(row.client_id, []).append(row)
    history_tags.objects.bulk_create(
        [
            history_tags(history=record, id=row.pk, client_id=row.client_id, tag_id=row.tag_id)
            for record in records
            for row in by_client.get(record.id, [])
        ],
        batch_size=HANDOVER_BATCH_SIZE,
    )
