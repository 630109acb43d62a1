"""In-app notifications: created once per event key, read by their recipient only."""

import zoneinfo
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError

from ..models import Notification


def notify(*, recipient: User, key: str, title: str, body: str = "", url: str = "") -> Notification:
    """Notify the recipient of an event once: the same (recipient, key) never makes a second row."""
    # get_or_create retries the read inside a savepoint on IntegrityError, so two
    # workers racing on the same key both end with the one row.
    notification, _created = Notification.objects.get_or_create(
        recipient=recipient,
        key=key,
        defaults={"title": Truncator(title).chars(200), "body": body, "url": url},
    )
    return notification


@transaction.atomic
def mark_read(*, user: User, notification: Notification, now: datetime | None = None) -> Notification:
    """The recipient has seen the notification; reading it again keeps the first read time."""
    if notification.recipient_id != user.pk:
        raise ApplicationError(_("This notification is not yours."))
    if notification.read_at is None:
        read_at = now or timezone.now()
        if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=read_at):
            notification.read_at = read_at
        else:  # read meanwhile (another tab): keep that first time
            notification.refresh_from_db(fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user: User, now: datetime | None = None) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now or timezone.now())


def recipient_zone(user: User | str) -> zoneinfo.ZoneInfo:
    """The time zone a message to this user (or to users of this zone name) is written in."""
    try:
        return zoneinfo.ZoneInfo(user if isinstance(user, str) else user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def absolute_url(path: str) -> str:
    """A link for an e-mail: the site's public address (SITE_URL) plus the page's path."""
    return settings.SITE_URL.rstrip("/") + path
