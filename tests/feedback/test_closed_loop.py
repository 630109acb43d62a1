"""The closed loop: a detractor or an unhappy CSAT gives the account manager one follow-up for the next
business morning and a notification (the team lead too for VIP and key clients); the manager records what was done."""

import zoneinfo
from datetime import datetime, timedelta

import pytest

from clients.models import Tier
from core.exceptions import ApplicationError
from feedback.models import SurveyResponse
from feedback.services.answers import record_answer
from feedback.services.closed_loop import record_action
from interactions.models import FollowUp, Notification
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import frozen, make_sent_survey, survey_template

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=VILNIUS)


SENT = at(3, 2, 10)  # Monday 2 March 2026
FRIDAY = at(3, 6, 15)  # answered Friday 6 March, 15:00
MONDAY_9 = at(3, 9, 9)


@pytest.fixture
def contact(org):
    return ContactFactory(client=org.client, full_name="Petras Primary", language="lt")


def answer(contact, template, score, *, now=FRIDAY, comment=""):
    _survey, token = make_sent_survey(contact=contact, sent_at=SENT, template=survey_template(template))
    with frozen(now):
        return record_answer(token=token, score=score, comment=comment, now=now), token


def follow_ups():
    return list(FollowUp.objects.order_by("pk").values_list("client__name", "assignee__full_name", "title", "due_at"))


def notifications():
    return sorted(Notification.objects.values_list("recipient__full_name", "key", "title", "body", "url"))


def test_a_detractor_gives_the_account_manager_a_follow_up_next_business_morning_and_a_notification(org, contact):
    response, _token = answer(contact, "NPS", 6, comment="Deliveries are always late")

    title = "Detractor: NPS 6 from Petras Primary, call back"
    assert follow_ups() == [("Own Client UAB", "Mantas Owner", title, MONDAY_9)]
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.created_by) == ("open", org.manager)
    assert SurveyResponse.objects.get().follow_up == follow_up
    assert notifications() == [
        (
            "Mantas Owner",
            f"survey-low:{response.pk}",
            f"{title} · Own Client UAB",
            "Deliveries are always late",
            org.client.get_absolute_url(),
        )
    ]


def test_an_unhappy_csat_gives_a_follow_up_too(org, contact):
    answer(contact, "CSAT", 2, now=at(3, 3, 10))  # Tuesday morning: Wednesday 09:00

    assert follow_ups() == [
        ("Own Client UAB", "Mantas Owner", "Unhappy client: CSAT 2 from Petras Primary, call back", at(3, 4, 9))
    ]
    assert Notification.objects.filter(recipient=org.manager).count() == 1


@pytest.mark.parametrize(("template", "score"), [("NPS", 0), ("NPS", 3), ("NPS", 6), ("CSAT", 1), ("CSAT", 2)])
def test_every_low_score_opens_the_loop_once(org, contact, template, score):
    answer(contact, template, score)

    assert FollowUp.objects.count() == 1
    assert Notification.objects.count() == 1


@pytest.mark.parametrize(
    ("template", "score"), [("NPS", 7), ("NPS", 8), ("NPS", 9), ("NPS", 10), ("CSAT", 3), ("CSAT", 4), ("CSAT", 5)]
)
def test_a_passive_promoter_or_satisfied_answer_opens_nothing(org, contact, template, score):
    response, _token = answer(contact, template, score)

    assert response.follow_up is None
    assert (FollowUp.objects.count(), Notification.objects.count()) == (0, 0)


def test_the_next_business_morning_skips_public_holidays(org, contact):
    # Wednesday 11 March is a public holiday in Lithuania (the default business calendar).
    answer(contact, "NPS", 2, now=at(3, 10, 16))

    assert follow_ups()[0][3] == at(3, 12, 9)


@pytest.mark.parametrize("tier", [Tier.VIP, Tier.KEY])
def test_for_vip_and_key_clients_the_team_lead_is_notified_too(org, tier):
    client = ClientFactory(name="Big Client UAB", tier=tier, account_manager=org.manager)

    response, _token = answer(ContactFactory(client=client, full_name="Jonas Big"), "NPS", 4)

    title = "Detractor: NPS 4 from Jonas Big, call back · Big Client UAB"
    assert [(name, key, text) for name, key, text, _body, _url in notifications()] == [
        ("Lina Lead", f"survey-low:{response.pk}", title),
        ("Mantas Owner", f"survey-low:{response.pk}", title),
    ]
    assert follow_ups() == [("Big Client UAB", "Mantas Owner", "Detractor: NPS 4 from Jonas Big, call back", MONDAY_9)]


