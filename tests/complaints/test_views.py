"""Complaint pages: who sees and changes what, registering, the complaint page and its thread, the lists,
the client page's section, timeline and header search."""

import re
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from complaints.business_time import add_business_minutes
from complaints.models import (
    ActivityKind,
    Complaint,
    ComplaintActivity,
    ComplaintCategory,
    ComplaintStatus,
    Escalation,
    RootCause,
    Severity,
)
from complaints.services.complaints import add_note, reply_to_client
from complaints.services.escalation import escalate_due_complaints
from complaints.services.sla import calendar_of
from complaints.services.workflow import transition_complaint
from core.numbering import number_year
from interactions.models import Direction, Interaction
from tests.factories.complaints import make_complaint, move
from tests.factories.contacts import ContactFactory
from tests.factories.interactions import InteractionFactory
from tests.factories.orders import make_order

HTMX = {"HX-Request": "true"}
LIST = reverse("complaints:list")
MINE = reverse("complaints:mine")
CREATE = reverse("complaints:create")
LONG_AGO = timedelta(days=30)


def number(value: int) -> str:
    return f"CMP-{number_year()}-{value:06d}"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def category() -> ComplaintCategory:
    return ComplaintCategory.objects.first()


def root_cause() -> RootCause:
    return RootCause.objects.first()


def own_complaint(org, **kwargs) -> Complaint:
    """A new complaint of org.client, registered and owned by its manager."""
    kwargs.setdefault("category", category())
    return make_complaint(actor=org.manager, client=org.client, **kwargs)


def snapshot(complaint: Complaint) -> tuple:
    """Everything a write could change, to assert that a refused one changed nothing."""
    complaint = Complaint.objects.get(pk=complaint.pk)
    return (
        model_to_dict(complaint),
        complaint.updated_at,
        list(complaint.activities.values_list("kind", "body", "from_value", "to_value")),
        Interaction.objects.count(),
    )


def detail_url(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.pk])


def url(name: str, complaint: Complaint) -> str:
    return reverse(f"complaints:{name}", args=[complaint.pk])


def edit_data(complaint: Complaint, **changes) -> dict:
    data = {
        "subject": "Changed subject",
        "category": complaint.category_id,
        "channel": complaint.channel,
        "contact": "",
        "order": "",
        "description": "Changed",
    }
    return data | changes


def create_data(client, **changes) -> dict:
    data = {
        "client": client.pk,
        "subject": "Pallets arrived broken",
        "category": category().pk,
        "severity": Severity.NORMAL,
        "channel": "phone",
        "received_at": "",
        "contact": "",
        "order": "",
        "description": "Three of ten pallets broken.",
    }
    return data | changes


def section_of(body: str, dom_id: str) -> str:
    start = body.index(f'id="{dom_id}"')
    return body[start : body.index("</section>", start)]


# --- Permissions ---------------------------------------------------------------------------------------------------


def complaint_urls(complaint: Complaint) -> dict[str, tuple[str, str, dict]]:
    """Every complaint URL: name → (method, url, a POST that would change something)."""
    return {
        "list": ("get", LIST, {}),
        "mine": ("get", MINE, {}),
        "create": ("get", f"{CREATE}?client={complaint.client_id}", {}),
        "create_post": ("post", f"{CREATE}?client={complaint.client_id}", create_data(complaint.client)),
        "detail": ("get", detail_url(complaint), {}),
        "edit": ("get", url("edit", complaint), {}),
        "edit_post": ("post", url("edit", complaint), edit_data(complaint)),
        "transition": ("post", url("transition", complaint), {"status": ComplaintStatus.IN_PROGRESS}),
        "note": ("post", url("note", complaint), {"body": "A note"}),
        "reply": ("post", url("reply", complaint), {"kind": "email", "body": "We are on it."}),
        "severity": ("post", url("severity", complaint), {"severity": Severity.CRITICAL}),
        "reassign": ("post", url("reassign", complaint), {"owner": "owner-pk"}),
    }


def request(c, org, complaint, name):
    method, target, data = complaint_urls(complaint)[name]
    if data.get("owner") == "owner-pk":
        data = {"owner": org.teammate.pk}
    return c.get(target) if method == "get" else c.post(target, data)


ALL_URLS = [
    "list",
    "mine",
    "create",
    "create_post",
    "detail",
    "edit",
    "edit_post",
    "transition",
    "note",
    "reply",
    "severity",
    "reassign",
]
COMPLAINT_URLS = [name for name in ALL_URLS if name not in ("list", "mine")]
WRITES = ["edit", "edit_post", "transition", "note", "reply", "severity", "reassign"]


@pytest.mark.parametrize("name", ALL_URLS)
def test_anonymous_is_sent_to_login_from_every_complaint_url(client, org, name):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = request(client, org, complaint, name)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert snapshot(complaint) == before
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "other_lead"])
@pytest.mark.parametrize("name", COMPLAINT_URLS)
def test_outsider_gets_404_for_every_url_of_a_complaint_they_cannot_see(as_user, org, name, who):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = request(as_user(getattr(org, who)), org, complaint, name)
    assert response.status_code == 404
    assert snapshot(complaint) == before
    assert Complaint.objects.count() == 1


def test_outsider_does_not_see_the_complaint_in_the_lists(as_user, org):
    own_complaint(org)
    c = as_user(org.outsider)
    assert list(c.get(LIST).context["page"].object_list) == []
    assert list(c.get(MINE).context["page"].object_list) == []


