"""Survey tokens: 256 random bits in the e-mail link, only their SHA-256 in the database."""

import hashlib
import hmac
import secrets

from ..models import SurveyRequest

TOKEN_BYTES = 32  # 256 bits, well over the 128 required


def new_token() -> tuple[str, str]:
    """(token for the link, hash to store)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_request(token: str) -> SurveyRequest | None:
    """The request whose token this is, or None: unknown, tampered and malformed tokens alike.

    The lookup is by hash (an index, not a string comparison of secrets); the final comparison
    is constant-time.
    """
    if not token or len(token) > 100:
        return None
    digest = hash_token(token)
    request = SurveyRequest.objects.filter(token_hash=digest).select_related("template", "client", "contact").first()
    if request is None or not hmac.compare_digest(request.token_hash, digest):
        return None
    return request
