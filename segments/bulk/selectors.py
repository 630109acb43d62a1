"""Reads of bulk actions: what an action would touch (for the forms), an announcement's progress and rows,
a segment's recent actions. Visibility: the callers pass what access.py returned."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from accounts.models import User
from clients.models import Client, Tag
from contacts.models import Contact
from core.outbox import DeliveryStatus
from feedback.models import SuppressedReason, SurveyRequest, SurveyStatus

from ..models import Announcement, AnnouncementDelivery, BulkAction, Segment, SkippedReason
from ..selectors import list_segment_clients
from .access import actions_visible_to
from .surveys import source_key_prefix

# The outcomes of an announcement's rows: the page's filter keys and progress counts.
DELIVERY_OUTCOMES = {
    "sent": {"status": DeliveryStatus.SENT},
    "pending": {"status__in": [DeliveryStatus.PENDING, DeliveryStatus.SENDING]},
    "failed": {"status": DeliveryStatus.FAILED},
    SkippedReason.OPTED_OUT.value: {"status": DeliveryStatus.CANCELLED, "skipped_reason": SkippedReason.OPTED_OUT},
    SkippedReason.NO_EMAIL.value: {"status": DeliveryStatus.CANCELLED, "skipped_reason": SkippedReason.NO_EMAIL},
    SkippedReason.DUPLICATE.value: {"status": DeliveryStatus.CANCELLED, "skipped_reason": SkippedReason.DUPLICATE},
}
DELIVERY_FILTERS = {key: Q(**lookups) for key, lookups in DELIVERY_OUTCOMES.items()}


def progress_counts(prefix: str = "") -> dict:
    """Aggregates counting the rows of each outcome (`prefix` "deliveries__" from the announcement)."""
    counts = {"total": Count(f"{prefix}pk")}
    for key, lookups in DELIVERY_OUTCOMES.items():
        counts[key] = Count(f"{prefix}pk", filter=Q(**{prefix + name: value for name, value in lookups.items()}))
    return counts


def count_segment_members(user: User, segment: Segment) -> int:
    return list_segment_clients(user, segment).count()


def count_tag_audience(user: User, segment: Segment, tag_name: str, *, remove: bool = False) -> dict:
    """How many members the user acts on, how many of them have the tag (named case-insensitively) and how many
    the action would change: those without it when adding, those with it when removing."""
    members = list_segment_clients(user, segment)
    name = " ".join(tag_name.split())
    tag = Tag.objects.filter(name__iexact=name).first() if name else None
    if tag is None:
        count = members.count()
        return {
            "members": count,
            "tagged": 0,
            "will_change": 0 if remove or not name else count,
            "tag": None,
            "name": name,
        }
    has_tag = Exists(Client.tags.through.objects.filter(client_id=OuterRef("pk"), tag_id=tag.pk))
    counts = members.aggregate(members=Count("pk"), tagged=Count("pk", filter=Q(has_tag)))
    change = counts["tagged"] if remove else counts["members"] - counts["tagged"]
    return {**counts, "will_change": change, "tag": tag, "name": name}


def count_survey_audience(user: User, segment: Segment) -> dict[str, int]:
    """Members the user acts on, and how many of them have a primary contact (one request each)."""
    members = list_segment_clients(user, segment)
    primary = Contact.objects.filter(is_primary=True, client__in=members.values("pk")).count()
    return {"members": members.count(), "primary_contacts": primary}


def count_announcement_audience(user: User, segment: Segment) -> dict[str, int]:
    """Who an announcement would reach among the contacts of the members the user acts on, in one query over the
    contacts: e-mails to send (one per address), contacts opted out, without an address, sharing an address."""
    members = list_segment_clients(user, segment)
    reachable = Q(announcement_opt_out=False) & ~Q(email="")
    counts = Contact.objects.filter(client__in=members.values("pk")).aggregate(
        contacts=Count("pk"),
        opted_out=Count("pk", filter=Q(announcement_opt_out=True)),
        no_email=Count("pk", filter=Q(announcement_opt_out=False, email="")),
        reachable=Count("pk", filter=reachable),
        sendable=Count(Lower("email"), distinct=True, filter=reachable),
    )
    counts["duplicate"] = counts.pop("reachable") - counts["sendable"]
    counts["members"] = members.count()
    return counts


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    pending: int
    failed: int
    opted_out: int
    no_email: int
    duplicate: int

    @property
    def skipped(self) -> int:
        return self.opted_out + self.no_email + self.duplicate

    @property
    def to_send(self) -> int:
        return self.sent + self.pending + self.failed

    @property
    def is_finished(self) -> bool:
        return self.pending == 0

    def percent(self, count: int) -> float:
        """Share of the e-mails to send, for the progress bar (0–100)."""
        return round(100 * count / self.to_send, 1) if self.to_send else 0.0

    @property
    def done_percent(self) -> int:
        return int(self.percent(self.sent + self.failed)) if self.to_send else 100


def get_announcement_progress(announcement: Announcement) -> Progress:
    """The announcement's rows counted by outcome, in one aggregate query."""
    return Progress(
        **AnnouncementDelivery.objects.filter(announcement_id=announcement.pk).aggregate(**progress_counts())
    )


def annotate_progress(announcements: QuerySet[Announcement]) -> QuerySet[Announcement]:
    """Each announcement with its rows counted by outcome (progress_total, progress_sent, …), in the same query."""
    return announcements.annotate(
        **{f"progress_{key}": value for key, value in progress_counts("deliveries__").items()}
    )


def list_announcement_deliveries(announcement: Announcement, *, show: str = "") -> QuerySet[AnnouncementDelivery]:
    """The announcement's rows with their contact and client, those of one outcome when `show` names one."""
    rows = AnnouncementDelivery.objects.filter(announcement_id=announcement.pk)
    if show in DELIVERY_FILTERS:
        rows = rows.filter(DELIVERY_FILTERS[show])
    return rows.select_related("contact", "client").order_by("pk")


def list_recent_segment_actions(user: User, segment: Segment, *, limit: int = 5) -> list[BulkAction]:
    """The latest actions on the segment the user may open (their own for a lead, all for an admin)."""
    return list(
        actions_visible_to(user)
        .filter(segment=segment)
        .select_related("actor", "announcement")
        .order_by("-created_at", "-pk")[:limit]
    )


def list_action_survey_requests(action: BulkAction) -> QuerySet[SurveyRequest]:
    return SurveyRequest.objects.filter(source_key__startswith=source_key_prefix(action.pk))


def count_survey_outcomes(action: BulkAction) -> list[dict]:
    """The action's survey requests by outcome (scheduled, sent, answered, suppressed with its reason), in one query."""
    rows = (
        list_action_survey_requests(action)
        .values("status", "suppressed_reason")
        .annotate(count=Count("pk"))
        .order_by("status", "suppressed_reason")
    )
    statuses, reasons = dict(SurveyStatus.choices), dict(SuppressedReason.choices)
    return [
        {
            "status": row["status"],
            "label": statuses.get(row["status"], row["status"]),
            "reason": reasons.get(row["suppressed_reason"], "") if row["suppressed_reason"] else "",
            "count": row["count"],
        }
        for row in rows
    ]
