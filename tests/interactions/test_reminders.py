"""Reminder delivery: once, at its time, in the recipient's language and time zone, retried on failure."""

from datetime import UTC, datetime, timedelta
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import mail
from django.utils import translation

from interactions.models import FollowUp, FollowUpStatus, InteractionStatus, Kind, Notification, Reminder
from interactions.services.follow_ups import (
    cancel_follow_up,
    complete_follow_up,
    create_follow_up,
    reschedule_follow_up,
)
from interactions.services.interactions import complete_interaction
from interactions.services.reminders import deliver_reminder, sweep_due_reminders, sync_meeting_reminder
from interactions.tasks import deliver_reminder_task, sweep_reminders_task
from tests.factories.interactions import InteractionFactory

# 10 March 2025 is before the spring clock change: Vilnius is UTC+2, Moscow UTC+3.
DUE = datetime(2025, 3, 10, 8, 0, tzinfo=UTC)
SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://crm.example.com/"


def follow_up_reminder(org, *, due=DUE, title="Call back about the quote"):
    follow_up = create_follow_up(actor=org.manager, client=org.client, title=title, due_at=due)
    return follow_up, Reminder.objects.get(follow_up=follow_up)


def test_reminder_is_sent_once_at_its_time_and_not_before(org):
    _follow_up, reminder = follow_up_reminder(org)

    assert sweep_due_reminders(now=DUE - timedelta(seconds=1)) == []
    assert deliver_reminder(reminder.pk, now=DUE - timedelta(seconds=1)) is False
    assert mail.outbox == []

    assert sweep_due_reminders(now=DUE) == [reminder.pk]
    assert deliver_reminder(reminder.pk, now=DUE) is True
    assert deliver_reminder(reminder.pk, now=DUE + timedelta(minutes=1)) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org.manager.email]
    assert message.subject == "Reminder: Call back about the quote"
    assert "Call back about the quote" in message.body
    assert "Client: Own Client UAB" in message.body
    assert "Due: 10 Mar 2025, 10:00" in message.body  # Europe/Vilnius, the user's time zone
    assert f"https://crm.example.com/clients/{org.client.pk}/" in message.body
    reminder.refresh_from_db()
    assert (reminder.status, reminder.sent_at, reminder.attempts, reminder.last_error) == ("sent", DUE, 0, "")
    notification = Notification.objects.get()
    assert (notification.recipient, notification.title, notification.url, notification.read_at) == (
        org.manager,
        "Reminder: Call back about the quote",
        f"/clients/{org.client.pk}/",
        None,
    )
    assert notification.key == f"reminder:{reminder.pk}:2025-03-10T08:00:00+00:00"
    assert notification.body == "Own Client UAB · 10 Mar 2025, 10:00"
    assert sweep_due_reminders(now=DUE + timedelta(days=1)) == []


def test_lead_time_moves_the_reminder_earlier(org):
    org.manager.reminder_lead_minutes = 30
    org.manager.save()
    _follow_up, reminder = follow_up_reminder(org)
    assert reminder.remind_at == DUE - timedelta(minutes=30)

    assert deliver_reminder(reminder.pk, now=DUE - timedelta(minutes=31)) is False
    assert mail.outbox == []
    assert deliver_reminder(reminder.pk, now=DUE - timedelta(minutes=30)) is True
    assert len(mail.outbox) == 1
    assert "Due: 10 Mar 2025, 10:00" in mail.outbox[0].body  # the due time, not the reminder time


def test_rescheduled_follow_up_reminds_again_at_its_new_time(org):
    follow_up, reminder = follow_up_reminder(org)
    assert deliver_reminder(reminder.pk, now=DUE) is True
    later = DUE + timedelta(days=1)

    with mock.patch("django.utils.timezone.now", return_value=DUE):  # rescheduling refuses the past
        reschedule_follow_up(actor=org.manager, follow_up=follow_up, due_at=later)

    reminder.refresh_from_db()
    assert (reminder.status, reminder.remind_at, reminder.next_attempt_at, reminder.sent_at) == (
        "pending",
        later,
        later,
        None,
    )
    assert deliver_reminder(reminder.pk, now=later - timedelta(minutes=1)) is False
    assert deliver_reminder(reminder.pk, now=later) is True
    assert len(mail.outbox) == 2
    assert "Due: 11 Mar 2025, 10:00" in mail.outbox[1].body
    assert Notification.objects.count() == 2


