from datetime import timedelta

import pytest
from django.utils import timezone

from interactions.models import FollowUp, FollowUpStatus, Interaction, InteractionStatus, Kind, Notification, Reminder
from interactions.services.reminders import sync_follow_up_reminder
from tests.factories.accounts import PASSWORD
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import FollowUpFactory, InteractionFactory, NotificationFactory

INTERACTIONS = "/api/v1/interactions/"
FOLLOW_UPS = "/api/v1/follow-ups/"
NOTIFICATIONS = "/api/v1/notifications/"


def url(base, obj, action=""):
    return f"{base}{obj.pk}/{action + '/' if action else ''}"


def local(moment):
    return timezone.localtime(moment).isoformat()


def results(response, key):
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


@pytest.fixture
def entries(org):
    """One interaction on each client, by its manager, newest first: own, teammate's, foreign."""
    now = timezone.now()
    return {
        "own": InteractionFactory(client=org.client, subject="Own call", occurred_at=now - timedelta(hours=1)),
        "team": InteractionFactory(
            client=org.team_client, subject="Teammate call", occurred_at=now - timedelta(hours=2)
        ),
        "foreign": InteractionFactory(
            client=org.foreign_client, subject="Foreign call", occurred_at=now - timedelta(hours=3)
        ),
    }


@pytest.fixture
def tasks(org):
    """One open follow-up on each client for its manager, soonest first."""
    now = timezone.now()
    return {
        "own": FollowUpFactory(client=org.client, title="Own task", due_at=now + timedelta(days=1)),
        "team": FollowUpFactory(client=org.team_client, title="Teammate task", due_at=now + timedelta(days=2)),
        "foreign": FollowUpFactory(client=org.foreign_client, title="Foreign task", due_at=now + timedelta(days=3)),
    }


# --- authentication ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [INTERACTIONS, FOLLOW_UPS, NOTIFICATIONS])
def test_unauthenticated_requests_are_refused(api, org, base):
    response = api.get(base)

    assert response.status_code == 401


def test_token_authentication(api, org, entries):
    token = api.post("/api/v1/auth/token/", {"username": org.manager.email, "password": PASSWORD}).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = api.get(INTERACTIONS)

    assert results(response, "subject") == ["Own call", "Teammate call"]


def test_unauthenticated_create_creates_nothing(api, org):
    response = api.post(INTERACTIONS, {"client": org.client.pk, "notes": "Sneaky"}, format="json")

    assert response.status_code == 401
    assert not Interaction.objects.exists()


# --- interactions: reads ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["Own call", "Teammate call"]),
        ("teammate", ["Own call", "Teammate call"]),
        ("lead", ["Own call", "Teammate call"]),
        ("outsider", ["Foreign call"]),
        ("other_lead", ["Foreign call"]),
        ("admin", ["Own call", "Teammate call", "Foreign call"]),
    ],
)
def test_each_role_lists_the_interactions_of_the_clients_it_sees(as_api_user, org, entries, role, expected):
    response = as_api_user(getattr(org, role)).get(INTERACTIONS)

    assert results(response, "subject") == expected
    assert response.json()["count"] == len(expected)


def test_interaction_detail_shows_every_field(as_api_user, org):
    contact = ContactFactory(client=org.client, full_name="Rasa Buyer")
    entry = InteractionFactory(
        client=org.client,
        kind=Kind.MEETING,
        direction="inbound",
        subject="Quarterly review",
        notes="Went well",
        outcome="reached",
        duration_minutes=45,
        contacts=[contact],
    )

    response = as_api_user(org.teammate).get(url(INTERACTIONS, entry))

    assert response.status_code == 200
    assert response.json() == {
        "id": entry.pk,
        "client": org.client.pk,
        "client_name": "Own Client UAB",
        "contacts": [contact.pk],
        "kind": "meeting",
        "direction": "inbound",
        "status": "completed",
        "occurred_at": local(entry.occurred_at),
        "duration_minutes": 45,
        "subject": "Quarterly review",
        "notes": "Went well",
        "outcome": "reached",
        "logged_by": org.manager.pk,
        "logged_by_name": "Mantas Owner",
        "created_at": local(entry.created_at),
        "updated_at": local(entry.updated_at),
    }


