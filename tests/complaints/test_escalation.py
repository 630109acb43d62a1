"""Escalations: each level once per complaint and reopen cycle, to the right person, e-mailed once in their hours."""

import threading
import zoneinfo
from datetime import datetime

import pytest
from django.core import mail
from django.db import connection

from accounts.models import Team
from clients.models import Tier
from complaints.models import (
    ActivityKind,
    Complaint,
    ComplaintActivity,
    ComplaintStatus,
    Escalation,
    EscalationLevel,
    Severity,
)
from complaints.services.escalation import deliver_escalation, escalate_due_complaints, list_due_escalations
from core.outbox import DeliveryStatus
from interactions.models import Notification
from tests.factories.clients import ClientFactory
from tests.factories.complaints import (
    BusinessCalendarFactory,
    ensure_defaults,
    link_calendar,
    make_complaint,
    move,
    reply,
)

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
AT_RISK, BREACHED = EscalationLevel.AT_RISK, EscalationLevel.BREACHED


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=VILNIUS)


# A standard-tier, normal complaint received Monday 2 March 2026 at 10:00 (Vilnius, Mon–Fri 9–17):
# 8 business hours to answer, so at risk Monday 16:00 and breached Tuesday 10:00.
MON = at(3, 2, 10)
FIRST_AT_RISK, FIRST_DUE = at(3, 2, 16), at(3, 3, 10)


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "https://crm.example.com/"


def register(org, *, severity=Severity.NORMAL, client=None):
    return make_complaint(actor=org.manager, client=client or org.client, severity=severity, received_at=MON)


def vip_client(org):
    return ClientFactory(name="VIP Client UAB", tier=Tier.VIP, account_manager=org.manager)


def rows():
    """(complaint number, cycle, level, clock, recipient) of every escalation, oldest first."""
    return [
        (e.complaint.number, e.cycle, e.level, e.clock, e.recipient)
        for e in Escalation.objects.select_related("complaint", "recipient").order_by("pk")
    ]


def test_nothing_is_escalated_before_three_quarters_of_the_time_are_used(org):
    register(org)

    assert escalate_due_complaints(now=at(3, 2, 15, 59)) == 0
    assert (Escalation.objects.count(), Notification.objects.count()) == (0, 0)


def test_at_risk_notifies_the_owner_once_with_a_row_a_notification_and_a_thread_entry(org):
    complaint = register(org)

    assert escalate_due_complaints(now=FIRST_AT_RISK) == 1

    escalation = Escalation.objects.get()
    assert rows() == [("CMP-2026-000001", 1, AT_RISK, "first_response", org.manager)]
    assert (escalation.status, escalation.next_attempt_at, escalation.attempts) == ("pending", FIRST_AT_RISK, 0)
    notification = Notification.objects.get()
    assert (notification.recipient, notification.key, notification.title, notification.body, notification.url) == (
        org.manager,
        f"escalation:{escalation.pk}",
        "At risk: complaint CMP-2026-000001 (Own Client UAB)",
        "Own Client UAB",
        f"/complaints/{complaint.pk}/",
    )
    entry = ComplaintActivity.objects.get(kind=ActivityKind.ESCALATION)
    assert (entry.complaint, entry.author, entry.at, entry.to_value, entry.body) == (
        complaint,
        None,
        FIRST_AT_RISK,
        AT_RISK,
        "Mantas Owner",
    )
    complaint.refresh_from_db()
    assert (complaint.escalated_at, complaint.first_response_breached_at) == (None, None)

    assert escalate_due_complaints(now=at(3, 2, 16, 30)) == 0
    assert (Escalation.objects.count(), Notification.objects.count()) == (1, 1)
    assert ComplaintActivity.objects.filter(kind=ActivityKind.ESCALATION).count() == 1


def test_a_breach_notifies_the_team_lead_once_and_marks_the_complaint_escalated(org):
    complaint = register(org)
    escalate_due_complaints(now=FIRST_AT_RISK)

    assert escalate_due_complaints(now=FIRST_DUE) == 1
    assert escalate_due_complaints(now=at(3, 3, 11)) == 0

    assert rows() == [
        ("CMP-2026-000001", 1, AT_RISK, "first_response", org.manager),
        ("CMP-2026-000001", 1, BREACHED, "first_response", org.lead),
    ]
    complaint.refresh_from_db()
    assert (complaint.escalated_at, complaint.first_response_breached_at) == (FIRST_DUE, FIRST_DUE)
    # Escalation records, notifies and shows; it never changes who owns the complaint or how severe it is.
    assert (complaint.owner, complaint.severity, complaint.status) == (org.manager, "normal", "new")
    assert list(Notification.objects.filter(recipient=org.lead).values_list("title", flat=True)) == [
        "SLA breached: complaint CMP-2026-000001 (Own Client UAB)"
    ]
    assert list(complaint.activities.filter(kind=ActivityKind.ESCALATION).values_list("to_value", "body")) == [
        (AT_RISK, "Mantas Owner"),
        (BREACHED, "Lina Lead"),
    ]