def test_rescheduling_before_the_reminder_went_out_sends_only_at_the_new_time(org):
    follow_up, reminder = follow_up_reminder(org)
    later = DUE + timedelta(hours=3)
    with mock.patch("django.utils.timezone.now", return_value=DUE):  # rescheduling refuses the past
        reschedule_follow_up(actor=org.manager, follow_up=follow_up, due_at=later)

    assert deliver_reminder(reminder.pk, now=DUE) is False
    assert deliver_reminder(reminder.pk, now=later) is True
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("close", [complete_follow_up, cancel_follow_up])
def test_closed_follow_up_sends_no_reminder(org, close):
    follow_up, reminder = follow_up_reminder(org)
    close(actor=org.manager, follow_up=follow_up)

    assert sweep_due_reminders(now=DUE) == []
    assert deliver_reminder(reminder.pk, now=DUE) is False
    assert mail.outbox == []
    assert Notification.objects.count() == 0
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"


def test_reminder_of_a_follow_up_closed_behind_its_back_is_cancelled_at_delivery(org):
    follow_up, reminder = follow_up_reminder(org)
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUpStatus.DONE)  # no sync call

    assert deliver_reminder(reminder.pk, now=DUE) is False
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert (reminder.status, reminder.sent_at) == ("cancelled", None)


def scheduled_meeting(org, *, when=DUE, subject="Quarterly review"):
    meeting = InteractionFactory(
        client=org.client,
        logged_by=org.manager,
        kind=Kind.MEETING,
        status=InteractionStatus.SCHEDULED,
        occurred_at=when,
        subject=subject,
    )
    sync_meeting_reminder(meeting)
    return meeting, Reminder.objects.get(interaction=meeting)


def test_meeting_reminder_names_the_meeting_and_its_local_time(org):
    _meeting, reminder = scheduled_meeting(org)

    assert deliver_reminder(reminder.pk, now=DUE) is True
    message = mail.outbox[0]
    assert message.subject == "Meeting at 10:00: Quarterly review"
    assert "Meeting: Quarterly review" in message.body
    assert "When: 10 Mar 2025, 10:00" in message.body
    assert f"https://crm.example.com/clients/{org.client.pk}/" in message.body


def test_meeting_no_longer_scheduled_sends_no_reminder(org):
    meeting, reminder = scheduled_meeting(org)
    complete_interaction(actor=org.manager, interaction=meeting, outcome="reached")

    assert deliver_reminder(reminder.pk, now=DUE) is False
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == "cancelled"


@pytest.mark.parametrize(
    ("language", "time_zone", "expected_due"),
    [
        ("ru", "Europe/Moscow", "10 марта 2025 г. 11:00"),
        ("lt", "Europe/Vilnius", "2025 m. kovo 10 d., 10:00"),
    ],
)
def test_email_is_written_in_the_recipients_language_and_time_zone(org, language, time_zone, expected_due):
    org.manager.language = language
    org.manager.time_zone = time_zone
    org.manager.save()
    _follow_up, reminder = follow_up_reminder(org)

    assert deliver_reminder(reminder.pk, now=DUE) is True

    message = mail.outbox[0]
    with translation.override(language):
        expected_subject = translation.gettext("Reminder: %(title)s") % {"title": "Call back about the quote"}
        client_label = translation.gettext("Client")
    assert message.subject == expected_subject
    assert f"{client_label}: Own Client UAB" in message.body
    assert expected_due in message.body
    assert translation.get_language() == "en"  # the override ended with the delivery