@pytest.mark.parametrize(("role", "target"), [("manager", "foreign"), ("other_lead", "own"), ("outsider", "team")])
def test_invisible_interaction_is_not_found(as_api_user, org, entries, role, target):
    api = as_api_user(getattr(org, role))
    entry = entries[target]

    assert api.get(url(INTERACTIONS, entry)).status_code == 404
    assert api.patch(url(INTERACTIONS, entry), {"subject": "Mine"}, format="json").status_code == 404
    assert api.delete(url(INTERACTIONS, entry)).status_code == 404
    assert api.post(url(INTERACTIONS, entry, "complete"), {}, format="json").status_code == 404
    entry.refresh_from_db()
    assert entry.subject == entries[target].subject


# --- interactions: writes ---------------------------------------------------------------------------------------------


def test_manager_logs_an_interaction_with_contacts_and_a_follow_up(as_api_user, org):
    contact = ContactFactory(client=org.client)
    when = timezone.now() - timedelta(hours=2)
    due = timezone.now() + timedelta(days=3)

    response = as_api_user(org.manager).post(
        INTERACTIONS,
        {
            "client": org.client.pk,
            "kind": "call",
            "occurred_at": when.isoformat(),
            "subject": " Price talk ",
            "notes": "Asked for a quote",
            "contacts": [contact.pk],
            "follow_up_due": due.isoformat(),
            "follow_up_title": "Send the quote",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    entry = Interaction.objects.get()
    assert response.json()["id"] == entry.pk
    assert response.json()["contacts"] == [contact.pk]
    assert response.json()["logged_by"] == org.manager.pk
    assert "follow_up_due" not in response.json()
    assert (entry.subject, entry.occurred_at, entry.logged_by) == ("Price talk", when, org.manager)
    follow_up = FollowUp.objects.get()
    assert (follow_up.title, follow_up.due_at, follow_up.assignee, follow_up.interaction) == (
        "Send the quote",
        due,
        org.manager,
        entry,
    )


def test_logging_without_a_time_means_now(as_api_user, org):
    before = timezone.now()

    response = as_api_user(org.manager).post(INTERACTIONS, {"client": org.client.pk, "notes": "Quick"}, format="json")

    assert response.status_code == 201
    assert before <= Interaction.objects.get().occurred_at <= timezone.now()


def test_logging_on_a_teammates_client_is_forbidden(as_api_user, org):
    response = as_api_user(org.manager).post(
        INTERACTIONS, {"client": org.team_client.pk, "notes": "Not mine"}, format="json"
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can view this client but not change it."}
    assert not Interaction.objects.exists()


def test_logging_on_an_invisible_client_is_a_bad_request(as_api_user, org):
    response = as_api_user(org.manager).post(
        INTERACTIONS, {"client": org.foreign_client.pk, "notes": "Hidden"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"client": [f'Invalid pk "{org.foreign_client.pk}" - object does not exist.']}
    assert not Interaction.objects.exists()


def test_contacts_must_belong_to_the_interactions_client(as_api_user, org):
    someone_elses = ContactFactory(client=org.team_client)

    response = as_api_user(org.manager).post(
        INTERACTIONS, {"client": org.client.pk, "notes": "x", "contacts": [someone_elses.pk]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"contacts": ["Choose contacts of this client only."]}
    assert not Interaction.objects.exists()


def test_invisible_contacts_are_unknown(as_api_user, org):
    foreign = ContactFactory(client=org.foreign_client)

    response = as_api_user(org.manager).post(
        INTERACTIONS, {"client": org.client.pk, "notes": "x", "contacts": [foreign.pk]}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"contacts": [f'Invalid pk "{foreign.pk}" - object does not exist.']}
    assert not Interaction.objects.exists()


def test_bad_input_returns_field_errors_and_creates_nothing(as_api_user, org):
    response = as_api_user(org.manager).post(
        INTERACTIONS,
        {"kind": "fax", "status": "maybe", "duration_minutes": -5, "occurred_at": "yesterday", "subject": "x" * 201},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "client": ["This field is required."],
        "kind": ['"fax" is not a valid choice.'],
        "status": ['"maybe" is not a valid choice.'],
        "duration_minutes": ["Ensure this value is greater than or equal to 0."],
        "occurred_at": [
            "Datetime has wrong format. Use one of these formats instead: "
            "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."
        ],
        "subject": ["Ensure this field has no more than 200 characters."],
    }
    assert not Interaction.objects.exists()


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"notes": "  ", "subject": ""}, {"notes": ["Write a note or a subject."]}),
        (
            {"notes": "x", "occurred_at": "2999-01-01T10:00:00Z"},
            {"occurred_at": ["A completed interaction cannot be in the future. Plan it as scheduled instead."]},
        ),
        (
            {"notes": "x", "status": "scheduled", "occurred_at": "2001-01-01T10:00:00Z"},
            {"occurred_at": ["A scheduled interaction must be in the future."]},
        ),
        ({"notes": "x", "follow_up_title": "Call back"}, {"follow_up_due": ["Give a due time for the follow-up."]}),
    ],
)
def test_broken_rules_are_field_errors_and_create_nothing(as_api_user, org, payload, errors):
    response = as_api_user(org.manager).post(INTERACTIONS, {"client": org.client.pk, **payload}, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Interaction.objects.exists()
    assert not FollowUp.objects.exists()


def test_author_updates_an_entry_and_history_keeps_who(as_api_user, org, entries):
    entry = entries["own"]

    response = as_api_user(org.manager).patch(
        url(INTERACTIONS, entry), {"subject": "Renamed", "outcome": "next_step"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["subject"], response.json()["outcome"]) == ("Renamed", "next_step")
    entry.refresh_from_db()
    assert (entry.subject, entry.outcome) == ("Renamed", "next_step")
    assert entry.history.latest().history_user == org.manager


def test_update_replaces_contacts_only_when_given(as_api_user, org):
    first, second = ContactFactory(client=org.client), ContactFactory(client=org.client)
    entry = InteractionFactory(client=org.client, contacts=[first])
    api = as_api_user(org.manager)

    assert api.patch(url(INTERACTIONS, entry), {"notes": "More"}, format="json").json()["contacts"] == [first.pk]
    response = api.patch(url(INTERACTIONS, entry), {"contacts": [second.pk]}, format="json")

    assert response.json()["contacts"] == [second.pk]
    assert list(entry.contacts.all()) == [second]


def test_team_lead_updates_a_members_entry(as_api_user, org, entries):
    response = as_api_user(org.lead).patch(url(INTERACTIONS, entries["team"]), {"subject": "Fixed"}, format="json")

    assert response.status_code == 200
    entries["team"].refresh_from_db()
    assert entries["team"].subject == "Fixed"


def test_teammates_entry_is_visible_but_read_only(as_api_user, org, entries):
    api = as_api_user(org.manager)
    entry = entries["team"]

    assert api.get(url(INTERACTIONS, entry)).status_code == 200
    # refused before the (invalid) input is even looked at
    response = api.patch(url(INTERACTIONS, entry), {"kind": "fax"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the author or their team lead can change this entry."}
    assert api.put(url(INTERACTIONS, entry), {}, format="json").status_code == 403
    assert api.delete(url(INTERACTIONS, entry)).status_code == 403
    assert api.post(url(INTERACTIONS, entry, "complete"), {}, format="json").status_code == 403
    entry.refresh_from_db()
    assert (entry.subject, entry.kind) == ("Teammate call", "call")


def test_an_interaction_cannot_move_to_another_client(as_api_user, org, entries):
    response = as_api_user(org.lead).patch(
        url(INTERACTIONS, entries["own"]), {"client": org.team_client.pk}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"client": ["An interaction cannot be moved to another client."]}
    entries["own"].refresh_from_db()
    assert entries["own"].client == org.client


def test_follow_up_fields_are_only_for_logging(as_api_user, org, entries):
    response = as_api_user(org.manager).patch(
        url(INTERACTIONS, entries["own"]), {"follow_up_due": timezone.now().isoformat()}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"follow_up_due": ["Only when logging a new interaction."]}
    assert not FollowUp.objects.exists()


def test_update_breaking_a_rule_changes_nothing(as_api_user, org, entries):
    response = as_api_user(org.manager).patch(
        url(INTERACTIONS, entries["own"]), {"subject": "", "notes": ""}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {"notes": ["Write a note or a subject."]}
    entries["own"].refresh_from_db()
    assert entries["own"].subject == "Own call"


def test_author_deletes_an_entry(as_api_user, org, entries):
    response = as_api_user(org.manager).delete(url(INTERACTIONS, entries["own"]))

    assert response.status_code == 204
    assert not Interaction.objects.filter(pk=entries["own"].pk).exists()


def test_completing_a_scheduled_meeting(as_api_user, org):
    meeting = InteractionFactory(
        client=org.client, kind=Kind.MEETING, status=InteractionStatus.SCHEDULED, occurred_at=timezone.now()
    )

    response = as_api_user(org.manager).post(
        url(INTERACTIONS, meeting, "complete"), {"outcome": "next_step", "notes": "Signed"}, format="json"
    )

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["outcome"], response.json()["notes"]) == (
        "completed",
        "next_step",
        "Signed",
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome, meeting.notes) == ("completed", "next_step", "Signed")


def test_completing_twice_is_a_bad_request(as_api_user, org, entries):
    response = as_api_user(org.manager).post(url(INTERACTIONS, entries["own"], "complete"), {}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Only a scheduled entry can be completed."]}


def test_completing_with_an_unknown_outcome_is_a_bad_request(as_api_user, org):
    meeting = InteractionFactory(
        client=org.client, status=InteractionStatus.SCHEDULED, occurred_at=timezone.now() + timedelta(days=1)
    )

    response = as_api_user(org.manager).post(url(INTERACTIONS, meeting, "complete"), {"outcome": "won"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"outcome": ['"won" is not a valid choice.']}
    meeting.refresh_from_db()
    assert meeting.status == InteractionStatus.SCHEDULED


# --- interactions: filters and query count ----------------------------------------------------------------------------


@pytest.fixture
def filter_entries(org):
    # at noon, so that "N days ago" is on the date N days back whatever the hour the test runs
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    return [
        InteractionFactory(client=org.client, subject="Old call", occurred_at=now - timedelta(days=10)),
        InteractionFactory(
            client=org.client,
            subject="Inbound email",
            kind=Kind.EMAIL,
            direction="inbound",
            occurred_at=now - timedelta(days=2),
        ),
        InteractionFactory(
            client=org.team_client,
            subject="Planned visit",
            kind=Kind.VISIT,
            status=InteractionStatus.SCHEDULED,
            occurred_at=now + timedelta(days=5),
        ),
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "email"}, ["Inbound email"]),
        ({"status": "scheduled"}, ["Planned visit"]),
        ({"direction": "inbound"}, ["Inbound email"]),
        ({"search": "old"}, ["Old call"]),
        ({"ordering": "occurred_at"}, ["Old call", "Inbound email", "Planned visit"]),
    ],
)
def test_interaction_filters(as_api_user, org, filter_entries, params, expected):
    assert results(as_api_user(org.lead).get(INTERACTIONS, params), "subject") == expected


def test_interaction_filters_by_client_and_author(as_api_user, org, filter_entries):
    api = as_api_user(org.lead)

    assert results(api.get(INTERACTIONS, {"client": org.team_client.pk}), "subject") == ["Planned visit"]
    assert results(api.get(INTERACTIONS, {"logged_by": org.manager.pk}), "subject") == ["Inbound email", "Old call"]


def test_interaction_date_range_includes_both_days(as_api_user, org, filter_entries):
    today = timezone.localdate()
    params = {
        "occurred_after": (today - timedelta(days=10)).isoformat(),
        "occurred_before": (today - timedelta(days=2)).isoformat(),
    }

    response = as_api_user(org.lead).get(INTERACTIONS, params)

    assert results(response, "subject") == ["Inbound email", "Old call"]


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"kind": "fax"}, {"kind": ["Select a valid choice. fax is not one of the available choices."]}),
        ({"occurred_before": "soon"}, {"occurred_before": ["Enter a valid date."]}),
    ],
)
def test_bad_interaction_filter_values_are_a_bad_request(as_api_user, org, params, errors):
    response = as_api_user(org.manager).get(INTERACTIONS, params)

    assert response.status_code == 400
    assert response.json() == errors


