"""The morning digest: once per user and local day, from 08:00 in their own time zone, never empty."""

from datetime import UTC, date, datetime, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail

from interactions.models import Digest, FollowUpStatus, InteractionStatus, Kind
from interactions.services.digest import list_due_digest_user_ids, send_digest, send_due_digests
from interactions.tasks import send_digests_task
from tests.factories.accounts import AdminFactory, ManagerFactory, TeamLeadFactory
from tests.factories.clients import ClientFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory

# 15 January 2025: Vilnius is UTC+2, New York UTC-5.
DAY = date(2025, 1, 15)
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def utc(hour, minute=0, day=15):
    return datetime(2025, 1, day, hour, minute, tzinfo=UTC)


def manager_with_a_day(time_zone="Europe/Vilnius", *, factory=ManagerFactory, **fields):
    """A user with an overdue follow-up, one due later today (local) and a meeting today (local)."""
    user = factory(time_zone=time_zone, **fields)
    client = ClientFactory(name=f"Client of {user.full_name}", account_manager=user)
    FollowUpFactory(client=client, assignee=user, title="Send the offer", due_at=utc(9, day=13))
    # 16:00 UTC is later today in both Vilnius (18:00) and New York (11:00).
    FollowUpFactory(client=client, assignee=user, title="Call about delivery", due_at=utc(16))
    FollowUpFactory(client=client, assignee=user, title="Already done", due_at=utc(10), status=FollowUpStatus.DONE)
    InteractionFactory(
        client=client,
        logged_by=user,
        kind=Kind.MEETING,
        status=InteractionStatus.SCHEDULED,
        occurred_at=utc(17),
        subject="Quarterly review",
    )
    return user


def test_digest_goes_out_once_from_0800_in_each_users_time_zone(db):
    vilnius = manager_with_a_day("Europe/Vilnius", email="vilnius@example.com")
    new_york = manager_with_a_day("America/New_York", email="ny@example.com")

    # 06:30 UTC: 08:30 in Vilnius, 01:30 in New York.
    assert send_due_digests(now=utc(6, 30)) == 1
    assert [m.to for m in mail.outbox] == [["vilnius@example.com"]]
    assert send_due_digests(now=utc(6, 35)) == 0

    # 13:30 UTC: 15:30 in Vilnius (already sent), 08:30 in New York.
    assert send_due_digests(now=utc(13, 30)) == 1
    assert [m.to for m in mail.outbox] == [["vilnius@example.com"], ["ny@example.com"]]
    assert send_due_digests(now=utc(13, 35)) == 0
    assert len(mail.outbox) == 2

    rows = {(d.recipient_id, d.date, d.status, d.sent_at) for d in Digest.objects.all()}
    assert rows == {(vilnius.pk, DAY, "sent", utc(6, 30)), (new_york.pk, DAY, "sent", utc(13, 30))}


def test_digest_lists_the_day_in_the_users_time(db, settings):
    settings.SITE_URL = "https://crm.example.com"
    user = manager_with_a_day("America/New_York", full_name="Nora York")

    send_due_digests(now=utc(13, 30))

    message = mail.outbox[0]
    assert message.subject == "Your day in the CRM, 15 Jan 2025"
    body = message.body
    assert body.startswith("Hello Nora,\n")
    assert "Overdue (1):\n  - 13 Jan 2025, 04:00  Send the offer · Client of Nora York\n" in body
    assert "Due today:\n  - 11:00  Call about delivery · Client of Nora York\n" in body
    assert "Meetings today:\n  - 12:00  Meeting: Quarterly review · Client of Nora York\n" in body
    assert "Already done" not in body
    assert "Open My day:\nhttps://crm.example.com/my-day/\n" in body
    assert "(America/New_York)" in body
    assert user.digests.get().status == "sent"


def test_digest_is_not_sent_before_0800_local_time(db):
    manager_with_a_day("Europe/Vilnius")

    assert send_due_digests(now=utc(5, 59)) == 0  # 07:59 in Vilnius

    assert mail.outbox == []
    assert Digest.objects.count() == 0
    assert send_due_digests(now=utc(6, 0)) == 1  # 08:00


def test_digest_is_not_sent_after_noon(db):
    manager_with_a_day("Europe/Vilnius")

    assert send_due_digests(now=utc(10, 0)) == 0  # 12:00 in Vilnius

    assert mail.outbox == []
    assert Digest.objects.count() == 0


