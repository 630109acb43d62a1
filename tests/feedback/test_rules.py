"""Right before sending, the rules decide: suppressed with a reason, postponed to the sending window, or sent."""

import threading
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import connection

from complaints.models import ComplaintStatus
from feedback.models import SurveyRequest, SurveyStatus, TriggerKind
from feedback.services.delivery import deliver_survey
from tests.factories.clients import ClientFactory
from tests.factories.complaints import make_complaint, move
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import (
    SurveyRequestFactory,
    ensure_survey_defaults,
    make_sent_survey,
    survey_template,
    survey_trigger,
)

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")


def at(month, day, hour, minute=0, zone=VILNIUS):
    return datetime(2026, month, day, hour, minute, tzinfo=zone)


# Tuesday 3 March 2026, 10:00 in Vilnius: inside the 09:00–17:00 window on a working day.
TUE = at(3, 3, 10)


@pytest.fixture
def contact(org):
    return ContactFactory(client=org.client, full_name="Petras Primary", is_primary=True, language="lt")


def due(contact, *, now=TUE, **kwargs) -> SurveyRequest:
    """A survey to `contact` that became due an hour before `now`."""
    return SurveyRequestFactory(contact=contact, scheduled_at=now - timedelta(hours=1), **kwargs)


def outcome(survey):
    """(status, reason, next attempt, sent at) after delivery, and the e-mails that went out."""
    survey.refresh_from_db()
    return (survey.status, survey.suppressed_reason, survey.next_attempt_at, survey.sent_at), [
        m.to for m in mail.outbox
    ]


def assert_suppressed(survey, reason):
    before = survey.next_attempt_at
    assert outcome(survey) == (("suppressed", reason, before, None), [])
    assert (survey.token_hash, survey.expires_at) == (None, None)


def test_an_allowed_survey_due_inside_the_window_is_sent(contact):
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is True

    assert outcome(survey) == (("sent", "", TUE - timedelta(hours=1), TUE), [[contact.email]])


# --- suppression -------------------------------------------------------------------------------


def test_an_opted_out_contact_is_not_surveyed(contact):
    contact.survey_opt_out = True
    contact.save()
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "opted_out")


def test_a_contact_without_an_email_address_is_not_surveyed(contact):
    contact.email = ""
    contact.save()
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "no_email")


def test_a_survey_switched_off_after_it_was_scheduled_is_not_sent(contact):
    by_order = due(contact, trigger=TriggerKind.ORDER_DELIVERED, source_key="order_delivered:1")
    by_hand = due(ContactFactory(client=contact.client), template=survey_template("NPS"))
    trigger = survey_trigger(TriggerKind.ORDER_DELIVERED)
    trigger.is_enabled = False
    trigger.save()
    template = survey_template("NPS")
    template.is_active = False
    template.save()

    assert deliver_survey(by_order.pk, now=TUE) is False
    assert deliver_survey(by_hand.pk, now=TUE) is False

    assert_suppressed(by_order, "inactive")
    assert_suppressed(by_hand, "inactive")


def test_an_open_complaint_on_the_client_holds_back_surveys(org, contact):
    make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(days=2))
    survey = due(contact, trigger=TriggerKind.ORDER_DELIVERED, source_key="order_delivered:7")

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "open_complaint")


def test_a_complaints_own_csat_goes_out_once_it_is_resolved(org, contact):
    resolved = make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(days=3))
    move(resolved, ComplaintStatus.RESOLVED, actor=org.manager, at=TUE - timedelta(days=1))
    survey = due(contact, trigger=TriggerKind.COMPLAINT_RESOLVED, source_key=f"complaint_resolved:{resolved.pk}:1")

    assert deliver_survey(survey.pk, now=TUE) is True

    assert outcome(survey) == (("sent", "", TUE - timedelta(hours=1), TUE), [[contact.email]])


def test_another_open_complaint_holds_back_a_complaint_csat(org, contact):
    resolved = make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(days=3))
    move(resolved, ComplaintStatus.RESOLVED, actor=org.manager, at=TUE - timedelta(days=1))
    make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(hours=2))
    survey = due(contact, trigger=TriggerKind.COMPLAINT_RESOLVED, source_key=f"complaint_resolved:{resolved.pk}:1")

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "open_complaint")