def test_teammate_sees_the_complaint_read_only(as_user, org):
    complaint = own_complaint(org)
    response = as_user(org.teammate).get(detail_url(complaint))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Read-only" in body
    assert 'id="complaint-actions"' not in body
    assert "data-transition" not in body
    assert 'id="reply-form"' not in body
    assert 'id="note-form"' not in body
    for name in ("edit", "transition", "note", "reply", "severity", "reassign"):
        assert url(name, complaint) not in body
    assert "Pallets arrived broken" in body


@pytest.mark.parametrize("name", [*WRITES, "create", "create_post"])
def test_teammate_is_refused_every_write_and_nothing_changes(as_user, org, name):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = request(as_user(org.teammate), org, complaint, name)
    assert response.status_code == 403
    assert snapshot(complaint) == before
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize("who", ["manager", "lead", "admin"])
def test_owner_lead_and_admin_may_work_on_the_complaint(as_user, org, who):
    complaint = own_complaint(org)
    c = as_user(getattr(org, who))
    body = c.get(detail_url(complaint)).content.decode()
    assert "Read-only" not in body
    assert 'data-transition="in_progress">Start work</button>' in body
    assert 'id="reply-form"' in body
    assert 'id="note-form"' in body
    assert url("severity", complaint) in body
    assert c.get(url("edit", complaint)).status_code == 200
    assert c.get(f"{CREATE}?client={org.client.pk}").status_code == 200
    assert c.post(url("edit", complaint), edit_data(complaint)).status_code == 302
    assert c.post(url("note", complaint), {"body": "Checked the stock."}).status_code == 302
    assert c.post(url("reply", complaint), {"kind": "call", "body": "Called back."}).status_code == 302
    assert c.post(url("severity", complaint), {"severity": Severity.HIGH}).status_code == 302
    assert c.post(url("transition", complaint), {"status": ComplaintStatus.WAITING}).status_code == 302
    complaint.refresh_from_db()
    assert (complaint.subject, complaint.severity, complaint.status) == (
        "Changed subject",
        Severity.HIGH,
        ComplaintStatus.WAITING,
    )
    assert list(complaint.activities.values_list("kind", flat=True)) == [
        ActivityKind.CREATED,
        ActivityKind.NOTE,
        ActivityKind.REPLY,
        ActivityKind.STATUS,  # the reply moved it to "in progress"
        ActivityKind.SEVERITY,
        ActivityKind.STATUS,
    ]


def test_manager_may_not_reassign_and_sees_no_reassign_form(as_user, org):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    c = as_user(org.manager)
    assert url("reassign", complaint) not in c.get(detail_url(complaint)).content.decode()
    assert c.post(url("reassign", complaint), {"owner": org.teammate.pk}).status_code == 403
    assert snapshot(complaint) == before


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_lead_and_admin_reassign_and_the_thread_says_so(as_user, org, who):
    complaint = own_complaint(org)
    c = as_user(getattr(org, who))
    assert url("reassign", complaint) in c.get(detail_url(complaint)).content.decode()
    response = c.post(url("reassign", complaint), {"owner": org.teammate.pk})
    assert response.status_code == 302
    assert response["Location"] == detail_url(complaint)
    complaint.refresh_from_db()
    assert complaint.owner == org.teammate
    entry = complaint.activities.get(kind=ActivityKind.REASSIGNED)
    assert (entry.author, entry.from_value, entry.to_value) == (getattr(org, who), "Mantas Owner", "Tomas Teammate")
    assert messages_of(response) == ["Complaint reassigned."]
    body = c.get(detail_url(complaint)).content.decode()
    assert '<div class="change">Mantas Owner → Tomas Teammate</div>' in body


def test_lead_cannot_reassign_to_someone_outside_the_team(as_user, org):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = as_user(org.lead).post(url("reassign", complaint), {"owner": org.outsider.pk})
    assert response.status_code == 302
    assert messages_of(response) == ["Choose the new owner."]
    assert snapshot(complaint) == before


