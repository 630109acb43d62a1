"""Writing an announcement: the e-mail in en/ru/lt and one delivery row per contact of the segment's members.

Rows first (DESIGN principle 1): every contact gets their row in the same transaction as the announcement,
pending or already skipped with the reason (opted out, no e-mail address, an address another contact of the
announcement already gets), and Celery delivers the pending ones after the commit (segments.bulk.delivery).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from contacts.models import Contact
from core.enqueue import enqueue_on_commit
from core.exceptions import ApplicationError
from core.outbox import DeliveryStatus

from ..models import (
    Announcement,
    AnnouncementDelivery,
    AnnouncementKind,
    BulkAction,
    BulkActionKind,
    BulkActionStatus,
    Segment,
    SkippedReason,
)
from .access import members_to_act_on
from .audit import audit_bulk_action

CHUNK = 1000
SUBJECT_MAX = Announcement._meta.get_field("subject_en").max_length
BODY_MAX = Announcement._meta.get_field("body_en").max_length
LANGUAGE_NAMES = {"en": gettext_lazy("English"), "ru": gettext_lazy("Russian"), "lt": gettext_lazy("Lithuanian")}


def check_texts(texts: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(the subjects and bodies trimmed, {field: error}): English is required, Russian and Lithuanian are both
    given or both left empty (those contacts get the English ones then)."""
    cleaned, errors = {}, {}
    for language, name in LANGUAGE_NAMES.items():
        subject = " ".join((texts.get(f"subject_{language}") or "").split())
        body = (texts.get(f"body_{language}") or "").replace("\r\n", "\n").strip()
        if (language == "en" or subject or body) and not subject:
            errors[f"subject_{language}"] = _("Write the subject in %(language)s.") % {"language": name}
        elif len(subject) > SUBJECT_MAX:
            errors[f"subject_{language}"] = _("Keep the subject within %(max)d characters.") % {"max": SUBJECT_MAX}
        if (language == "en" or subject or body) and not body:
            errors[f"body_{language}"] = _("Write the text in %(language)s.") % {"language": name}
        elif len(body) > BODY_MAX:
            errors[f"body_{language}"] = _("Keep the text within %(max)d characters.") % {"max": BODY_MAX}
        cleaned[f"subject_{language}"], cleaned[f"body_{language}"] = subject, body
    return cleaned, errors


def clean_texts(texts: dict[str, str]) -> dict[str, str]:
    """The texts trimmed, or the first rule they break as an ApplicationError on its field."""
    cleaned, errors = check_texts(texts)
    for field, message in errors.items():
        raise ApplicationError(message, field=field)
    return cleaned


def _write_deliveries(announcement: Announcement, members, now) -> tuple[int, int]:
    """One row per contact of the member clients, in chunks; (pending, skipped)."""
    contacts = list(
        Contact.objects.filter(client__in=members.values("pk"))
        .order_by("pk")
        .values_list("pk", "client_id", "email", "language", "announcement_opt_out")
    )
    if not contacts:
        raise ApplicationError(_("The clients of this segment have no contacts to write to."))
    addresses: set[str] = set()
    rows, pending = [], 0
    for contact_id, client_id, email, language, opted_out in contacts:
        reason = ""
        if opted_out:
            reason = SkippedReason.OPTED_OUT
        elif not email:
            reason = SkippedReason.NO_EMAIL
        elif email.lower() in addresses:
            reason = SkippedReason.DUPLICATE  # a person who is a contact of two clients gets one e-mail
        else:
            addresses.add(email.lower())
            pending += 1
        rows.append(
            AnnouncementDelivery(
                announcement=announcement,
                contact_id=contact_id,
                client_id=client_id,
                email=email,
                language=language,
                status=DeliveryStatus.CANCELLED if reason else DeliveryStatus.PENDING,
                skipped_reason=reason,
                next_attempt_at=now,
            )
        )
    for start in range(0, len(rows), CHUNK):
        AnnouncementDelivery.objects.bulk_create(rows[start : start + CHUNK])
    return pending, len(rows) - pending


@transaction.atomic
def create_announcement(
    *,
    actor: User,
    segment: Segment,
    kind: str,
    subject_en: str,
    body_en: str,
    subject_ru: str = "",
    body_ru: str = "",
    subject_lt: str = "",
    body_lt: str = "",
) -> Announcement:
    """E-mail a promotion or an update to every contact of the segment's member clients (within the actor's
    team for a lead), each in their language; opted-out contacts and those without an address are skipped."""
    from ..tasks import deliver_announcement_batch_task

    members, matched = members_to_act_on(actor, segment)
    if kind not in AnnouncementKind.values:
        raise ApplicationError(_("Choose whether this is a promotion or an update."), field="kind")
    texts = clean_texts(
        {
            "subject_en": subject_en,
            "body_en": body_en,
            "subject_ru": subject_ru,
            "body_ru": body_ru,
            "subject_lt": subject_lt,
            "body_lt": body_lt,
        }
    )
    now = timezone.now()
    action = BulkAction.objects.create(
        segment=segment,
        segment_name=segment.name,
        kind=BulkActionKind.ANNOUNCEMENT,
        actor=actor,
        matched=matched,
    )
    announcement = Announcement.objects.create(action=action, kind=kind, **texts)
    action.changed, action.skipped = _write_deliveries(announcement, members, now)
    action.params = {"announcement": announcement.pk}
    if not action.changed:  # everyone skipped: nothing left to deliver
        action.status, action.finished_at = BulkActionStatus.DONE, now
    action.save(update_fields=["changed", "skipped", "params", "status", "finished_at"])
    audit_bulk_action(action)
    if action.changed:
        enqueue_on_commit(deliver_announcement_batch_task, announcement.pk)
    return announcement