def test_a_complaint_of_another_client_does_not_matter(org, contact):
    make_complaint(actor=org.teammate, client=org.team_client, received_at=TUE - timedelta(days=1))
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is True


def test_an_unanswered_survey_still_open_holds_back_the_next_one(contact):
    make_sent_survey(contact=contact, sent_at=TUE - timedelta(days=29))  # expires tomorrow
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "outstanding")


def test_an_expired_unanswered_survey_no_longer_holds_back(contact):
    make_sent_survey(contact=contact, sent_at=TUE - timedelta(days=30, seconds=1), status=SurveyStatus.EXPIRED)
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is True


def test_cooldown_holds_a_contact_back_for_30_days_after_a_survey(contact):
    make_sent_survey(contact=contact, sent_at=TUE - timedelta(days=29, hours=23), status=SurveyStatus.ANSWERED)
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "cooldown")


def test_cooldown_ends_30_days_after_the_last_survey(contact):
    make_sent_survey(contact=contact, sent_at=TUE - timedelta(days=30, seconds=1), status=SurveyStatus.ANSWERED)
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is True

    assert outcome(survey)[0] == ("sent", "", TUE - timedelta(hours=1), TUE)


def complaint_csat(org, contact):
    complaint = make_complaint(actor=org.manager, client=org.client, received_at=TUE - timedelta(days=3))
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=TUE - timedelta(days=1))
    return due(contact, trigger=TriggerKind.COMPLAINT_RESOLVED, source_key=f"complaint_resolved:{complaint.pk}:1")


def test_a_complaint_csat_is_exempt_from_the_cooldown_by_default(org, contact, settings):
    assert settings.SURVEY_COMPLAINT_CSAT_EXEMPT is True
    make_sent_survey(contact=contact, sent_at=TUE - timedelta(days=5), status=SurveyStatus.ANSWERED)
    survey = complaint_csat(org, contact)

    assert deliver_survey(survey.pk, now=TUE) is True


def test_a_complaint_csat_waits_out_the_cooldown_when_the_exemption_is_off(org, contact, settings):
    settings.SURVEY_COMPLAINT_CSAT_EXEMPT = False
    make_sent_survey(contact=contact, sent_at=TUE - timedelta(days=5), status=SurveyStatus.ANSWERED)
    survey = complaint_csat(org, contact)

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "cooldown")


def test_the_eleventh_survey_to_one_client_within_30_days_is_suppressed(org, contact):
    for days_ago in range(1, 11):
        make_sent_survey(
            contact=ContactFactory(client=org.client), sent_at=TUE - timedelta(days=days_ago * 2, hours=23)
        )
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is False

    assert_suppressed(survey, "client_limit")


def test_a_survey_older_than_30_days_no_longer_counts_towards_the_client_limit(org, contact):
    make_sent_survey(contact=ContactFactory(client=org.client), sent_at=TUE - timedelta(days=30, seconds=1))
    for days_ago in range(1, 10):
        make_sent_survey(contact=ContactFactory(client=org.client), sent_at=TUE - timedelta(days=days_ago))
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is True


def test_the_client_limit_counts_only_this_clients_surveys(org, contact):
    for _ in range(10):
        make_sent_survey(contact=ContactFactory(client=org.team_client), sent_at=TUE - timedelta(days=1))
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is True


# --- the sending window: 09:00–17:00 on working days in the contact's zone --------------------------


