"""The weekly report through the real broker and a real Celery worker, and two deliveries racing on
PostgreSQL: one e-mail either way."""

import threading
import time
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection

from dashboards.models import WeeklyReport
from dashboards.services.reports import create_due_weekly_reports, send_weekly_report
from dashboards.tasks import send_weekly_reports_task
from tests.factories.accounts import TeamFactory, TeamLeadFactory
from tests.factories.feedback import frozen
from tests.live_worker import wait_until

# The worker and the threads read the rows through their own connections: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

SEND = "dashboards.tasks.send_weekly_report_task"
# Monday 23 November 2026, 09:00 in Vilnius.
MONDAY_MORNING = datetime(2026, 11, 23, 7, tzinfo=UTC)


@pytest.fixture
def north_lead():
    team = TeamFactory(name="North")
    lead = TeamLeadFactory(email="north@example.com", time_zone="Europe/Vilnius", team=team)
    team.lead = lead
    team.save()
    return lead


@pytest.mark.integration
def test_the_beat_task_through_the_broker_sends_the_report_once(north_lead, finished, worker):
    # The worker is a thread of this process: the frozen clock holds for it too.
    with frozen(MONDAY_MORNING):
        send_weekly_reports_task.delay()
        wait_until(lambda: any(name == SEND for name, _args in finished))

    report = WeeklyReport.objects.get()
    assert (SEND, (report.pk,)) in finished
    assert [m.to for m in mail.outbox] == [["north@example.com"]]
    assert mail.outbox[0].subject == "Weekly report: North, 16–22 Nov 2026"
    assert (report.status, report.sent_at) == ("sent", MONDAY_MORNING)


def test_two_concurrent_deliveries_send_one_email(north_lead):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks: SQLite serialises the two transactions with BEGIN IMMEDIATE")
    create_due_weekly_reports(now=MONDAY_MORNING)
    report = WeeklyReport.objects.get()
    barrier = threading.Barrier(2)
    results = []
    original_send = EmailBackend.send_messages

    def slow_send(self, messages):
        time.sleep(0.5)  # the second delivery runs while the first still holds the row
        return original_send(self, messages)

    def deliver():
        try:
            barrier.wait(timeout=10)
            results.append(send_weekly_report(report_id=report.pk, now=MONDAY_MORNING))
        finally:
            connection.close()  # this thread's own connection

    with mock.patch.object(EmailBackend, "send_messages", slow_send):
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
    report.refresh_from_db()
    assert (report.status, report.attempts) == ("sent", 0)
