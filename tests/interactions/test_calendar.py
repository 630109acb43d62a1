from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from interactions.models import CalendarFeed, FollowUpStatus, InteractionStatus, Kind
from interactions.services.calendar import create_calendar_feed, regenerate_calendar_feed, revoke_calendar_feed
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory


def feed_path(feed):
    return reverse("interactions:calendar_feed", args=[feed.token])


def parse(response):
    return Calendar.from_ical(response.content)


def events(response):
    return {str(event["UID"]): event for event in parse(response).walk("VEVENT")}


def at(moment):
    """A time as the feed carries it: whole seconds."""
    return moment.replace(microsecond=0)


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://crm.example.com"


@pytest.fixture
def feed(org):
    return create_calendar_feed(user=org.manager)


# --- the feed ---------------------------------------------------------------------------------------------------------


def test_feed_lists_open_follow_ups_and_planned_meetings_in_utc(client, org, feed):
    org.client.address, org.client.city = "Gedimino pr. 1", "Vilnius"
    org.client.save()
    due = at(timezone.now() + timedelta(days=2))
    start = at(timezone.now() + timedelta(days=3))
    contact = ContactFactory(client=org.client, full_name="Rasa Buyer")
    task = FollowUpFactory(client=org.client, title="Send the quote", due_at=due)
    visit = InteractionFactory(
        client=org.client,
        kind=Kind.VISIT,
        status=InteractionStatus.SCHEDULED,
        occurred_at=start,
        duration_minutes=90,
        subject="Plant tour",
        notes="Bring samples",
        contacts=[contact],
    )

    response = client.get(feed_path(feed))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    calendar = parse(response)
    assert str(calendar["X-WR-CALNAME"]) == "CRM: Mantas Owner"
    found = events(response)
    assert sorted(found) == [f"followup-{task.pk}@crm", f"interaction-{visit.pk}@crm"]

    follow_up = found[f"followup-{task.pk}@crm"]
    assert str(follow_up["SUMMARY"]) == "Own Client UAB: Send the quote"
    assert follow_up.decoded("DTSTART") == due
    assert follow_up.decoded("DTSTART").utcoffset() == timedelta(0)
    assert follow_up.decoded("DTEND") == due + timedelta(minutes=15)
    assert follow_up["DTSTART"].to_ical().endswith(b"Z")
    assert follow_up.decoded("DTSTAMP") == at(task.updated_at)
    assert str(follow_up["URL"]) == f"https://crm.example.com/clients/{org.client.pk}/"
    assert "Follow-up for Own Client UAB." in str(follow_up["DESCRIPTION"])

    meeting = found[f"interaction-{visit.pk}@crm"]
    assert str(meeting["SUMMARY"]) == "Own Client UAB: Plant tour"
    assert meeting.decoded("DTSTART") == start
    assert meeting.decoded("DTEND") == start + timedelta(minutes=90)
    assert meeting["DTEND"].to_ical().endswith(b"Z")
    assert str(meeting["LOCATION"]) == "Gedimino pr. 1, Vilnius"
    assert str(meeting["DESCRIPTION"]).split("\n") == [
        "Visit",
        "With: Rasa Buyer",
        "Bring samples",
        f"https://crm.example.com/clients/{org.client.pk}/",
    ]


def test_a_meeting_without_duration_lasts_an_hour_and_is_named_by_its_kind(client, org, feed):
    start = at(timezone.now() + timedelta(hours=5))
    meeting = InteractionFactory(
        client=org.client, kind=Kind.MEETING, status=InteractionStatus.SCHEDULED, occurred_at=start, subject=""
    )
    meeting.notes = "Agenda"
    meeting.save()

    event = events(client.get(feed_path(feed)))[f"interaction-{meeting.pk}@crm"]

    assert str(event["SUMMARY"]) == "Own Client UAB: Meeting"
    assert event.decoded("DTEND") == start + timedelta(hours=1)
    assert "LOCATION" not in event


