"""The closed loop: a detractor or an unhappy CSAT reaches the account manager at once."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from clients.models import Tier
from clients.selectors import can_edit_client
from complaints.business_time import next_business_moment
from complaints.services.sla import get_business_calendar, working_calendar
from core.exceptions import ApplicationError
from interactions.models import FollowUpStatus
from interactions.services.follow_ups import complete_follow_up, create_follow_up
from interactions.services.notifications import notify, recipient_zone

from ..models import SurveyKind, SurveyResponse


def _next_business_day(user: User, now: datetime) -> datetime:
    """The start of the user's next working day (their team's business calendar)."""
    calendar = working_calendar(get_business_calendar(user))
    tomorrow = timezone.localtime(now, calendar.zone).replace(hour=0, minute=0, second=0, microsecond=0)
    return next_business_moment(calendar, tomorrow + timedelta(days=1))


def _title(response: SurveyResponse) -> str:
    contact = response.request.contact
    if response.kind == SurveyKind.NPS:
        return _("Detractor: NPS %(score)d from %(contact)s, call back") % {"score": response.score, "contact": contact}
    return _("Unhappy client: CSAT %(score)d from %(contact)s, call back") % {
        "score": response.score,
        "contact": contact,
    }


@transaction.atomic
def open_loop(response: SurveyResponse, *, now: datetime | None = None) -> None:
    """A follow-up for the account manager due next business day, a notification to them now, and
    one to the team lead for VIP and key clients. Once per response."""
    now = now or timezone.now()
    client = response.client
    manager = client.account_manager
    if manager is None or not manager.is_active or response.follow_up_id:
        return
    with translation.override(manager.language):
        title = _title(response)
        follow_up = create_follow_up(
            actor=manager, client=client, title=title[:200], due_at=_next_business_day(manager, now), assignee=manager
        )
    response.follow_up = follow_up
    response.save(update_fields=["follow_up"])
    recipients = [manager]
    lead = manager.team.lead if manager.team_id and manager.team.lead_id else None
    if client.tier in (Tier.VIP, Tier.KEY) and lead is not None and lead.is_active and lead != manager:
        recipients.append(lead)
    for user in recipients:
        with translation.override(user.language), timezone.override(recipient_zone(user)):
            notify(
                recipient=user,
                key=f"survey-low:{response.pk}",
                title=f"{_title(response)} · {client.name}"[:200],
                body=response.comment[:300],
                url=client.get_absolute_url(),
            )


@transaction.atomic
def record_action(*, actor: User, response: SurveyResponse, text: str, now: datetime | None = None) -> SurveyResponse:
    """The manager writes down what was done about the feedback; its follow-up is marked done."""
    now = now or timezone.now()
    if not can_edit_client(actor, response.client):
        raise ApplicationError(_("You can view this client but not change it."))
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("Write what was done."), field="text")
    response.action_taken, response.action_by, response.action_at = text, actor, now
    response.save(update_fields=["action_taken", "action_by", "action_at"])
    follow_up = response.follow_up
    if follow_up is not None and follow_up.status == FollowUpStatus.OPEN:
        # the client's manager now may close it, whoever it was first assigned to (checked above)
        complete_follow_up(actor=actor, follow_up=follow_up, authorized=True)
    return response
