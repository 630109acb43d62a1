"""The public survey pages (no login): a GET only shows, a POST answers or unsubscribes; bad links get a
friendly 404 or 410; the contact's language; nothing about the client; a rate limit per IP address."""

import re
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.test import Client as WebClient
from django.utils import translation
from django.utils.translation import gettext

from feedback.models import SurveyRequest, SurveyResponse, SurveyStatus
from feedback.services.delivery import expire_surveys, unsubscribe_token
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import frozen, make_sent_survey, survey_template

VILNIUS = zoneinfo.ZoneInfo("Europe/Vilnius")
SENT = datetime(2026, 3, 3, 10, tzinfo=VILNIUS)
LATER = SENT + timedelta(days=2)
COMPANY = "Baltic Supplies"


@pytest.fixture(autouse=True)
def _public_settings(settings):
    settings.COMPANY_NAME = COMPANY


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """The rate limit counts in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def contact(org):
    return ContactFactory(client=org.client, full_name="Petras Primary", language="lt", email="petras@client.example")


@pytest.fixture
def nps(contact):
    return make_sent_survey(contact=contact, sent_at=SENT, template=survey_template("NPS"))


@pytest.fixture
def csat(contact):
    return make_sent_survey(contact=contact, sent_at=SENT)


def page(response):
    return response.content.decode()


def checked(response):
    """The scores shown as chosen on the answer page."""
    return [int(score) for score in re.findall(r'value="(\d+)" checked', page(response))]


def snapshot(survey):
    survey.refresh_from_db()
    rows = list(SurveyResponse.objects.values_list("request_id", "score", "comment", "answered_at", "changed_at"))
    return survey.status, survey.answered_at, survey.updated_at, rows


def get(client, url, at=LATER, **kwargs):
    with frozen(at):
        return client.get(url, **kwargs)


def post(client, url, data, at=LATER, **kwargs):
    with frozen(at):
        return client.post(url, data, **kwargs)


# --- answering -----------------------------------------------------------------------------------


def lt(message: str) -> str:
    """The text as the fixture's contact reads it (in Lithuanian)."""
    with translation.override("lt"):
        return gettext(message)


def choose(low: int, high: int) -> str:
    with translation.override("lt"):
        return gettext("Choose a score from %(low)d to %(high)d.") % {"low": low, "high": high}


def test_opening_a_score_link_shows_that_score_chosen_and_records_nothing(client, nps):
    survey, token = nps
    before = snapshot(survey)

    response = get(client, f"/s/{token}/?score=9")

    assert response.status_code == 200
    assert checked(response) == [9]
    assert re.findall(r'value="(\d+)"', page(response)) == [str(n) for n in range(11)]
    assert f'action="/s/{token}/"' in page(response)
    assert snapshot(survey) == before


def test_the_answer_page_without_a_score_chooses_nothing(client, nps):
    _survey, token = nps

    assert checked(get(client, f"/s/{token}/")) == []
    assert checked(get(client, f"/s/{token}/?score=11")) == []
    assert checked(get(client, f"/s/{token}/?score=abc")) == []


def test_the_answer_page_is_private_and_not_cached(client, nps):
    _survey, token = nps

    response = get(client, f"/s/{token}/?score=9")

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves our site
    assert "no-cache" in response["Cache-Control"]


def test_posting_the_answer_records_it_and_thanks_in_the_contacts_language(client, org, nps):
    survey, token = nps

    response = post(client, f"/s/{token}/", {"score": "9", "comment": "Reliable partner"})

    assert response.status_code == 200
    assert "Ačiū! Jūsų atsakymą gaus jūsų vadybininkas." in page(response)
    assert '<html lang="lt">' in page(response)
    assert snapshot(survey)[0:2] == ("answered", LATER)
    assert snapshot(survey)[3] == [(survey.pk, 9, "Reliable partner", LATER, None)]


def test_a_second_post_within_24_hours_changes_the_answer(client, nps):
    survey, token = nps
    post(client, f"/s/{token}/", {"score": "9"})

    assert checked(get(client, f"/s/{token}/", at=LATER + timedelta(hours=1))) == [9]  # the page starts from it
    response = post(
        client, f"/s/{token}/", {"score": "6", "comment": "Second thoughts"}, at=LATER + timedelta(hours=23)
    )

    assert response.status_code == 200
    assert snapshot(survey)[3] == [(survey.pk, 6, "Second thoughts", LATER, LATER + timedelta(hours=23))]


