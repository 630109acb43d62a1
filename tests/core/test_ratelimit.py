"""PUBLIC_RATE_LIMIT: every page open without signing in (survey answer and unsubscribe pages, the announcement
unsubscribe page, the calendar feed) answers 429 to one IP address past the limit, each page counting on its own."""

import pytest
from django.urls import reverse

from feedback.services.delivery import unsubscribe_token
from interactions.services.calendar import create_calendar_feed
from tests.factories.contacts import ContactFactory


@pytest.fixture
def feed_url(org):
    return reverse("interactions:calendar_feed", args=[create_calendar_feed(user=org.manager).token])


def test_the_calendar_feed_answers_429_past_the_limit(client, settings, feed_url):
    settings.PUBLIC_RATE_LIMIT = "3/m"

    statuses = [client.get(feed_url).status_code for _ in range(3)]
    limited = client.get(feed_url)

    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited["Retry-After"] == "60"
    assert limited["Content-Type"] == "text/plain"
    assert limited.content.decode() == "Too many requests. Try again later."
    assert "BEGIN:VCALENDAR" not in limited.content.decode()


def test_guessing_calendar_tokens_is_limited(client, settings, org):
    settings.PUBLIC_RATE_LIMIT = "4/m"

    statuses = [client.get(f"/calendar/guess{n:04d}.ics").status_code for n in range(5)]

    assert statuses == [404, 404, 404, 404, 429]


def test_another_address_still_gets_the_feed(client, settings, feed_url):
    settings.PUBLIC_RATE_LIMIT = "1/m"
    client.get(feed_url)
    assert client.get(feed_url).status_code == 429

    assert client.get(feed_url, REMOTE_ADDR="198.51.100.1").status_code == 200


def test_each_public_page_counts_on_its_own(client, settings, org, feed_url):
    settings.PUBLIC_RATE_LIMIT = "2/m"
    survey_unsubscribe = f"/s/unsubscribe/{unsubscribe_token(ContactFactory(client=org.client).pk)}/"
    for _ in range(2):
        client.get("/s/no-such-token/")
    assert client.get("/s/no-such-token/").status_code == 429

    assert client.get(survey_unsubscribe).status_code == 200
    assert client.get(feed_url).status_code == 200


def test_behind_the_proxy_each_visitor_has_their_own_count(client, settings, feed_url):
    settings.PUBLIC_RATE_LIMIT = "1/m"
    settings.NUM_PROXIES = 1
    through_proxy = {"REMOTE_ADDR": "10.0.0.2"}

    assert client.get(feed_url, HTTP_X_FORWARDED_FOR="203.0.113.7", **through_proxy).status_code == 200
    assert client.get(feed_url, HTTP_X_FORWARDED_FOR="203.0.113.7", **through_proxy).status_code == 429
    assert client.get(feed_url, HTTP_X_FORWARDED_FOR="198.51.100.1", **through_proxy).status_code == 200
    # a visitor cannot pick a fresh address by sending their own X-Forwarded-For: only the proxy's entry counts
    spoofed = "192.0.2.99, 203.0.113.7"
    assert client.get(feed_url, HTTP_X_FORWARDED_FOR=spoofed, **through_proxy).status_code == 429
