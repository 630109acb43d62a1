"""/api/v1/segment-actions/ and /api/v1/announcements/: the pages' rules (leads within their team, admins on all,
managers 403, another lead's records 404), 400 with the field's error, progress counted in the list's query."""

import pytest

from clients.models import Client
from segments.bulk.announcements import create_announcement
from segments.bulk.delivery import deliver_announcement_batch
from segments.bulk.tags import add_tag_to_segment
from segments.models import Announcement, BulkAction
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import survey_template
from tests.factories.segments import SegmentFactory

ACTIONS = "/api/v1/segment-actions/"
ANNOUNCEMENTS = "/api/v1/announcements/"
TEXTS = {"subject_en": "Spring prices", "body_en": "Prices drop in April."}


@pytest.fixture
def everyone(org):
    return SegmentFactory(name="Everyone")


@pytest.fixture
def contacts(org):
    return [
        ContactFactory(client=org.client, full_name="Emma English", is_primary=True),
        ContactFactory(client=org.team_client, full_name="Otto Out", announcement_opt_out=True),
        ContactFactory(client=org.foreign_client, full_name="Fiona Far", is_primary=True),
    ]


def tagged(name: str) -> list[str]:
    return sorted(Client.objects.filter(tags__name=name).values_list("name", flat=True))


# --- who may do what ---------------------------------------------------------------------------


def test_anonymous_requests_get_401(api, everyone):
    assert [api.get(ACTIONS).status_code, api.get(ANNOUNCEMENTS).status_code] == [401, 401]
    assert api.post(ACTIONS, {"segment": everyone.pk, "kind": "add_tag", "tag": "x"}, format="json").status_code == 401


