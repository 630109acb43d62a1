"""The survey e-mail: sent exactly once, one-click score links, unsubscribe headers, the contact's language,
a token only the e-mail knows; failures retried with backoff; old surveys expire."""

import base64
import re
import smtplib
import zoneinfo
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.core import mail

from feedback.models import SurveyRequest, SurveyStatus
from feedback.services.delivery import deliver_survey, expire_surveys, list_due_surveys, read_unsubscribe_token
from feedback.services.tokens import hash_token
from feedback.tasks import sweep_surveys_task
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, frozen, make_sent_survey, survey_template

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
TUE = datetime(2026, 3, 3, 10, tzinfo=VILNIUS)
SITE = "https://crm.example.com"
LINK = re.compile(r"https://crm\.example\.com/s/([A-Za-z0-9_-]+)/\?score=(\d+)")


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def contact(org):
    return ContactFactory(client=org.client, full_name="Petras Primary", language="lt", email="petras@client.example")


def due(contact, **kwargs) -> SurveyRequest:
    return SurveyRequestFactory(contact=contact, scheduled_at=TUE - timedelta(hours=1), **kwargs)


def links(text):
    """(token, score) of every score link in the text."""
    return [(token, int(score)) for token, score in LINK.findall(text)]


def test_a_survey_is_emailed_once_even_when_delivery_runs_twice(contact):
    survey = due(contact)

    assert deliver_survey(survey.pk, now=TUE) is True
    assert deliver_survey(survey.pk, now=TUE + timedelta(minutes=1)) is False

    survey.refresh_from_db()
    assert (survey.status, survey.sent_at, survey.attempts) == ("sent", TUE, 0)
    assert [m.to for m in mail.outbox] == [["petras@client.example"]]


def test_the_email_offers_every_score_of_the_scale_as_a_one_click_link(contact):
    csat = due(contact)
    nps = due(ContactFactory(client=contact.client), template=survey_template("NPS"))

    deliver_survey(csat.pk, now=TUE)
    deliver_survey(nps.pk, now=TUE)

    csat_mail, nps_mail = mail.outbox
    assert [score for _token, score in links(csat_mail.body)] == [1, 2, 3, 4, 5]
    assert [score for _token, score in links(nps_mail.body)] == list(range(11))
    html, mimetype = csat_mail.alternatives[0]
    assert (len(csat_mail.alternatives), mimetype) == (1, "text/html")
    assert links(html.replace("&amp;", "&")) == links(csat_mail.body)
    assert len({token for token, _score in links(csat_mail.body)}) == 1


def test_the_email_has_one_click_unsubscribe_headers_naming_the_contact(contact):
    survey = due(contact)

    deliver_survey(survey.pk, now=TUE)

    headers = mail.outbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = re.fullmatch(rf"<{SITE}/s/unsubscribe/([^/]+)/>", headers["List-Unsubscribe"])
    assert read_unsubscribe_token(address.group(1)) == contact.pk
    assert f"{SITE}/s/unsubscribe/{address.group(1)}/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("language", "subject", "question"),
    [
        ("lt", "Kaip mums sekėsi?", "Kaip vertinate mūsų aptarnavimą?"),
        ("ru", "Как мы справились?", "Насколько вы довольны нашим обслуживанием?"),
        ("en", "How did we do?", "How satisfied are you with our service?"),
    ],
)
def test_the_email_is_in_the_contacts_language(org, language, subject, question):
    survey = due(ContactFactory(client=org.client, language=language))

    deliver_survey(survey.pk, now=TUE)

    message = mail.outbox[0]
    assert message.subject == subject
    assert question in message.body
    assert question in message.alternatives[0][0]
    assert f'<html lang="{language}">' in message.alternatives[0][0]


def test_only_the_hash_of_the_links_token_is_stored_and_the_token_has_256_random_bits(contact):
    survey = due(contact)
    other = due(ContactFactory(client=contact.client))

    deliver_survey(survey.pk, now=TUE)
    deliver_survey(other.pk, now=TUE)

    token = links(mail.outbox[0].body)[0][0]
    survey.refresh_from_db()
    assert survey.token_hash == hash_token(token)
    assert token not in str(SurveyRequest.objects.filter(pk=survey.pk).values().get())
    assert len(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))) * 8 == 256
    assert links(mail.outbox[1].body)[0][0] != token
    assert survey.expires_at == TUE + timedelta(days=30)


