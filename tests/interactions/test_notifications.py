"""In-app notifications: created once per key, seen and read by their recipient only, the header bell."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from core.exceptions import ApplicationError
from interactions.inbox import count_unread_notifications, list_notifications
from interactions.models import Notification
from interactions.services.notifications import mark_all_read, mark_read, notify
from tests.factories.interactions import NotificationFactory

LIST = reverse("interactions:notifications")
BADGE = reverse("interactions:notification_badge")
READ_ALL = reverse("interactions:notification_read_all")
READ_AT = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)


def read_url(notification):
    return reverse("interactions:notification_read", args=[notification.pk])


def test_notify_creates_one_row_per_recipient_and_key(org):
    first = notify(recipient=org.manager, key="reminder:1", title="Call back", url="/clients/1/")
    again = notify(recipient=org.manager, key="reminder:1", title="Changed title")
    other = notify(recipient=org.teammate, key="reminder:1", title="Call back")

    assert again.pk == first.pk
    assert again.title == "Call back"
    assert other.pk != first.pk
    assert Notification.objects.count() == 2


def test_unread_count_and_list_are_the_users_own(org):
    NotificationFactory.create_batch(3, recipient=org.manager)
    NotificationFactory(recipient=org.manager, read_at=READ_AT)
    NotificationFactory.create_batch(2, recipient=org.teammate)

    assert count_unread_notifications(org.manager) == 3
    assert count_unread_notifications(org.teammate) == 2
    assert list(list_notifications(org.manager).values_list("recipient", flat=True)) == [org.manager.pk] * 4


def test_mark_read_keeps_the_first_read_time(org):
    notification = NotificationFactory(recipient=org.manager)

    mark_read(user=org.manager, notification=notification, now=READ_AT)
    mark_read(user=org.manager, notification=notification, now=datetime(2025, 3, 11, tzinfo=UTC))

    notification.refresh_from_db()
    assert notification.read_at == READ_AT


def test_mark_read_of_a_stale_copy_keeps_the_first_read_time(org):
    notification = NotificationFactory(recipient=org.manager)
    stale = Notification.objects.get(pk=notification.pk)

    mark_read(user=org.manager, notification=notification, now=READ_AT)
    result = mark_read(user=org.manager, notification=stale, now=datetime(2025, 3, 11, tzinfo=UTC))

    assert result.read_at == READ_AT
    notification.refresh_from_db()
    assert notification.read_at == READ_AT


def test_notify_shortens_a_long_title_to_fit(org):
    notification = notify(recipient=org.manager, key="long", title="x" * 250)
    assert notification.title == "x" * 199 + "…"


def test_mark_read_of_someone_elses_notification_is_refused(org):
    notification = NotificationFactory(recipient=org.teammate)

    with pytest.raises(ApplicationError):
        mark_read(user=org.manager, notification=notification)

    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_the_users_unread(org):
    mine = NotificationFactory.create_batch(3, recipient=org.manager)
    already = NotificationFactory(recipient=org.manager, read_at=READ_AT)
    theirs = NotificationFactory(recipient=org.teammate)
    later = datetime(2025, 3, 12, tzinfo=UTC)

    assert mark_all_read(user=org.manager, now=later) == 3

    assert {n.read_at for n in Notification.objects.filter(pk__in=[n.pk for n in mine])} == {later}
    already.refresh_from_db()
    theirs.refresh_from_db()
    assert (already.read_at, theirs.read_at) == (READ_AT, None)


# --- pages -----------------------------------------------------------------------------------


def test_list_shows_own_notifications_newest_first_with_unread_highlighted(as_user, org):
    old = NotificationFactory(recipient=org.manager, title="Old and read", read_at=READ_AT)
    new = NotificationFactory(recipient=org.manager, title="New and unread", body="Own Client UAB · 10 Mar")
    NotificationFactory(recipient=org.teammate, title="Someone else's")

    response = as_user(org.manager).get(LIST)

    assert response.status_code == 200
    assert [n.pk for n in response.context["page"].object_list] == [new.pk, old.pk]
    body = response.content.decode()
    assert "Someone else&#x27;s" not in body
    assert body.count('class="notification unread"') == 1
    assert body.count('class="notification"') == 1
    assert "Own Client UAB · 10 Mar" in body
    assert f'action="{read_url(new)}"' in body
    assert "Mark all as read" in body


def test_list_is_paginated_by_25(as_user, org):
    NotificationFactory.create_batch(30, recipient=org.manager)
    client = as_user(org.manager)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5


def test_empty_list_explains_itself(as_user, org):
    body = as_user(org.manager).get(LIST).content.decode()
    assert "No notifications yet" in body
    assert "Mark all as read" not in body


def test_pages_need_a_signed_in_user(client, org):
    notification = NotificationFactory(recipient=org.manager)

    assert client.get(LIST).status_code == 302
    assert client.post(read_url(notification)).status_code == 302
    assert client.post(READ_ALL).status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    NotificationFactory.create_batch(rows, recipient=org.manager)
    client = as_user(org.manager)
    # session, user, page count, page rows, the bell's unread count
    with django_assert_max_num_queries(5):
        response = client.get(LIST)
    assert response.status_code == 200


def test_opening_a_notification_marks_it_read_and_follows_its_link(as_user, org):
    notification = NotificationFactory(recipient=org.manager, url=f"/clients/{org.client.pk}/")

    response = as_user(org.manager).post(read_url(notification))

    assert response.status_code == 302
    assert response.url == f"/clients/{org.client.pk}/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_read_button_returns_to_the_list_page(as_user, org):
    notification = NotificationFactory(recipient=org.manager, url="/clients/1/")

    response = as_user(org.manager).post(read_url(notification), {"next": f"{LIST}?page=2"})

    assert response.url == f"{LIST}?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("url", ["", "https://evil.example.com/", "//evil.example.com/"])
def test_notification_without_a_safe_link_goes_back_to_the_list(as_user, org, url):
    notification = NotificationFactory(recipient=org.manager, url=url)

    response = as_user(org.manager).post(read_url(notification), {"next": "https://evil.example.com/"})

    assert response.url == LIST


def test_someone_elses_notification_is_not_found_and_stays_unread(as_user, org):
    notification = NotificationFactory(recipient=org.teammate, url="/clients/1/")

    response = as_user(org.manager).post(read_url(notification))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_admin_cannot_read_someone_elses_notification_either(as_user, org):
    notification = NotificationFactory(recipient=org.manager)

    assert as_user(org.admin).post(read_url(notification)).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_needs_post(as_user, org):
    notification = NotificationFactory(recipient=org.manager)

    assert as_user(org.manager).get(read_url(notification)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_view(as_user, org):
    NotificationFactory.create_batch(3, recipient=org.manager)
    theirs = NotificationFactory(recipient=org.teammate)
    client = as_user(org.manager)

    response = client.post(READ_ALL)

    assert (response.status_code, response.url) == (302, LIST)
    assert count_unread_notifications(org.manager) == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.get(READ_ALL).status_code == 405


# --- the header bell -------------------------------------------------------------------------


def test_badge_is_the_bell_with_the_unread_count_and_keeps_polling(as_user, org):
    NotificationFactory.create_batch(3, recipient=org.manager)
    NotificationFactory(recipient=org.manager, read_at=READ_AT)
    NotificationFactory(recipient=org.teammate)

    response = as_user(org.manager).get(BADGE, headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<a id="notification-bell"')
    assert f'href="{LIST}"' in body
    assert f'hx-get="{BADGE}"' in body
    assert 'hx-trigger="every 30s"' in body
    assert 'hx-swap="outerHTML"' in body
    assert '<span class="bell-count">3<' in body


def test_badge_without_unread_shows_no_count(as_user, org):
    NotificationFactory(recipient=org.manager, read_at=READ_AT)

    body = as_user(org.manager).get(BADGE).content.decode()

    assert 'id="notification-bell"' in body
    assert "bell-count" not in body


def test_badge_caps_the_count_at_99(as_user, org):
    NotificationFactory.create_batch(100, recipient=org.manager)

    body = as_user(org.manager).get(BADGE).content.decode()

    assert '<span class="bell-count">99+<' in body


def test_badge_for_a_signed_out_visitor_swaps_nothing(client, db):
    response = client.get(BADGE)
    assert (response.status_code, response.content) == (204, b"")


@pytest.mark.parametrize("rows", [5, 50])
def test_badge_is_one_count_query(as_user, org, rows, django_assert_max_num_queries):
    NotificationFactory.create_batch(rows, recipient=org.manager)
    client = as_user(org.manager)
    with django_assert_max_num_queries(3):  # session, user, the count
        response = client.get(BADGE)
    assert f'<span class="bell-count">{rows}<' in response.content.decode()


def test_every_page_has_the_bell_with_the_count(as_user, org):
    NotificationFactory.create_batch(2, recipient=org.manager)

    body = as_user(org.manager).get(reverse("clients:list")).content.decode()

    assert 'id="notification-bell"' in body
    assert '<span class="bell-count">2<' in body
    assert body.index('id="notification-bell"') < body.index('id="language-form"')