@pytest.mark.parametrize(("field", "target"), [("client", "foreign_client"), ("logged_by", "outsider")])
def test_filtering_by_what_one_cannot_see_is_a_bad_request(as_api_user, org, field, target):
    response = as_api_user(org.manager).get(INTERACTIONS, {field: getattr(org, target).pk})

    assert response.status_code == 400
    assert response.json() == {field: ["Select a valid choice. That choice is not one of the available choices."]}


@pytest.mark.parametrize("rows", [5, 50])
def test_interaction_list_query_count_does_not_grow_with_rows(as_api_user, org, django_assert_max_num_queries, rows):
    contacts = ContactFactory.create_batch(2, client=org.client)
    for _ in range(rows):
        InteractionFactory(client=org.client, contacts=contacts)
    InteractionFactory(client=org.team_client)
    api = as_api_user(org.admin)

    # count, the page with clients and authors, the page's contacts
    with django_assert_max_num_queries(3):
        response = api.get(INTERACTIONS)

    assert len(response.json()["results"]) == min(rows + 1, 50)
    assert sorted(response.json()["results"][-1]["contacts"]) == sorted(c.pk for c in contacts)


# --- follow-ups -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["Own task", "Teammate task"]),
        ("teammate", ["Own task", "Teammate task"]),
        ("lead", ["Own task", "Teammate task"]),
        ("outsider", ["Foreign task"]),
        ("other_lead", ["Foreign task"]),
        ("admin", ["Own task", "Teammate task", "Foreign task"]),
    ],
)
def test_each_role_lists_the_follow_ups_of_the_clients_it_sees(as_api_user, org, tasks, role, expected):
    assert results(as_api_user(getattr(org, role)).get(FOLLOW_UPS), "title") == expected