def test_an_smtp_failure_is_retried_with_backoff_and_nothing_is_half_sent(contact):
    survey = due(contact)
    failing = mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
    )

    with failing:
        assert deliver_survey(survey.pk, now=TUE) is False

    survey.refresh_from_db()
    assert (survey.status, survey.attempts, survey.next_attempt_at, survey.sent_at) == (
        "pending",
        1,
        TUE + timedelta(minutes=1),
        None,
    )
    assert survey.last_error == "SMTPServerDisconnected('Connection unexpectedly closed')"
    assert (survey.token_hash, survey.expires_at, mail.outbox) == (None, None, [])

    # Not before the backoff; a second failure waits twice as long.
    assert deliver_survey(survey.pk, now=TUE + timedelta(seconds=59)) is False
    with failing:
        assert deliver_survey(survey.pk, now=TUE + timedelta(minutes=1)) is False
    survey.refresh_from_db()
    assert (survey.status, survey.attempts, survey.next_attempt_at) == ("pending", 2, TUE + timedelta(minutes=3))

    assert deliver_survey(survey.pk, now=TUE + timedelta(minutes=3)) is True
    survey.refresh_from_db()
    assert (survey.status, survey.attempts, survey.sent_at, survey.last_error) == (
        "sent",
        2,
        TUE + timedelta(minutes=3),
        "",
    )
    assert survey.token_hash == hash_token(links(mail.outbox[0].body)[0][0])
    assert len(mail.outbox) == 1


def test_after_five_failures_a_survey_is_marked_failed(contact):
    survey = due(contact)
    moment = TUE

    with mock.patch("django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=smtplib.SMTPException):
        for _ in range(5):
            deliver_survey(survey.pk, now=moment)
            moment += timedelta(minutes=16)

    survey.refresh_from_db()
    assert (survey.status, survey.attempts, survey.token_hash, mail.outbox) == ("failed", 5, None, [])


def test_expiry_closes_sent_surveys_past_their_expiry_only(contact):
    now = TUE
    expired, _token = make_sent_survey(contact=contact, sent_at=now - timedelta(days=30))  # expires exactly now
    still_open, _token = make_sent_survey(
        contact=ContactFactory(client=contact.client), sent_at=now - timedelta(days=29)
    )
    answered, _token = make_sent_survey(
        contact=ContactFactory(client=contact.client), sent_at=now - timedelta(days=40), status=SurveyStatus.ANSWERED
    )
    scheduled = due(ContactFactory(client=contact.client))

    assert expire_surveys(now=now) == 1
    assert expire_surveys(now=now) == 0

    statuses = dict(SurveyRequest.objects.values_list("pk", "status"))
    assert statuses == {expired.pk: "expired", still_open.pk: "sent", answered.pk: "answered", scheduled.pk: "pending"}


def test_only_scheduled_surveys_whose_time_has_come_are_due(contact):
    ready = due(contact)
    later = SurveyRequestFactory(contact=contact, scheduled_at=TUE + timedelta(minutes=1))
    SurveyRequestFactory(contact=contact, scheduled_at=TUE - timedelta(days=1), status=SurveyStatus.SUPPRESSED)
    make_sent_survey(contact=contact, sent_at=TUE - timedelta(days=1))

    assert list_due_surveys(now=TUE) == [ready.pk]
    assert list_due_surveys(now=TUE + timedelta(minutes=1)) == [ready.pk, later.pk]


def test_the_sweep_expires_old_surveys_and_sends_the_due_ones(contact):
    old, _token = make_sent_survey(contact=ContactFactory(client=contact.client), sent_at=TUE - timedelta(days=31))
    ready = due(contact)

    with frozen(TUE):
        assert sweep_surveys_task() == 1

    statuses = dict(SurveyRequest.objects.values_list("pk", "status"))
    assert statuses == {old.pk: "expired", ready.pk: "sent"}
    assert [m.to for m in mail.outbox] == [["petras@client.example"]]
