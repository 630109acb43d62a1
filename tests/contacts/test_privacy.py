"""A contact's data export and erasure (contacts.privacy): admins only, audited, every source, aggregates kept."""

import datetime
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from accounts.models import AuditEvent
from complaints.models import Complaint
from contacts import privacy
from contacts.models import Contact
from core.exceptions import ApplicationError
from dashboards.selectors.display import Period
from dashboards.selectors.feedback import get_feedback_analysis
from dashboards.selectors.overview import Scope, get_dashboard
from feedback.models import SurveyRequest, SurveyResponse, SurveyStatus
from interactions.models import FollowUp
from segments.models import AnnouncementDelivery
from tests.contacts.conftest import COMMENT, EMAIL, NAME, OLD_EMAIL, OLD_NAME, PHONE, POSITION, TRACES, database_text

pytestmark = pytest.mark.django_db


# --- export ----------------------------------------------------------------------------------------


def test_the_export_holds_the_person_and_each_sources_records_and_nothing_of_others(org, person):
    data = privacy.export_contact_data(actor=org.admin, contact=person.contact)

    assert data["format"] == "crm-contact-export/1"
    assert data["contact"]["full_name"] == NAME
    assert (data["contact"]["email"], data["contact"]["phone"], data["contact"]["position"]) == (EMAIL, PHONE, POSITION)
    assert data["client"] == {"id": org.client.pk, "name": "Own Client UAB"}
    assert [(row["history_type"], row["full_name"], row["email"]) for row in data["history"]] == [
        ("+", OLD_NAME, OLD_EMAIL),
        ("~", NAME, EMAIL),
    ]
    # the call with both of them, and the complaint's reply (a reply is also an interaction with the contact)
    assert [row["subject"] for row in data["interactions"]] == [
        "Price talk",
        f"Re: complaint {person.complaint.number}",
    ]
    assert data["interactions"][0]["notes"] == "Agreed terms"
    assert [row["number"] for row in data["orders"]] == [person.order.number]
    assert [row["number"] for row in data["complaints"]] == [person.complaint.number]
    assert data["complaints"][0]["description"] == "Broken pallets"
    assert [r["body"] for r in data["complaints"][0]["replies"]] == ["Replacement is on its way."]
    surveys = {row["id"]: row for row in data["surveys"]}
    assert set(surveys) == set(SurveyRequest.objects.filter(contact=person.contact).values_list("pk", flat=True))
    assert surveys[person.low.request_id]["response"]["score"] == 3
    assert surveys[person.low.request_id]["response"]["comment"] == COMMENT
    assert surveys[person.pending.pk]["response"] is None
    assert [(row["email"], row["subject"]) for row in data["announcements"]] == [(EMAIL, "Naujos kainos")]
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for other in ("Otto", "otto@other.example", "Otto only", "Otto is happy"):
        assert other not in text


def test_the_export_is_json_serialisable_as_it_is(org, person):
    data = privacy.export_contact_data(actor=org.admin, contact=person.contact)

    assert json.loads(json.dumps(data))["contact"]["id"] == person.contact.pk


def test_an_export_writes_one_event_with_ids_and_counts_only(org, person):
    privacy.export_contact_data(actor=org.admin, contact=person.contact)

    [event] = AuditEvent.objects.all()
    assert (event.action, event.actor, event.subject, event.object_type, event.object_id) == (
        "contact_export",
        org.admin,
        f"Contact #{person.contact.pk}",
        "contact",
        str(person.contact.pk),
    )
    assert event.details == {
        "client": org.client.pk,
        "records": {"history": 2, "interactions": 2, "orders": 1, "complaints": 1, "surveys": 3, "announcements": 1},
    }


@pytest.mark.parametrize("role", ["manager", "lead"])
def test_only_admins_export(org, person, role):
    with pytest.raises(ApplicationError):
        privacy.export_contact_data(actor=getattr(org, role), contact=person.contact)
    assert AuditEvent.objects.count() == 0


# --- erasure ---------------------------------------------------------------------------------------


def test_erasure_removes_every_trace_of_the_person_from_the_database(org, person):
    before = database_text()
    assert all(trace in before for trace in TRACES)  # the fixture put each one somewhere

    privacy.erase_contact(actor=org.admin, contact=person.contact)

    after = database_text()
    assert [trace for trace in TRACES if trace in after] == []
    assert "Otto Other" in after
    assert "otto@other.example" in after
    assert "Otto is happy" in after


