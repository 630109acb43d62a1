"""The pages of the bulk actions: forms with what an action touches, results, an announcement's progress; managers
get 403, another lead's records 404; pages cost the same number of queries however many rows there are."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from clients.models import Client
from contacts.models import Contact
from core.outbox import DeliveryStatus
from feedback.models import SurveyRequest
from segments.bulk.announcements import create_announcement
from segments.bulk.delivery import deliver_announcement_batch
from segments.bulk.tags import add_tag_to_segment
from segments.models import Announcement, AnnouncementDelivery, BulkAction
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import survey_template
from tests.factories.segments import SegmentFactory

TEXTS = {"subject_en": "Spring prices", "body_en": "Prices drop in April."}


@pytest.fixture
def everyone(org):
    return SegmentFactory(name="Everyone")


@pytest.fixture
def contacts(org):
    return [
        ContactFactory(client=org.client, full_name="Emma English", is_primary=True),
        ContactFactory(client=org.team_client, full_name="Otto Out", announcement_opt_out=True),
        ContactFactory(client=org.team_client, full_name="Nora None", email=""),
        ContactFactory(client=org.foreign_client, full_name="Fiona Far", is_primary=True),
    ]


@pytest.fixture
def announcement(org, everyone, contacts):
    return create_announcement(actor=org.lead, segment=everyone, kind="update", **TEXTS)


def text(response) -> str:
    return response.content.decode()


def urls(segment, action, announcement) -> list[str]:
    return [
        f"/segments/{segment.pk}/actions/tag/",
        f"/segments/{segment.pk}/actions/survey/",
        f"/segments/{segment.pk}/announcements/new/",
        f"/segments/actions/{action.pk}/",
        f"/segments/announcements/{announcement.pk}/",
    ]


# --- who may open what ---------------------------------------------------------------------------


def test_managers_get_403_everywhere_and_change_nothing(as_user, org, everyone, announcement):
    action = add_tag_to_segment(actor=org.lead, segment=everyone, tag="vip")
    browser = as_user(org.manager)

    for url in urls(everyone, action, announcement):
        assert browser.get(url).status_code == 403, url
        assert browser.post(url, {"operation": "add", "tag": "x", "kind": "update", **TEXTS}).status_code == 403, url

    assert BulkAction.objects.count() == 2


def test_signed_out_visitors_are_sent_to_sign_in(client, org, everyone, announcement):
    action = add_tag_to_segment(actor=org.lead, segment=everyone, tag="vip")

    for url in urls(everyone, action, announcement):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_another_lead_gets_404_for_a_leads_records_and_an_admin_sees_them(as_user, org, everyone, announcement):
    action = add_tag_to_segment(actor=org.lead, segment=everyone, tag="vip")
    records = [f"/segments/actions/{action.pk}/", f"/segments/announcements/{announcement.pk}/"]

    other = as_user(org.other_lead)
    assert [other.get(url).status_code for url in records] == [404, 404]
    admin = as_user(org.admin)
    assert [admin.get(url).status_code for url in records] == [200, 200]
    own = as_user(org.lead)
    assert [own.get(url).status_code for url in records] == [200, 200]


def test_an_unknown_segment_is_404(as_user, org):
    assert as_user(org.lead).get("/segments/999999/actions/tag/").status_code == 404


# --- tags ----------------------------------------------------------------------------------------


def test_the_tag_form_shows_how_many_clients_the_lead_acts_on(as_user, org, everyone):
    org.client.tags.set([TagFactory(name="wine")])

    response = as_user(org.lead).get(f"/segments/{everyone.pk}/actions/tag/?operation=add&tag=wine")

    assert response.status_code == 200
    page = text(response)
    assert "Applies to the segment's clients in your team." in page
    assert "<dt>Clients</dt><dd>2</dd>" in page
    assert "<dt>Have the tag</dt><dd>1</dd>" in page
    assert "<dt>Will get it</dt><dd>1</dd>" in page
    assert '<option value="wine">' in page


def test_the_tag_preview_is_a_fragment_for_htmx(as_user, org, everyone):
    org.client.tags.set([TagFactory(name="wine")])

    response = as_user(org.admin).get(
        f"/segments/{everyone.pk}/actions/tag/?operation=remove&tag=WINE", HTTP_HX_REQUEST="true"
    )

    page = text(response)
    assert page.lstrip().startswith('<div id="tag-preview"')
    assert "<dt>Clients</dt><dd>3</dd>" in page
    assert "<dt>Will lose it</dt><dd>1</dd>" in page
    assert "<html" not in page


def test_a_new_tag_name_is_announced_in_the_preview(as_user, org, everyone):
    page = text(as_user(org.admin).get(f"/segments/{everyone.pk}/actions/tag/?operation=add&tag=Fresh"))

    assert "There is no tag with this name yet: it will be created." in page
    assert "<dt>Will get it</dt><dd>3</dd>" in page


def test_posting_the_tag_form_tags_the_members_and_shows_the_result(as_user, org, everyone):
    browser = as_user(org.lead)

    response = browser.post(f"/segments/{everyone.pk}/actions/tag/", {"operation": "add", "tag": "Spring fair"})

    action = BulkAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/segments/actions/{action.pk}/"
    assert sorted(Client.objects.filter(tags__name="Spring fair").values_list("name", flat=True)) == [
        "Own Client UAB",
        "Teammate Client UAB",
    ]
    page = text(browser.get(response["Location"]))
    assert "Tag “Spring fair” added" in page
    assert "By Lina Lead" in page
    assert "<dt>Changed</dt><dd>2</dd>" in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"operation": "add", "tag": ""}, "This field is required."),
        ({"operation": "remove", "tag": "nothing like it"}, "There is no tag with this name."),
        ({"operation": "rename", "tag": "vip"}, "Select a valid choice."),
    ],
)
def test_bad_tag_input_shows_the_error_and_changes_nothing(as_user, org, everyone, data, error):
    response = as_user(org.lead).post(f"/segments/{everyone.pk}/actions/tag/", data)

    assert response.status_code == 200
    assert error in text(response)
    assert BulkAction.objects.count() == 0
    assert not Client.tags.through.objects.exists()


# --- surveys -------------------------------------------------------------------------------------


def test_the_survey_form_counts_the_primary_contacts_and_posting_writes_the_requests(
    as_user, org, everyone, contacts, django_capture_on_commit_callbacks
):
    browser = as_user(org.lead)
    page = text(browser.get(f"/segments/{everyone.pk}/actions/survey/"))
    assert "<dt>Surveys to write</dt><dd>1</dd>" in page
    assert "Send to 1 contact" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"/segments/{everyone.pk}/actions/survey/", {"template": survey_template("NPS").pk})

    action = BulkAction.objects.get()
    assert response["Location"] == f"/segments/actions/{action.pk}/"
    assert list(SurveyRequest.objects.values_list("contact__full_name", flat=True)) == ["Emma English"]
    result = text(browser.get(response["Location"]))
    assert "Survey “NPS” sent" in result
    assert "<dt>Surveys written</dt><dd>1</dd>" in result
    assert "<dt>No primary contact</dt><dd>1</dd>" in result
    assert "Scheduled" in result
    assert "every 2s" not in result  # done: no more polling


def test_a_running_survey_action_polls_for_its_result(as_user, org, everyone, contacts):
    browser = as_user(org.admin)
    browser.post(f"/segments/{everyone.pk}/actions/survey/", {"template": survey_template("CSAT").pk})  # no commit

    page = text(browser.get(f"/segments/actions/{BulkAction.objects.get().pk}/"))

    assert 'hx-trigger="every 2s"' in page
    assert "Writing the survey requests…" in page


def test_a_survey_that_is_not_offered_is_refused(as_user, org, everyone, contacts):
    template = survey_template("CSAT")
    template.is_active = False
    template.save()

    response = as_user(org.admin).post(f"/segments/{everyone.pk}/actions/survey/", {"template": template.pk})

    assert response.status_code == 200
    assert "Select a valid choice." in text(response)
    assert BulkAction.objects.count() == 0


# --- announcements -------------------------------------------------------------------------------


def test_the_announcement_form_shows_who_it_would_reach(as_user, org, everyone, contacts):
    page = text(as_user(org.lead).get(f"/segments/{everyone.pk}/announcements/new/"))

    assert "<dt>Contacts</dt><dd>3</dd>" in page
    assert "<dt>E-mails to send</dt><dd>1</dd>" in page
    assert "<dt>Opted out</dt><dd>1</dd>" in page
    assert "<dt>No e-mail</dt><dd>1</dd>" in page
    assert "Send 1 e-mail" in page
    assert "Optional: left empty, Russian-speaking contacts get the English text" in page


def test_posting_the_announcement_creates_it_and_opens_its_page(as_user, org, everyone, contacts):
    response = as_user(org.lead).post(
        f"/segments/{everyone.pk}/announcements/new/",
        {"kind": "promotion", **TEXTS, "subject_lt": "Pavasario kainos", "body_lt": "Kainos mažėja."},
    )

    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/segments/announcements/{announcement.pk}/"
    assert (announcement.kind, announcement.subject_lt, announcement.subject_ru) == (
        "promotion",
        "Pavasario kainos",
        "",
    )
    assert announcement.deliveries.count() == 3


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "update", "subject_en": "Hello"}, "This field is required."),
        ({"kind": "update", **TEXTS, "subject_ru": "Привет"}, "Write the text in Russian."),
        ({"kind": "update", **TEXTS, "subject_en": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"kind": "", **TEXTS}, "This field is required."),
    ],
)
def test_bad_announcement_input_shows_the_error_and_creates_nothing(as_user, org, everyone, contacts, data, error):
    response = as_user(org.admin).post(f"/segments/{everyone.pk}/announcements/new/", data)

    assert response.status_code == 200
    assert error in text(response)
    assert (BulkAction.objects.count(), AnnouncementDelivery.objects.count()) == (0, 0)


def test_every_text_problem_is_shown_at_once(as_user, org, everyone, contacts):
    response = as_user(org.admin).post(
        f"/segments/{everyone.pk}/announcements/new/",
        {"kind": "update", "subject_en": "Hello", "subject_ru": "Привет", "body_lt": "Tekstas"},
    )

    form = response.context["form"]
    assert form.errors == {
        "body_en": ["This field is required."],
        "body_ru": ["Write the text in Russian."],
        "subject_lt": ["Write the subject in Lithuanian."],
    }
    assert BulkAction.objects.count() == 0


def test_the_announcement_page_shows_the_progress_and_polls_while_emails_wait(as_user, org, announcement):
    browser = as_user(org.lead)

    page = text(browser.get(f"/segments/announcements/{announcement.pk}/"))

    assert "<h1>Spring prices</h1>" in page
    assert "By Lina Lead" in page
    assert 'hx-trigger="every 2s"' in page
    for label, count in [
        ("Contacts", 3),
        ("Sent", 0),
        ("Waiting", 1),
        ("Failed", 0),
        ("Opted out", 1),
        ("No e-mail", 1),
    ]:
        assert f"<dt>{label}</dt><dd>{count}</dd>" in page or f"<dt>{label}</dt><dd>{count}" in page, label

    deliver_announcement_batch(announcement.pk)
    poll = text(
        browser.get(
            f"/segments/announcements/{announcement.pk}/",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="announcement-progress",
        )
    )

    assert poll.lstrip().startswith('<section id="announcement-progress"')
    assert "every 2s" not in poll  # all delivered: the polling stops
    assert "<dt>Sent</dt><dd>1</dd>" in poll
    assert "100% done" in poll


def test_the_announcement_page_filters_the_emails_by_outcome(as_user, org, announcement):
    browser = as_user(org.lead)

    opted_out = text(browser.get(f"/segments/announcements/{announcement.pk}/?show=opted_out"))
    fragment = text(
        browser.get(
            f"/segments/announcements/{announcement.pk}/?show=no_email",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="delivery-table",
        )
    )

    assert "Otto Out" in opted_out
    assert "Emma English" not in opted_out
    assert "Nora None" not in opted_out
    assert fragment.lstrip().startswith('<div id="delivery-table"')
    assert "Nora None" in fragment
    assert "Otto Out" not in fragment


@pytest.mark.parametrize("rows", [3, 120])
def test_the_announcement_page_costs_the_same_queries_however_many_emails(
    as_user, org, everyone, django_assert_max_num_queries, rows
):
    Contact.objects.bulk_create(
        [Contact(client=org.client, full_name=f"Person {n}", email=f"p{n}@own.example") for n in range(rows)]
    )
    announcement = create_announcement(actor=org.lead, segment=everyone, kind="update", **TEXTS)
    AnnouncementDelivery.objects.filter(pk__in=announcement.deliveries.values("pk")[:2]).update(
        status=DeliveryStatus.SENT
    )
    browser = as_user(org.lead)

    with django_assert_max_num_queries(7):
        response = browser.get(f"/segments/announcements/{announcement.pk}/?page=2")
    with django_assert_max_num_queries(4):
        browser.get(
            f"/segments/announcements/{announcement.pk}/",
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="announcement-progress",
        )

    assert response.status_code == 200


@pytest.mark.parametrize("clients", [2, 60])
def test_the_forms_cost_the_same_queries_however_many_clients(
    as_user, org, everyone, django_assert_max_num_queries, clients
):
    for n in range(clients):
        client = ClientFactory(account_manager=org.manager)
        ContactFactory(client=client, is_primary=True)
        client.tags.set([TagFactory(name=f"tag{n % 5}")])
    browser = as_user(org.lead)

    for url, most in [
        (f"/segments/{everyone.pk}/actions/tag/?tag=tag1", 7),
        (f"/segments/{everyone.pk}/actions/survey/", 8),
        (f"/segments/{everyone.pk}/announcements/new/", 6),
    ]:
        with django_assert_max_num_queries(most):
            assert browser.get(url).status_code == 200


# --- the panel on the segment page ---------------------------------------------------------------


def panel(user, segment) -> str:
    request = RequestFactory().get(f"/segments/{segment.pk}/")
    request.user = user
    return render_to_string("segments/segment_actions_panel.html", {"segment": segment, "request": request})


def test_the_panel_offers_the_actions_and_lists_the_leads_own_latest_ones(org, everyone, announcement):
    add_tag_to_segment(actor=org.lead, segment=everyone, tag="vip")
    add_tag_to_segment(actor=org.admin, segment=everyone, tag="admins-own")

    html = panel(org.lead, everyone)

    assert f'href="/clients/handover/?segment={everyone.pk}"' in html
    assert f'href="/segments/{everyone.pk}/actions/tag/?operation=add"' in html
    assert f'href="/segments/{everyone.pk}/actions/tag/?operation=remove"' in html
    assert f'href="/segments/{everyone.pk}/actions/survey/"' in html
    assert f'href="/segments/{everyone.pk}/announcements/new/"' in html
    assert "Tag “vip” added" in html
    assert f'href="/segments/announcements/{announcement.pk}/">Spring prices</a>' in html
    assert "admins-own" not in html
    assert "admins-own" in panel(org.admin, everyone)


def test_the_panel_is_not_shown_to_managers(org, everyone):
    assert panel(org.manager, everyone).strip() == ""


def test_the_panel_costs_one_query(org, everyone, announcement, django_assert_num_queries):
    for n in range(4):
        add_tag_to_segment(actor=org.lead, segment=everyone, tag=f"t{n}")

    with django_assert_num_queries(1):
        panel(org.lead, everyone)