def test_client_name_is_not_html_escaped_in_the_plain_text_email(org):
    org.client.name = "Smith & Sons <UK>"
    org.client.save()
    _follow_up, reminder = follow_up_reminder(org, title='Price list "2025" & terms')

    deliver_reminder(reminder.pk, now=DUE)

    assert mail.outbox[0].subject == 'Reminder: Price list "2025" & terms'
    assert "Client: Smith & Sons <UK>" in mail.outbox[0].body


def test_longest_follow_up_title_still_notifies(org):
    _follow_up, reminder = follow_up_reminder(org, title="y" * 200)

    assert deliver_reminder(reminder.pk, now=DUE) is True

    assert mail.outbox[0].subject == "Reminder: " + "y" * 200
    assert len(Notification.objects.get().title) == 200


def test_failed_send_is_recorded_and_retried_after_a_backoff(org):
    _follow_up, reminder = follow_up_reminder(org)

    with mock.patch(SEND, side_effect=SMTPException("mail server down")):
        assert deliver_reminder(reminder.pk, now=DUE) is False

    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error, reminder.next_attempt_at, reminder.sent_at) == (
        "pending",
        1,
        "SMTPException('mail server down')",
        DUE + timedelta(minutes=1),
        None,
    )
    assert mail.outbox == []
    assert Notification.objects.count() == 0  # rolled back with the failed e-mail
    assert sweep_due_reminders(now=DUE + timedelta(seconds=59)) == []
    assert deliver_reminder(reminder.pk, now=DUE + timedelta(seconds=59)) is False

    assert sweep_due_reminders(now=DUE + timedelta(minutes=1)) == [reminder.pk]
    assert deliver_reminder(reminder.pk, now=DUE + timedelta(minutes=1)) is True
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error, reminder.sent_at) == (
        "sent",
        1,
        "",
        DUE + timedelta(minutes=1),
    )
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_five_failures_mark_the_reminder_failed(org):
    _follow_up, reminder = follow_up_reminder(org)
    waits = []
    with mock.patch(SEND, side_effect=OSError("connection refused")):
        for _ in range(5):
            attempt_at = reminder.next_attempt_at
            assert deliver_reminder(reminder.pk, now=attempt_at) is False
            reminder.refresh_from_db()
            waits.append(reminder.next_attempt_at - attempt_at)

    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert (reminder.status, reminder.attempts, reminder.last_error) == (
        "failed",
        5,
        "OSError('connection refused')",
    )
    assert sweep_due_reminders(now=DUE + timedelta(days=1)) == []
    assert deliver_reminder(reminder.pk, now=DUE + timedelta(days=1)) is False
    assert mail.outbox == []


def test_delivering_twice_sends_one_email_and_one_notification(org):
    _follow_up, reminder = follow_up_reminder(org)

    results = [deliver_reminder(reminder.pk, now=DUE), deliver_reminder(reminder.pk, now=DUE)]

    assert results == [True, False]
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1


def test_unknown_reminder_is_not_delivered(db):
    assert deliver_reminder(987654, now=DUE) is False
    assert mail.outbox == []


def test_sweep_task_delivers_every_due_reminder_once(org):
    now = datetime.now(tz=UTC)
    _first, due = follow_up_reminder(org, due=now - timedelta(minutes=5), title="Due one")
    _second, later = follow_up_reminder(org, due=now + timedelta(hours=1), title="Later one")

    assert sweep_reminders_task.delay().get() == 1
    assert sweep_reminders_task.delay().get() == 0
    deliver_reminder_task.delay(due.pk)

    assert [m.subject for m in mail.outbox] == ["Reminder: Due one"]
    later.refresh_from_db()
    assert later.status == "pending"


def test_sweep_returns_oldest_first_and_respects_the_limit(org):
    reminders = [follow_up_reminder(org, due=DUE - timedelta(minutes=m), title=f"T{m}")[1] for m in (1, 3, 2)]

    assert sweep_due_reminders(now=DUE) == [reminders[1].pk, reminders[2].pk, reminders[0].pk]
    assert sweep_due_reminders(now=DUE, limit=2) == [reminders[1].pk, reminders[2].pk]
