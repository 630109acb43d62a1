"""Feedback on the client page: who may ask a contact now and record what was done, the section with the latest
scores and answers, the timeline's feedback chip, query counts and languages."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from clients.services import reassign_client
from feedback.models import SurveyRequest, SurveyResponse, SurveyStatus, SurveyTemplate, TriggerKind
from feedback.services.closed_loop import open_loop
from interactions.models import FollowUp, FollowUpStatus
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, ensure_survey_defaults, frozen, survey_template
from tests.factories.interactions import InteractionFactory

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _survey_defaults(db):
    ensure_survey_defaults()  # an earlier transactional test's flush may have removed the seeded templates


@pytest.fixture
def contact(org):
    return ContactFactory(client=org.client, full_name="Petras Primary", email="petras@own.example")


def answered(contact, template: str, score: int, *, days_ago: int = 1, comment: str = "") -> SurveyResponse:
    """An answered request of `contact`; a low score opens the closed loop as a real answer would."""
    at = timezone.now() - timedelta(days=days_ago)
    request = SurveyRequestFactory(
        contact=contact,
        template=survey_template(template),
        status=SurveyStatus.ANSWERED,
        scheduled_at=at - timedelta(hours=2),
        sent_at=at - timedelta(hours=2),
        answered_at=at,
    )
    response = SurveyResponse.objects.create(
        request=request, client=contact.client, kind=request.kind, score=score, comment=comment, answered_at=at
    )
    if response.is_low:
        open_loop(response, now=at)
        response.refresh_from_db()
    return response


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def section_of(body: str, dom_id: str = "client-feedback") -> str:
    start = body.index(f'id="{dom_id}"')
    return body[start : body.index("</section>", start)]


def send_url(client) -> str:
    return reverse("surveys:send", args=[client.pk])


def action_url(response: SurveyResponse) -> str:
    return reverse("surveys:action", args=[response.pk])


def options(section: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of each option of the named select in the section."""
    select = re.search(rf'<select name="{name}".*?</select>', section, flags=re.S).group(0)
    return re.findall(r'<option value="([^"]*)">([^<]*)</option>', select)


def page_anchor(client) -> str:
    return f"{client.get_absolute_url()}#client-feedback"


def snapshot() -> tuple:
    """Every row a feedback write could add or change, to assert that a refused one changed nothing."""
    return (
        list(SurveyRequest.objects.order_by("pk").values()),
        [model_to_dict(row) for row in SurveyResponse.objects.order_by("pk")],
        list(FollowUp.objects.order_by("pk").values_list("pk", "status", "completed_at")),
    )


def urls(org, contact) -> dict[str, tuple[str, dict]]:
    """Both staff URLs on org.client, each with a POST that would change something."""
    response = answered(contact, "NPS", 3)
    return {
        "send": (send_url(org.client), {"contact": contact.pk, "template": survey_template("CSAT").pk}),
        "action": (action_url(response), {"text": "Called, replaced the pallets."}),
    }


# --- Who may do what -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["send", "action"])
def test_anonymous_is_sent_to_login_and_nothing_changes(client, org, contact, name):
    target, data = urls(org, contact)[name]
    before = snapshot()
    response = client.post(target, data)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert snapshot() == before


@pytest.mark.parametrize("name", ["send", "action"])
def test_get_is_not_allowed(as_user, org, contact, name):
    target, _data = urls(org, contact)[name]
    before = snapshot()
    assert as_user(org.manager).get(target).status_code == 405
    assert snapshot() == before


@pytest.mark.parametrize("who", ["outsider", "other_lead"])
@pytest.mark.parametrize("name", ["send", "action"])
def test_outsider_gets_404_for_a_client_they_cannot_see_and_nothing_changes(as_user, org, contact, name, who):
    target, data = urls(org, contact)[name]
    before = snapshot()
    assert as_user(getattr(org, who)).post(target, data).status_code == 404
    assert snapshot() == before


