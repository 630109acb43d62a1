"""A Celery worker killed (SIGKILL) in the middle of a batch of 500 survey e-mails: after a restart, every contact
has exactly one e-mail.

The worker is a real `celery worker --pool=prefork --concurrency=2` process (tests/faults/worker.py) on the test
database and a redis-server of the test's own. It is killed, pool included, while both pool processes are inside
a delivery (claimed the row, e-mail not written yet), about half of the batch sent. A second worker and the next
sweep deliver the rest: rows claimed by the killed transactions are back to pending (PostgreSQL rolled the claims
back), messages still queued from the first sweep meet rows already sent and send nothing.
"""

import email
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from clients.models import Client
from contacts.models import Contact
from feedback.models import SurveyRequest, SurveyStatus, TriggerKind
from feedback.tasks import sweep_surveys_task
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import ensure_survey_defaults, survey_template
from tests.faults.conftest import wait_for
from tests.faults.mailbox import messages_in

pytestmark = [
    pytest.mark.faults,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),  # the workers read the rows through their own connections
    pytest.mark.skipif(connection.vendor != "postgresql", reason="worker processes share a PostgreSQL database"),
]

BATCH = 500


@pytest.fixture
def due_surveys(transactional_db) -> set[str]:
    """A manual survey due now to each of 500 contacts (each at a client of their own); their addresses."""
    ensure_survey_defaults()  # an earlier transactional test's flush removed the seeded rows
    template = survey_template()
    clients = Client.objects.bulk_create(ClientFactory.build_batch(BATCH))
    contacts = Contact.objects.bulk_create(
        ContactFactory.build(client=client, email=f"contact{n:03d}@client.example", language="en")
        for n, client in enumerate(clients)
    )
    now = timezone.now()
    SurveyRequest.objects.bulk_create(
        SurveyRequest(
            contact=contact,
            client=contact.client,
            template=template,
            kind=template.kind,
            trigger=TriggerKind.MANUAL,
            source_key=f"faults:{contact.pk}",
            language=contact.language,
            scheduled_at=now,
            next_attempt_at=now,
        )
        for contact in contacts
    )
    return {contact.email for contact in contacts}


def _recipients(mailbox) -> Counter:
    return Counter(email.message_from_bytes(path.read_bytes())["To"] for path in messages_in(mailbox))


def _count(status: str) -> int:
    return SurveyRequest.objects.filter(status=status).count()


def test_a_worker_killed_in_the_middle_of_500_survey_emails_leaves_every_contact_exactly_one(
    due_surveys, app_on_private_redis, worker_processes, tmp_path
):
    redis_server = app_on_private_redis
    mailbox = tmp_path / "mail"
    mailbox.mkdir()
    blocked = mailbox / "blocked"
    first = worker_processes(redis_url=redis_server.url, mailbox=mailbox, env={"FAULTS_BLOCK_AFTER": str(BATCH // 2)})

    sweep_surveys_task.delay()  # the worker's sweep enqueues one delivery per due survey
    wait_for(
        lambda: blocked.exists() and len(list(blocked.iterdir())) == 2,
        timeout=45,
        what="both pool processes in the middle of a delivery",
    )
    first.kill()

    written = len(messages_in(mailbox))
    assert BATCH // 2 <= written <= BATCH // 2 + 1  # both pool processes may pass the check at once
    # The two deliveries killed inside their transactions had claimed their rows (pending → sending): the claims
    # die with the connections, nothing stays "sending".
    wait_for(lambda: _count(SurveyStatus.SENDING) == 0, timeout=10, what="the killed claims rolled back")
    assert _count(SurveyStatus.SENT) == written
    assert _count(SurveyStatus.SCHEDULED) == BATCH - written
    assert redis_server.queued() > 0  # deliveries still queued from the first sweep

    second = worker_processes(redis_url=redis_server.url, mailbox=mailbox)
    sweep_surveys_task.delay()  # as beat would within a minute: every survey still due, enqueued again
    wait_for(lambda: _count(SurveyStatus.SENT) == BATCH, timeout=45, what="the whole batch sent")
    wait_for(lambda: redis_server.queued() == 0, timeout=30, what="the leftover messages consumed")
    second.stop()  # a warm shutdown: the deliveries it is running finish first

    recipients = _recipients(mailbox)
    assert set(recipients) == due_surveys
    assert [address for address, count in recipients.items() if count != 1] == []
    assert sum(recipients.values()) == BATCH
    assert SurveyRequest.objects.exclude(status=SurveyStatus.SENT).count() == 0