@pytest.mark.parametrize(
    ("now", "opens"),
    [
        pytest.param(at(3, 7, 11), at(3, 9, 9), id="saturday-to-monday"),
        pytest.param(at(3, 8, 23, 30), at(3, 9, 9), id="sunday-night-to-monday"),
        pytest.param(at(3, 3, 8, 59), at(3, 3, 9), id="0859-to-0900"),
        pytest.param(at(3, 3, 17), at(3, 4, 9), id="1700-to-next-morning"),
        pytest.param(at(3, 6, 17, 30), at(3, 9, 9), id="friday-evening-to-monday"),
        # 11 March is a public holiday in Lithuania (Restoration of Independence).
        pytest.param(at(3, 11, 10), at(3, 12, 9), id="lithuanian-holiday"),
    ],
)
def test_outside_the_window_a_survey_waits_for_the_window_to_open(contact, now, opens):
    survey = due(contact, now=now)

    assert deliver_survey(survey.pk, now=now) is False

    assert outcome(survey) == (("pending", "", opens, None), [])
    assert (survey.token_hash, survey.expires_at) == (None, None)

    # Nothing happens before the window opens; at the opening it goes out.
    assert deliver_survey(survey.pk, now=opens - timedelta(seconds=1)) is False
    assert deliver_survey(survey.pk, now=opens) is True
    assert outcome(survey) == (("sent", "", opens, opens), [[contact.email]])


@pytest.mark.parametrize("now", [at(3, 3, 9), at(3, 3, 16, 59), at(3, 6, 12)])
def test_inside_the_window_a_survey_goes_out_at_once(contact, now):
    survey = due(contact, now=now)

    assert deliver_survey(survey.pk, now=now) is True


def test_the_window_is_in_the_contacts_own_zone(org):
    polish = ContactFactory(client=ClientFactory(country="PL", account_manager=org.manager))
    # 09:30 in Vilnius is 08:30 in Warsaw: the Warsaw window opens at 10:00 Vilnius time.
    now = at(3, 3, 9, 30)
    survey = due(polish, now=now)

    assert deliver_survey(survey.pk, now=now) is False

    assert outcome(survey)[0] == ("pending", "", at(3, 3, 9, zone=zoneinfo.ZoneInfo("Europe/Warsaw")), None)
    assert survey.next_attempt_at == at(3, 3, 10)


def test_a_country_with_several_zones_falls_back_to_the_company_zone(org, settings):
    assert settings.TIME_ZONE == "Europe/Vilnius"
    american = ContactFactory(client=ClientFactory(country="US", account_manager=org.manager))
    # 10:00 in Vilnius is 03:00 in New York: the company's zone decides, so it goes out.
    morning = due(american, now=TUE)
    assert deliver_survey(morning.pk, now=TUE) is True

    # 17:30 in Vilnius (10:30 in New York) is after the window: it waits for 09:00 Vilnius.
    evening = due(ContactFactory(client=american.client), now=at(3, 4, 17, 30))
    assert deliver_survey(evening.pk, now=at(3, 4, 17, 30)) is False
    assert outcome(evening)[0] == ("pending", "", at(3, 5, 9), None)


def test_rules_are_checked_again_when_a_postponed_survey_goes_out(contact):
    saturday = at(3, 7, 11)
    survey = due(contact, now=saturday)
    deliver_survey(survey.pk, now=saturday)
    contact.survey_opt_out = True
    contact.save()

    assert deliver_survey(survey.pk, now=at(3, 9, 9)) is False

    assert outcome(survey) == (("suppressed", "opted_out", at(3, 9, 9), None), [])


def test_a_survey_not_due_yet_is_left_alone(contact):
    survey = due(contact, now=TUE + timedelta(hours=2))

    assert deliver_survey(survey.pk, now=TUE) is False

    assert outcome(survey) == (("pending", "", TUE + timedelta(hours=1), None), [])


# --- concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_two_surveys_to_one_contact_at_once_send_one(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer in at a time, so workers cannot race")
    ensure_survey_defaults()  # an earlier transactional test's flush removed the seeded rows
    contact = ContactFactory(client=org.client)
    surveys = [due(contact, source_key=f"race:{n}") for n in range(2)]
    barrier, results, errors = threading.Barrier(2), [], []

    def work(pk):
        try:
            barrier.wait()
            results.append(deliver_survey(pk, now=TUE))
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=work, args=(s.pk,)) for s in surveys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(results) == [False, True]
    assert sorted(SurveyRequest.objects.values_list("status", "suppressed_reason")) == [
        ("sent", ""),
        ("suppressed", "outstanding"),
    ]
    assert len(mail.outbox) == 1