@pytest.mark.parametrize(
    ("actor", "owner", "create_status"),
    [("admin", "outsider", 404), ("lead", "teammate", 403)],
    ids=["owner-in-another-team", "owner-in-the-team"],
)
def test_owner_who_is_not_the_clients_manager_sees_and_works_on_the_complaint(
    as_user, org, actor, owner, create_status
):
    owner = getattr(org, owner)
    complaint = make_complaint(actor=getattr(org, actor), client=org.client, category=category(), owner=owner)
    c = as_user(owner)
    body = c.get(detail_url(complaint)).content.decode()
    assert "Read-only" not in body
    assert 'id="reply-form"' in body
    assert [row.pk for row in c.get(MINE).context["page"].object_list] == [complaint.pk]
    assert c.get(url("edit", complaint)).status_code == 200
    assert c.post(url("edit", complaint), edit_data(complaint, subject="Seen by the owner")).status_code == 302
    assert c.post(url("note", complaint), {"body": "On it."}).status_code == 302
    assert c.post(url("reply", complaint), {"kind": "email", "body": "We will replace them."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.subject == "Seen by the owner"
    assert complaint.status == ComplaintStatus.IN_PROGRESS
    assert complaint.first_response_at is not None
    interaction = Interaction.objects.get()
    assert (interaction.client, interaction.logged_by, interaction.direction) == (
        org.client,
        owner,
        Direction.OUTBOUND,
    )
    # owning one complaint gives no right on the client itself
    assert c.get(f"{CREATE}?client={org.client.pk}").status_code == create_status


# --- Registering ---------------------------------------------------------------------------------------------------


def test_create_page_for_a_manager_has_no_owner_field(as_user, org):
    response = as_user(org.manager).get(CREATE, {"client": org.client.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "owner" not in response.context["form"].fields
    assert 'name="owner"' not in body
    assert 'name="subject"' in body
    assert f'<input type="hidden" name="client" value="{org.client.pk}">' in body


def test_create_registers_a_numbered_complaint_owned_by_the_clients_manager(as_user, org):
    before = timezone.now()
    response = as_user(org.manager).post(f"{CREATE}?client={org.client.pk}", create_data(org.client))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == complaint.get_absolute_url()
    assert complaint.number == number(1)
    assert (complaint.client, complaint.owner, complaint.created_by) == (org.client, org.manager, org.manager)
    assert (complaint.status, complaint.severity, complaint.subject) == (
        ComplaintStatus.NEW,
        Severity.NORMAL,
        "Pallets arrived broken",
    )
    assert before <= complaint.received_at <= timezone.now()
    calendar = calendar_of(complaint)
    assert complaint.first_response_due_at == add_business_minutes(calendar, complaint.received_at, 8 * 60)
    assert complaint.resolution_due_at == add_business_minutes(calendar, complaint.received_at, 40 * 60)
    assert list(complaint.activities.values_list("kind", flat=True)) == [ActivityKind.CREATED]
    assert messages_of(response) == [f"Complaint {number(1)} registered."]


def test_manager_posting_an_owner_still_gets_the_clients_manager(as_user, org):
    as_user(org.manager).post(CREATE, create_data(org.client, owner=org.teammate.pk))
    assert Complaint.objects.get().owner == org.manager


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"subject": ""}, "subject", "This field is required."),
        ({"subject": "   "}, "subject", "This field is required."),
        ({"category": ""}, "category", "This field is required."),
        ({"received_at": "future"}, "received_at", "A complaint cannot be received in the future."),
        ({"contact": "stranger"}, "contact", "Select a valid choice."),
        ({"order": "stranger"}, "order", "Select a valid choice."),
        ({"severity": "urgent"}, "severity", "Select a valid choice."),
        ({"received_at": "yesterday"}, "received_at", "Enter a valid date/time."),
    ],
    ids=[
        "no-subject",
        "blank-subject",
        "no-category",
        "future",
        "foreign-contact",
        "foreign-order",
        "bad-severity",
        "bad-date",
    ],
)
def test_create_with_bad_input_shows_the_error_and_creates_nothing(as_user, org, changes, field, error):
    if changes.get("received_at") == "future":
        changes["received_at"] = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    if changes.get("contact") == "stranger":
        changes["contact"] = ContactFactory(client=org.team_client).pk
    if changes.get("order") == "stranger":
        changes["order"] = make_order(actor=org.teammate, client=org.team_client).pk
    interactions = Interaction.objects.count()
    response = as_user(org.manager).post(CREATE, create_data(org.client, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert error in response.content.decode()
    assert Complaint.objects.count() == 0
    assert ComplaintActivity.objects.count() == 0
    assert Interaction.objects.count() == interactions


def test_create_with_a_contact_and_order_of_the_client_keeps_them(as_user, org):
    contact = ContactFactory(client=org.client)
    order = make_order(actor=org.manager, client=org.client)
    as_user(org.manager).post(CREATE, create_data(org.client, contact=contact.pk, order=order.pk))
    complaint = Complaint.objects.get()
    assert (complaint.contact, complaint.order) == (contact, order)


def test_create_without_a_client_is_404(as_user, org):
    assert as_user(org.manager).get(CREATE).status_code == 404
    assert as_user(org.manager).get(CREATE, {"client": "abc"}).status_code == 404


def test_lead_may_choose_another_owner_among_the_team(as_user, org):
    c = as_user(org.lead)
    form = c.get(CREATE, {"client": org.client.pk}).context["form"]
    assert sorted(str(user) for user in form.fields["owner"].queryset) == [
        "Lina Lead",
        "Mantas Owner",
        "Tomas Teammate",
    ]
    response = c.post(CREATE, create_data(org.client, owner=org.teammate.pk))
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert (complaint.owner, complaint.created_by) == (org.teammate, org.lead)


def test_lead_without_a_choice_gives_the_complaint_to_the_clients_manager(as_user, org):
    as_user(org.lead).post(CREATE, create_data(org.client, owner=""))
    assert Complaint.objects.get().owner == org.manager


def test_lead_cannot_choose_an_owner_of_another_team(as_user, org):
    response = as_user(org.lead).post(CREATE, create_data(org.client, owner=org.outsider.pk))
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    assert Complaint.objects.count() == 0


def test_edit_with_a_blank_subject_rerenders_and_changes_nothing(as_user, org):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = as_user(org.manager).post(url("edit", complaint), edit_data(complaint, subject=""))
    assert response.status_code == 200
    assert "subject" in response.context["form"].errors
    assert snapshot(complaint) == before


# --- The complaint page --------------------------------------------------------------------------------------------


def test_thread_shows_every_entry_with_its_label_and_status_labels(as_user, org):
    complaint = own_complaint(org, description="Three of ten pallets broken.")
    c = as_user(org.manager)
    c.post(url("reply", complaint), {"kind": "email", "body": "We are sending new ones."})
    c.post(url("note", complaint), {"body": "Check the carrier."})
    c.post(url("transition", complaint), {"status": ComplaintStatus.WAITING})
    response = c.get(detail_url(complaint))
    body = response.content.decode()
    thread = section_of(body, "thread")
    assert response.status_code == 200
    assert re.findall(r'class="badge badge-thread-\w+">([^<]+)<', thread) == [
        "Registered",
        "Reply to the client",
        "Status change",
        "Internal note",
        "Status change",
    ]
    assert re.findall(r'<div class="change">([^<]+)</div>', thread) == [
        "New → In progress",
        "In progress → Waiting for client",
    ]
    assert "in_progress" not in thread
    assert "Three of ten pallets broken." in thread
    assert "We are sending new ones." in thread
    assert "Check the carrier." in thread
    assert "Logged on the client's timeline as e-mail" in thread
    assert thread.count("<strong>Mantas Owner</strong>") == 5


def test_reply_logs_an_outbound_interaction_and_records_the_first_response(as_user, org):
    contact = ContactFactory(client=org.client)
    complaint = own_complaint(org, contact=contact)
    before = timezone.now()
    response = as_user(org.manager).post(url("reply", complaint), {"kind": "call", "body": "Called, apologised."})
    assert response.status_code == 302
    assert response["Location"] == f"{detail_url(complaint)}#thread"
    complaint.refresh_from_db()
    assert before <= complaint.first_response_at <= timezone.now()
    assert complaint.status == ComplaintStatus.IN_PROGRESS
    interaction = Interaction.objects.get()
    assert (interaction.client, interaction.kind, interaction.direction, interaction.notes) == (
        org.client,
        "call",
        Direction.OUTBOUND,
        "Called, apologised.",
    )
    assert interaction.subject == f"Re: complaint {complaint.number}"
    assert list(interaction.contacts.all()) == [contact]
    assert complaint.activities.get(kind=ActivityKind.REPLY).interaction == interaction
    assert messages_of(response) == ["Reply logged; it is also on the client's timeline."]


def test_second_reply_keeps_the_first_response_time(as_user, org):
    complaint = own_complaint(org)
    c = as_user(org.manager)
    c.post(url("reply", complaint), {"kind": "email", "body": "First."})
    first = Complaint.objects.get(pk=complaint.pk).first_response_at
    c.post(url("reply", complaint), {"kind": "email", "body": "Second."})
    assert Complaint.objects.get(pk=complaint.pk).first_response_at == first
    assert Interaction.objects.count() == 2


@pytest.mark.parametrize("name", ["reply", "note"])
@pytest.mark.parametrize("text", ["", "   "])
def test_empty_reply_or_note_rerenders_with_an_error_and_changes_nothing(as_user, org, name, text):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = as_user(org.manager).post(url(name, complaint), {"kind": "email", "body": text})
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in section_of(body, "thread")
    assert snapshot(complaint) == before


def test_reply_with_an_unknown_channel_is_refused(as_user, org):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = as_user(org.manager).post(url("reply", complaint), {"kind": "visit", "body": "Went there."})
    assert response.status_code == 200
    assert "kind" in response.context["reply_form"].errors
    assert snapshot(complaint) == before


def test_note_is_added_to_the_thread_and_is_not_a_response(as_user, org):
    complaint = own_complaint(org)
    response = as_user(org.manager).post(url("note", complaint), {"body": "Only for colleagues."})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.first_response_at is None
    assert complaint.status == ComplaintStatus.NEW
    assert complaint.activities.get(kind=ActivityKind.NOTE).body == "Only for colleagues."
    assert Interaction.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"resolution": "", "root_cause": "root"}, "resolution", "Describe how the complaint was resolved."),
        ({"resolution": "Replaced", "root_cause": ""}, "root_cause", "Choose the root cause."),
        ({"resolution": "", "root_cause": ""}, "resolution", "Describe how the complaint was resolved."),
    ],
    ids=["no-resolution", "no-root-cause", "neither"],
)
def test_resolve_without_resolution_or_root_cause_rerenders_and_changes_nothing(as_user, org, data, field, error):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    if data["root_cause"] == "root":
        data = data | {"root_cause": root_cause().pk}
    response = as_user(org.manager).post(url("transition", complaint), {"status": "resolved", **data})
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["transition_form"].errors[field] == [error]
    assert '<details class="cancel-order" id="resolve" open>' in body
    assert error in body
    assert snapshot(complaint) == before


