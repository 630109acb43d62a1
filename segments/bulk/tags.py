"""Adding or removing a tag on a segment's members: set-wise, and recorded in each changed client's history."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Client, Tag
from core.exceptions import ApplicationError

from ..models import BulkAction, BulkActionKind, BulkActionStatus, Segment
from .access import check_can_act, members_to_act_on
from .audit import audit_bulk_action

CHUNK = 1000
ClientTag = Client.tags.through
# simple-history's snapshot of a client's tags, one per historical record (clients.selectors reads it back).
HistoricalClientTag = Client.history.model.tags.model


def clean_tag_name(name: str) -> str:
    """A tag name as clients.services.parse_tags keeps it: spaces collapsed, at most 50 characters."""
    cleaned = " ".join((name or "").split())[:50]
    if not cleaned:
        raise ApplicationError(_("Name the tag."), field="tag")
    return cleaned


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _record_history(client_ids: list[int], *, actor: User, action: BulkAction) -> None:
    """One change-history record per changed client, with its tags as they are now, as a save by the actor
    would have written it: the next edit of the client must not show this action's tags as its own change."""
    clients = list(Client.objects.filter(pk__in=client_ids).order_by("pk"))
    records = Client.history.bulk_history_create(
        clients,
        update=True,
        default_user=actor,
        default_date=action.created_at,
        default_change_reason=f"segment action {action.pk}",
    )
    history_of = {record.id: record.pk for record in records}
    links = ClientTag.objects.filter(client_id__in=client_ids).values_list("pk", "client_id", "tag_id")
    HistoricalClientTag.objects.bulk_create(
        [
            HistoricalClientTag(id=pk, client_id=client_id, tag_id=tag_id, history_id=history_of[client_id])
            for pk, client_id, tag_id in links
        ]
    )


def _record(*, actor: User, segment: Segment, kind: str, tag: Tag, matched: int, changed: int) -> BulkAction:
    return BulkAction.objects.create(
        segment=segment,
        segment_name=segment.name,
        kind=kind,
        params={"tag": tag.pk, "tag_name": tag.name},
        actor=actor,
        status=BulkActionStatus.DONE,
        matched=matched,
        changed=changed,
        skipped=matched - changed,
        finished_at=timezone.now(),
    )


@transaction.atomic
def add_tag_to_segment(*, actor: User, segment: Segment, tag: str) -> BulkAction:
    """Tag every member client the actor may act on (a new tag name creates the tag); those already
    tagged are skipped."""
    check_can_act(actor)
    name = clean_tag_name(tag)
    members, matched = members_to_act_on(actor, segment)
    tag_row = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
    to_tag = list(members.exclude(tags=tag_row).values_list("pk", flat=True))
    action = _record(
        actor=actor, segment=segment, kind=BulkActionKind.ADD_TAG, tag=tag_row, matched=matched, changed=len(to_tag)
    )
    for chunk in _chunks(to_tag):
        # A client tagged meanwhile by someone else is left as it is.
        ClientTag.objects.bulk_create(
            [ClientTag(client_id=pk, tag_id=tag_row.pk) for pk in chunk], ignore_conflicts=True
        )
        _record_history(chunk, actor=actor, action=action)
    audit_bulk_action(action)
    return action


@transaction.atomic
def remove_tag_from_segment(*, actor: User, segment: Segment, tag: str) -> BulkAction:
    """Untag every member client the actor may act on; those without the tag are skipped."""
    check_can_act(actor)
    name = clean_tag_name(tag)
    tag_row = Tag.objects.filter(name__iexact=name).first()
    if tag_row is None:
        raise ApplicationError(_("There is no tag with this name."), field="tag")
    members, matched = members_to_act_on(actor, segment)
    to_untag = list(members.filter(tags=tag_row).values_list("pk", flat=True))
    action = _record(
        actor=actor,
        segment=segment,
        kind=BulkActionKind.REMOVE_TAG,
        tag=tag_row,
        matched=matched,
        changed=len(to_untag),
    )
    for chunk in _chunks(to_untag):
        ClientTag.objects.filter(tag=tag_row, client_id__in=chunk).delete()
        _record_history(chunk, actor=actor, action=action)
    audit_bulk_action(action)
    return action
