from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interactions.models import FollowUp, Interaction
from tests.factories.interactions import FollowUpFactory, InteractionFactory

HTMX = {"HX-Request": "true"}


def test_home_is_my_day(as_user, org):
    c = as_user(org.manager)
    assert c.get("/")["Location"] == reverse("interactions:my_day")
    assert c.get(reverse("interactions:my_day")).status_code == 200


def test_quick_log_with_follow_up_returns_form_and_new_entry_out_of_band(as_user, org):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = as_user(org.manager).post(
        reverse("interactions:quick_log", args=[org.client.pk]),
        {"kind": "call", "notes": "Agreed on a trial order", "follow_up_on": tomorrow},
        headers=HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<form id="quick-log"')
    assert 'hx-swap-oob="afterbegin:#timeline-items"' in body
    assert "Agreed on a trial order" in body
    assert 'id="follow-ups" hx-swap-oob="true"' in body
    entry = Interaction.objects.get()
    follow_up = FollowUp.objects.get()
    assert follow_up.interaction == entry
    assert timezone.localtime(follow_up.due_at).hour == 9


def test_quick_log_without_note_shows_error_and_saves_nothing(as_user, org):
    response = as_user(org.manager).post(
        reverse("interactions:quick_log", args=[org.client.pk]), {"kind": "call", "notes": ""}, headers=HTMX
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert "hx-swap-oob" not in response.content.decode()
    assert Interaction.objects.count() == 0


def test_quick_log_rejects_a_past_follow_up_day(as_user, org):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    as_user(org.manager).post(
        reverse("interactions:quick_log", args=[org.client.pk]),
        {"kind": "call", "notes": "x", "follow_up_on": yesterday},
        headers=HTMX,
    )
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404), ("lead", 200), ("admin", 200)])
def test_quick_log_permissions(as_user, org, who, status):
    response = as_user(getattr(org, who)).post(
        reverse("interactions:quick_log", args=[org.client.pk]), {"kind": "call", "notes": "hi"}, headers=HTMX
    )
    assert response.status_code == status
    assert Interaction.objects.count() == (1 if status == 200 else 0)


def test_timeline_filters_by_kind_and_paginates(as_user, org):
    now = timezone.now()
    for i in range(20):
        InteractionFactory(client=org.client, kind="call", occurred_at=now - timedelta(hours=i + 1))
    InteractionFactory(client=org.client, kind="email", subject="The e-mail", occurred_at=now - timedelta(days=5))
    c = as_user(org.manager)
    url = reverse("interactions:timeline", args=[org.client.pk])
    body = c.get(url, {"kind": "email"}, headers=HTMX).content.decode()
    assert body.count('class="entry ') == 1
    assert "The e-mail" in body
    first = c.get(url, headers=HTMX).content.decode()
    assert first.count('class="entry ') == 15
    assert "page=2" in first
    second = c.get(url, {"page": 2}, headers=HTMX).content.decode()
    assert second.count('class="entry ') == 6
    assert not second.lstrip().startswith('<div id="timeline-list"')
    assert c.get(url).status_code == 200  # the page without JavaScript