def test_unknown_response_is_404(as_user, org):
    target = reverse("surveys:action", args=[999999])
    assert as_user(org.admin).post(target, {"text": "Done"}).status_code == 404


@pytest.mark.parametrize("name", ["send", "action"])
def test_teammate_who_only_views_the_client_is_refused_and_nothing_changes(as_user, org, contact, name):
    target, data = urls(org, contact)[name]
    before = snapshot()
    assert as_user(org.teammate).post(target, data).status_code == 403
    assert snapshot() == before


def test_teammate_sees_the_feedback_without_the_ask_now_and_record_forms(as_user, org, contact):
    response = answered(contact, "NPS", 3, comment="Late again")
    body = as_user(org.teammate).get(org.client.get_absolute_url()).content.decode()
    section = section_of(body)
    assert "Late again" in section
    assert "Follow-up: open" in section
    assert "Ask now" not in section
    assert send_url(org.client) not in body
    assert action_url(response) not in body
    assert 'name="text"' not in section


# --- Ask now ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "lead", "admin"])
def test_ask_now_writes_a_manual_request_and_goes_back_to_the_section(as_user, org, contact, who):
    user = getattr(org, who)
    csat, nps = survey_template("CSAT"), survey_template("NPS")
    c = as_user(user)
    section = section_of(c.get(org.client.get_absolute_url()).content.decode())
    assert f'action="{send_url(org.client)}"' in section
    assert options(section, "contact") == [("", "---------"), (str(contact.pk), "Petras Primary")]
    assert options(section, "template") == [("", "---------"), (str(csat.pk), "CSAT"), (str(nps.pk), "NPS")]

    response = c.post(send_url(org.client), {"contact": contact.pk, "template": csat.pk})

    assert response.status_code == 302
    assert response["Location"] == page_anchor(org.client)
    request = SurveyRequest.objects.get()
    assert (
        request.trigger,
        request.status,
        request.requested_by,
        request.contact,
        request.client,
        request.template,
        request.kind,
    ) == (TriggerKind.MANUAL, SurveyStatus.SCHEDULED, user, contact, org.client, csat, "csat")
    assert request.source_key.startswith("manual:")
    assert messages_of(response) == [
        "The survey goes to Petras Primary within the next minutes, in their working hours."
    ]


def _other_clients_contact(org):
    return ContactFactory(client=org.team_client, full_name="Someone Else")


def _opted_out(org):
    return ContactFactory(client=org.client, full_name="No Surveys", survey_opt_out=True)


def _without_email(org):
    return ContactFactory(client=org.client, full_name="No Mail", email="")


@pytest.mark.parametrize("make_contact", [_other_clients_contact, _opted_out, _without_email])
def test_ask_now_refuses_a_contact_that_may_not_be_asked_and_writes_nothing(as_user, org, contact, make_contact):
    refused = make_contact(org)
    c = as_user(org.manager)
    section = section_of(c.get(org.client.get_absolute_url()).content.decode())
    assert options(section, "contact") == [("", "---------"), (str(contact.pk), "Petras Primary")]
    before = snapshot()

    response = c.post(send_url(org.client), {"contact": refused.pk, "template": survey_template("CSAT").pk})

    assert response.status_code == 302
    assert response["Location"] == page_anchor(org.client)
    assert messages_of(response) == ["Choose a contact and a survey."]
    assert snapshot() == before
    assert SurveyRequest.objects.count() == 0


def test_ask_now_refuses_a_switched_off_survey_and_writes_nothing(as_user, org, contact):
    csat = survey_template("CSAT")
    SurveyTemplate.objects.filter(pk=csat.pk).update(is_active=False)
    c = as_user(org.manager)
    section = section_of(c.get(org.client.get_absolute_url()).content.decode())
    assert options(section, "template") == [("", "---------"), (str(survey_template("NPS").pk), "NPS")]

    response = c.post(send_url(org.client), {"contact": contact.pk, "template": csat.pk})

    assert response["Location"] == page_anchor(org.client)
    assert messages_of(response) == ["Choose a contact and a survey."]
    assert SurveyRequest.objects.count() == 0


