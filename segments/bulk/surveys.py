"""A survey to a segment: one request to each member client's primary contact, written by Celery in batches.

The primary contact is the person a client is asked through everywhere else (order and complaint CSAT fall back to
them), so a segment survey asks each client once, not every person there. The requests are ordinary manual
survey requests: throttling, opt-outs, open complaints and the sending window apply when they are sent
(feedback.services.rules), and each one shows up, sent or suppressed with its reason, like any other.
"""

from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contacts.models import Contact
from core.enqueue import enqueue_on_commit
from core.exceptions import ApplicationError
from feedback.models import SurveyRequest, SurveyTemplate, TriggerKind
from feedback.services.scheduling import schedule_survey

from ..models import BulkAction, BulkActionKind, BulkActionStatus, Segment
from ..selectors import list_segment_clients
from .access import members_to_act_on
from .audit import audit_bulk_action

BATCH = 200


def source_key_prefix(action_id: int) -> str:
    """Every request of the action has the key "segment-action:<action>:<contact>": once per contact and action."""
    return f"segment-action:{action_id}:"


@transaction.atomic
def send_survey_to_segment(*, actor: User, segment: Segment, template: SurveyTemplate | None) -> BulkAction:
    """Ask each member client's primary contact (within the actor's team for a lead) to answer the survey;
    the requests are written in the background and sent under the usual rules."""
    from ..tasks import write_segment_survey_requests_task

    _members, matched = members_to_act_on(actor, segment)
    if template is None or not template.is_active:
        raise ApplicationError(_("Choose a survey that is switched on."), field="template")
    action = BulkAction.objects.create(
        segment=segment,
        segment_name=segment.name,
        kind=BulkActionKind.SEND_SURVEY,
        params={"template": template.pk, "template_name": template.name},
        actor=actor,
        matched=matched,
    )
    audit_bulk_action(action)
    enqueue_on_commit(write_segment_survey_requests_task, action.pk)
    return action


def write_survey_requests(action_id: int, *, batch: int = BATCH) -> bool:
    """Write the next batch of the action's survey requests; True when more may remain (run again).

    Safe to run twice or at once: a contact already asked by this action is skipped, and the unique source key
    stops a request written meanwhile by another run.
    """
    action = BulkAction.objects.select_related("segment", "actor").filter(pk=action_id).first()
    if action is None or action.kind != BulkActionKind.SEND_SURVEY or action.status != BulkActionStatus.RUNNING:
        return False
    now = timezone.now()
    BulkAction.objects.filter(pk=action.pk).update(last_batch_at=now)
    template = SurveyTemplate.objects.filter(pk=action.params.get("template")).first()
    if action.segment is None or action.actor is None or template is None:
        finish_survey_action(action)  # the segment, its author or the survey was removed meanwhile
        return False
    prefix = source_key_prefix(action.pk)
    asked = SurveyRequest.objects.filter(
        source_key=Concat(Value(prefix), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    )
    members = list_segment_clients(action.actor, action.segment)
    contacts = list(
        Contact.objects.filter(is_primary=True, client__in=members.values("pk"))
        .exclude(Exists(asked))
        .select_related("client")
        .order_by("pk")[:batch]
    )
    for contact in contacts:
        schedule_survey(
            trigger=TriggerKind.MANUAL,
            contact=contact,
            source_key=f"{prefix}{contact.pk}",
            at=now,
            requested_by=action.actor,
            template=template,
        )
    if len(contacts) == batch:
        return True
    finish_survey_action(action)
    return False


def finish_survey_action(action: BulkAction) -> None:
    """Record how many requests the action wrote; the member clients without a primary contact were skipped."""
    written = SurveyRequest.objects.filter(source_key__startswith=source_key_prefix(action.pk)).count()
    BulkAction.objects.filter(pk=action.pk, status=BulkActionStatus.RUNNING).update(
        status=BulkActionStatus.DONE,
        finished_at=timezone.now(),
        changed=written,
        skipped=max(action.matched - written, 0),
    )
