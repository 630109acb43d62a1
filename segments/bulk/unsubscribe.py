"""The announcements' one-click unsubscribe: a signed token naming the contact, and the opt-out it leads to."""

from django.db import transaction

from contacts.models import Contact
from contacts.tokens import make_contact_token, read_contact_token

# Its own salt: a survey unsubscribe link cannot be replayed to stop announcements, nor the other way round.
UNSUBSCRIBE_SALT = "segments.announcements.unsubscribe"


def unsubscribe_token(contact_id: int) -> str:
    """A signed, unguessable token naming the contact, for the link in every announcement."""
    return make_contact_token(contact_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    return read_contact_token(token, salt=UNSUBSCRIBE_SALT)


@transaction.atomic
def opt_out_of_announcements(*, contact: Contact) -> bool:
    """The contact gets no more announcements, queued ones included (checked again at sending); False when they
    had opted out already."""
    if contact.announcement_opt_out:
        return False
    contact.announcement_opt_out = True
    contact._change_reason = "unsubscribed from announcements"
    contact.save(update_fields=["announcement_opt_out", "updated_at"])
    return True