@pytest.mark.parametrize("data", [{}, {"contact": "x", "template": "y"}, {"contact": "", "template": ""}])
def test_ask_now_with_junk_input_writes_nothing(as_user, org, contact, data):
    response = as_user(org.manager).post(send_url(org.client), data)
    assert response["Location"] == page_anchor(org.client)
    assert messages_of(response) == ["Choose a contact and a survey."]
    assert SurveyRequest.objects.count() == 0


# --- Record what was done --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["manager", "lead", "admin"])
def test_record_action_stores_the_text_who_and_when_and_closes_the_follow_up(as_user, org, contact, who):
    user = getattr(org, who)
    detractor = answered(contact, "NPS", 3, comment="Late again")
    c = as_user(user)
    section = section_of(c.get(org.client.get_absolute_url()).content.decode())
    assert f'action="{action_url(detractor)}"' in section
    moment = timezone.now().replace(microsecond=0)

    with frozen(moment):
        response = c.post(action_url(detractor), {"text": "  Called, replaced the pallets.  "})

    assert response.status_code == 302
    assert response["Location"] == page_anchor(org.client)
    assert messages_of(response) == ["Noted. The follow-up is done."]
    detractor.refresh_from_db()
    assert (detractor.action_taken, detractor.action_by, detractor.action_at) == (
        "Called, replaced the pallets.",
        user,
        moment,
    )
    follow_up = FollowUp.objects.get(pk=detractor.follow_up_id)
    assert (follow_up.status, follow_up.completed_at) == (FollowUpStatus.DONE, moment)

    section = section_of(c.get(org.client.get_absolute_url()).content.decode())
    assert f"✓ Called, replaced the pallets. · {user}" in section
    assert action_url(detractor) not in section


@pytest.mark.parametrize("text", ["", "   ", None])
def test_record_action_without_text_is_refused_and_changes_nothing(as_user, org, contact, text):
    detractor = answered(contact, "CSAT", 1)
    before = snapshot()
    response = as_user(org.manager).post(action_url(detractor), {} if text is None else {"text": text})
    assert response["Location"] == page_anchor(org.client)
    assert messages_of(response) == ["Write what was done."]
    assert snapshot() == before


def test_record_action_on_a_follow_up_already_done_keeps_it_done(as_user, org, contact):
    detractor = answered(contact, "NPS", 2)
    FollowUp.objects.filter(pk=detractor.follow_up_id).update(status=FollowUpStatus.DONE)
    response = as_user(org.manager).post(action_url(detractor), {"text": "Met them on site."})
    assert messages_of(response) == ["Noted. The follow-up is done."]
    detractor.refresh_from_db()
    assert detractor.action_taken == "Met them on site."
    assert FollowUp.objects.get().status == FollowUpStatus.DONE


def test_new_account_manager_of_a_reassigned_client_may_record_the_action(as_user, org, contact):
    detractor = answered(contact, "NPS", 3)
    reassign_client(actor=org.lead, client=org.client, manager=org.teammate)
    response = as_user(org.teammate).post(action_url(detractor), {"text": "Called."})
    assert messages_of(response) == ["Noted. The follow-up is done."]
    detractor.refresh_from_db()
    assert (detractor.action_taken, detractor.action_by) == ("Called.", org.teammate)


# --- The client page's section ---------------------------------------------------------------------------------------


def score_values(section: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", value)).strip()
        for value in re.findall(r'<div class="value">(.*?)</div>', section, flags=re.S)
    ]


def test_section_without_answers_shows_dashes_and_the_empty_state(as_user, org):
    section = section_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert score_values(section) == ["—", "—"]
    assert "No survey answers yet." in section