@pytest.mark.parametrize("rows", [5, 50])
def test_client_page_with_timeline_query_count_is_constant(as_user, org, rows, django_assert_max_num_queries):
    for _ in range(rows):
        InteractionFactory(client=org.client)
        FollowUpFactory(client=org.client, assignee=org.manager)
    c = as_user(org.manager)
    with django_assert_max_num_queries(28):  # +1: the segment badges (segments.membership), +1: open survey links
        response = c.get(org.client.get_absolute_url())
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_my_day_page_query_count_is_constant(as_user, org, rows, django_assert_max_num_queries):
    now = timezone.now()
    for i in range(rows):
        FollowUpFactory(client=org.client, assignee=org.manager, due_at=now + timedelta(hours=i - rows // 2))
    c = as_user(org.manager)
    # 14 for My day itself, and 6 for the "My figures" panel (dashboards.selectors.my_figures)
    with django_assert_max_num_queries(20):
        response = c.get(reverse("interactions:my_day"))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("who", "status"), [("teammate", 403), ("outsider", 404), ("other_lead", 404), ("lead", 200), ("manager", 200)]
)
def test_entry_edit_and_delete_permissions(as_user, org, who, status):
    entry = InteractionFactory(client=org.client, logged_by=org.manager, notes="original")
    c = as_user(getattr(org, who))
    assert c.get(reverse("interactions:edit", args=[entry.pk])).status_code == status
    response = c.post(reverse("interactions:delete", args=[entry.pk]), headers=HTMX)
    assert response.status_code == status
    assert Interaction.objects.filter(pk=entry.pk).exists() is (status != 200)


def test_edit_entry_form_errors_and_success(as_user, org):
    entry = InteractionFactory(client=org.client, logged_by=org.manager, notes="original")
    c = as_user(org.manager)
    url = reverse("interactions:edit", args=[entry.pk])
    bad = {"kind": "call", "direction": "outbound", "status": "completed", "occurred_at": "not a date", "notes": "x"}
    response = c.post(url, bad)
    assert response.status_code == 200
    assert "occurred_at" in response.context["form"].errors
    entry.refresh_from_db()
    assert entry.notes == "original"
    good = {**bad, "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "notes": "corrected"}
    assert c.post(url, good).status_code == 302
    entry.refresh_from_db()
    assert entry.notes == "corrected"


def test_full_form_plans_a_meeting_and_completes_it(as_user, org):
    c = as_user(org.manager)
    when = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = c.post(
        reverse("interactions:create", args=[org.client.pk]),
        {"kind": "meeting", "direction": "outbound", "status": "scheduled", "occurred_at": when, "subject": "Review"},
    )
    assert response.status_code == 302
    meeting = Interaction.objects.get()
    assert meeting.status == "scheduled"
    response = c.post(reverse("interactions:complete", args=[meeting.pk]), {"outcome": "reached", "notes": "Done"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("completed", "reached")


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/my-day/", "/my-day/"), ("https://evil.example/", None), ("//evil.example/x", None)],
)
def test_completing_a_meeting_returns_only_to_a_page_of_this_site(as_user, org, next_url, lands_on):
    meeting = InteractionFactory(client=org.client, kind="meeting", status="scheduled", logged_by=org.manager)

    response = as_user(org.manager).post(
        reverse("interactions:complete", args=[meeting.pk]), {"outcome": "reached", "notes": "Done", "next": next_url}
    )

    assert response.status_code == 302
    assert response["Location"] == (lands_on or org.client.get_absolute_url())


def test_follow_up_done_and_reschedule_inline(as_user, org):
    follow_up = FollowUpFactory(client=org.client, assignee=org.manager)
    c = as_user(org.manager)
    response = c.post(reverse("interactions:follow_up_done", args=[follow_up.pk]), headers=HTMX)
    assert response.content.decode().lstrip().startswith(f'<div class="fu-row fu-closed" id="follow-up-{follow_up.pk}"')
    follow_up.refresh_from_db()
    assert follow_up.status == "done"
    c.post(reverse("interactions:follow_up_reopen", args=[follow_up.pk]), headers=HTMX)
    new_time = (timezone.localtime() + timedelta(days=4)).replace(second=0, microsecond=0)
    response = c.post(
        reverse("interactions:follow_up_reschedule", args=[follow_up.pk]),
        {"due_at": new_time.strftime("%Y-%m-%dT%H:%M")},
        headers=HTMX,
    )
    assert response.status_code == 200
    follow_up.refresh_from_db()
    assert follow_up.due_at == new_time


def test_reschedule_to_the_past_is_refused(as_user, org):
    follow_up = FollowUpFactory(client=org.client, assignee=org.manager)
    before = follow_up.due_at
    response = as_user(org.manager).post(
        reverse("interactions:follow_up_reschedule", args=[follow_up.pk]),
        {"due_at": "2020-01-01T10:00"},
        headers=HTMX,
    )
    assert "errorlist" in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.due_at == before


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404), ("lead", 200)])
def test_follow_up_action_permissions(as_user, org, who, status):
    follow_up = FollowUpFactory(client=org.client, assignee=org.manager)
    c = as_user(getattr(org, who))
    for name in ["follow_up_done", "follow_up_cancel"]:
        follow_up.refresh_from_db()
        if follow_up.status != "open":
            break
        assert c.post(reverse(f"interactions:{name}", args=[follow_up.pk]), headers=HTMX).status_code == status
    assert c.get(reverse("interactions:follow_up_reschedule", args=[follow_up.pk]), headers=HTMX).status_code in (
        status,
        200 if status == 200 else status,
    )
    follow_up.refresh_from_db()
    assert (follow_up.status == "open") is (status != 200)


@pytest.mark.parametrize(("who", "status"), [("teammate", 403), ("outsider", 404)])
def test_create_pages_denied(as_user, org, who, status):
    c = as_user(getattr(org, who))
    assert c.get(reverse("interactions:create", args=[org.client.pk])).status_code == status
    assert c.get(reverse("interactions:follow_up_create", args=[org.client.pk])).status_code == status
    assert c.get(reverse("interactions:timeline", args=[org.client.pk])).status_code == (
        200 if who == "teammate" else 404
    )


def test_follow_up_list_states_and_assignee_filter(as_user, org):
    now = timezone.now()
    FollowUpFactory(client=org.client, assignee=org.manager, title="Mine overdue", due_at=now - timedelta(days=1))
    FollowUpFactory(client=org.team_client, assignee=org.teammate, title="Teammate's", due_at=now - timedelta(days=1))
    FollowUpFactory(client=org.foreign_client, assignee=org.outsider, title="Foreign", due_at=now - timedelta(days=1))
    c = as_user(org.lead)
    page = c.get(reverse("interactions:follow_up_list"), {"state": "overdue", "assignee": "all"}).context["page"]
    assert sorted(f.title for f in page.object_list) == ["Mine overdue", "Teammate's"]
    page = c.get(reverse("interactions:follow_up_list"), {"state": "overdue", "assignee": org.teammate.pk}).context[
        "page"
    ]
    assert [f.title for f in page.object_list] == ["Teammate's"]
    page = c.get(reverse("interactions:follow_up_list"), {"state": "overdue", "assignee": org.outsider.pk}).context[
        "page"
    ]
    assert list(page.object_list) == []  # not in the lead's staff: falls back to their own


def test_admin_sets_cadence_and_sees_reminder_state(as_user, org):
    c = as_user(org.admin)
    for url in [
        "/admin/interactions/contactcadence/",
        "/admin/interactions/reminder/",
        "/admin/interactions/interaction/",
        "/admin/interactions/followup/",
        "/admin/interactions/digest/",
    ]:
        assert c.get(url).status_code == 200, url
    assert as_user(org.lead).get("/admin/interactions/contactcadence/").status_code == 302