def test_changing_a_low_answer_again_does_not_open_a_second_follow_up(org, contact):
    _response, token = answer(contact, "NPS", 3)

    with frozen(FRIDAY + timedelta(hours=2)):
        record_answer(token=token, score=1, comment="Even worse", now=FRIDAY + timedelta(hours=2))

    assert len(follow_ups()) == 1
    assert follow_ups()[0][2] == "Detractor: NPS 3 from Petras Primary, call back"
    assert Notification.objects.count() == 1


def test_changing_a_good_answer_to_a_low_one_within_24_hours_opens_the_loop(org, contact):
    _response, token = answer(contact, "CSAT", 5, now=at(3, 5, 16))  # Thursday
    assert FollowUp.objects.count() == 0

    changed = FRIDAY  # Friday 15:00, within 24 hours
    with frozen(changed):
        response = record_answer(token=token, score=1, comment="Found damage", now=changed)

    assert follow_ups() == [
        ("Own Client UAB", "Mantas Owner", "Unhappy client: CSAT 1 from Petras Primary, call back", MONDAY_9)
    ]
    assert response.follow_up == FollowUp.objects.get()
    assert notifications()[0][3] == "Found damage"


def test_a_client_without_an_account_manager_records_the_answer_but_opens_nothing(org):
    orphan = ClientFactory(account_manager=None)

    response, _token = answer(ContactFactory(client=orphan), "NPS", 0)

    assert (response.score, response.follow_up) == (0, None)
    assert (FollowUp.objects.count(), Notification.objects.count()) == (0, 0)


# --- what was done ---------------------------------------------------------------------------------


def test_the_manager_records_what_was_done_and_the_follow_up_is_closed(org, contact):
    response, _token = answer(contact, "NPS", 2)
    done_at = at(3, 9, 11)

    with frozen(done_at):
        record_action(
            actor=org.manager, response=response, text="  Called; a discount on the next order.  ", now=done_at
        )

    response.refresh_from_db()
    assert (response.action_taken, response.action_by, response.action_at) == (
        "Called; a discount on the next order.",
        org.manager,
        done_at,
    )
    follow_up = FollowUp.objects.get()
    assert (follow_up.status, follow_up.completed_at) == ("done", done_at)


def test_the_team_lead_may_record_what_was_done(org, contact):
    response, _token = answer(contact, "NPS", 2)

    with frozen(MONDAY_9):
        record_action(actor=org.lead, response=response, text="Visited them.", now=MONDAY_9)

    response.refresh_from_db()
    assert (response.action_by, FollowUp.objects.get().status) == (org.lead, "done")


def test_a_read_only_teammate_cannot_record_what_was_done(org, contact):
    response, _token = answer(contact, "NPS", 2)

    with pytest.raises(ApplicationError) as refused, frozen(MONDAY_9):
        record_action(actor=org.teammate, response=response, text="Not mine to say", now=MONDAY_9)

    assert refused.value.message == "You can view this client but not change it."
    response.refresh_from_db()
    assert (response.action_taken, response.action_by, response.action_at) == ("", None, None)
    assert FollowUp.objects.get().status == "open"


def test_recording_an_action_needs_a_text(org, contact):
    response, _token = answer(contact, "NPS", 2)

    with pytest.raises(ApplicationError) as refused:
        record_action(actor=org.manager, response=response, text="   ", now=MONDAY_9)

    assert (refused.value.message, refused.value.field) == ("Write what was done.", "text")
    response.refresh_from_db()
    assert (response.action_taken, FollowUp.objects.get().status) == ("", "open")


def test_an_action_on_a_good_answer_needs_no_follow_up(org, contact):
    response, _token = answer(contact, "CSAT", 4)

    with frozen(MONDAY_9):
        record_action(actor=org.manager, response=response, text="Thanked them.", now=MONDAY_9)

    response.refresh_from_db()
    assert (response.action_taken, response.action_by, response.follow_up) == ("Thanked them.", org.manager, None)
