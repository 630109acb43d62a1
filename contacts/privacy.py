"""A contact's personal data on request: everything the CRM holds about the person as JSON, and erasure.

Both are for administrators only and both are audited. Erasure anonymises the person, it does not delete records:
the contact row stays (as "Erased contact #12") so that the client's interactions, orders, complaints and survey
scores keep counting in every figure (NPS, CSAT, response rates), while the name, position, e-mail address and
phone number go from the row and from every version in its history, and each app that keeps personal data of its
own (a survey comment, a copied e-mail address) removes it through its registered source (contacts.personal_data).
The audit event names the contact by id only.
"""

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import record_audit
from accounts.models import AuditAction, AuditEvent, User
from core.exceptions import ApplicationError

from .models import Contact
from .personal_data import Erasure, get_personal_data_sources, plain, record
from .services import CONTACT_FIELDS as EDITABLE_FIELDS

EXPORT_FORMAT = "crm-contact-export/1"
# Stored in the row, so not translated (like the history's change reasons): pages show it as it is.
ERASED_LABEL = "Erased contact #{pk}"
ERASURE_REASON = "Personal data erased"
PERSONAL_FIELDS = ("full_name", "position", "email", "phone")
# What a contact holds: its editable fields (contacts.services) between its keys and timestamps.
CONTACT_FIELDS = ("id", "client", *EDITABLE_FIELDS, "created_at", "updated_at")
HISTORY_FIELDS = tuple(name for name in CONTACT_FIELDS if name not in ("updated_at",))


def erased_label(contact: Contact) -> str:
    return ERASED_LABEL.format(pk=contact.pk)


def can_manage_personal_data(user: User) -> bool:
    """Only administrators export or erase a person's data (DESIGN: the admin keeps the records)."""
    return user.is_authenticated and user.is_active and user.is_admin


def _ensure_admin(actor: User) -> None:
    if not can_manage_personal_data(actor):
        raise ApplicationError(_("Only administrators export or erase a contact's personal data."))


# --- reads -----------------------------------------------------------------------------------------------------------


def _history(contact: Contact) -> list[dict]:
    rows = Contact.history.filter(id=contact.pk).order_by("history_date", "history_id")
    return [
        {
            "history_date": plain(row.history_date),
            "history_type": row.history_type,
            "changed_by": row.history_user_id,
            "change_reason": row.history_change_reason or "",
            **{name: plain(getattr(row, "client_id" if name == "client" else name)) for name in HISTORY_FIELDS},
        }
        for row in rows
    ]


def get_contact_data(contact: Contact) -> dict:
    """Everything the CRM holds about the person: the contact, its history, and each registered source's records."""
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": plain(timezone.now()),
        "contact": record(contact, *CONTACT_FIELDS),
        "client": {"id": contact.client_id, "name": contact.client.name},
        "history": _history(contact),
    }
    for source in get_personal_data_sources():
        if source.export is not None:
            data[source.key] = source.export(contact)
    return data


def count_contact_data(data: dict) -> dict[str, int]:
    """How many records of each kind an export holds (for the page and the audit event; no personal data)."""
    return {key: len(value) for key, value in data.items() if isinstance(value, list)}


def is_erased(contact: Contact) -> bool:
    """Whether the contact holds no personal data (erased, and not filled in again since)."""
    return contact.full_name == erased_label(contact) and not (contact.position or contact.email or contact.phone)


def get_last_erasure(contact: Contact) -> AuditEvent | None:
    """When and by whom the contact's personal data was last erased, if ever (the audit log says so)."""
    return (
        AuditEvent.objects.filter(action=AuditAction.CONTACT_ERASURE, object_type="contact", object_id=str(contact.pk))
        .select_related("actor")
        .order_by("-created_at", "-pk")
        .first()
    )


# --- writes ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def export_contact_data(*, actor: User, contact: Contact, request=None) -> dict:
    """The person's data as one JSON-ready dict, for an administrator; the export is audited (ids and counts only)."""
    _ensure_admin(actor)
    data = get_contact_data(contact)
    record_audit(
        actor=actor,
        action=AuditAction.CONTACT_EXPORT,
        subject=f"Contact #{contact.pk}",
        object_type="contact",
        object_id=contact.pk,
        details={"client": contact.client_id, "records": count_contact_data(data)},
        request=request,
    )
    return data


def _erasure(contact: Contact) -> Erasure:
    """The label and every name and address the contact had, longest first (a longer name containing a shorter
    one is replaced whole)."""
    label = erased_label(contact)
    versions = list(Contact.history.filter(id=contact.pk).values_list("full_name", "email"))
    names = {contact.full_name, *(name for name, _email in versions)} - {"", label}
    emails = {contact.email, *(email for _name, email in versions)} - {""}
    return Erasure(
        contact=contact,
        label=label,
        names=tuple(sorted(names, key=lambda name: (-len(name), name))),
        emails=tuple(sorted(emails)),
    )


@transaction.atomic
def erase_contact(*, actor: User, contact: Contact, request=None) -> dict[str, int]:
    """Anonymise the person everywhere their personal data is kept, keeping every record and figure; irreversible.

    Safe to run again: a second erasure finds nothing left to change (it is audited again all the same).
    Returns the rows changed per place, which the audit event records.
    """
    _ensure_admin(actor)
    contact = Contact.objects.select_for_update().select_related("client").get(pk=contact.pk)
    erasure = _erasure(contact)
    # The other apps first: they look for the person's names, which the contact row still holds.
    changed = {source.key: source.erase(erasure) for source in get_personal_data_sources() if source.erase is not None}
    anonymous = {"full_name": erasure.label, "position": "", "email": "", "phone": ""}
    wanted = {**anonymous, "survey_opt_out": True, "announcement_opt_out": True}
    if any(getattr(contact, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(contact, name, value)
        # One history record of the erasure itself, by the admin: it shows the opt-outs set, not the name.
        contact._history_user = actor
        contact._change_reason = ERASURE_REASON
        contact.save()
        changed["contact"] = 1
    else:
        changed["contact"] = 0
    # Every earlier version of the contact held the person's details too.
    changed["history"] = Contact.history.filter(id=contact.pk).exclude(**anonymous).update(**anonymous)
    # Django admin's own log names the objects it changed.
    changed["admin_log"] = (
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk))
        .exclude(object_repr=erasure.label)
        .update(object_repr=erasure.label)
    )
    record_audit(
        actor=actor,
        action=AuditAction.CONTACT_ERASURE,
        subject=f"Contact #{contact.pk}",
        object_type="contact",
        object_id=contact.pk,
        details={"client": contact.client_id, "changed": changed},
        request=request,
    )
    return changed