def test_managers_get_403_and_nothing_is_done(as_api_user, org, everyone, contacts):
    api = as_api_user(org.manager)

    responses = [
        api.get(ACTIONS),
        api.get(ANNOUNCEMENTS),
        api.post(ACTIONS, {"segment": everyone.pk, "kind": "add_tag", "tag": "vip"}, format="json"),
        api.post(ANNOUNCEMENTS, {"segment": everyone.pk, "kind": "update", **TEXTS}, format="json"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[2].json() == {"detail": "Only team leads and administrators act on a segment's clients."}
    assert (BulkAction.objects.count(), tagged("vip")) == (0, [])


def test_a_lead_reads_only_their_own_actions_and_another_leads_are_404(as_api_user, org, everyone, contacts):
    own = add_tag_to_segment(actor=org.lead, segment=everyone, tag="vip")
    theirs = add_tag_to_segment(actor=org.other_lead, segment=everyone, tag="south")
    announcement = create_announcement(actor=org.other_lead, segment=everyone, kind="update", **TEXTS)
    api = as_api_user(org.lead)

    assert [row["id"] for row in api.get(ACTIONS).json()["results"]] == [own.pk]
    assert api.get(f"{ACTIONS}{theirs.pk}/").status_code == 404
    assert api.get(ANNOUNCEMENTS).json()["results"] == []
    assert api.get(f"{ANNOUNCEMENTS}{announcement.pk}/").status_code == 404
    admin = as_api_user(org.admin)
    assert len(admin.get(ACTIONS).json()["results"]) == 3


def test_actions_are_records_never_changed(as_api_user, org, everyone):
    action = add_tag_to_segment(actor=org.lead, segment=everyone, tag="vip")
    api = as_api_user(org.lead)

    assert api.patch(f"{ACTIONS}{action.pk}/", {"changed": 0}, format="json").status_code == 405
    assert api.delete(f"{ACTIONS}{action.pk}/").status_code == 405


# --- bulk actions --------------------------------------------------------------------------------


def test_a_lead_adds_a_tag_through_the_api_within_their_team(as_api_user, org, everyone):
    response = as_api_user(org.lead).post(
        ACTIONS, {"segment": everyone.pk, "kind": "add_tag", "tag": "vip"}, format="json"
    )

    assert response.status_code == 201
    action = BulkAction.objects.get()
    body = response.json()
    assert body == {
        "id": action.pk,
        "segment": everyone.pk,
        "segment_name": "Everyone",
        "kind": "add_tag",
        "params": {"tag": action.params["tag"], "tag_name": "vip"},
        "status": "done",
        "actor": org.lead.pk,
        "actor_name": "Lina Lead",
        "matched": 2,
        "changed": 2,
        "skipped": 0,
        "created_at": body["created_at"],
        "finished_at": body["finished_at"],
        "announcement": None,
    }
    assert tagged("vip") == ["Own Client UAB", "Teammate Client UAB"]
    assert as_api_user(org.lead).get(f"{ACTIONS}{action.pk}/").json() == body


def test_an_admin_sends_a_survey_through_the_api(
    as_api_user, org, everyone, contacts, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_api_user(org.admin).post(
            ACTIONS,
            {"segment": everyone.pk, "kind": "send_survey", "template": survey_template("NPS").pk},
            format="json",
        )

    assert response.status_code == 201
    assert (response.json()["kind"], response.json()["status"], response.json()["matched"]) == (
        "send_survey",
        "running",
        3,
    )
    action = BulkAction.objects.get()
    assert (action.status, action.changed, action.skipped) == ("done", 2, 1)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"kind": "add_tag"}, {"tag": ["Name the tag."]}),
        ({"kind": "remove_tag", "tag": "nothing like it"}, {"tag": ["There is no tag with this name."]}),
        ({"kind": "send_survey"}, {"template": ["Choose the survey to send."]}),
        ({"kind": "announcement", "tag": "x"}, {"kind": ['"announcement" is not a valid choice.']}),
        (
            {"kind": "add_tag", "tag": "x", "segment": 999999},
            {"segment": ['Invalid pk "999999" - object does not exist.']},
        ),
    ],
)
def test_bad_input_gets_400_with_the_fields_error_and_does_nothing(as_api_user, org, everyone, data, errors):
    response = as_api_user(org.lead).post(ACTIONS, {"segment": everyone.pk, **data}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert BulkAction.objects.count() == 0


def test_a_switched_off_survey_gets_400(as_api_user, org, everyone, contacts):
    template = survey_template("CSAT")
    template.is_active = False
    template.save()

    response = as_api_user(org.admin).post(
        ACTIONS, {"segment": everyone.pk, "kind": "send_survey", "template": template.pk}, format="json"
    )

    assert (response.status_code, response.json()) == (400, {"template": ["Choose a survey that is switched on."]})


# --- announcements -------------------------------------------------------------------------------


def test_a_lead_sends_an_announcement_and_reads_its_progress(as_api_user, org, everyone, contacts):
    api = as_api_user(org.lead)

    response = api.post(
        ANNOUNCEMENTS,
        {"segment": everyone.pk, "kind": "promotion", **TEXTS, "subject_ru": "", "body_ru": ""},
        format="json",
    )

    assert response.status_code == 201
    announcement = Announcement.objects.get()
    body = response.json()
    assert {key: body[key] for key in ("id", "action", "segment", "segment_name", "kind", "status", "created_by")} == {
        "id": announcement.pk,
        "action": announcement.action_id,
        "segment": everyone.pk,
        "segment_name": "Everyone",
        "kind": "promotion",
        "status": "running",
        "created_by": org.lead.pk,
    }
    assert body["progress"] == {
        "total": 2,
        "sent": 0,
        "pending": 1,
        "failed": 0,
        "opted_out": 1,
        "no_email": 0,
        "duplicate": 0,
    }

    deliver_announcement_batch(announcement.pk)

    detail = api.get(f"{ANNOUNCEMENTS}{announcement.pk}/").json()
    assert (detail["status"], detail["progress"]["sent"], detail["progress"]["pending"]) == ("done", 1, 0)
    assert api.get(f"{ACTIONS}{announcement.action_id}/").json()["announcement"] == announcement.pk


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"subject_en": ""}, {"subject_en": ["This field may not be blank."]}),
        ({"subject_ru": "Привет"}, {"body_ru": ["Write the text in Russian."]}),
        ({"kind": "spam"}, {"kind": ['"spam" is not a valid choice.']}),
        ({"body_en": "x" * 10001}, {"body_en": ["Ensure this field has no more than 10000 characters."]}),
    ],
)
def test_a_bad_announcement_gets_400_and_nothing_is_written(as_api_user, org, everyone, contacts, data, errors):
    response = as_api_user(org.admin).post(
        ANNOUNCEMENTS, {"segment": everyone.pk, "kind": "update", **TEXTS, **data}, format="json"
    )

    assert (response.status_code, response.json()) == (400, errors)
    assert (BulkAction.objects.count(), Announcement.objects.count()) == (0, 0)


@pytest.mark.parametrize("count", [1, 8])
def test_the_announcement_list_costs_the_same_queries_however_many(
    as_api_user, org, everyone, contacts, django_assert_max_num_queries, count
):
    for _ in range(count):
        create_announcement(actor=org.admin, segment=everyone, kind="update", **TEXTS)

    with django_assert_max_num_queries(2):
        response = as_api_user(org.admin).get(ANNOUNCEMENTS)

    assert len(response.json()["results"]) == count
    assert response.json()["results"][0]["progress"]["total"] == 3