def test_a_late_sweep_records_the_breach_at_the_due_time_and_writes_both_levels(org):
    complaint = register(org)

    assert escalate_due_complaints(now=at(3, 3, 20)) == 2

    complaint.refresh_from_db()
    assert (complaint.first_response_breached_at, complaint.escalated_at) == (FIRST_DUE, at(3, 3, 20))
    assert sorted((level, recipient.pk) for _n, _c, level, _clock, recipient in rows()) == [
        (AT_RISK, org.manager.pk),
        (BREACHED, org.lead.pk),
    ]


def test_a_breach_in_a_team_without_a_lead_goes_to_the_first_active_admin(org):
    Team.objects.filter(pk=org.north.pk).update(lead=None)
    register(org)

    escalate_due_complaints(now=FIRST_DUE)

    assert Escalation.objects.get(level=BREACHED).recipient == org.admin


def test_a_breach_whose_team_lead_has_left_goes_to_the_first_active_admin(org):
    org.lead.is_active = False
    org.lead.save()
    register(org)

    escalate_due_complaints(now=FIRST_DUE)

    assert Escalation.objects.get(level=BREACHED).recipient == org.admin


def test_resolution_levels_fire_again_once_in_the_cycle_after_a_reopen(org):
    complaint = register(org, client=vip_client(org), severity=Severity.CRITICAL)  # 15 / 120 minutes
    reply(complaint, actor=org.manager, at=at(3, 2, 10, 5))
    assert escalate_due_complaints(now=at(3, 2, 11, 30)) == 1  # 90 of 120 minutes used
    assert escalate_due_complaints(now=at(3, 2, 12)) == 1
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 12, 30))
    assert escalate_due_complaints(now=at(3, 2, 12, 45)) == 0

    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 2, 13))  # no budget left

    assert escalate_due_complaints(now=at(3, 2, 13)) == 2
    assert escalate_due_complaints(now=at(3, 2, 14)) == 0
    assert rows() == [
        ("CMP-2026-000001", 1, AT_RISK, "resolution", org.manager),
        ("CMP-2026-000001", 1, BREACHED, "resolution", org.lead),
        ("CMP-2026-000001", 2, BREACHED, "resolution", org.lead),
        ("CMP-2026-000001", 2, AT_RISK, "resolution", org.manager),
    ]
    complaint.refresh_from_db()
    assert (complaint.resolution_breached_at, complaint.escalated_at) == (at(3, 2, 12), at(3, 2, 12))


def test_a_complaint_waiting_for_the_client_does_not_escalate(org):
    complaint = register(org, client=vip_client(org), severity=Severity.CRITICAL)
    reply(complaint, actor=org.manager, at=at(3, 2, 10, 5))
    move(complaint, ComplaintStatus.WAITING, actor=org.manager, at=at(3, 2, 10, 30))

    assert escalate_due_complaints(now=at(3, 2, 20)) == 0
    assert escalate_due_complaints(now=at(4, 30, 12)) == 0

    complaint.refresh_from_db()
    assert (complaint.resolution_breached_at, complaint.escalated_at) == (None, None)
    assert Notification.objects.count() == 0


def test_resolved_complaints_do_not_escalate(org):
    complaint = register(org)
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 2, 11))

    assert escalate_due_complaints(now=at(4, 30, 12)) == 0
    assert Escalation.objects.count() == 0


# --- e-mail -----------------------------------------------------------------------------------


def test_a_non_critical_breach_at_night_is_e_mailed_at_the_next_opening_and_notified_at_once(org):
    register(org)

    escalate_due_complaints(now=at(3, 3, 20))

    assert set(Escalation.objects.values_list("next_attempt_at", flat=True)) == {at(3, 4, 9)}
    assert Notification.objects.count() == 2
    assert list_due_escalations(now=at(3, 4, 8, 59)) == []
    breach = Escalation.objects.get(level=BREACHED)
    assert deliver_escalation(breach.pk, now=at(3, 3, 20)) is False
    assert mail.outbox == []
    assert sorted(list_due_escalations(now=at(3, 4, 9))) == sorted(Escalation.objects.values_list("pk", flat=True))
    assert deliver_escalation(breach.pk, now=at(3, 4, 9)) is True
    assert [m.to for m in mail.outbox] == [[org.lead.email]]


