"""Triggers write one survey request row per cause, with its contact, language and time; sending comes later."""

import zoneinfo
from datetime import datetime, timedelta

import pytest

from clients.models import Status
from complaints.models import ComplaintStatus
from core.exceptions import ApplicationError
from feedback.models import SurveyRequest, SurveyStatus, TriggerKind
from feedback.services.scheduling import on_order_delivered, schedule_relationship_nps, send_survey_now
from interactions.models import InteractionStatus, Kind
from interactions.services.interactions import complete_interaction, log_interaction
from orders.models import Order, OrderStatus
from orders.signals import order_delivered
from tests.factories.clients import ClientFactory
from tests.factories.complaints import make_complaint, move
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import frozen, survey_template, survey_trigger
from tests.factories.orders import make_order

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
# Tuesday 3 March 2026, 10:00 in Vilnius: an ordinary working morning.
TUE = datetime(2026, 3, 3, 10, tzinfo=VILNIUS)


@pytest.fixture
def primary(org):
    return ContactFactory(client=org.client, full_name="Petras Primary", is_primary=True, language="lt")


def deliver(org, capture, *, contact=None, at=TUE) -> Order:
    """An order taken and delivered at `at`; the delivery's receivers run as after a real commit."""
    with frozen(at), capture(execute=True):
        return make_order(actor=org.manager, client=org.client, status=OrderStatus.DELIVERED, contact=contact)


def rows():
    return list(
        SurveyRequest.objects.order_by("pk").values_list(
            "source_key", "trigger", "kind", "contact__full_name", "language", "status", "suppressed_reason"
        )
    )


# --- order delivered ---------------------------------------------------------------------------


def test_a_delivered_order_schedules_one_csat_to_its_contact_after_the_trigger_delay(
    org, primary, django_capture_on_commit_callbacks
):
    buyer = ContactFactory(client=org.client, full_name="Rita Buyer", language="ru")

    order = deliver(org, django_capture_on_commit_callbacks, contact=buyer)

    survey = SurveyRequest.objects.get()
    assert (survey.source_key, survey.trigger, survey.kind, survey.template.name) == (
        f"order_delivered:{order.pk}",
        TriggerKind.ORDER_DELIVERED,
        "csat",
        "CSAT",
    )
    assert (survey.contact, survey.client, survey.language, survey.status) == (buyer, org.client, "ru", "pending")
    assert survey.scheduled_at == survey.next_attempt_at == TUE + timedelta(hours=72)
    assert (survey.token_hash, survey.sent_at, survey.expires_at) == (None, None, None)


def test_a_delivered_order_without_a_contact_asks_the_clients_primary_contact_in_their_language(
    org, primary, django_capture_on_commit_callbacks
):
    ContactFactory(client=org.client, full_name="Aaron Other", language="en")

    order = deliver(org, django_capture_on_commit_callbacks)

    assert rows() == [(f"order_delivered:{order.pk}", "order_delivered", "csat", "Petras Primary", "lt", "pending", "")]


def test_the_delivery_trigger_firing_twice_still_gives_one_request(org, primary, django_capture_on_commit_callbacks):
    order = deliver(org, django_capture_on_commit_callbacks)
    first = SurveyRequest.objects.get()

    with frozen(TUE + timedelta(minutes=5)):
        order_delivered.send(sender=Order, order_id=order.pk, delivered_at=TUE, actor_id=org.manager.pk)
        again = on_order_delivered(order_id=order.pk)

    assert again == first
    assert SurveyRequest.objects.get() == first
    first.refresh_from_db()
    assert first.scheduled_at == TUE + timedelta(hours=72)


def test_a_delivered_order_of_a_client_without_contacts_schedules_nothing(org, django_capture_on_commit_callbacks):
    deliver(org, django_capture_on_commit_callbacks)

    assert SurveyRequest.objects.count() == 0


def test_a_disabled_trigger_leaves_a_visible_row_suppressed_as_inactive(
    org, primary, django_capture_on_commit_callbacks
):
    trigger = survey_trigger(TriggerKind.ORDER_DELIVERED)
    trigger.is_enabled = False
    trigger.save()

    order = deliver(org, django_capture_on_commit_callbacks)

    assert rows() == [
        (f"order_delivered:{order.pk}", "order_delivered", "csat", "Petras Primary", "lt", "suppressed", "inactive")
    ]