def test_resolve_with_a_retired_root_cause_rerenders_with_the_error_and_changes_nothing(as_user, org):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    retired = RootCause.objects.create(name="Retired cause", is_active=False)
    response = as_user(org.manager).post(
        url("transition", complaint), {"status": "resolved", "resolution": "Replaced.", "root_cause": retired.pk}
    )
    assert response.status_code == 200
    assert "root_cause" in response.context["transition_form"].errors
    assert "Select a valid choice." in response.content.decode()
    assert snapshot(complaint) == before


def test_resolve_with_a_resolution_and_root_cause_resolves(as_user, org):
    complaint = own_complaint(org)
    cause = root_cause()
    response = as_user(org.manager).post(
        url("transition", complaint),
        {"status": "resolved", "resolution": "Replaced the pallets.", "root_cause": cause.pk},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["Status changed."]
    complaint.refresh_from_db()
    assert (complaint.status, complaint.resolution, complaint.root_cause) == (
        ComplaintStatus.RESOLVED,
        "Replaced the pallets.",
        cause,
    )
    assert complaint.resolved_at is not None
    entry = complaint.activities.get(kind=ActivityKind.STATUS)
    assert (entry.from_value, entry.to_value, entry.body) == ("new", "resolved", "Replaced the pallets.")
    body = as_user(org.manager).get(detail_url(complaint)).content.decode()
    assert "Replaced the pallets." in section_of(body, "thread")
    assert f"Root cause: <strong>{cause}</strong>" in body


def resolved_complaint(org, *, days_ago: int = 0) -> Complaint:
    at = timezone.now() - timedelta(days=days_ago)
    complaint = own_complaint(org, received_at=at - timedelta(hours=1))
    move(complaint, ComplaintStatus.RESOLVED, actor=org.manager, at=at)
    return Complaint.objects.get(pk=complaint.pk)


def test_resolved_complaint_offers_reopen_and_close(as_user, org):
    complaint = resolved_complaint(org)
    body = as_user(org.manager).get(detail_url(complaint)).content.decode()
    buttons = re.findall(r'data-transition="(\w+)">([^<]+)</button>', body)
    assert buttons == [("closed", "Close"), ("in_progress", "Reopen")]


def test_reopen_within_the_limit_reopens(as_user, org, settings):
    settings.COMPLAINT_REOPEN_DAYS = 14
    complaint = resolved_complaint(org, days_ago=settings.COMPLAINT_REOPEN_DAYS - 1)
    response = as_user(org.manager).post(url("transition", complaint), {"status": ComplaintStatus.IN_PROGRESS})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count, complaint.cycle, complaint.resolved_at) == (
        ComplaintStatus.IN_PROGRESS,
        1,
        2,
        None,
    )
    body = as_user(org.manager).get(detail_url(complaint)).content.decode()
    assert "reopened once" in body
    assert '<div class="change">Resolved → In progress</div>' in body


