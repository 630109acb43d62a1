"""The private calendar feed link: turned on, replaced (the old link stops working) or turned off."""

import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import CalendarFeed


def _new_token() -> str:
    # 32 random bytes: the token is the only thing guarding the feed, so it must not be guessable.
    return secrets.token_urlsafe(32)


@transaction.atomic
def create_calendar_feed(*, user: User) -> CalendarFeed:
    """Turn the user's feed on; an existing link is kept as it is."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": _new_token()})
    return feed


@transaction.atomic
def regenerate_calendar_feed(*, user: User) -> CalendarFeed:
    """Give the user a new feed link (turning the feed on if it was off); the old link stops working at once."""
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return CalendarFeed.objects.create(user=user, token=_new_token())
    feed.token = _new_token()
    feed.created_at = timezone.now()
    feed.save(update_fields=["token", "created_at"])
    return feed


@transaction.atomic
def revoke_calendar_feed(*, user: User) -> None:
    """Turn the user's feed off: the link stops working; a new one can be made later."""
    CalendarFeed.objects.filter(user=user).delete()
