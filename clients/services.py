"""Writes of clients. Every change records who made it (django-simple-history)."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import list_assignable_managers
from core.exceptions import ApplicationError

from .models import Client, Source, Status, Tag
from .selectors import can_edit_client, can_reassign_client

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
        client.account_manager = new_manager
    for name, value in fields.items():
        if name in CLIENT_FIELDS:
            setattr(client, name, value)
    client.registration_code = client.registration_code.strip()
    _check_churn(client)
    _check_referral(client)
    _check_unique_code(client)
    client._history_user = actor
    client.save()
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
    client.account_manager = manager
    client._history_user = actor
    client.save(update_fields=["account_manager", "updated_at"])
    return client
