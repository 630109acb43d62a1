"""Reads of the signed-in user's notifications (the header bell and the notifications page).

A user only ever sees their own notifications: every read here is filtered by recipient.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User

from .models import Notification


def count_unread_notifications(user: User) -> int:
    """How many of the user's notifications are unread: one query on the (recipient, read_at) index."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def list_notifications(user: User) -> QuerySet[Notification]:
    """The user's notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def get_notification_for_user(user: User, pk) -> Notification:
    """The user's own notification, else 404 (someone else's is as good as missing)."""
    try:
        return Notification.objects.get(recipient=user, pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