def test_a_non_critical_breach_on_friday_evening_is_e_mailed_on_monday_morning(org):
    register(org)

    escalate_due_complaints(now=at(3, 6, 18))

    assert Escalation.objects.get(level=BREACHED).next_attempt_at == at(3, 9, 9)


def test_a_critical_breach_is_e_mailed_at_once_even_at_night(org):
    key = ClientFactory(name="Key Client UAB", tier=Tier.KEY, account_manager=org.manager)
    register(org, client=key, severity=Severity.CRITICAL)

    escalate_due_complaints(now=at(3, 2, 20))

    assert set(Escalation.objects.values_list("next_attempt_at", flat=True)) == {at(3, 2, 20)}


def test_the_e_mail_waits_for_the_recipients_business_hours_not_the_complaints(org):
    link_calendar(org.south, BusinessCalendarFactory(name="New York office", time_zone="America/New_York"))
    Team.objects.filter(pk=org.north.pk).update(lead=org.other_lead)  # a lead working from New York
    register(org)

    escalate_due_complaints(now=at(3, 3, 20))  # 13:00 in New York

    assert Escalation.objects.get(level=BREACHED).next_attempt_at == at(3, 3, 20)
    assert Escalation.objects.get(level=AT_RISK).next_attempt_at == at(3, 4, 9)


def test_an_escalation_is_e_mailed_exactly_once_even_when_delivered_twice(org):
    complaint = register(org)
    escalate_due_complaints(now=FIRST_AT_RISK)
    escalate_due_complaints(now=FIRST_DUE)
    breach = Escalation.objects.get(level=BREACHED)

    assert deliver_escalation(breach.pk, now=FIRST_DUE) is True
    assert deliver_escalation(breach.pk, now=at(3, 3, 10, 1)) is False

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [org.lead.email]
    assert message.subject == "SLA breached: complaint CMP-2026-000001 (Own Client UAB)"
    assert "The client has had no answer within the agreed time:" in message.body
    assert f"https://crm.example.com/complaints/{complaint.pk}/" in message.body
    breach.refresh_from_db()
    assert (breach.status, breach.sent_at, breach.attempts) == ("sent", FIRST_DUE, 0)


def test_an_escalation_of_a_complaint_resolved_before_its_e_mail_time_is_cancelled_not_sent(org):
    complaint = register(org)
    escalate_due_complaints(now=at(3, 3, 20))
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 3, 21))

    for escalation in Escalation.objects.all():
        assert deliver_escalation(escalation.pk, now=at(3, 4, 9)) is False

    assert mail.outbox == []
    assert set(Escalation.objects.values_list("status", flat=True)) == {DeliveryStatus.CANCELLED}
    assert list_due_escalations(now=at(3, 5, 9)) == []


def test_an_escalation_of_an_earlier_cycle_is_cancelled_after_a_reopen(org):
    complaint = register(org)
    escalate_due_complaints(now=at(3, 3, 20))
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at(3, 3, 21))
    move(complaint, ComplaintStatus.IN_PROGRESS, actor=org.manager, at=at(3, 3, 22))

    breach = Escalation.objects.get(cycle=1, level=BREACHED)
    assert deliver_escalation(breach.pk, now=at(3, 4, 9)) is False

    breach.refresh_from_db()
    assert (breach.status, mail.outbox) == (DeliveryStatus.CANCELLED, [])


# --- concurrent beats -------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_concurrent_beat_runs_write_each_level_of_each_complaint_once(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer in at a time, so beats cannot race")
    ensure_defaults()  # an earlier transactional test's flush removed the seeded rows
    complaints = [register(org) for _ in range(3)]
    threads, barrier = 6, threading.Barrier(6)
    written, errors = [], []

    def beat():
        try:
            barrier.wait()
            written.append(escalate_due_complaints(now=FIRST_DUE))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    workers = [threading.Thread(target=beat) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert errors == []
    assert sum(written) == 6
    assert sorted((e.complaint.pk, e.level) for e in Escalation.objects.select_related("complaint")) == sorted(
        (c.pk, level) for c in complaints for level in (AT_RISK, BREACHED)
    )
    assert Notification.objects.count() == 6
    assert ComplaintActivity.objects.filter(kind=ActivityKind.ESCALATION).count() == 6
    assert set(Complaint.objects.values_list("escalated_at", "first_response_breached_at")) == {(FIRST_DUE, FIRST_DUE)}
