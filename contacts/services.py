"""Writes of contacts: only those who may edit the client change its people."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client
from clients.selectors import can_edit_client
from core.exceptions import ApplicationError

from .models import Contact

CONTACT_FIELDS = (
    "full_name",
    "position",
    "email",
    "phone",
    "preferred_channel",
    "language",
    "is_primary",
    "is_decision_maker",
    "survey_opt_out",
    "announcement_opt_out",
)


def _ensure_can_edit(actor: User, client: Client) -> None:
    if not can_edit_client(actor, client):
        raise ApplicationError(_("You can view this client but not change it."))


def _take_primary(contact: Contact, actor: User) -> None:
    """One primary contact per client: the new primary takes the flag from the old one."""
    for other in Contact.objects.filter(client_id=contact.client_id, is_primary=True).exclude(pk=contact.pk):
        other.is_primary = False
        other._history_user = actor
        other.save(update_fields=["is_primary", "updated_at"])


@transaction.atomic
def create_contact(*, actor: User, client: Client, **fields) -> Contact:
    """Add a person to a client; the first contact becomes the primary one."""
    _ensure_can_edit(actor, client)
    contact = Contact(client=client, **{k: v for k, v in fields.items() if k in CONTACT_FIELDS})
    if not Contact.objects.filter(client=client).exists():
        contact.is_primary = True
    if contact.is_primary:
        _take_primary(contact, actor)
    contact._history_user = actor
    contact.save()
    return contact


@transaction.atomic
def update_contact(*, actor: User, contact: Contact, **fields) -> Contact:
    """Change a contact's details."""
    _ensure_can_edit(actor, contact.client)
    for name, value in fields.items():
        if name in CONTACT_FIELDS:
            setattr(contact, name, value)
    if contact.is_primary:
        _take_primary(contact, actor)
    contact._history_user = actor
    contact.save()
    return contact


@transaction.atomic
def delete_contact(*, actor: User, contact: Contact) -> None:
    """Remove a contact; the history keeps who removed it and when."""
    _ensure_can_edit(actor, contact.client)
    contact._history_user = actor
    contact.delete()