def test_reopen_after_the_limit_is_refused_with_a_message(as_user, org, settings):
    settings.COMPLAINT_REOPEN_DAYS = 14
    complaint = resolved_complaint(org, days_ago=settings.COMPLAINT_REOPEN_DAYS + 1)
    before = snapshot(complaint)
    response = as_user(org.manager).post(url("transition", complaint), {"status": ComplaintStatus.IN_PROGRESS})
    message = "A complaint can be reopened within 14 days of its resolution; register a new one."
    assert response.status_code == 200
    assert messages_of(response) == [message]
    assert message in response.content.decode()
    assert snapshot(complaint) == before


def test_close_makes_the_complaint_final_and_the_page_read_only(as_user, org):
    complaint = resolved_complaint(org)
    c = as_user(org.manager)
    response = c.post(url("transition", complaint), {"status": ComplaintStatus.CLOSED})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    assert complaint.closed_at is not None
    body = c.get(detail_url(complaint)).content.decode()
    assert 'id="complaint-actions"' not in body
    assert 'id="reply-form"' not in body
    assert '<div class="change">Resolved → Closed</div>' in body


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        ("closed", 200, "A complaint that is “New” cannot become “Closed”."),
        ("gold", 200, "Unknown status “gold”."),
        ("", 200, None),
    ],
)
def test_a_transition_the_workflow_does_not_allow_changes_nothing(as_user, org, status, code, message):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = as_user(org.manager).post(url("transition", complaint), {"status": status})
    assert response.status_code == code
    assert messages_of(response) == ([message] if message else [])
    assert snapshot(complaint) == before


def test_transition_by_get_is_not_allowed(as_user, org):
    complaint = own_complaint(org)
    assert as_user(org.manager).get(url("transition", complaint)).status_code == 405


def test_severity_change_recomputes_the_due_times_and_writes_the_thread(as_user, org):
    complaint = own_complaint(org)
    old_due = complaint.resolution_due_at
    c = as_user(org.manager)
    response = c.post(url("severity", complaint), {"severity": Severity.CRITICAL})
    assert response.status_code == 302
    assert messages_of(response) == ["Severity changed; the due times were recomputed."]
    complaint.refresh_from_db()
    calendar = calendar_of(complaint)
    assert complaint.severity == Severity.CRITICAL
    assert (complaint.sla_first_response_minutes, complaint.sla_resolution_minutes) == (60, 8 * 60)
    assert complaint.resolution_due_at != old_due
    assert complaint.resolution_due_at == add_business_minutes(calendar, complaint.received_at, 8 * 60)
    assert complaint.first_response_due_at == add_business_minutes(calendar, complaint.received_at, 60)
    entry = complaint.activities.get(kind=ActivityKind.SEVERITY)
    assert (entry.from_value, entry.to_value, entry.author) == ("normal", "critical", org.manager)
    assert '<div class="change">Normal → Critical</div>' in c.get(detail_url(complaint)).content.decode()


