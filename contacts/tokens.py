"""Signed tokens naming a contact, for links in e-mails that work without signing in (one-click unsubscribe).

Each kind of link has its own salt, so a token made for one purpose (stop surveys) cannot be replayed for another
(stop announcements). The token is signed, not stored: it needs no table and cannot be guessed.
"""

from django.core import signing


def make_contact_token(contact_id: int, *, salt: str) -> str:
    return signing.dumps(contact_id, salt=salt, compress=True)


def read_contact_token(token: str, *, salt: str) -> int | None:
    """The contact id the token names, or None for a token that is forged, damaged or made with another salt."""
    try:
        return int(signing.loads(token, salt=salt))
    except (signing.BadSignature, ValueError, TypeError):
        return None
