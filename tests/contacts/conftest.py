"""The contacts tests' shared world: a person with data in every app (the privacy tests), and a grep of the database."""

import datetime
import json
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from accounts.models import AuditEvent
from contacts.models import Contact
from contacts.services import update_contact
from core.outbox import DeliveryStatus
from feedback.models import SurveyKind, SurveyResponse, SurveyStatus
from feedback.services.closed_loop import open_loop
from interactions.models import Notification, Reminder
from segments.models import Announcement, AnnouncementDelivery, BulkAction, BulkActionKind
from tests.factories.complaints import make_complaint, reply
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, survey_template
from tests.factories.interactions import InteractionFactory
from tests.factories.orders import OrderFactory

NAME, OLD_NAME = "Jurgita Privataitė", "Jurgita Senoji"
EMAIL, OLD_EMAIL = "jurgita@privacy.example", "j.senoji@privacy.example"
PHONE = "+37061111111"
POSITION = "Head of purchasing"
COMMENT = "Deliveries are late again, call me"
# Every trace of the person that erasure must remove: the grep of the database looks for these.
TRACES = ("Jurgita", "Privatait", "Senoji", "jurgita@", "j.senoji@", "61111111", POSITION, COMMENT)


def _answer(contact, score, *, kind=SurveyKind.NPS, comment="", at=None):
    at = at or timezone.now() - datetime.timedelta(days=2)
    request = SurveyRequestFactory(
        contact=contact,
        template=survey_template(kind.upper()),
        status=SurveyStatus.ANSWERED,
        sent_at=at - datetime.timedelta(hours=1),
        answered_at=at,
    )
    return SurveyResponse.objects.create(
        request=request, client=contact.client, kind=kind, score=score, comment=comment, answered_at=at
    )


def _announcement(actor, contacts):
    action = BulkAction.objects.create(segment_name="Spring", kind=BulkActionKind.ANNOUNCEMENT, actor=actor)
    announcement = Announcement.objects.create(
        action=action, kind="update", subject_en="New prices", body_en="…", subject_lt="Naujos kainos", body_lt="…"
    )
    for contact, status in contacts:
        AnnouncementDelivery.objects.create(
            announcement=announcement,
            contact=contact,
            client=contact.client,
            email=contact.email,
            language=contact.language,
            status=status,
            next_attempt_at=timezone.now(),
            last_error=f"421 try later: {contact.email}" if status == DeliveryStatus.PENDING else "",
        )
    return announcement


@pytest.fixture
def person(org):
    """A contact with data in every app, a colleague of theirs at the same client with data of their own, and an
    admin's change of the contact in the Django admin's log."""
    contact = ContactFactory(
        client=org.client, full_name=OLD_NAME, email=OLD_EMAIL, phone=PHONE, position=POSITION, language="lt"
    )
    update_contact(actor=org.manager, contact=contact, full_name=NAME, email=EMAIL)
    other = ContactFactory(client=org.client, full_name="Otto Other", email="otto@other.example")
    both = InteractionFactory(client=org.client, contacts=[contact, other], subject="Price talk", notes="Agreed terms")
    InteractionFactory(client=org.client, contacts=[other], subject="Otto only")
    order = OrderFactory(client=org.client, contact=contact, notes="Rush")
    OrderFactory(client=org.client, contact=other)
    complaint = make_complaint(actor=org.manager, client=org.client, contact=contact, description="Broken pallets")
    reply(complaint, actor=org.manager, at=timezone.now(), body="Replacement is on its way.")
    make_complaint(actor=org.manager, client=org.client, contact=other, subject="Otto's complaint")
    low = _answer(contact, 3, comment=COMMENT)
    open_loop(low)  # a follow-up and notifications that quote the person's name and comment
    _answer(contact, 5, kind=SurveyKind.CSAT, comment="Fine")
    _answer(other, 10, comment="Otto is happy")
    pending = SurveyRequestFactory(contact=contact, last_error=f"recipient refused: {EMAIL}")
    low.refresh_from_db()
    reminder = Reminder.objects.get(follow_up=low.follow_up)
    Notification.objects.create(recipient=org.manager, key=f"reminder:{reminder.pk}:x", title=low.follow_up.title)
    announcement = _announcement(org.admin, [(contact, DeliveryStatus.PENDING), (other, DeliveryStatus.PENDING)])
    LogEntry.objects.create(
        user=org.admin,
        content_type=ContentType.objects.get_for_model(Contact),
        object_id=str(contact.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message="[]",
    )
    AuditEvent.objects.all().delete()
    return SimpleNamespace(
        contact=contact,
        other=other,
        interaction=both,
        order=order,
        complaint=complaint,
        low=low,
        pending=pending,
        announcement=announcement,
    )


def _as_text(value) -> str:
    return value.as_e164 if hasattr(value, "as_e164") else str(value)  # a phone number as stored: +37061111111


def database_text(*, but: tuple[type[models.Model], ...] = ()) -> str:
    """Every text, e-mail, phone and JSON value of every row of every table (`but` these models): what a grep of a
    dump would read."""
    kinds = (models.CharField, models.TextField, models.JSONField)
    chunks = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if fields and model._meta.db_table != "django_session" and model not in but:
            for row in model._default_manager.values_list(*fields):
                chunks.append(json.dumps(row, ensure_ascii=False, default=_as_text))
    return "\n".join(chunks)