def test_unknown_severity_changes_nothing(as_user, org):
    complaint = own_complaint(org)
    before = snapshot(complaint)
    response = as_user(org.manager).post(url("severity", complaint), {"severity": "apocalyptic"})
    assert response.status_code == 302
    assert snapshot(complaint) == before


def test_junk_complaint_id_is_404(as_user, org):
    c = as_user(org.manager)
    assert c.get("/complaints/99999999999999999999999/").status_code == 404
    assert c.get(reverse("complaints:detail", args=[999999])).status_code == 404


# --- List and "My complaints" --------------------------------------------------------------------------------------


@pytest.fixture
def complaints(org):
    """Six complaints; the North lead sees the first five, the outsider only "Foreign goods".

    Late delivery: open, received long ago, breached and escalated to the lead. Broken pump:
    critical, other category. Wrong invoice: answered and waiting for the client (no due time).
    Missing manual: the teammate's, resolved. Foreign goods: the outsider's. Scratched panel: low.
    """
    other_category = ComplaintCategory.objects.exclude(pk=category().pk).first()
    own_complaint(org, subject="Late delivery", received_at=timezone.now() - LONG_AGO)
    own_complaint(org, subject="Broken pump", severity=Severity.CRITICAL, category=other_category)
    invoice = own_complaint(org, subject="Wrong invoice", severity=Severity.LOW)
    reply_to_client(actor=org.manager, complaint=invoice, body="Checking it.")
    transition_complaint(actor=org.manager, complaint=invoice, to_status=ComplaintStatus.WAITING)
    manual = make_complaint(actor=org.teammate, client=org.team_client, subject="Missing manual", severity="high")
    transition_complaint(
        actor=org.teammate, complaint=manual, to_status="resolved", resolution="Sent it.", root_cause=root_cause()
    )
    make_complaint(actor=org.outsider, client=org.foreign_client, subject="Foreign goods")
    own_complaint(org, subject="Scratched panel", severity=Severity.LOW)
    escalate_due_complaints()
    return Complaint.objects.order_by("pk")


def subjects(response) -> list[str]:
    assert response.status_code == 200
    return [complaint.subject for complaint in response.context["page"].object_list]


def test_list_is_newest_first_within_visibility(as_user, org, complaints):
    assert subjects(as_user(org.lead).get(LIST)) == [
        "Scratched panel",
        "Missing manual",
        "Wrong invoice",
        "Broken pump",
        "Late delivery",
    ]
    assert subjects(as_user(org.outsider).get(LIST)) == ["Foreign goods"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, ["Broken pump", "Late delivery", "Scratched panel", "Wrong invoice"]),
        ({"status": "waiting"}, ["Wrong invoice"]),
        ({"status": "resolved"}, ["Missing manual"]),
        ({"status": "closed"}, []),
        ({"sla": "breached"}, ["Late delivery"]),
        ({"sla": "paused"}, ["Wrong invoice"]),
        ({"sla": "met"}, ["Missing manual"]),
        ({"sla": "on_track"}, ["Broken pump", "Scratched panel"]),
        ({"severity": "critical"}, ["Broken pump"]),
        ({"severity": "low"}, ["Scratched panel", "Wrong invoice"]),
        ({"category": "other"}, ["Broken pump"]),
        ({"owner": "teammate"}, ["Missing manual"]),
        ({"client": "team_client"}, ["Missing manual"]),
        ({"overdue": "on"}, ["Late delivery"]),
        ({"escalated": "on"}, ["Late delivery"]),
        ({"q": "pump"}, ["Broken pump"]),
        ({"q": "teammate client"}, ["Missing manual"]),
        ({"status": "open", "severity": "low"}, ["Scratched panel", "Wrong invoice"]),
    ],
)
def test_list_filters(as_user, org, complaints, params, expected):
    query = dict(params)
    if query.get("category") == "other":
        query["category"] = complaints.get(subject="Broken pump").category_id
    for key in ("owner", "client"):
        if key in query:
            query[key] = getattr(org, query[key]).pk
    assert sorted(subjects(as_user(org.lead).get(LIST, query))) == expected


def test_sort_by_due_puts_the_most_urgent_first_and_no_due_time_last(as_user, org, complaints):
    response = as_user(org.lead).get(LIST, {"status": "open", "sort": "due"})
    assert subjects(response) == ["Late delivery", "Broken pump", "Scratched panel", "Wrong invoice"]
    response = as_user(org.lead).get(LIST, {"status": "open", "sort": "-due"})
    assert subjects(response) == ["Scratched panel", "Broken pump", "Late delivery", "Wrong invoice"]


def test_sort_by_severity_puts_critical_first(as_user, org, complaints):
    response = as_user(org.lead).get(LIST, {"sort": "severity"})
    assert subjects(response)[:2] == ["Broken pump", "Missing manual"]


def test_list_marks_the_breached_open_complaint(as_user, org, complaints):
    body = as_user(org.lead).get(LIST).content.decode()
    assert body.count('class="row-overdue"') == 1
    assert body.count("badge-sla-breached") == 1
    assert body.count("badge-sla-paused") == 1
    assert body.count("badge-sla-met") == 1


def test_mine_shows_only_my_open_complaints_most_urgent_first(as_user, org, complaints):
    response = as_user(org.manager).get(MINE)
    assert subjects(response) == ["Late delivery", "Broken pump", "Scratched panel", "Wrong invoice"]
    assert 'name="owner"' not in response.content.decode()


