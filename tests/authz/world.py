"""One world for the authorization matrix: the people of the `org` fixture and one record of every kind hanging off
the owner's client, built through the services as a person would, so that every URL has an object to point at."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.audit import record_audit
from accounts.models import AuditAction
from clients.models import Client
from clients.services import hand_over_clients
from feedback.models import SurveyResponse, SurveyStatus
from feedback.services.delivery import unsubscribe_token as survey_unsubscribe_token
from interactions.services.calendar import create_calendar_feed
from orders.services.attachments import add_attachment
from segments.bulk.announcements import create_announcement
from segments.bulk.tags import add_tag_to_segment
from segments.bulk.unsubscribe import unsubscribe_token as announcement_unsubscribe_token
from tests.factories.accounts import AdminFactory, ManagerFactory, TeamFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.complaints import make_complaint
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, make_sent_survey, survey_template
from tests.factories.interactions import FollowUpFactory, InteractionFactory, NotificationFactory
from tests.factories.orders import ProductFactory, make_order
from tests.factories.segments import SegmentFactory

# The owner's client: its name must never reach anyone who may not see it (tests/test_authorization_matrix.py).
OWN_CLIENT_NAME = "Own Client UAB"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

# Matrix column -> the person of the `org` fixture who plays it (None: signed out).
ROLE_PEOPLE = {
    "anonymous": None,
    "other_team_manager": "outsider",
    "same_team_manager": "teammate",
    "owner": "manager",
    "other_team_lead": "other_lead",
    "team_lead": "lead",
    "admin": "admin",
}


class World:
    def user(self, role: str):
        person = ROLE_PEOPLE[role]
        return getattr(self, person) if person else None


def build_world() -> World:
    """The `org` fixture's people and clients (same names, same teams), then the owner's records."""
    w = World()
    w.north = TeamFactory(name="North")
    w.south = TeamFactory(name="South")
    w.lead = TeamLeadFactory(full_name="Lina Lead", team=w.north)
    w.north.lead = w.lead
    w.north.save()
    w.other_lead = TeamLeadFactory(full_name="Sergej South-Lead", team=w.south)
    w.south.lead = w.other_lead
    w.south.save()
    w.manager = ManagerFactory(full_name="Mantas Owner", team=w.north)
    w.teammate = ManagerFactory(full_name="Tomas Teammate", team=w.north)
    w.outsider = ManagerFactory(full_name="Olga Outsider", team=w.south)
    w.admin = AdminFactory(full_name="Ada Admin")
    w.client = ClientFactory(name=OWN_CLIENT_NAME, account_manager=w.manager)
    w.team_client = ClientFactory(name="Teammate Client UAB", account_manager=w.teammate)
    w.foreign_client = ClientFactory(name="Foreign Client OOO", account_manager=w.outsider)

    w.contact = ContactFactory(client=w.client, full_name="Petras Primary", email="petras@own.example", is_primary=True)
    w.interaction = InteractionFactory(client=w.client, logged_by=w.manager, subject="Call about pallets")
    w.follow_up = FollowUpFactory(client=w.client, assignee=w.manager, created_by=w.manager)
    w.order = make_order(actor=w.manager, client=w.client)
    w.attachment = add_attachment(
        actor=w.manager, order=w.order, uploaded=SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf")
    )
    w.complaint = make_complaint(actor=w.manager, client=w.client)
    w.product = ProductFactory(name="Pallet")

    # A survey e-mailed an hour ago and still open (its link answers), and an answered one (a detractor).
    w.survey, w.survey_token = make_sent_survey(sent_at=timezone.now() - datetime.timedelta(hours=1), contact=w.contact)
    answered_at = timezone.now() - datetime.timedelta(days=1)
    answered = SurveyRequestFactory(
        contact=w.contact,
        template=survey_template("NPS"),
        status=SurveyStatus.ANSWERED,
        scheduled_at=answered_at,
        sent_at=answered_at,
        answered_at=answered_at,
    )
    w.answer = SurveyResponse.objects.create(
        request=answered, client=w.client, kind=answered.kind, score=3, answered_at=answered_at
    )
    w.survey_unsubscribe_token = survey_unsubscribe_token(w.contact.pk)
    w.announcement_unsubscribe_token = announcement_unsubscribe_token(w.contact.pk)

    w.notification = NotificationFactory(recipient=w.manager, title="For the owner only")
    w.calendar_token = create_calendar_feed(user=w.manager).token

    # Segment records belong to the lead who acted (another lead gets 404, managers 403).
    w.segment = SegmentFactory(name="Everyone")
    w.inactive_segment = SegmentFactory(name="Switched off", is_active=False)
    w.bulk_action = add_tag_to_segment(actor=w.lead, segment=w.segment, tag="matrix")
    w.announcement = create_announcement(
        actor=w.lead, segment=w.segment, kind="update", subject_en="Spring prices", body_en="Prices drop in April."
    )
    # A handover inside North by its lead: a fourth client goes from the teammate to the owner.
    moved = ClientFactory(name="Handed Over UAB", account_manager=w.teammate)
    w.handover = hand_over_clients(actor=w.lead, clients=Client.objects.filter(pk=moved.pk), manager=w.manager)
    w.audit_event = record_audit(actor=w.admin, action=AuditAction.EXPORT, subject="authorization matrix")
    return w