def test_nothing_to_report_sends_nothing_and_records_empty(db):
    user = ManagerFactory(time_zone="Europe/Vilnius")

    assert send_due_digests(now=utc(6, 30)) == 0
    assert send_due_digests(now=utc(7, 30)) == 0

    assert mail.outbox == []
    digest = Digest.objects.get()
    assert (digest.recipient, digest.date, digest.status, digest.sent_at) == (user, DAY, "empty", None)


def test_only_active_managers_and_team_leads_get_a_digest(db):
    manager = manager_with_a_day(email="manager@example.com")
    lead = manager_with_a_day(factory=TeamLeadFactory, email="lead@example.com")
    manager_with_a_day(factory=AdminFactory, email="admin@example.com")
    manager_with_a_day(email="gone@example.com", is_active=False)

    assert list_due_digest_user_ids(now=utc(6, 30)) == sorted([manager.pk, lead.pk])
    send_due_digests(now=utc(6, 30))

    assert sorted(m.to[0] for m in mail.outbox) == ["lead@example.com", "manager@example.com"]


def test_a_new_local_day_brings_a_new_digest(db):
    user = manager_with_a_day("Europe/Vilnius")

    send_due_digests(now=utc(6, 30))
    send_due_digests(now=utc(6, 30, day=16))

    assert len(mail.outbox) == 2
    assert sorted(user.digests.values_list("date", flat=True)) == [DAY, date(2025, 1, 16)]


def test_failed_digest_is_recorded_and_retried_by_the_next_run(db):
    user = manager_with_a_day("Europe/Vilnius")

    with mock.patch(SEND, side_effect=SMTPException("mail server down")):
        assert send_due_digests(now=utc(6, 0)) == 0
    digest = Digest.objects.get()
    assert (digest.status, digest.attempts, digest.last_error, digest.sent_at) == (
        "failed",
        1,
        "SMTPException('mail server down')",
        None,
    )
    assert mail.outbox == []

    assert list_due_digest_user_ids(now=utc(6, 5)) == [user.pk]
    assert send_due_digests(now=utc(6, 5)) == 1
    digest.refresh_from_db()
    assert (digest.status, digest.attempts, digest.last_error, digest.sent_at) == ("sent", 1, "", utc(6, 5))
    assert send_due_digests(now=utc(6, 10)) == 0
    assert len(mail.outbox) == 1


def test_failed_digest_is_not_retried_after_noon(db):
    manager_with_a_day("Europe/Vilnius")
    with mock.patch(SEND, side_effect=OSError("connection refused")):
        send_due_digests(now=utc(9, 55))  # 11:55

    assert send_due_digests(now=utc(10, 0)) == 0  # 12:00
    assert mail.outbox == []
    assert Digest.objects.get().status == "failed"


def test_sending_twice_for_the_same_user_sends_one_digest(db):
    user = manager_with_a_day("Europe/Vilnius")

    results = [send_digest(user_id=user.pk, now=utc(6, 30)), send_digest(user_id=user.pk, now=utc(6, 30))]

    assert results == [True, False]
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(("language", "month"), [("ru", "января"), ("lt", "sausio")])
def test_digest_is_written_in_the_users_language(db, language, month):
    manager_with_a_day("Europe/Vilnius", language=language)

    send_due_digests(now=utc(6, 30))

    assert month in mail.outbox[0].subject


@pytest.mark.parametrize("users", [5, 50])
def test_finding_due_users_takes_two_queries_whatever_their_number(db, users, django_assert_num_queries):
    zones = ["Europe/Vilnius", "America/New_York", "Asia/Tokyo"]
    for n in range(users):
        ManagerFactory(time_zone=zones[n % 3])
    with django_assert_num_queries(2):
        due = list_due_digest_user_ids(now=utc(6, 30))
    assert len(due) == len(range(0, users, 3))  # only the Vilnius users are in their morning


def test_digests_task_sends_the_due_digests(db):
    manager_with_a_day("Europe/Vilnius")

    with mock.patch("django.utils.timezone.now", return_value=utc(6, 30)):
        assert send_digests_task.delay().get() == 1
        assert send_digests_task.delay().get() == 0

    assert len(mail.outbox) == 1


def test_digest_is_exactly_once_per_day_even_when_a_row_is_already_there(db):
    user = manager_with_a_day("Europe/Vilnius")
    Digest.objects.create(recipient=user, date=DAY, status="sent", sent_at=utc(6, 0))

    assert send_digest(user_id=user.pk, now=utc(6, 30)) is False
    assert send_due_digests(now=utc(6, 30) + timedelta(minutes=5)) == 0
    assert mail.outbox == []