def test_mine_of_a_user_with_only_resolved_complaints_is_empty(as_user, org, complaints):
    response = as_user(org.teammate).get(MINE)
    assert subjects(response) == []
    assert "No open complaints of yours" in response.content.decode()
    assert subjects(as_user(org.teammate).get(MINE, {"status": "resolved"})) == ["Missing manual"]


def test_mine_keeps_the_urgency_order_when_the_filters_are_sent_back(as_user, org, complaints):
    c = as_user(org.manager)
    body = c.get(MINE).content.decode()
    hidden_sort = re.search(r'<input type="hidden" name="sort" value="([^"]*)">', body)
    assert hidden_sort.group(1) == "due"
    # what the filter form sends on its next change (htmx or the no-JS button)
    response = c.get(MINE, {"q": "", "status": "open", "sort": hidden_sort.group(1)}, headers=HTMX)
    assert subjects(response) == ["Late delivery", "Broken pump", "Scratched panel", "Wrong invoice"]


def test_lead_sees_what_was_escalated_to_them_on_my_complaints(as_user, org, complaints):
    late = complaints.get(subject="Late delivery")
    assert Escalation.objects.filter(recipient=org.lead, complaint=late).exists()
    body = as_user(org.lead).get(MINE).content.decode()
    card = body[body.index("Escalated to you") : body.index('class="filters')]
    assert f"{late.number} · Late delivery" in card
    assert "Breached: team lead notified" in card
    assert "Escalated to you" not in as_user(org.manager).get(MINE).content.decode()
    assert "Escalated to you" not in as_user(org.other_lead).get(MINE).content.decode()


def test_list_htmx_returns_only_the_complaint_table(as_user, org, complaints):
    response = as_user(org.lead).get(LIST, {"status": "waiting"}, headers=HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="complaint-table"')
    assert "<html" not in body
    assert 'class="filters' not in body
    assert "Wrong invoice" in body
    assert "Broken pump" not in body


def test_mine_htmx_returns_only_the_complaint_table_without_escalations(as_user, org, complaints):
    body = as_user(org.lead).get(MINE, headers=HTMX).content.decode()
    assert body.lstrip().startswith('<div id="complaint-table"')
    assert "Escalated to you" not in body


def test_list_filtered_by_client_names_the_client(as_user, org, complaints):
    response = as_user(org.manager).get(LIST, {"client": org.client.pk, "status": ""})
    assert response.context["filtered_client"] == org.client
    assert f'<a href="{org.client.get_absolute_url()}">Own Client UAB</a>' in response.content.decode()


def test_list_filtered_by_client_names_the_client_even_with_a_stale_filter_value(as_user, org, complaints):
    response = as_user(org.lead).get(LIST, {"client": org.team_client.pk, "sla": "gone"})
    assert subjects(response) == ["Missing manual"]
    assert response.context["filtered_client"] == org.team_client


def test_list_filtered_by_a_client_the_user_cannot_see_is_404(as_user, org, complaints):
    assert as_user(org.outsider).get(LIST, {"client": org.client.pk}).status_code == 404


def test_list_paginates(as_user, org, complaints, settings):
    settings.COMPLAINTS_PAGE_SIZE = 2
    c = as_user(org.lead)
    assert subjects(c.get(LIST, {"page": 2})) == ["Wrong invoice", "Broken pump"]
    assert subjects(c.get(LIST, {"page": 3})) == ["Late delivery"]
    assert "page=3" in c.get(LIST, {"page": 2, "status": ""}).content.decode()


@pytest.mark.parametrize("page_number", ["999", "abc", "0", "-1", "", "99999999999999999999999"])
def test_list_with_an_out_of_range_or_junk_page_does_not_fail(as_user, org, complaints, settings, page_number):
    settings.COMPLAINTS_PAGE_SIZE = 2
    assert len(subjects(as_user(org.lead).get(LIST, {"page": page_number}))) in (1, 2)
    assert as_user(org.lead).get(MINE, {"page": page_number}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"status": "gold"},
        {"sla": "gold"},
        {"severity": "gold"},
        {"category": "abc"},
        {"category": "99999999999999999999999"},
        {"owner": "abc"},
        {"owner": "99999999999999999999999"},
        {"client": "abc"},
        {"client": "1.5"},
        {"client": "-1"},
        {"client": "99999999999999999999999"},
        {"overdue": "maybe"},
        {"escalated": "maybe"},
        {"sort": "nonsense"},
        {"sort": "due,number,-nonsense"},
        {"q": "\x00"},
        {"q": "x" * 500},
    ],
)
def test_list_with_bad_filter_values_does_not_fail(as_user, org, complaints, params):
    c = as_user(org.lead)
    assert c.get(LIST, params).status_code == 200
    assert c.get(MINE, params).status_code == 200
    assert c.get(LIST, params, headers=HTMX).status_code == 200


# --- Query counts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [3, 30])
def test_complaint_list_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    for index in range(rows):
        client = org.client if index % 2 else org.team_client
        make_complaint(actor=org.lead, client=client, category=category(), severity=Severity.values[index % 4])
    c = as_user(org.lead)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = c.get(LIST)
    assert len(subjects(response)) == min(rows, 25)
    with django_assert_max_num_queries(LIST_QUERIES):
        response = c.get(MINE)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [2, 20])
