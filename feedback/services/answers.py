"""Recording an answer: only on POST, once per request (a database constraint), editable for 24 hours."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError

from ..models import SurveyRequest, SurveyResponse, SurveyStatus
from .closed_loop import open_loop
from .tokens import find_request

EDIT_WINDOW = timedelta(hours=24)


@dataclass
class Answerable:
    request: SurveyRequest | None
    state: str  # "open", "editable" (answered, still changeable), "locked", "expired", "unknown"
    response: SurveyResponse | None = None


def get_answerable(token: str, *, now: datetime | None = None) -> Answerable:
    """What the answer page may do with this token; reads only (a GET never records anything)."""
    now = now or timezone.now()
    request = find_request(token)
    if request is None or request.status not in (SurveyStatus.SENT, SurveyStatus.ANSWERED, SurveyStatus.EXPIRED):
        return Answerable(None, "unknown")
    response = SurveyResponse.objects.filter(request=request).first()
    if response is not None:
        editable = now - response.answered_at <= EDIT_WINDOW
        return Answerable(request, "editable" if editable else "locked", response)
    if request.status == SurveyStatus.EXPIRED or (request.expires_at and request.expires_at <= now):
        return Answerable(request, "expired")
    return Answerable(request, "open")


def clean_score(request: SurveyRequest, raw) -> int:
    """The score as an integer on the survey's scale, else a clear error."""
    text = "" if raw is None else str(raw).strip()
    # Plain ASCII digits only: int() would also take "1_0" (10) and non-Latin digits.
    score = int(text) if text.isascii() and text.isdigit() else None
    scale = request.template.scale
    if score is None or score not in scale:
        raise ApplicationError(
            _("Choose a score from %(low)d to %(high)d.") % {"low": scale.start, "high": scale.stop - 1},
            field="score",
        )
    return score


@transaction.atomic
def record_answer(*, token: str, score, comment: str = "", now: datetime | None = None) -> SurveyResponse:
    """Record (or, within 24 hours, change) the answer; a low score starts the closed loop once."""
    now = now or timezone.now()
    found = get_answerable(token, now=now)
    if found.state in ("unknown", "expired", "locked"):
        raise ApplicationError(
            {
                "unknown": _("This survey link is not valid."),
                "expired": _("This survey has expired."),
                "locked": _("This answer can no longer be changed."),
            }[found.state]
        )
    request = (
        SurveyRequest.objects.select_for_update(of=("self",))
        .select_related("template", "client")
        .get(pk=found.request.pk)
    )
    score = clean_score(request, score)
    comment = (comment or "").strip()[: settings.SURVEY_COMMENT_MAX_LENGTH]
    response = SurveyResponse.objects.filter(request=request).first()
    if response is None:
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    request=request,
                    client=request.client,
                    kind=request.kind,
                    score=score,
                    comment=comment,
                    answered_at=now,
                )
        except IntegrityError:  # a second submit raced this one: the first answer stands
            response = SurveyResponse.objects.get(request=request)
        request.status, request.answered_at = SurveyStatus.ANSWERED, now
        request.save(update_fields=["status", "answered_at", "updated_at"])
    elif now - response.answered_at <= EDIT_WINDOW:
        response.score, response.comment, response.changed_at = score, comment, now
        response.save(update_fields=["score", "comment", "changed_at"])
    else:
        raise ApplicationError(_("This answer can no longer be changed."))
    if response.is_low and response.follow_up_id is None:
        open_loop(response, now=now)
    return response
