"""A delivered order's survey travels through the real broker to a real Celery worker and is e-mailed once."""

import zoneinfo
from datetime import datetime

import pytest
from django.core import mail

from feedback.models import SurveyRequest, TriggerKind
from feedback.tasks import deliver_survey_task, sweep_surveys_task
from orders.models import Order, OrderStatus
from orders.signals import order_delivered
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import ensure_survey_defaults, frozen, survey_trigger
from tests.factories.orders import make_order
from tests.live_worker import wait_until

# The worker reads the rows through its own connection: the data must be committed.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SWEEP = "feedback.tasks.sweep_surveys_task"
DELIVER = "feedback.tasks.deliver_survey_task"
# Tuesday 3 March 2026, 10:00 in Vilnius: inside the contact's sending window. The patch is on the
# module, so the worker thread sees the same frozen clock.
TUE = datetime(2026, 3, 3, 10, tzinfo=zoneinfo.ZoneInfo("Europe/Vilnius"))


@pytest.fixture
def no_delay(db):
    ensure_survey_defaults()  # an earlier transactional test's flush removed the seeded rows
    trigger = survey_trigger(TriggerKind.ORDER_DELIVERED)
    trigger.delay_hours = 0
    trigger.save()


def runs(finished, name, args=None):
    return sum(1 for task, task_args in finished if task == name and (args is None or task_args == args))


def test_a_delivered_order_gives_one_survey_email_through_the_worker_even_if_the_trigger_fires_twice(
    org, no_delay, finished, worker
):
    contact = ContactFactory(client=org.client, is_primary=True, language="lt", email="petras@client.example")

    with frozen(TUE):
        order = make_order(actor=org.manager, client=org.client, status=OrderStatus.DELIVERED)
        order_delivered.send(sender=Order, order_id=order.pk, delivered_at=TUE, actor_id=org.manager.pk)

        survey = SurveyRequest.objects.get()
        assert (survey.source_key, survey.contact, survey.status, survey.scheduled_at) == (
            f"order_delivered:{order.pk}",
            contact,
            "pending",
            TUE,
        )

        sweep_surveys_task.delay()
        wait_until(lambda: runs(finished, DELIVER, (survey.pk,)) == 1)

        survey.refresh_from_db()
        assert (survey.status, survey.sent_at) == ("sent", TUE)
        assert [(m.to, m.subject) for m in mail.outbox] == [(["petras@client.example"], "Kaip mums sekėsi?")]

        # A second sweep and a duplicate task message send nothing more.
        sweep_surveys_task.delay()
        deliver_survey_task.delay(survey.pk)
        wait_until(lambda: runs(finished, SWEEP) == 2 and runs(finished, DELIVER, (survey.pk,)) == 2)

    assert len(mail.outbox) == 1
    assert SurveyRequest.objects.get().status == "sent"