def test_an_inactive_template_leaves_a_visible_row_suppressed_as_inactive(
    org, primary, django_capture_on_commit_callbacks
):
    template = survey_template("CSAT")
    template.is_active = False
    template.save()

    order = deliver(org, django_capture_on_commit_callbacks)

    assert rows() == [
        (f"order_delivered:{order.pk}", "order_delivered", "csat", "Petras Primary", "lt", "suppressed", "inactive")
    ]


# --- complaint resolved and reopened -----------------------------------------------------------


def resolve(org, complaint, capture, at):
    with frozen(at), capture(execute=True):
        return move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at)


def test_a_resolved_complaint_schedules_a_csat_about_its_handling_a_day_later(
    org, primary, django_capture_on_commit_callbacks
):
    complaint = make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(days=1))

    resolve(org, complaint, django_capture_on_commit_callbacks, TUE)

    survey = SurveyRequest.objects.get()
    assert (survey.source_key, survey.trigger, survey.kind, survey.contact, survey.status) == (
        f"complaint_resolved:{complaint.pk}:1",
        "complaint_resolved",
        "csat",
        primary,
        "pending",
    )
    assert survey.scheduled_at == TUE + timedelta(hours=24)


def test_reopening_the_complaint_before_its_csat_went_out_cancels_it_as_reopened(
    org, primary, django_capture_on_commit_callbacks
):
    complaint = make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(days=1))
    resolve(org, complaint, django_capture_on_commit_callbacks, TUE)

    with frozen(TUE + timedelta(hours=3)), django_capture_on_commit_callbacks(execute=True):
        move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=TUE + timedelta(hours=3))

    key = f"complaint_resolved:{complaint.pk}:1"
    assert rows() == [(key, "complaint_resolved", "csat", "Petras Primary", "lt", "cancelled", "reopened")]

    # Resolved again: the new cycle gets its own survey.
    resolve(org, complaint, django_capture_on_commit_callbacks, TUE + timedelta(hours=5))

    assert rows()[1] == (
        f"complaint_resolved:{complaint.pk}:2",
        "complaint_resolved",
        "csat",
        "Petras Primary",
        "lt",
        "pending",
        "",
    )


def test_reopening_after_the_csat_was_sent_leaves_the_sent_survey_alone(
    org, primary, django_capture_on_commit_callbacks
):
    complaint = make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(days=1))
    resolve(org, complaint, django_capture_on_commit_callbacks, TUE)
    SurveyRequest.objects.update(status=SurveyStatus.SENT, sent_at=TUE + timedelta(days=1))

    with frozen(TUE + timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=TUE + timedelta(days=2))

    assert SurveyRequest.objects.get().status == "sent"


# --- meetings ----------------------------------------------------------------------------------


def test_a_meeting_logged_as_completed_schedules_a_csat_to_the_first_contact_present(
    org, primary, django_capture_on_commit_callbacks
):
    guest = ContactFactory(client=org.client, full_name="Ona Guest", language="en")

    with frozen(TUE), django_capture_on_commit_callbacks(execute=True):
        meeting = log_interaction(
            actor=org.manager, client=org.client, kind=Kind.MEETING, subject="Quarterly review", contacts=[guest]
        )

    survey = SurveyRequest.objects.get()
    assert (survey.source_key, survey.trigger, survey.contact, survey.language) == (
        f"meeting_completed:{meeting.pk}",
        "meeting_completed",
        guest,
        "en",
    )
    assert survey.scheduled_at == TUE + timedelta(hours=2)


def test_completing_a_planned_meeting_schedules_a_csat(org, primary, django_capture_on_commit_callbacks):
    with frozen(TUE), django_capture_on_commit_callbacks(execute=True):
        meeting = log_interaction(
            actor=org.manager,
            client=org.client,
            kind=Kind.MEETING,
            status=InteractionStatus.SCHEDULED,
            occurred_at=TUE + timedelta(days=1),
            subject="Site visit",
        )
    assert SurveyRequest.objects.count() == 0

    later = TUE + timedelta(days=1, hours=2)
    with frozen(later), django_capture_on_commit_callbacks(execute=True):
        complete_interaction(actor=org.manager, interaction=meeting, outcome="reached")

    assert rows() == [
        (f"meeting_completed:{meeting.pk}", "meeting_completed", "csat", "Petras Primary", "lt", "pending", "")
    ]
    assert SurveyRequest.objects.get().scheduled_at == later + timedelta(hours=2)