def test_feed_leaves_out_what_is_not_the_users_open_plan(client, org, feed):
    now = timezone.now()
    kept = FollowUpFactory(client=org.client, title="Kept", due_at=now + timedelta(days=1))
    FollowUpFactory(client=org.client, title="Done", status=FollowUpStatus.DONE, due_at=now + timedelta(days=1))
    FollowUpFactory(client=org.client, title="Too old", due_at=now - timedelta(days=31))
    FollowUpFactory(client=org.client, title="Too far", due_at=now + timedelta(days=181))
    # visible to the manager, but someone else's
    FollowUpFactory(client=org.team_client, title="Teammate's")
    FollowUpFactory(client=org.client, title="Assigned to the lead", assignee=org.lead)
    InteractionFactory(client=org.team_client, status=InteractionStatus.SCHEDULED, occurred_at=now + timedelta(days=1))
    # the manager's own, but done or cancelled
    InteractionFactory(client=org.client, subject="Done call")
    InteractionFactory(
        client=org.client, status=InteractionStatus.CANCELLED, occurred_at=now + timedelta(days=1), subject="Off"
    )
    # assigned to the manager on a client they can no longer see (reassigned away)
    FollowUpFactory(client=org.foreign_client, title="Lost client", assignee=org.manager)
    overdue = FollowUpFactory(client=org.client, title="Overdue", due_at=now - timedelta(days=29))

    found = events(client.get(feed_path(feed)))

    assert sorted(found) == sorted([f"followup-{kept.pk}@crm", f"followup-{overdue.pk}@crm"])


def test_another_users_items_never_appear(client, org, feed):
    theirs = create_calendar_feed(user=org.teammate)
    mine = FollowUpFactory(client=org.client, title="Mine")
    teammates = FollowUpFactory(client=org.team_client, title="Theirs")

    assert list(events(client.get(feed_path(feed)))) == [f"followup-{mine.pk}@crm"]
    assert list(events(client.get(feed_path(theirs)))) == [f"followup-{teammates.pk}@crm"]


def test_empty_feed_is_a_valid_calendar(client, org, feed):
    calendar = parse(client.get(feed_path(feed)))

    assert str(calendar["VERSION"]) == "2.0"
    assert calendar.walk("VEVENT") == []


def test_links_use_the_public_site_address_without_a_trailing_slash(client, org, feed, settings):
    settings.SITE_URL = "https://crm.example.com/"
    task = FollowUpFactory(client=org.client)

    event = events(client.get(feed_path(feed)))[f"followup-{task.pk}@crm"]

    assert str(event["URL"]) == f"https://crm.example.com/clients/{org.client.pk}/"


def test_links_fall_back_to_the_requests_host(client, org, feed, settings):
    del settings.SITE_URL
    task = FollowUpFactory(client=org.client)

    event = events(client.get(feed_path(feed)))[f"followup-{task.pk}@crm"]

    assert str(event["URL"]) == f"http://testserver/clients/{org.client.pk}/"


@pytest.mark.parametrize("rows", [5, 50])
def test_feed_query_count_does_not_grow_with_items(client, org, feed, django_assert_max_num_queries, rows):
    contacts = ContactFactory.create_batch(2, client=org.client)
    for day in range(rows):
        FollowUpFactory(client=org.client, due_at=timezone.now() + timedelta(days=day + 1))
        InteractionFactory(
            client=org.client,
            status=InteractionStatus.SCHEDULED,
            occurred_at=timezone.now() + timedelta(days=day + 1),
            contacts=contacts,
        )

    # the feed and its user, follow-ups, planned entries, their contacts
    with django_assert_max_num_queries(4):
        response = client.get(feed_path(feed))

    assert len(events(response)) == 2 * rows


# --- the token --------------------------------------------------------------------------------------------------------


def test_unknown_token_is_not_found(client, org, feed):
    response = client.get(reverse("interactions:calendar_feed", args=["not-a-real-token"]))

    assert response.status_code == 404


