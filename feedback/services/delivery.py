"""Sending survey e-mails exactly once (core.outbox), in the contact's language and sending window."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from clients.models import Client
from contacts.tokens import make_contact_token, read_contact_token
from core import outbox
from interactions.services.notifications import absolute_url

from ..models import SurveyRequest, SurveyStatus
from .rules import next_sending_time, suppression_reason
from .tokens import new_token

UNSUBSCRIBE_SALT = "feedback.unsubscribe"


def unsubscribe_token(contact_id: int) -> str:
    """A signed, unguessable token naming the contact, for the one-click unsubscribe link."""
    return make_contact_token(contact_id, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> int | None:
    return read_contact_token(token, salt=UNSUBSCRIBE_SALT)


def _check(request: SurveyRequest, now: datetime) -> bool:
    # One decision per client at a time: two workers sending to the same contact (or client) would
    # otherwise both see "nothing sent yet" and both send. The lock lasts until the send commits.
    list(Client.objects.select_for_update().filter(pk=request.client_id).values_list("pk", flat=True))
    request.suppressed_reason = suppression_reason(request, now)
    return not request.suppressed_reason


def _send(request: SurveyRequest, now: datetime) -> None:
    """Write a fresh token's hash and the expiry, then e-mail the score links and the unsubscribe link."""
    token, request.token_hash = new_token()
    request.expires_at = now + timedelta(days=settings.SURVEY_TOKEN_DAYS)
    request.save(update_fields=["token_hash", "expires_at", "updated_at"])
    template = request.template
    answer_url = absolute_url(reverse("feedback:answer", args=[token]))
    unsubscribe_url = absolute_url(reverse("feedback:unsubscribe", args=[unsubscribe_token(request.contact_id)]))
    with translation.override(request.language):
        context = {
            "request": request,
            "contact": request.contact,
            "company": settings.COMPANY_NAME,
            "intro": template.text("intro"),
            "question": template.text("question"),
            "scores": [(score, f"{answer_url}?score={score}") for score in template.scale],
            "kind": template.kind,
            "unsubscribe_url": unsubscribe_url,
            "expires_at": request.expires_at,
        }
        subject = template.text("subject")
        text = render_to_string("feedback/email/survey.txt", context)
        html = render_to_string("feedback/email/survey.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[request.contact.email],
        headers={
            # RFC 8058: mail clients offer a one-click unsubscribe that POSTs to this address.
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    message.send()


def deliver_survey(request_id: int, *, now: datetime | None = None) -> bool:
    """Send one scheduled survey once; suppressed with a reason when the rules say no, postponed to
    the contact's sending window (09:00–17:00 on working days in their time zone)."""
    now = now or timezone.now()
    return outbox.deliver_once(
        SurveyRequest,
        request_id,
        send=lambda request: _send(request, now),
        still_wanted=lambda request: _check(request, now),
        unwanted_status=SurveyStatus.SUPPRESSED,
        unwanted_fields=("suppressed_reason",),
        postpone=lambda request: next_sending_time(request.contact, now),
        select_related=("contact__client", "template", "client"),
        now=now,
    )


def list_due_surveys(*, now: datetime | None = None) -> list[int]:
    return outbox.list_due_rows(SurveyRequest, now=now)


def expire_surveys(*, now: datetime | None = None) -> int:
    """Sent surveys past their expiry can no longer be answered."""
    now = now or timezone.now()
    return SurveyRequest.objects.filter(status=SurveyStatus.SENT, expires_at__lte=now).update(
        status=SurveyStatus.EXPIRED, updated_at=now
    )
