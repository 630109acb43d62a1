"""When a survey may go out: throttling, suppression and the sending window (DESIGN decisions)."""

import zoneinfo
from datetime import datetime, time, timedelta
from functools import lru_cache

import holidays
from babel.core import get_global
from django.conf import settings

from complaints.business_time import WorkingCalendar, next_business_moment
from complaints.models import OPEN_STATUSES, Complaint

from ..models import SuppressedReason, SurveyRequest, SurveyStatus, SurveyTrigger, TriggerKind

SENT_STATES = (SurveyStatus.SENT, SurveyStatus.ANSWERED, SurveyStatus.EXPIRED)


def contact_zone(contact) -> zoneinfo.ZoneInfo:
    """The contact's time zone: their country's when it has one zone, else the company's."""
    zones = get_global("territory_zones").get(str(contact.client.country or ""), [])
    return zoneinfo.ZoneInfo(zones[0] if len(zones) == 1 else settings.TIME_ZONE)


@lru_cache(maxsize=64)
def _public_holidays(country: str):
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:
        return {}


def sending_calendar(contact) -> WorkingCalendar:
    """09:00–17:00 on working days (Mon–Fri without public holidays) in the contact's zone."""
    days_off = _public_holidays(str(contact.client.country or ""))
    return WorkingCalendar(
        zone=contact_zone(contact),
        working_days=frozenset(range(5)),
        day_start=time(settings.SURVEY_SEND_FROM_HOUR),
        day_end=time(settings.SURVEY_SEND_UNTIL_HOUR),
        is_day_off=lambda day: day in days_off,
    )


def next_sending_time(contact, now: datetime) -> datetime:
    """`now` inside the contact's sending window, else when the window next opens."""
    return next_business_moment(sending_calendar(contact), now)


def suppression_reason(request: SurveyRequest, now: datetime) -> str:
    """Why this survey must not go out now ("" when it may). Checked again right before sending."""
    contact = request.contact
    # Switched off after it was scheduled: an admin turning a survey off stops what is queued too.
    if not request.template.is_active or _trigger_is_off(request.trigger):
        return SuppressedReason.INACTIVE
    if contact.survey_opt_out:
        return SuppressedReason.OPTED_OUT
    if not contact.email:
        return SuppressedReason.NO_EMAIL
    own_complaint = request.source_key if request.trigger == TriggerKind.COMPLAINT_RESOLVED else None
    open_complaints = Complaint.objects.filter(client_id=request.client_id, status__in=OPEN_STATUSES)
    if own_complaint:
        open_complaints = open_complaints.exclude(pk=_complaint_id(own_complaint))
    if open_complaints.exists():
        return SuppressedReason.OPEN_COMPLAINT
    others = SurveyRequest.objects.exclude(pk=request.pk)
    mine = others.filter(contact_id=request.contact_id)
    if mine.filter(status=SurveyStatus.SENT, expires_at__gt=now).exists():
        return SuppressedReason.OUTSTANDING
    exempt = request.trigger == TriggerKind.COMPLAINT_RESOLVED and settings.SURVEY_COMPLAINT_CSAT_EXEMPT
    cooldown = now - timedelta(days=settings.SURVEY_CONTACT_COOLDOWN_DAYS)
    if not exempt and mine.filter(status__in=SENT_STATES, sent_at__gt=cooldown).exists():
        return SuppressedReason.COOLDOWN
    month = now - timedelta(days=30)
    sent_to_client = others.filter(client_id=request.client_id, status__in=SENT_STATES, sent_at__gt=month).count()
    if sent_to_client >= settings.SURVEY_MAX_PER_CLIENT_PER_30_DAYS:
        return SuppressedReason.CLIENT_LIMIT
    return ""


def _trigger_is_off(kind: str) -> bool:
    # A manual survey has no trigger to switch off (only its template).
    return kind != TriggerKind.MANUAL and SurveyTrigger.objects.filter(kind=kind, is_enabled=False).exists()


def _complaint_id(source_key: str) -> int:
    # "complaint_resolved:<id>:<cycle>"
    return int(source_key.split(":")[1])