def test_a_completed_call_schedules_nothing(org, primary, django_capture_on_commit_callbacks):
    with frozen(TUE), django_capture_on_commit_callbacks(execute=True):
        log_interaction(actor=org.manager, client=org.client, kind=Kind.CALL, subject="Price question")

    assert SurveyRequest.objects.count() == 0


# --- relationship NPS --------------------------------------------------------------------------


def test_relationship_nps_asks_each_reachable_contact_of_active_clients_once_per_period(org):
    asked = ContactFactory(client=org.client, full_name="Asked Person", language="lt")
    ContactFactory(client=org.client, full_name="Opted Out", survey_opt_out=True)
    ContactFactory(client=org.client, full_name="No Email", email="")
    for status in (Status.PROSPECT, Status.INACTIVE, Status.CHURNED):
        ContactFactory(client=ClientFactory(status=status), full_name=f"At {status} client")

    # March 2026 with a 6-month interval: period (2026 * 12 + 2) // 6 = 4052.
    assert schedule_relationship_nps(now=TUE) == 1
    assert schedule_relationship_nps(now=TUE + timedelta(hours=1)) == 0
    assert schedule_relationship_nps(now=datetime(2026, 6, 30, 12, tzinfo=VILNIUS)) == 0

    survey = SurveyRequest.objects.get()
    assert (survey.source_key, survey.trigger, survey.kind, survey.template.name, survey.contact, survey.language) == (
        f"relationship_nps:{asked.pk}:4052",
        "relationship_nps",
        "nps",
        "NPS",
        asked,
        "lt",
    )
    # Spread over the first days of the period rather than all at once.
    assert survey.scheduled_at == TUE + timedelta(hours=asked.pk % 72)

    # July 2026 starts the next period: asked again, once.
    july = datetime(2026, 7, 1, 10, tzinfo=VILNIUS)
    assert schedule_relationship_nps(now=july) == 1
    assert schedule_relationship_nps(now=july) == 0
    assert list(SurveyRequest.objects.order_by("pk").values_list("source_key", flat=True)) == [
        f"relationship_nps:{asked.pk}:4052",
        f"relationship_nps:{asked.pk}:4053",
    ]


def test_relationship_nps_writes_nothing_while_its_trigger_is_off(org):
    ContactFactory(client=org.client)
    trigger = survey_trigger(TriggerKind.RELATIONSHIP_NPS)
    trigger.is_enabled = False
    trigger.save()

    assert schedule_relationship_nps(now=TUE) == 0
    assert SurveyRequest.objects.count() == 0


# --- sent by a manager -------------------------------------------------------------------------


def test_the_account_manager_sends_a_survey_now_and_the_rules_apply_at_sending(org, primary):
    with frozen(TUE):
        survey = send_survey_now(actor=org.manager, contact=primary, template=survey_template("NPS"))

    assert (survey.trigger, survey.kind, survey.status, survey.requested_by, survey.language) == (
        "manual",
        "nps",
        "pending",
        org.manager,
        "lt",
    )
    assert survey.scheduled_at == survey.next_attempt_at == TUE
    assert survey.source_key.startswith("manual:")


def test_a_read_only_teammate_cannot_send_a_survey(org, primary):
    with pytest.raises(ApplicationError) as refused:
        send_survey_now(actor=org.teammate, contact=primary, template=survey_template("CSAT"))

    assert refused.value.message == "You can view this client but not change it."
    assert SurveyRequest.objects.count() == 0


def test_a_switched_off_survey_cannot_be_sent_by_hand(org, primary):
    template = survey_template("CSAT")
    template.is_active = False
    template.save()

    with pytest.raises(ApplicationError) as refused:
        send_survey_now(actor=org.manager, contact=primary, template=template)

    assert (refused.value.message, refused.value.field) == ("This survey is switched off.", "template")
    assert SurveyRequest.objects.count() == 0
