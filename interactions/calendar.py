"""The private iCalendar feed: a user's open follow-ups and planned interactions, for Google Calendar or Outlook.

Calendar apps fetch the feed without a session, so the token in the address is the only secret and everything
in the feed is read as that token's user: the same visibility selectors as the pages, in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from accounts.models import User
from contacts.models import Contact

from .models import CalendarFeed, FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind
from .selectors import follow_ups_visible_to, interactions_visible_to

# What a calendar app keeps in view: recent past for context, the next half year for planning.
WINDOW_PAST = timedelta(days=30)
WINDOW_AHEAD = timedelta(days=180)
# A follow-up is a moment, not a span; a short block at due time is what calendar apps show best.
FOLLOW_UP_LENGTH = timedelta(minutes=15)
# A planned entry without a duration still needs an end.
DEFAULT_INTERACTION_LENGTH = timedelta(minutes=60)
UID_DOMAIN = "crm"


def site_url(request: HttpRequest, path: str) -> str:
    """An absolute address: the configured public site address when there is one, else the request's host."""
    base = getattr(settings, "SITE_URL", "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)


def get_feed_url(request: HttpRequest, user: User) -> str:
    """The absolute address of the user's feed, or "" when it is off (one query)."""
    token = CalendarFeed.objects.filter(user=user).values_list("token", flat=True).first()
    if not token:
        return ""
    return site_url(request, reverse("interactions:calendar_feed", args=[token]))


def get_feed_user(token: str) -> User:
    """The active user whose feed has this token, else 404 (an unknown, replaced or revoked link)."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token, user__is_active=True).first()
    if feed is None:
        raise Http404
    return feed.user


@dataclass
class FeedItems:
    follow_ups: list[FollowUp]
    interactions: list[Interaction]


def list_feed_items(user: User, *, now: datetime | None = None) -> FeedItems:
    """The user's open follow-ups and the entries they planned (scheduled), inside the feed window.

    Clients the user no longer sees (reassigned away) drop out, as on "My day". Three queries whatever the size.
    """
    now = now or timezone.now()
    start, end = now - WINDOW_PAST, now + WINDOW_AHEAD
    follow_ups = (
        follow_ups_visible_to(user)
        .filter(assignee=user, status=FollowUpStatus.OPEN, due_at__gte=start, due_at__lt=end)
        .select_related("client", "interaction")
        .order_by("due_at", "pk")
    )
    interactions = (
        interactions_visible_to(user)
        .filter(logged_by=user, status=InteractionStatus.SCHEDULED, occurred_at__gte=start, occurred_at__lt=end)
        .select_related("client")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.only("pk", "full_name").order_by("full_name")))
        .order_by("occurred_at", "pk")
    )
    return FeedItems(follow_ups=list(follow_ups), interactions=list(interactions))


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def _event(*, uid: str, stamp: datetime, start: datetime, end: datetime, summary: str, description: str, url: str):
    event = Event()
    event.add("uid", f"{uid}@{UID_DOMAIN}")
    event.add("dtstamp", _utc(stamp))
    event.add("last-modified", _utc(stamp))
    event.add("dtstart", _utc(start))
    event.add("dtend", _utc(end))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    return event


def _follow_up_event(request: HttpRequest, follow_up: FollowUp):
    client_url = site_url(request, follow_up.client.get_absolute_url())
    lines = [_("Follow-up for %(client)s.") % {"client": follow_up.client.name}]
    if follow_up.interaction is not None and follow_up.interaction.subject:
        lines.append(_("From: %(subject)s") % {"subject": follow_up.interaction.subject})
    lines.append(client_url)
    return _event(
        uid=f"followup-{follow_up.pk}",
        stamp=follow_up.updated_at,
        start=follow_up.due_at,
        end=follow_up.due_at + FOLLOW_UP_LENGTH,
        summary=f"{follow_up.client.name}: {follow_up.title}",
        description="\n".join(lines),
        url=client_url,
    )


def _interaction_event(request: HttpRequest, interaction: Interaction):
    client = interaction.client
    client_url = site_url(request, client.get_absolute_url())
    length = timedelta(minutes=interaction.duration_minutes) if interaction.duration_minutes else None
    lines = [str(interaction.get_kind_display())]
    names = [contact.full_name for contact in interaction.contacts.all()]
    if names:
        lines.append(_("With: %(names)s") % {"names": ", ".join(names)})
    if interaction.notes:
        lines.append(interaction.notes)
    lines.append(client_url)
    event = _event(
        uid=f"interaction-{interaction.pk}",
        stamp=interaction.updated_at,
        start=interaction.occurred_at,
        end=interaction.occurred_at + (length or DEFAULT_INTERACTION_LENGTH),
        summary=f"{client.name}: {interaction.subject or interaction.get_kind_display()}",
        description="\n".join(lines),
        url=client_url,
    )
    address = ", ".join(part for part in (client.address, client.city) if part)
    if interaction.kind == Kind.VISIT and address:
        event.add("location", address)
    return event


def build_calendar(request: HttpRequest, user: User, *, now: datetime | None = None) -> bytes:
    """The user's feed as iCalendar bytes, in the user's language, every time in UTC."""
    items = list_feed_items(user, now=now)
    # Calendar apps fetch without a session: the feed speaks the language of its owner, not of the request.
    with translation.override(user.language):
        calendar = Calendar()
        calendar.add("prodid", "-//CRM//Calendar feed//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        calendar.add("x-wr-calname", _("CRM: %(name)s") % {"name": user.full_name})
        # Hints for how often to fetch again (Outlook and Apple read these; Google decides for itself).
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
        for follow_up in items.follow_ups:
            calendar.add_component(_follow_up_event(request, follow_up))
        for interaction in items.interactions:
            calendar.add_component(_interaction_event(request, interaction))
        return calendar.to_ical()
