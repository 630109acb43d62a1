"""A contact's surveys in their data export, and what their erasure removes here (contacts.personal_data).

The scores stay, so NPS, CSAT and response rates do not move; what the person wrote (the comment) goes, and so
does their name where the closed loop quoted it: the follow-up's title ("Detractor: NPS 3 from Jonas Jonaitis")
with its history, and the in-app notifications about the answer and its follow-up's reminders.
"""

from django.db.models import Q
from django.utils import timezone

from contacts.personal_data import Erasure, record, replace_names
from interactions.models import FollowUp, Notification, Reminder

from .models import SurveyRequest, SurveyResponse, SurveyStatus

REQUEST_FIELDS = (
    "id",
    "client",
    "kind",
    "trigger",
    "status",
    "language",
    "scheduled_at",
    "sent_at",
    "expires_at",
    "answered_at",
    "suppressed_reason",
)
RESPONSE_FIELDS = ("score", "comment", "answered_at", "changed_at", "action_taken", "action_at")


def export_surveys(contact) -> list[dict]:
    """Every survey request to the person, with their answer when they gave one."""
    requests = SurveyRequest.objects.filter(contact=contact).select_related("template", "response").order_by("pk")
    result = []
    for survey in requests:
        row = record(survey, *REQUEST_FIELDS)
        row["template"] = survey.template.name
        answer = getattr(survey, "response", None)
        row["response"] = record(answer, *RESPONSE_FIELDS) if answer is not None else None
        result.append(row)
    return result


def erase_surveys(erasure: Erasure) -> int:
    """Blank the person's comments, quote them by label in the closed loop's texts, and stop what is still to go
    out to them (scheduled requests are cancelled, open links expire). Scores and dates stay."""
    contact, now = erasure.contact, timezone.now()
    responses = SurveyResponse.objects.filter(request__contact=contact)
    follow_up_ids = list(responses.exclude(follow_up=None).values_list("follow_up_id", flat=True))
    response_ids = list(responses.values_list("pk", flat=True))
    reminder_ids = list(Reminder.objects.filter(follow_up_id__in=follow_up_ids).values_list("pk", flat=True))
    about_them = Q(key__in=[f"survey-low:{pk}" for pk in response_ids])
    for pk in reminder_ids:  # a follow-up's reminders carry its title
        about_them |= Q(key__startswith=f"reminder:{pk}:")
    notifications = Notification.objects.filter(about_them)
    changed = responses.exclude(comment="").update(comment="")
    # A low score's notification carries the comment as its body.
    changed += notifications.filter(key__startswith="survey-low:").exclude(body="").update(body="")
    changed += replace_names(notifications, "title", erasure)
    follow_ups = FollowUp.objects.filter(pk__in=follow_up_ids)
    changed += replace_names(follow_ups, "title", erasure)
    changed += replace_names(FollowUp.history.filter(id__in=follow_up_ids), "title", erasure)
    requests = SurveyRequest.objects.filter(contact=contact)
    # A delivery error may quote the address ("recipient refused: jonas@…").
    changed += requests.exclude(last_error="").update(last_error="")
    changed += requests.filter(status=SurveyStatus.SCHEDULED).update(status=SurveyStatus.CANCELLED, updated_at=now)
    changed += (
        requests.filter(status=SurveyStatus.SENT)
        .filter(Q(expires_at=None) | Q(expires_at__gt=now))
        .update(status=SurveyStatus.EXPIRED, expires_at=now, updated_at=now)
    )
    return changed