def test_section_shows_the_latest_nps_and_csat_with_their_trend(as_user, org, contact):
    answered(contact, "NPS", 6, days_ago=10)
    answered(contact, "NPS", 9, days_ago=3)
    answered(contact, "CSAT", 5, days_ago=8)
    answered(contact, "CSAT", 2, days_ago=2)
    section = section_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert score_values(section) == ["9 ▲", "2/5 ▼"]
    assert '<span class="trend-up"' in section
    assert '<span class="trend-down"' in section
    assert "before 6" in section
    assert "before 5" in section


def test_section_shows_no_arrow_for_a_first_or_an_unchanged_score(as_user, org, contact):
    answered(contact, "NPS", 8, days_ago=3)
    answered(contact, "NPS", 8, days_ago=2)
    answered(contact, "CSAT", 4, days_ago=2)
    section = section_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert score_values(section) == ["8", "4/5"]
    assert "▲" not in section
    assert "▼" not in section


@pytest.mark.parametrize(
    ("template", "score", "badge"),
    [
        ("NPS", 10, '<span class="badge badge-score-good">Promoter</span>'),
        ("NPS", 9, '<span class="badge badge-score-good">Promoter</span>'),
        ("NPS", 8, '<span class="badge badge-score-mid">Passive</span>'),
        ("NPS", 7, '<span class="badge badge-score-mid">Passive</span>'),
        ("NPS", 6, '<span class="badge badge-score-bad">Detractor</span>'),
        ("NPS", 0, '<span class="badge badge-score-bad">Detractor</span>'),
        ("CSAT", 5, '<span class="badge badge-score-good">Satisfied</span>'),
        ("CSAT", 4, '<span class="badge badge-score-good">Satisfied</span>'),
        ("CSAT", 3, '<span class="badge badge-score-mid">Neutral</span>'),
        ("CSAT", 2, '<span class="badge badge-score-bad">Unhappy</span>'),
        ("CSAT", 1, '<span class="badge badge-score-bad">Unhappy</span>'),
    ],
)
def test_section_shows_each_answer_with_its_score_badge(as_user, org, contact, template, score, badge):
    answered(contact, template, score, comment="Some words")
    section = section_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    item = section[section.index('<div class="feedback-item">') :]
    assert f"<strong>{template} {score}</strong> {badge}" in item
    assert "Petras Primary" in item
    assert "“Some words”" in item
    assert section.count("badge-score-") == 1


def test_section_lists_the_four_latest_answers_newest_first(as_user, org, contact):
    for days_ago, score in enumerate([10, 9, 8, 7, 6, 5], start=1):
        answered(contact, "NPS", score, days_ago=days_ago)
    section = section_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert re.findall(r"<strong>NPS (\d+)</strong>", section) == ["10", "9", "8", "7"]


def test_section_shows_the_follow_up_state_and_what_was_done(as_user, org, contact):
    waiting = answered(contact, "NPS", 4, days_ago=3, comment="Waiting")
    handled = answered(contact, "CSAT", 1, days_ago=2, comment="Handled")
    answered(contact, "NPS", 10, days_ago=1, comment="Happy")
    as_user(org.manager).post(action_url(handled), {"text": "Gave a discount on the next order."})

    owner = section_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert owner.count("<form") == 2  # record for the waiting one, ask now
    assert owner.count("Follow-up: open") == 1
    assert f'action="{action_url(waiting)}"' in owner
    assert "Record and close the follow-up" in owner
    assert f"✓ Gave a discount on the next order. · {org.manager}" in owner

    teammate = section_of(as_user(org.teammate).get(org.client.get_absolute_url()).content.decode())
    assert "<form" not in teammate
    assert teammate.count("Follow-up: open") == 1
    assert f"✓ Gave a discount on the next order. · {org.manager}" in teammate


def test_section_shows_a_follow_up_closed_from_the_follow_up_list_as_done(as_user, org, contact):
    detractor = answered(contact, "NPS", 5)
    FollowUp.objects.filter(pk=detractor.follow_up_id).update(status=FollowUpStatus.DONE)
    section = section_of(as_user(org.manager).get(org.client.get_absolute_url()).content.decode())
    assert "Follow-up: done" in section
    assert "Follow-up: open" not in section
    assert f'action="{action_url(detractor)}"' in section  # what was done can still be written down


