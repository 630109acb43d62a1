"""Answers: recorded once per request, changeable for 24 hours, only on the survey's scale, only with a live token."""

import threading
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from core.exceptions import ApplicationError
from feedback.models import SurveyRequest, SurveyResponse, SurveyStatus
from feedback.services.answers import get_answerable, record_answer
from feedback.services.tokens import find_request
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import ensure_survey_defaults, make_sent_survey, survey_template

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
SENT = datetime(2026, 3, 3, 10, tzinfo=VILNIUS)
LATER = SENT + timedelta(days=2)


@pytest.fixture
def contact(org):
    return ContactFactory(client=org.client, full_name="Petras Primary", language="lt")


@pytest.fixture
def csat(contact):
    return make_sent_survey(contact=contact, sent_at=SENT)


@pytest.fixture
def nps(contact):
    return make_sent_survey(contact=contact, sent_at=SENT, template=survey_template("NPS"))


def state(token, now):
    return get_answerable(token, now=now).state


def tampered(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def snapshot(survey):
    """What an answer changes: the request's state and every response row."""
    survey.refresh_from_db()
    responses = list(SurveyResponse.objects.values_list("request_id", "score", "comment", "answered_at", "changed_at"))
    return survey.status, survey.answered_at, responses


# --- finding the survey by its token -------------------------------------------------------------


def test_a_sent_surveys_token_finds_it_and_nothing_else_does(csat):
    survey, token = csat

    assert find_request(token) == survey
    assert find_request(tampered(token)) is None
    assert find_request(token.upper() if token.upper() != token else token.lower()) is None
    assert find_request("") is None
    assert find_request("x" * 101) is None
    assert find_request(survey.token_hash) is None  # the stored hash is not a token


def test_what_a_token_allows_depends_on_the_survey_and_the_time(contact, csat):
    survey, token = csat
    _pending, pending_token = make_sent_survey(contact=contact, sent_at=SENT, status=SurveyStatus.SCHEDULED)
    _expired, expired_token = make_sent_survey(contact=contact, sent_at=SENT, status=SurveyStatus.EXPIRED)

    assert state(token, LATER) == "open"
    assert state(token, survey.expires_at - timedelta(seconds=1)) == "open"
    assert state(token, survey.expires_at) == "expired"  # the sweep has not run yet
    assert state(expired_token, LATER) == "expired"
    assert state(pending_token, LATER) == "unknown"
    assert state(tampered(token), LATER) == "unknown"
    assert state("no-such-token", LATER) == "unknown"


# --- recording -----------------------------------------------------------------------------------


def test_an_answer_is_recorded_and_the_survey_marked_answered(org, csat):
    survey, token = csat

    response = record_answer(token=token, score="4", comment="  Fast delivery.  ", now=LATER)

    assert (response.request, response.client, response.kind, response.score, response.comment) == (
        survey,
        org.client,
        "csat",
        4,
        "Fast delivery.",
    )
    assert (response.answered_at, response.changed_at) == (LATER, None)
    assert snapshot(survey) == ("answered", LATER, [(survey.pk, 4, "Fast delivery.", LATER, None)])
    assert state(token, LATER) == "editable"


def test_an_answer_changed_within_24_hours_updates_the_one_response(csat):
    survey, token = csat
    record_answer(token=token, score=3, comment="OK", now=LATER)

    record_answer(token=token, score=5, comment="Actually great", now=LATER + timedelta(hours=24))

    assert snapshot(survey) == (
        "answered",
        LATER,
        [(survey.pk, 5, "Actually great", LATER, LATER + timedelta(hours=24))],
    )


def test_an_answer_older_than_24_hours_can_no_longer_be_changed(csat):
    survey, token = csat
    record_answer(token=token, score=3, comment="OK", now=LATER)
    before = snapshot(survey)

    with pytest.raises(ApplicationError) as refused:
        record_answer(token=token, score=5, now=LATER + timedelta(hours=24, seconds=1))

    assert refused.value.message == "This answer can no longer be changed."
    assert state(token, LATER + timedelta(hours=24, seconds=1)) == "locked"
    assert snapshot(survey) == before


def test_the_same_answer_posted_twice_is_one_response(csat):
    survey, token = csat

    record_answer(token=token, score=4, now=LATER)
    record_answer(token=token, score=4, now=LATER + timedelta(seconds=1))

    assert snapshot(survey)[2] == [(survey.pk, 4, "", LATER, LATER + timedelta(seconds=1))]


def test_the_database_allows_one_response_per_survey_on_its_scale(org, csat, nps):
    survey, token = csat
    record_answer(token=token, score=4, now=LATER)

    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(request=survey, client=org.client, kind="csat", score=2, answered_at=LATER)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(request=nps[0], client=org.client, kind="nps", score=11, answered_at=LATER)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(request=nps[0], client=org.client, kind="csat", score=0, answered_at=LATER)

    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize(
    ("template", "score", "message"),
    [
        ("NPS", "11", "Choose a score from 0 to 10."),
        ("NPS", "-1", "Choose a score from 0 to 10."),
        ("NPS", 11, "Choose a score from 0 to 10."),
        ("CSAT", "0", "Choose a score from 1 to 5."),
        ("CSAT", "6", "Choose a score from 1 to 5."),
        ("CSAT", "-1", "Choose a score from 1 to 5."),
        ("CSAT", "four", "Choose a score from 1 to 5."),
        ("CSAT", "4.5", "Choose a score from 1 to 5."),
        ("CSAT", "", "Choose a score from 1 to 5."),
        ("CSAT", None, "Choose a score from 1 to 5."),
        ("NPS", "1_0", "Choose a score from 0 to 10."),  # int() would read 10
        ("CSAT", "٣", "Choose a score from 1 to 5."),  # int() would read an Arabic-Indic 3
    ],
)
def test_a_score_off_the_scale_or_not_a_number_is_refused_and_nothing_is_recorded(contact, template, score, message):
    survey, token = make_sent_survey(contact=contact, sent_at=SENT, template=survey_template(template))

    with pytest.raises(ApplicationError) as refused:
        record_answer(token=token, score=score, now=LATER)

    assert (refused.value.message, refused.value.field) == (message, "score")
    assert snapshot(survey) == ("sent", None, [])


@pytest.mark.parametrize(("template", "low", "high"), [("NPS", 0, 10), ("CSAT", 1, 5)])
def test_both_ends_of_the_scale_are_accepted(contact, template, low, high):
    _low_survey, low_token = make_sent_survey(contact=contact, sent_at=SENT, template=survey_template(template))
    _high_survey, high_token = make_sent_survey(contact=contact, sent_at=SENT, template=survey_template(template))

    assert record_answer(token=low_token, score=str(low), now=LATER).score == low
    assert record_answer(token=high_token, score=f" {high} ", now=LATER).score == high


def test_a_long_comment_is_cut_to_the_maximum_length(settings, csat):
    settings.SURVEY_COMMENT_MAX_LENGTH = 10
    _survey, token = csat

    assert record_answer(token=token, score=4, comment="0123456789ABC", now=LATER).comment == "0123456789"


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("past_expiry", "This survey has expired."),
        ("status_expired", "This survey has expired."),
        ("tampered", "This survey link is not valid."),
        ("unknown", "This survey link is not valid."),
    ],
)
def test_an_expired_or_unknown_token_records_nothing(csat, how, message):
    survey, token = csat
    now = LATER
    if how == "past_expiry":
        now = survey.expires_at + timedelta(seconds=1)
    elif how == "status_expired":
        SurveyRequest.objects.filter(pk=survey.pk).update(status=SurveyStatus.EXPIRED)
    elif how == "tampered":
        token = tampered(token)
    else:
        token = "A" * 43
    before = snapshot(survey)

    with pytest.raises(ApplicationError) as refused:
        record_answer(token=token, score=4, now=now)

    assert refused.value.message == message
    assert snapshot(survey) == before


# --- two submits at the same moment ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_answers_submitted_at_once_leave_one_response(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite lets one writer in at a time, so submits cannot race")
    ensure_survey_defaults()  # an earlier transactional test's flush removed the seeded rows
    survey, token = make_sent_survey(contact=ContactFactory(client=org.client), sent_at=SENT)
    barrier, errors = threading.Barrier(4), []

    def submit(score):
        try:
            barrier.wait()
            record_answer(token=token, score=score, now=LATER)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=submit, args=(score,)) for score in (2, 3, 4, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    response = SurveyResponse.objects.get()
    assert (response.request_id, response.answered_at) == (survey.pk, LATER)
    assert response.score in (2, 3, 4, 5)
    survey.refresh_from_db()
    assert (survey.status, survey.answered_at) == ("answered", LATER)