def test_follow_up_detail_shows_every_field(as_api_user, org, tasks):
    task = tasks["own"]

    response = as_api_user(org.manager).get(url(FOLLOW_UPS, task))

    assert response.status_code == 200
    assert response.json() == {
        "id": task.pk,
        "client": org.client.pk,
        "client_name": "Own Client UAB",
        "title": "Own task",
        "due_at": local(task.due_at),
        "assignee": org.manager.pk,
        "assignee_name": "Mantas Owner",
        "interaction": None,
        "status": "open",
        "completed_at": None,
        "created_by": org.manager.pk,
        "created_at": local(task.created_at),
        "updated_at": local(task.updated_at),
    }


def test_manager_creates_a_follow_up_for_themselves(as_api_user, org, entries):
    due = timezone.now() + timedelta(days=2)

    response = as_api_user(org.manager).post(
        FOLLOW_UPS,
        {"client": org.client.pk, "title": " Call back ", "due_at": due.isoformat(), "interaction": entries["own"].pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    task = FollowUp.objects.get()
    assert response.json()["id"] == task.pk
    assert response.json()["assignee"] == org.manager.pk
    assert (task.title, task.due_at, task.assignee, task.created_by, task.interaction) == (
        "Call back",
        due,
        org.manager,
        org.manager,
        entries["own"],
    )
    assert Reminder.objects.get(follow_up=task).status == "pending"


def test_lead_assigns_a_follow_up_to_a_member(as_api_user, org):
    response = as_api_user(org.lead).post(
        FOLLOW_UPS,
        {"client": org.client.pk, "title": "Visit", "due_at": timezone.now().isoformat(), "assignee": org.manager.pk},
        format="json",
    )

    assert response.status_code == 201
    assert FollowUp.objects.get().assignee == org.manager


def test_manager_cannot_assign_follow_ups_to_others(as_api_user, org):
    response = as_api_user(org.manager).post(
        FOLLOW_UPS,
        {"client": org.client.pk, "title": "Yours", "due_at": timezone.now().isoformat(), "assignee": org.teammate.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"assignee": ["You cannot give follow-ups to this person."]}
    assert not FollowUp.objects.exists()


def test_follow_up_on_a_teammates_client_is_forbidden(as_api_user, org):
    response = as_api_user(org.manager).post(
        FOLLOW_UPS, {"client": org.team_client.pk, "title": "x", "due_at": timezone.now().isoformat()}, format="json"
    )

    assert response.status_code == 403
    assert not FollowUp.objects.exists()


def test_follow_up_interaction_must_be_of_the_same_client(as_api_user, org, entries):
    response = as_api_user(org.manager).post(
        FOLLOW_UPS,
        {
            "client": org.client.pk,
            "title": "x",
            "due_at": timezone.now().isoformat(),
            "interaction": entries["team"].pk,
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"interaction": ["Choose an interaction of this client."]}
    assert not FollowUp.objects.exists()


def test_follow_up_bad_input_returns_field_errors(as_api_user, org):
    response = as_api_user(org.manager).post(
        FOLLOW_UPS, {"client": org.foreign_client.pk, "title": "", "status": "done"}, format="json"
    )

    assert response.status_code == 400
    assert response.json() == {
        "client": [f'Invalid pk "{org.foreign_client.pk}" - object does not exist.'],
        "title": ["This field may not be blank."],
        "due_at": ["This field is required."],
    }
    assert not FollowUp.objects.exists()


def test_patch_reschedules_a_follow_up(as_api_user, org, tasks):
    new_due = timezone.now() + timedelta(days=7)

    response = as_api_user(org.manager).patch(
        url(FOLLOW_UPS, tasks["own"]), {"due_at": new_due.isoformat()}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["due_at"] == local(new_due)
    tasks["own"].refresh_from_db()
    assert tasks["own"].due_at == new_due
    assert Reminder.objects.get(follow_up=tasks["own"]).remind_at == new_due


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"title": "Renamed", "due_at": "2999-01-01T10:00:00Z"}, {"title": ["Only the due time can be changed."]}),
        ({"due_at": "2001-01-01T10:00:00Z"}, {"due_at": ["Choose a time in the future."]}),
        ({}, {"due_at": ["This field is required."]}),
    ],
)
def test_patch_changes_only_a_future_due_time(as_api_user, org, tasks, payload, errors):
    old_due = tasks["own"].due_at

    response = as_api_user(org.manager).patch(url(FOLLOW_UPS, tasks["own"]), payload, format="json")

    assert response.status_code == 400
    assert response.json() == errors
    tasks["own"].refresh_from_db()
    assert (tasks["own"].title, tasks["own"].due_at) == ("Own task", old_due)


def test_follow_ups_have_no_put_or_delete(as_api_user, org, tasks):
    api = as_api_user(org.admin)

    assert api.put(url(FOLLOW_UPS, tasks["own"]), {}, format="json").status_code == 405
    assert api.delete(url(FOLLOW_UPS, tasks["own"])).status_code == 405
    assert FollowUp.objects.filter(pk=tasks["own"].pk).exists()


@pytest.mark.parametrize(("action", "status"), [("done", FollowUpStatus.DONE), ("cancel", FollowUpStatus.CANCELLED)])
def test_closing_a_follow_up(as_api_user, org, tasks, action, status):
    sync_follow_up_reminder(tasks["own"])  # as the service made it
    response = as_api_user(org.manager).post(url(FOLLOW_UPS, tasks["own"], action))

    assert response.status_code == 200
    assert response.json()["status"] == status
    tasks["own"].refresh_from_db()
    assert tasks["own"].status == status
    assert Reminder.objects.get(follow_up=tasks["own"]).status == "cancelled"


def test_closing_a_closed_follow_up_is_a_bad_request(as_api_user, org, tasks):
    api = as_api_user(org.manager)
    api.post(url(FOLLOW_UPS, tasks["own"], "done"))

    response = api.post(url(FOLLOW_UPS, tasks["own"], "cancel"))

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["This follow-up is already closed."]}
    tasks["own"].refresh_from_db()
    assert tasks["own"].status == FollowUpStatus.DONE


