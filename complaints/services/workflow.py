"""The complaint workflow: one transition function for every entry point (page, API, admin)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError

from ..models import TRANSITIONS, ActivityKind, Complaint, ComplaintActivity, ComplaintStatus, RootCause
from ..permissions import can_edit_complaint
from ..signals import complaint_reopened, complaint_resolved
from . import sla


class TransitionNotAllowed(ApplicationError):
    """The complaint's current status does not lead to the requested one (the API answers 409)."""


def _label(status: str) -> str:
    return str(ComplaintStatus(status).label)


@transaction.atomic
def transition_complaint(
    *,
    actor: User,
    complaint: Complaint,
    to_status: str,
    resolution: str = "",
    root_cause: RootCause | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Complaint:
    """Move the complaint to `to_status` if the workflow allows it, writing its timestamps and SLA clocks.

    Resolving needs a resolution text and a root cause and stops the clocks; waiting for the
    client pauses the resolution clock and going back resumes it; a resolved complaint is
    reopened (back to in progress) only within settings.COMPLAINT_REOPEN_DAYS, with the budget
    it had left. Every change is a thread entry with who and when.
    """
    now = now or timezone.now()
    # Lock only the complaint row: PostgreSQL refuses FOR UPDATE on the nullable side of the
    # calendar's outer join, and the client row needs no lock.
    locked = Complaint.objects.select_for_update(of=("self",))
    complaint = locked.select_related("client", "calendar").get(pk=complaint.pk)
    if not can_edit_complaint(actor, complaint):
        raise ApplicationError(_("You can view this complaint but not change it."))
    if to_status not in ComplaintStatus.values:
        raise ApplicationError(_("Unknown status “%(status)s”.") % {"status": to_status}, field="status")
    if to_status not in TRANSITIONS[complaint.status]:
        raise TransitionNotAllowed(
            _("A complaint that is “%(current)s” cannot become “%(target)s”.")
            % {"current": _label(complaint.status), "target": _label(to_status)},
            field="status",
        )
    from_status = complaint.status
    resolution = (resolution or "").strip()
    if to_status == ComplaintStatus.RESOLVED:
        if not resolution:
            raise ApplicationError(_("Describe how the complaint was resolved."), field="resolution")
        if root_cause is None or not root_cause.is_active:
            raise ApplicationError(_("Choose the root cause."), field="root_cause")
        complaint.resolution, complaint.root_cause = resolution, root_cause
        complaint.resolved_at = now
        sla.stop(complaint, now)
    elif to_status == ComplaintStatus.WAITING:
        sla.pause(complaint, now)
    elif to_status == ComplaintStatus.IN_PROGRESS:
        if from_status == ComplaintStatus.RESOLVED:
            limit = timedelta(days=settings.COMPLAINT_REOPEN_DAYS)
            if complaint.resolved_at and now - complaint.resolved_at > limit:
                raise ApplicationError(
                    _("A complaint can be reopened within %(days)d days of its resolution; register a new one.")
                    % {"days": settings.COMPLAINT_REOPEN_DAYS},
                    field="status",
                )
            complaint.cycle += 1
            complaint.reopen_count += 1
            complaint.resolved_at = None
            complaint.resolution_seconds = None
            sla.resume(complaint, now)
        elif from_status == ComplaintStatus.WAITING:
            sla.resume(complaint, now)
    elif to_status == ComplaintStatus.CLOSED:
        complaint.closed_at = now
    complaint.status = to_status
    complaint.save()
    ComplaintActivity.objects.create(
        complaint=complaint,
        kind=ActivityKind.STATUS,
        author=actor,
        at=now,
        from_value=from_status,
        to_value=to_status,
        body=resolution if to_status == ComplaintStatus.RESOLVED else (note or "").strip(),
    )
    kwargs = {"sender": Complaint, "complaint_id": complaint.pk, "cycle": complaint.cycle, "actor_id": actor.pk}
    if to_status == ComplaintStatus.RESOLVED:
        transaction.on_commit(lambda: complaint_resolved.send(resolved_at=now, **kwargs))
    elif from_status == ComplaintStatus.RESOLVED and to_status == ComplaintStatus.IN_PROGRESS:
        # Only a reopen: closing a resolved complaint must not drop its pending CSAT survey.
        transaction.on_commit(lambda: complaint_reopened.send(**kwargs))
    return complaint
