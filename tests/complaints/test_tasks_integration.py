"""A breached complaint travels through the real broker to a real Celery worker and its lead is e-mailed once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from clients.models import Tier
from complaints.models import Escalation, EscalationLevel, Severity
from complaints.tasks import escalate_complaints_task
from interactions.models import Notification
from tests.factories.clients import ClientFactory
from tests.factories.complaints import ensure_defaults, make_complaint
from tests.live_worker import wait_until

# The worker reads the rows through its own connection: the data must be committed.
pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SWEEP = "complaints.tasks.escalate_complaints_task"
DELIVER = "complaints.tasks.deliver_escalation_task"


@pytest.fixture
def breached_critical(org):
    """A VIP complaint (15 minutes to answer, 2 hours to resolve) received two weeks ago, never answered."""
    ensure_defaults()  # an earlier transactional test's flush removed the seeded rows
    now = timezone.now()
    client = ClientFactory(name="VIP Client UAB", tier=Tier.VIP, account_manager=org.manager)
    return make_complaint(
        actor=org.manager, client=client, severity=Severity.CRITICAL, received_at=now - timedelta(days=14), now=now
    )


def test_a_sweep_through_the_broker_e_mails_the_team_lead_once_and_a_second_sweep_sends_nothing(
    org, breached_critical, finished, worker
):
    escalate_complaints_task.delay()
    # Critical: both levels are e-mailed at once, the breach to the lead and the at-risk to the owner.
    wait_until(lambda: [name for name, _args in finished].count(DELIVER) == 2)

    breach = Escalation.objects.get(level=EscalationLevel.BREACHED)
    assert (breach.complaint, breach.recipient, breach.status) == (breached_critical, org.lead, "sent")
    to_lead = [m for m in mail.outbox if m.to == [org.lead.email]]
    assert [m.subject for m in to_lead] == [f"SLA breached: complaint {breached_critical.number} (VIP Client UAB)"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org.lead.email, org.manager.email])
    assert Notification.objects.filter(recipient=org.lead).count() == 1

    escalate_complaints_task.delay()
    wait_until(lambda: finished.count((SWEEP, ())) == 2)

    assert [name for name, _args in finished] == [SWEEP, DELIVER, DELIVER, SWEEP]
    assert len(mail.outbox) == 2
    assert Escalation.objects.count() == 2
    assert Notification.objects.count() == 2