def test_regenerated_link_replaces_the_old_one(client, org, feed):
    old_path = feed_path(feed)

    new_feed = regenerate_calendar_feed(user=org.manager)

    assert new_feed.pk == feed.pk
    assert new_feed.token != feed.token
    assert len(new_feed.token) == 43
    assert client.get(old_path).status_code == 404
    assert client.get(feed_path(new_feed)).status_code == 200


def test_revoked_link_is_not_found(client, org, feed):
    revoke_calendar_feed(user=org.manager)

    assert client.get(feed_path(feed)).status_code == 404
    assert not CalendarFeed.objects.exists()


def test_deactivated_users_feed_is_not_found(client, org, feed):
    org.manager.is_active = False
    org.manager.save()

    assert client.get(feed_path(feed)).status_code == 404


def test_turning_on_keeps_an_existing_link(org, feed):
    assert create_calendar_feed(user=org.manager).token == feed.token


def test_feed_accepts_only_reads(client, org, feed):
    assert client.post(feed_path(feed)).status_code == 405
    assert client.head(feed_path(feed)).status_code == 200


# --- profile buttons --------------------------------------------------------------------------------------------------


def test_new_link_button_turns_the_feed_on_and_replaces_it(as_user, org):
    c = as_user(org.manager)

    response = c.post(reverse("interactions:calendar_regenerate"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    first = CalendarFeed.objects.get(user=org.manager).token
    c.post(reverse("interactions:calendar_regenerate"))
    assert CalendarFeed.objects.get(user=org.manager).token != first


def test_turn_off_button_revokes_the_feed(as_user, org, feed):
    response = as_user(org.manager).post(reverse("interactions:calendar_revoke"))

    assert response.status_code == 302
    assert not CalendarFeed.objects.filter(user=org.manager).exists()


@pytest.mark.parametrize("name", ["interactions:calendar_regenerate", "interactions:calendar_revoke"])
def test_buttons_accept_only_post(as_user, org, feed, name):
    response = as_user(org.manager).get(reverse(name))

    assert response.status_code == 405
    assert CalendarFeed.objects.get(user=org.manager).token == feed.token


@pytest.mark.parametrize("name", ["interactions:calendar_regenerate", "interactions:calendar_revoke"])
def test_anonymous_buttons_redirect_to_login(client, org, feed, name):
    response = client.post(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert CalendarFeed.objects.get().token == feed.token


def test_buttons_change_only_ones_own_feed(as_user, org, feed):
    theirs = create_calendar_feed(user=org.teammate)

    as_user(org.manager).post(reverse("interactions:calendar_revoke"))

    assert CalendarFeed.objects.get().token == theirs.token


def test_profile_shows_the_feed_address_to_copy(as_user, org, feed):
    response = as_user(org.manager).get(reverse("accounts:profile"))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="https://crm.example.com/calendar/{feed.token}.ics" readonly' in html
    assert reverse("interactions:calendar_regenerate") in html
    assert reverse("interactions:calendar_revoke") in html
    assert "Google Calendar" in html


def test_profile_offers_to_turn_the_feed_on(as_user, org):
    html = as_user(org.manager).get(reverse("accounts:profile")).content.decode()

    assert "The calendar feed is off." in html
    assert "calendar-feed-url" not in html
    assert reverse("interactions:calendar_revoke") not in html


def test_profile_never_shows_someone_elses_feed(as_user, org):
    theirs = create_calendar_feed(user=org.teammate)

    html = as_user(org.manager).get(reverse("accounts:profile")).content.decode()

    assert theirs.token not in html


def test_another_client_is_only_one_feed_away(client, org, feed):
    """A manager with many clients still gets one bounded feed (items of every own client)."""
    other = ClientFactory(name="Second UAB", account_manager=org.manager)
    FollowUpFactory(client=org.client, title="A")
    FollowUpFactory(client=other, title="B")

    summaries = sorted(str(event["SUMMARY"]) for event in events(client.get(feed_path(feed))).values())

    assert summaries == ["Own Client UAB: A", "Second UAB: B"]