def test_reopening_a_done_follow_up(as_api_user, org):
    task = FollowUpFactory(client=org.client, status=FollowUpStatus.DONE, completed_at=timezone.now())

    response = as_api_user(org.manager).post(url(FOLLOW_UPS, task, "reopen"))

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["completed_at"]) == ("open", None)


def test_teammates_follow_up_is_visible_but_read_only(as_api_user, org, tasks):
    api = as_api_user(org.manager)
    task = tasks["team"]

    assert api.get(url(FOLLOW_UPS, task)).status_code == 200
    response = api.patch(url(FOLLOW_UPS, task), {"due_at": "not a time"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only the assignee or their team lead can change this follow-up."}
    for action in ("done", "cancel", "reopen"):
        assert api.post(url(FOLLOW_UPS, task, action)).status_code == 403
    task.refresh_from_db()
    assert (task.status, task.due_at) == ("open", tasks["team"].due_at)


def test_lead_closes_a_members_follow_up(as_api_user, org, tasks):
    response = as_api_user(org.lead).post(url(FOLLOW_UPS, tasks["team"], "done"))

    assert response.status_code == 200
    assert response.json()["status"] == "done"


@pytest.mark.parametrize("action", ["", "done", "cancel", "reopen"])
def test_invisible_follow_up_is_not_found(as_api_user, org, tasks, action):
    api = as_api_user(org.manager)
    task = tasks["foreign"]

    response = api.post(url(FOLLOW_UPS, task, action)) if action else api.get(url(FOLLOW_UPS, task))

    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "open"


def test_follow_up_filters(as_api_user, org, tasks):
    FollowUpFactory(client=org.client, title="Closed", status=FollowUpStatus.DONE, due_at=timezone.now())
    api = as_api_user(org.lead)
    tomorrow = timezone.localdate() + timedelta(days=1)

    assert results(api.get(FOLLOW_UPS, {"client": org.team_client.pk}), "title") == ["Teammate task"]
    assert results(api.get(FOLLOW_UPS, {"status": "done"}), "title") == ["Closed"]
    assert results(api.get(FOLLOW_UPS, {"assignee": org.teammate.pk}), "title") == ["Teammate task"]
    assert results(api.get(FOLLOW_UPS, {"due_after": tomorrow.isoformat()}), "title") == ["Own task", "Teammate task"]
    assert results(api.get(FOLLOW_UPS, {"due_before": tomorrow.isoformat()}), "title") == ["Closed", "Own task"]
    assert results(api.get(FOLLOW_UPS, {"ordering": "-due_at"}), "title") == ["Teammate task", "Own task", "Closed"]
    response = api.get(FOLLOW_UPS, {"status": "late"})
    assert response.status_code == 400
    assert response.json() == {"status": ["Select a valid choice. late is not one of the available choices."]}


@pytest.mark.parametrize("rows", [5, 50])
def test_follow_up_list_query_count_does_not_grow_with_rows(as_api_user, org, django_assert_max_num_queries, rows):
    for _ in range(rows):
        FollowUpFactory(client=ClientFactory(account_manager=org.teammate))
    api = as_api_user(org.lead)

    # count, the page with clients and assignees
    with django_assert_max_num_queries(2):
        response = api.get(FOLLOW_UPS)

    assert len(response.json()["results"]) == min(rows, 50)


# --- notifications ----------------------------------------------------------------------------------------------------


@pytest.fixture
def inbox(org):
    now = timezone.now()
    return {
        "old": NotificationFactory(recipient=org.manager, title="Old, read", url="/clients/1/", read_at=now),
        "new": NotificationFactory(recipient=org.manager, title="New, unread", url="https://example.com/x"),
        "theirs": NotificationFactory(recipient=org.teammate, title="Teammate's"),
    }


def test_notifications_list_only_ones_own_newest_first(as_api_user, org, inbox):
    response = as_api_user(org.manager).get(NOTIFICATIONS)

    assert results(response, "title") == ["New, unread", "Old, read"]
    old = response.json()["results"][1]
    assert old == {
        "id": inbox["old"].pk,
        "title": "Old, read",
        "body": "",
        "url": "http://testserver/clients/1/",
        "created_at": local(inbox["old"].created_at),
        "read_at": local(inbox["old"].read_at),
        "unread": False,
    }
    assert response.json()["results"][0]["url"] == "https://example.com/x"


def test_admin_sees_only_their_own_notifications_too(as_api_user, org, inbox):
    assert results(as_api_user(org.admin).get(NOTIFICATIONS), "title") == []


@pytest.mark.parametrize(("value", "expected"), [("true", ["New, unread"]), ("false", ["Old, read"])])
def test_notifications_unread_filter(as_api_user, org, inbox, value, expected):
    assert results(as_api_user(org.manager).get(NOTIFICATIONS, {"unread": value}), "title") == expected


def test_reading_a_notification(as_api_user, org, inbox):
    api = as_api_user(org.manager)

    response = api.post(url(NOTIFICATIONS, inbox["new"], "read"))

    assert response.status_code == 200
    assert response.json()["unread"] is False
    inbox["new"].refresh_from_db()
    first_read = inbox["new"].read_at
    assert first_read is not None
    # reading again keeps the first time
    assert api.post(url(NOTIFICATIONS, inbox["new"], "read")).json()["read_at"] == local(first_read)


def test_someone_elses_notification_does_not_exist(as_api_user, org, inbox):
    api = as_api_user(org.manager)

    assert api.get(url(NOTIFICATIONS, inbox["theirs"])).status_code == 404
    assert api.post(url(NOTIFICATIONS, inbox["theirs"], "read")).status_code == 404
    inbox["theirs"].refresh_from_db()
    assert inbox["theirs"].read_at is None


def test_read_all_marks_only_ones_own(as_api_user, org, inbox):
    NotificationFactory(recipient=org.manager, title="Another")

    response = as_api_user(org.manager).post(f"{NOTIFICATIONS}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=org.manager, read_at__isnull=True).exists()
    inbox["theirs"].refresh_from_db()
    assert inbox["theirs"].read_at is None


def test_notifications_cannot_be_written(as_api_user, org, inbox):
    api = as_api_user(org.manager)

    assert api.post(NOTIFICATIONS, {"title": "Fake"}, format="json").status_code == 405
    assert api.delete(url(NOTIFICATIONS, inbox["new"])).status_code == 405
    assert Notification.objects.count() == 3


@pytest.mark.parametrize("rows", [5, 50])
def test_notification_list_query_count_does_not_grow_with_rows(as_api_user, org, django_assert_max_num_queries, rows):
    NotificationFactory.create_batch(rows, recipient=org.manager)
    api = as_api_user(org.manager)

    with django_assert_max_num_queries(2):
        response = api.get(NOTIFICATIONS)

    assert len(response.json()["results"]) == min(rows, 50)