def test_erasure_anonymises_the_contact_and_keeps_its_records(org, person):
    contact = person.contact
    privacy.erase_contact(actor=org.admin, contact=contact)

    contact.refresh_from_db()
    label = f"Erased contact #{contact.pk}"
    assert (contact.full_name, contact.position, contact.email, str(contact.phone or "")) == (label, "", "", "")
    assert (contact.survey_opt_out, contact.announcement_opt_out, contact.client) == (True, True, org.client)
    assert set(Contact.history.filter(id=contact.pk).values_list("full_name", "email", "position")) == {(label, "", "")}
    assert person.interaction in contact.interactions.all()
    assert list(contact.orders.all()) == [person.order]
    assert list(Complaint.objects.filter(contact=contact)) == [person.complaint]
    assert SurveyResponse.objects.filter(request__contact=contact).count() == 2
    low = SurveyResponse.objects.get(pk=person.low.pk)
    assert (low.score, low.comment) == (3, "")
    assert FollowUp.objects.get(pk=low.follow_up_id).title == f"Detractor: NPS 3 from {label}, call back"
    assert LogEntry.objects.get(object_id=str(contact.pk)).object_repr == label


def test_erasure_stops_what_is_still_to_go_out_to_the_person(org, person):
    privacy.erase_contact(actor=org.admin, contact=person.contact)

    person.pending.refresh_from_db()
    assert (person.pending.status, person.pending.last_error) == (SurveyStatus.CANCELLED, "")
    mine = AnnouncementDelivery.objects.get(contact=person.contact)
    assert (mine.status, mine.skipped_reason, mine.email, mine.last_error) == ("cancelled", "no_email", "", "")
    others = AnnouncementDelivery.objects.get(contact=person.other)
    assert (others.status, others.email) == ("pending", "otto@other.example")


def test_erasure_keeps_every_figure_of_the_dashboard_and_the_feedback_analysis(org, person):
    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=29), today)

    def figures():
        dashboard = get_dashboard(org.admin, scope=Scope(), period=period)
        tiles = {kpi.key: (kpi.number, kpi.previous_number) for group in dashboard.groups for kpi in group.kpis}
        people = [(row.person.pk, row.csat.value, row.nps.value, row.interactions) for row in dashboard.managers]
        analysis = get_feedback_analysis(org.admin, team=None, period=period)
        return tiles, people, [(c.pk, c.score) for c in analysis.comments]

    before = figures()
    assert before[0]["nps"][0] is not None
    assert before[0]["csat"][0] is not None

    privacy.erase_contact(actor=org.admin, contact=person.contact)

    after = figures()
    assert after[:2] == before[:2]
    # the answers stay, only without their comments: the comment list shows those who still wrote one
    assert [pk for pk, _score in after[2]] == [
        pk for pk, _score in before[2] if not SurveyResponse.objects.filter(pk=pk, comment="").exists()
    ]


def test_erasure_writes_one_event_without_personal_data(org, person):
    changed = privacy.erase_contact(actor=org.admin, contact=person.contact)

    [event] = AuditEvent.objects.all()
    assert (event.action, event.actor, event.subject, event.object_type, event.object_id) == (
        "contact_erasure",
        org.admin,
        f"Contact #{person.contact.pk}",
        "contact",
        str(person.contact.pk),
    )
    assert event.details == {"client": org.client.pk, "changed": changed}
    assert changed["contact"] == 1
    assert changed["history"] == 2
    assert changed["admin_log"] == 1
    assert changed["surveys"] >= 5
    assert changed["announcements"] == 2


def test_erasing_again_changes_nothing_more(org, person):
    privacy.erase_contact(actor=org.admin, contact=person.contact)
    first = database_text(but=(AuditEvent,))

    changed = privacy.erase_contact(actor=org.admin, contact=person.contact)

    assert database_text(but=(AuditEvent,)) == first
    assert changed == {
        "surveys": 0,
        "announcements": 0,
        "dashboard_cache": 0,
        "contact": 0,
        "history": 0,
        "admin_log": 0,
    }
    assert AuditEvent.objects.filter(action="contact_erasure").count() == 2
    assert Contact.history.filter(id=person.contact.pk).count() == 3  # the two versions and the erasure's


@pytest.mark.parametrize("role", ["manager", "lead", "teammate"])
def test_only_admins_erase_and_nothing_changes_otherwise(org, person, role):
    before = database_text()

    with pytest.raises(ApplicationError):
        privacy.erase_contact(actor=getattr(org, role), contact=person.contact)

    assert database_text() == before
    assert AuditEvent.objects.count() == 0


def test_a_deactivated_admin_may_not_erase(org, person):
    org.admin.is_active = False
    org.admin.save()
    AuditEvent.objects.all().delete()

    with pytest.raises(ApplicationError):
        privacy.erase_contact(actor=org.admin, contact=person.contact)
    assert Contact.objects.get(pk=person.contact.pk).full_name == NAME


def test_the_cached_feedback_analysis_is_not_served_after_an_erasure(org, person, django_capture_on_commit_callbacks):
    from dashboards.selectors.served import get_served_feedback_analysis

    today = timezone.localdate()
    period = Period(today - datetime.timedelta(days=29), today)
    cached = get_served_feedback_analysis(org.admin, team=None, period=period)
    assert COMMENT in [c.comment for c in cached.comments]

    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase_contact(actor=org.admin, contact=person.contact)

    served = get_served_feedback_analysis(org.admin, team=None, period=period)
    assert COMMENT not in [c.comment for c in served.comments]