def test_complaint_page_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    complaint = own_complaint(org)
    for index in range(rows - 1):
        if index % 2:
            add_note(actor=org.lead, complaint=complaint, body=f"Note {index}")
        else:
            reply_to_client(actor=org.manager, complaint=complaint, body=f"Reply {index}")
    c = as_user(org.lead)
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = c.get(detail_url(complaint))
    assert response.status_code == 200
    # the first reply also moved it to "in progress": one more entry
    assert response.content.decode().count('<li class="thread-item') == rows + 1


@pytest.mark.parametrize("rows", [2, 20])
def test_client_page_with_complaints_query_count_does_not_grow(as_user, org, rows, django_assert_max_num_queries):
    for index in range(rows):
        own_complaint(org, severity=Severity.values[index % 4])
    c = as_user(org.manager)
    with django_assert_max_num_queries(CLIENT_PAGE_QUERIES):
        response = c.get(org.client.get_absolute_url())
    assert response.status_code == 200
    section = section_of(response.content.decode(), "client-complaints")
    assert len(re.findall(r'<div class="order-row(?: order-row-overdue)?">', section)) == min(rows, 10)


LIST_QUERIES = 8
PAGE_QUERIES = 8
CLIENT_PAGE_QUERIES = 27  # every app adds its section: orders, complaints, feedback, segments, …


# --- Client page: section, timeline, header search -------------------------------------------------------------------


def test_client_page_lists_open_complaints_with_their_sla_badges(as_user, org):
    late = own_complaint(org, subject="Late delivery", received_at=timezone.now() - LONG_AGO)
    fresh = own_complaint(org, subject="Broken pump", severity=Severity.CRITICAL)
    resolved_complaint(org)
    body = as_user(org.manager).get(org.client.get_absolute_url()).content.decode()
    section = section_of(body, "client-complaints")
    assert re.findall(r"<strong>(CMP-\d{4}-\d{6})</strong>", section) == [late.number, fresh.number]
    assert section.count('<span class="badge badge-sla-breached">SLA breached</span>') == 1
    assert section.count('<span class="badge badge-sla-on_track">On track</span>') == 1
    assert section.count("order-row-overdue") == 1
    assert f'href="{CREATE}?client={org.client.pk}"' in section


def test_client_page_of_a_teammate_shows_the_complaints_without_the_register_button(as_user, org):
    complaint = own_complaint(org)
    section = section_of(as_user(org.teammate).get(org.client.get_absolute_url()).content.decode(), "client-complaints")
    assert complaint.number in section
    assert CREATE not in section


def test_timeline_complaints_chip_keeps_only_complaint_entries(as_user, org):
    complaint = own_complaint(org)
    InteractionFactory(client=org.client, kind="call", subject="The call")
    c = as_user(org.manager)
    c.post(url("reply", complaint), {"kind": "email", "body": "Answered."})
    timeline = reverse("interactions:timeline", args=[org.client.pk])
    everything = c.get(timeline, headers=HTMX).content.decode()
    assert everything.count('class="entry ') == 3  # the call, the reply, the complaint
    assert f'href="{timeline}?kind=complaints"' in everything
    only = c.get(timeline, {"kind": "complaints"}, headers=HTMX).content.decode()
    assert only.count('class="entry ') == 1
    assert f'id="complaint-entry-{complaint.pk}"' in only
    assert "The call" not in only
    assert "Re: complaint" not in only


@pytest.mark.parametrize(("who", "found"), [("manager", True), ("teammate", True), ("outsider", False)])
def test_header_search_finds_a_complaint_by_number_within_visibility(as_user, org, who, found):
    complaint = own_complaint(org)
    response = as_user(getattr(org, who)).get(reverse("search"), {"q": "CMP"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert (complaint.number in body) is found
    assert (complaint.get_absolute_url() in body) is found


# --- Language -------------------------------------------------------------------------------------------------------


def test_complaint_page_in_lithuanian_renders(as_user, org):
    org.manager.language = "lt"
    org.manager.save()
    complaint = own_complaint(org)
    c = as_user(org.manager)
    c.post(url("reply", complaint), {"kind": "email", "body": "Atsakėme."})
    c.post(url("note", complaint), {"body": "Pastaba."})
    response = c.get(detail_url(complaint))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="lt"' in body
    assert "Atsakėme." in body
    assert "Pastaba." in body


@pytest.mark.parametrize("language", ["lt", "ru"])
@pytest.mark.parametrize("status", ["waiting", "resolved", "closed", "reopened"])
def test_every_complaint_page_renders_in_each_language_and_state(as_user, org, language, status):
    org.manager.language = language
    org.manager.save()
    complaint = own_complaint(org, received_at=timezone.now() - LONG_AGO)
    escalate_due_complaints()
    steps = {
        "waiting": ["waiting"],
        "resolved": ["resolved"],
        "closed": ["resolved", "closed"],
        "reopened": ["resolved", "in_progress", "resolved", "in_progress"],
    }[status]
    for step in steps:
        move(complaint, step, actor=org.manager, at=timezone.now())
    c = as_user(org.manager)
    for target in (
        detail_url(complaint),
        url("edit", complaint),
        LIST,
        MINE,
        f"{CREATE}?client={org.client.pk}",
        org.client.get_absolute_url(),
    ):
        response = c.get(target)
        assert response.status_code == 200, target
        assert f'<html lang="{language}"' in response.content.decode()
