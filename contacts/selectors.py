"""Reads of contacts; visibility follows the contact's client."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import User
from clients.models import Client
from clients.selectors import diff_history_records, of_visible_clients, phone_contains_q

from .models import Contact


def contacts_visible_to(user: User) -> QuerySet[Contact]:
    """Contacts of the clients the user may see."""
    return of_visible_clients(Contact.objects.all(), user)


def get_contact_for_user(user: User, pk) -> Contact:
    """The contact if its client is visible to the user, else 404."""
    try:
        return contacts_visible_to(user).select_related("client__account_manager").get(pk=pk)
    except (Contact.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def list_client_contacts(client) -> list[Contact]:
    """A client's contacts, primary first."""
    return list(Contact.objects.filter(client=client).order_by("-is_primary", "-is_decision_maker", "full_name"))


def list_key_contacts(client, *, limit: int = 3) -> list[Contact]:
    """The primary contact first, then decision makers: who to call about this client."""
    return list(
        Contact.objects.filter(client=client)
        .filter(Q(is_primary=True) | Q(is_decision_maker=True))
        .order_by("-is_primary", "full_name")[:limit]
    )


def search_contacts(user: User, term: str, *, limit: int = 8) -> QuerySet[Contact]:
    """Visible contacts whose name, e-mail or phone contains the term."""
    term = term.strip()
    q = Q(full_name__icontains=term) | Q(email__icontains=term)
    q |= phone_contains_q("phone", term)
    return contacts_visible_to(user).filter(q).select_related("client").order_by("full_name")[:limit]


def get_client_contacts_history(client, limit: int) -> list[dict]:
    """Additions, changes and removals of the client's contacts, for the client's change history."""
    records = list(
        Contact.history.filter(client_id=client.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit * 2]
    )
    entries = diff_history_records(records, limit=limit)
    for entry in entries:
        entry["subject"] = entry["record"].full_name
    return entries


def get_primary_contact(client: Client) -> Contact | None:
    """The client's primary contact, else the first by name (the model's own ordering)."""
    return client.contacts.first()