def test_an_action_recorded_on_an_answer_without_follow_up_is_shown(as_user, org, contact):
    promoter = answered(contact, "NPS", 10)
    c = as_user(org.manager)
    assert action_url(promoter) not in section_of(c.get(org.client.get_absolute_url()).content.decode())
    c.post(action_url(promoter), {"text": "Asked for a reference."})
    section = section_of(c.get(org.client.get_absolute_url()).content.decode())
    assert f"✓ Asked for a reference. · {org.manager}" in section
    timeline = c.get(reverse("interactions:timeline", args=[org.client.pk]), {"kind": "feedback"}, headers=HTMX)
    assert "✓ Asked for a reference." in timeline.content.decode()


# --- Timeline --------------------------------------------------------------------------------------------------------


def test_timeline_feedback_chip_keeps_only_the_answers(as_user, org, contact):
    InteractionFactory(client=org.client, kind="call", subject="The call")
    nps = answered(contact, "NPS", 3, days_ago=2, comment="Too slow")
    csat = answered(contact, "CSAT", 5, days_ago=1)
    answered(ContactFactory(client=org.team_client), "NPS", 10)  # another client's answer
    c = as_user(org.manager)
    timeline = reverse("interactions:timeline", args=[org.client.pk])

    everything = c.get(timeline, headers=HTMX).content.decode()
    assert everything.count('class="entry ') == 3
    assert f'href="{timeline}?kind=feedback"' in everything

    only = c.get(timeline, {"kind": "feedback"}, headers=HTMX).content.decode()
    assert re.findall(r'id="response-entry-(\d+)"', only) == [str(csat.pk), str(nps.pk)]
    assert only.count('class="entry ') == 2
    assert "The call" not in only
    assert re.search(r'<strong>NPS 3</strong>\s*<span class="badge badge-score-bad">Detractor</span>', only)
    assert re.search(r'<strong>CSAT 5</strong>\s*<span class="badge badge-score-good">Satisfied</span>', only)
    assert "“Too slow”" in only
    assert "Follow-up: open" in only


# --- Query count and languages ---------------------------------------------------------------------------------------


CLIENT_PAGE_QUERIES = 27  # measured with 2 answers; every app adds its section (segments: its badges; open links)


@pytest.mark.parametrize("rows", [2, 20])
def test_client_page_with_feedback_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    contacts = [ContactFactory(client=org.client) for _ in range(3)]
    for index in range(rows):
        template = "NPS" if index % 2 else "CSAT"
        answered(contacts[index % 3], template, [2, 9, 4, 5][index % 4], days_ago=index + 1, comment=f"Answer {index}")
    c = as_user(org.manager)
    with django_assert_max_num_queries(CLIENT_PAGE_QUERIES):
        response = c.get(org.client.get_absolute_url())
    assert response.status_code == 200
    assert section_of(response.content.decode()).count('<div class="feedback-item">') == min(rows, 4)


@pytest.mark.parametrize("language", ["lt", "ru"])
def test_client_page_with_feedback_renders_in_each_language(as_user, org, contact, language):
    org.manager.language = language
    org.manager.save()
    detractor = answered(contact, "NPS", 3, days_ago=3, comment="Vėluoja")
    answered(contact, "NPS", 9, days_ago=2)
    answered(contact, "CSAT", 2, days_ago=1)
    c = as_user(org.manager)
    c.post(action_url(detractor), {"text": "Paskambinau."})
    response = c.get(org.client.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}"' in body
    section = section_of(body)
    assert "Vėluoja" in section
    assert "Paskambinau." in section
    assert send_url(org.client) in section
    timeline = c.get(reverse("interactions:timeline", args=[org.client.pk]), {"kind": "feedback"}, headers=HTMX)
    assert timeline.status_code == 200
    assert timeline.content.decode().count('class="entry ') == 3