def test_after_24_hours_the_answer_is_final(client, nps):
    survey, token = nps
    post(client, f"/s/{token}/", {"score": "9"})
    before = snapshot(survey)

    response = post(client, f"/s/{token}/", {"score": "3"}, at=LATER + timedelta(hours=24, seconds=1))

    assert response.status_code == 410
    assert lt("Thank you, we have your answer") in page(response)
    assert get(client, f"/s/{token}/?score=3", at=LATER + timedelta(hours=25)).status_code == 410
    assert snapshot(survey) == before


def test_the_same_answer_posted_twice_is_one_response(client, csat):
    survey, token = csat

    first = post(client, f"/s/{token}/", {"score": "4"})
    second = post(client, f"/s/{token}/", {"score": "4"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert snapshot(survey)[3] == [(survey.pk, 4, "", LATER, LATER)]


@pytest.mark.parametrize(
    ("template", "score", "message"),
    [
        ("NPS", "11", (0, 10)),
        ("NPS", "-1", (0, 10)),
        ("CSAT", "0", (1, 5)),
        ("CSAT", "-1", (1, 5)),
        ("CSAT", "great", (1, 5)),
        ("CSAT", "", (1, 5)),
    ],
)
def test_a_score_off_the_scale_or_not_a_number_gets_400_and_nothing_is_recorded(
    client, contact, template, score, message
):
    survey, token = make_sent_survey(contact=contact, sent_at=SENT, template=survey_template(template))
    before = snapshot(survey)

    response = post(client, f"/s/{token}/", {"score": score, "comment": "Kept for the retry"})

    assert response.status_code == 400
    assert choose(*message) in page(response)
    assert "Kept for the retry" in page(response)
    assert checked(response) == []
    assert snapshot(survey) == before


def test_a_post_without_a_score_gets_400_and_nothing_is_recorded(client, csat):
    survey, token = csat
    before = snapshot(survey)

    response = post(client, f"/s/{token}/", {"comment": "No score"})

    assert (response.status_code, choose(1, 5) in page(response)) == (400, True)
    assert snapshot(survey) == before


# --- links that do not work ---------------------------------------------------------------------


def test_an_unknown_or_tampered_token_gets_a_friendly_404(client, csat):
    survey, token = csat
    before = snapshot(survey)
    wrong = token[:10] + ("x" if token[10] != "x" else "y") + token[11:]

    for url in (f"/s/{wrong}/", f"/s/{wrong}/?score=4", f"/s/{'A' * 43}/", f"/s/{survey.token_hash}/"):
        response = get(client, url)
        assert (response.status_code, "This link does not work" in page(response)) == (404, True)
    assert post(client, f"/s/{wrong}/", {"score": "4"}).status_code == 404
    assert snapshot(survey) == before


def test_an_expired_survey_gets_410_and_records_nothing(client, csat):
    survey, token = csat
    past_expiry = survey.expires_at + timedelta(seconds=1)
    before = snapshot(survey)

    assert get(client, f"/s/{token}/?score=4", at=past_expiry).status_code == 410
    response = post(client, f"/s/{token}/", {"score": "4"}, at=past_expiry)

    assert response.status_code == 410
    assert lt("This survey has closed") in page(response)
    assert snapshot(survey) == before


def test_a_token_reused_after_the_expiry_sweep_gets_410(client, csat):
    survey, token = csat
    assert expire_surveys(now=survey.expires_at) == 1

    # Even "before" the expiry by the clock: the status says expired.
    assert get(client, f"/s/{token}/?score=4", at=LATER).status_code == 410
    assert post(client, f"/s/{token}/", {"score": "4"}, at=LATER).status_code == 410

    assert SurveyResponse.objects.count() == 0
    assert SurveyRequest.objects.get(pk=survey.pk).status == SurveyStatus.EXPIRED


def test_an_answered_token_reused_after_expiry_gets_410(client, csat):
    survey, token = csat
    post(client, f"/s/{token}/", {"score": "4"})
    before = snapshot(survey)
    after_expiry = survey.expires_at + timedelta(days=1)

    assert get(client, f"/s/{token}/", at=after_expiry).status_code == 410
    assert post(client, f"/s/{token}/", {"score": "1"}, at=after_expiry).status_code == 410
    assert snapshot(survey) == before


# --- language and what the page shows ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "question"),
    [
        ("lt", "Kiek tikėtina, kad rekomenduotumėte mus kolegai ar partneriui?"),
        ("ru", "Насколько вероятно, что вы порекомендуете нас коллеге или партнёру?"),
        ("en", "How likely are you to recommend us to a colleague or partner?"),
    ],
)
def test_the_answer_page_is_in_the_contacts_language_whatever_the_browser_says(client, org, language, question):
    contact = ContactFactory(client=org.client, language=language)
    _survey, token = make_sent_survey(contact=contact, sent_at=SENT, template=survey_template("NPS"))

    response = get(client, f"/s/{token}/", HTTP_ACCEPT_LANGUAGE="de")

    assert f'<html lang="{language}">' in page(response)
    assert question in page(response)


def test_the_pages_show_our_company_and_nothing_about_the_client(client, org, contact, nps):
    _survey, token = nps

    shown = [
        get(client, f"/s/{token}/?score=7"),
        post(client, f"/s/{token}/", {"score": "7"}),
        get(client, f"/s/unsubscribe/{unsubscribe_token(contact.pk)}/"),
    ]

    for response in shown:
        assert COMPANY in page(response)
        for private in (org.client.name, contact.full_name, contact.email, org.manager.full_name):
            assert private not in page(response)


# --- unsubscribing ------------------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_for_confirmation_and_changes_nothing(client, contact):
    token = unsubscribe_token(contact.pk)

    response = client.get(f"/s/unsubscribe/{token}/")

    assert response.status_code == 200
    assert f'<form method="post" action="/s/unsubscribe/{token}/">' in page(response)
    assert '<button class="btn btn-primary btn-block" type="submit">' in page(response)
    assert '<html lang="lt">' in page(response)
    contact.refresh_from_db()
    assert contact.survey_opt_out is False


def test_confirming_on_the_page_opts_the_contact_out(contact):
    token = unsubscribe_token(contact.pk)
    browser = WebClient(enforce_csrf_checks=True)
    form = page(browser.get(f"/s/unsubscribe/{token}/"))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    response = browser.post(f"/s/unsubscribe/{token}/", {"csrfmiddlewaretoken": csrf})

    assert response.status_code == 200
    assert lt("You will get no more surveys") in page(response)
    contact.refresh_from_db()
    assert contact.survey_opt_out is True


def test_a_mail_clients_one_click_unsubscribe_without_a_csrf_token_opts_the_contact_out(contact):
    mail_client = WebClient(enforce_csrf_checks=True)

    response = mail_client.post(
        f"/s/unsubscribe/{unsubscribe_token(contact.pk)}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.survey_opt_out is True
    # Clicking it again is fine.
    assert mail_client.post(f"/s/unsubscribe/{unsubscribe_token(contact.pk)}/").status_code == 200


def test_a_bad_unsubscribe_token_gets_404_and_opts_nobody_out(client, contact):
    token = unsubscribe_token(contact.pk)
    forged = token[:-2] + ("xx" if not token.endswith("xx") else "yy")

    for url in (f"/s/unsubscribe/{forged}/", f"/s/unsubscribe/{contact.pk}/", "/s/unsubscribe/nonsense/"):
        assert (
            client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded").status_code
            == 404
        )
        assert client.get(url).status_code == 404
    contact.refresh_from_db()
    assert contact.survey_opt_out is False


def test_an_unsubscribe_token_of_a_deleted_contact_gets_404(client, org):
    gone = ContactFactory(client=org.client)
    token = unsubscribe_token(gone.pk)
    gone.delete()

    assert client.post(f"/s/unsubscribe/{token}/").status_code == 404


# --- rate limit ------------------------------------------------------------------------------------


def test_one_address_gets_429_past_the_rate_limit_and_nothing_is_recorded(client, settings, csat):
    settings.PUBLIC_RATE_LIMIT = "3/m"
    _survey, token = csat

    statuses = [get(client, f"/s/{token}/?score=4").status_code for _ in range(3)]
    limited = post(client, f"/s/{token}/", {"score": "4"})

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert "Too many requests" in page(limited)
    assert SurveyResponse.objects.count() == 0
    # Another address is not affected.
    assert get(client, f"/s/{token}/", REMOTE_ADDR="10.0.0.7").status_code == 200


def test_guessing_tokens_is_limited_too(db, client, settings):
    settings.PUBLIC_RATE_LIMIT = "5/m"

    statuses = [client.get(f"/s/guess{n:04d}/").status_code for n in range(6)]

    assert statuses == [404, 404, 404, 404, 404, 429]


def test_unsubscribing_is_rate_limited_per_address(client, settings, contact):
    settings.PUBLIC_RATE_LIMIT = "2/m"
    url = f"/s/unsubscribe/{unsubscribe_token(contact.pk)}/"

    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    assert client.post(url).status_code == 429
    contact.refresh_from_db()
    assert contact.survey_opt_out is False
