"""The complaints admin: every page renders, and a complaint edited here goes through the services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import (
    ActivityKind,
    BusinessCalendar,
    Complaint,
    ComplaintActivity,
    ComplaintCategory,
    ComplaintStatus,
    Escalation,
    EscalationLevel,
    Holiday,
    RootCause,
    SlaPolicy,
    TeamCalendar,
)
from complaints.services.complaints import register_complaint
from complaints.services.workflow import transition_complaint


@pytest.fixture
def complaint(org):
    return register_complaint(
        actor=org.manager,
        client=org.client,
        category=ComplaintCategory.objects.get(name="Late delivery"),
        subject="Pallets arrived two days late",
        received_at=timezone.now() - timedelta(hours=1),
    )


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.admin)
    return client


def change_url(obj) -> str:
    return reverse(f"admin:complaints_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(response) -> dict:
    """What the browser would post back unchanged: the form's values and every inline's management form."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(item) for item in value]
            elif isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = field.widget.format_value(value) if hasattr(field, "widget") else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return {key: "" if value is None else value for key, value in data.items()}


# --- Every page renders ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [ComplaintCategory, RootCause, SlaPolicy, BusinessCalendar, Complaint, Escalation],
    ids=lambda m: m.__name__,
)
def test_changelist_renders_for_an_admin(admin_client, complaint, model):
    response = admin_client.get(reverse(f"admin:complaints_{model._meta.model_name}_changelist"))

    assert response.status_code == 200


def test_change_pages_render_for_an_admin(admin_client, complaint, org):
    escalation = Escalation.objects.create(
        complaint=complaint,
        cycle=1,
        level=EscalationLevel.BREACHED,
        clock="first_response",
        recipient=org.lead,
        next_attempt_at=timezone.now(),
    )
    calendar = BusinessCalendar.objects.get(is_default=True)
    Holiday.objects.create(calendar=calendar, date=timezone.localdate(), name="Company day")
    objects = [
        ComplaintCategory.objects.first(),
        RootCause.objects.first(),
        SlaPolicy.objects.first(),
        calendar,
        complaint,
        escalation,
    ]

    for obj in objects:
        response = admin_client.get(change_url(obj))
        assert response.status_code == 200, obj

    page = admin_client.get(change_url(complaint)).content.decode()
    assert complaint.number in page
    assert "Company day" in admin_client.get(change_url(calendar)).content.decode()


def test_sla_list_says_targets_are_business_minutes(admin_client, org):
    response = admin_client.get(reverse("admin:complaints_slapolicy_changelist"))

    assert "business minutes" in response.content.decode()


def test_managers_do_not_get_into_the_admin(client, org, complaint):
    client.force_login(org.manager)

    response = client.get(change_url(complaint))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_complaint_admin_adds_and_deletes_nothing(admin_client, complaint):
    assert admin_client.get(reverse("admin:complaints_complaint_add")).status_code == 403
    assert admin_client.post(reverse("admin:complaints_complaint_delete", args=[complaint.pk])).status_code == 403
    assert Complaint.objects.filter(pk=complaint.pk).exists()


# --- Categories and root causes in use are deactivated, not deleted -------------------------------------------


def test_a_category_in_use_cannot_be_deleted(admin_client, complaint):
    category = complaint.category

    page = admin_client.get(change_url(category)).content.decode()
    response = admin_client.post(
        reverse("admin:complaints_complaintcategory_delete", args=[category.pk]), {"post": "yes"}
    )

    assert "deletelink" not in page
    assert response.status_code == 403
    assert ComplaintCategory.objects.filter(pk=category.pk).exists()


def test_bulk_delete_of_a_used_category_shows_it_protected_and_deletes_nothing(admin_client, complaint):
    unused = ComplaintCategory.objects.create(name="Unused")
    ids = [str(complaint.category_id), str(unused.pk)]

    response = admin_client.post(
        reverse("admin:complaints_complaintcategory_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )

    assert response.status_code == 200
    assert "Cannot delete complaint categories" in response.content.decode()
    assert ComplaintCategory.objects.filter(pk__in=ids).count() == 2


def test_an_unused_root_cause_can_be_deleted(admin_client):
    cause = RootCause.objects.create(name="Typo")
    assert "deletelink" in admin_client.get(change_url(cause)).content.decode()

    response = admin_client.post(reverse("admin:complaints_rootcause_delete", args=[cause.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not RootCause.objects.filter(pk=cause.pk).exists()


def test_deactivate_action_retires_entries(admin_client, complaint):
    response = admin_client.post(
        reverse("admin:complaints_rootcause_changelist"),
        {"action": "deactivate", "_selected_action": [str(RootCause.objects.get(name="Packaging").pk)]},
    )

    assert response.status_code == 302
    assert RootCause.objects.get(name="Packaging").is_active is False


def test_translated_names_and_positions_are_edited_in_the_list(admin_client):
    url = reverse("admin:complaints_complaintcategory_changelist")
    formset = admin_client.get(url).context["cl"].formset
    data = form_data_of_formset(formset)
    first = formset.forms[0]
    data[first.add_prefix("position")] = "42"

    response = admin_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    assert ComplaintCategory.objects.get(pk=first.instance.pk).position == 42


def form_data_of_formset(formset) -> dict:
    data = {}
    for form in [formset.management_form, *formset.forms]:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


# --- SLA policies ---------------------------------------------------------------------------------------------


def test_editing_a_policy_does_not_move_existing_due_times(admin_client, complaint):
    policy = SlaPolicy.objects.get(tier=complaint.client.tier, severity=complaint.severity)
    due = complaint.first_response_due_at
    data = form_data(admin_client.get(change_url(policy)))
    data["first_response_minutes"] = "5"

    response = admin_client.post(change_url(policy), data)

    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.first_response_minutes == 5
    complaint.refresh_from_db()
    assert complaint.first_response_due_at == due


# --- Business calendars ---------------------------------------------------------------------------------------


def calendar_form(admin_client, **changes) -> dict:
    data = form_data(admin_client.get(reverse("admin:complaints_businesscalendar_add")))
    data.update(
        {
            "name": "Poland",
            "time_zone": "Europe/Warsaw",
            "country": "PL",
            "day_start": "08:00",
            "day_end": "16:00",
            **changes,
        }
    )
    return data


def test_calendar_form_saves_working_days_from_checkboxes_with_holidays_and_teams(admin_client, org):
    data = calendar_form(admin_client, working_days=["0", "2", "4", "5"])
    data.update({"holidays-0-date": "2026-12-24", "holidays-0-name": "Christmas Eve"})
    data.update({"teamcalendar_set-TOTAL_FORMS": "1", "teamcalendar_set-0-team": str(org.south.pk)})

    response = admin_client.post(reverse("admin:complaints_businesscalendar_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    calendar = BusinessCalendar.objects.get(name="Poland")
    assert calendar.working_days == [0, 2, 4, 5]
    assert (calendar.time_zone, calendar.country, calendar.is_default) == ("Europe/Warsaw", "PL", False)
    assert list(calendar.holidays.values_list("name", flat=True)) == ["Christmas Eve"]
    assert TeamCalendar.objects.get(team=org.south).calendar == calendar


def test_calendar_form_offers_time_zones_and_holiday_countries(admin_client):
    form = admin_client.get(reverse("admin:complaints_businesscalendar_add")).context["adminform"].form

    zones = [value for value, _label in form.fields["time_zone"].choices]
    countries = [value for value, _label in form.fields["country"].choices]
    assert zones == sorted(zones)
    assert "Europe/Vilnius" in zones
    assert countries[0] == ""
    assert {"LT", "LV", "PL"} <= set(countries)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day_start": "17:00", "day_end": "09:00"}, "day_end", "The working day must end after it starts."),
        ({"day_start": "09:00", "day_end": "09:00"}, "day_end", "The working day must end after it starts."),
        ({"working_days": []}, "working_days", "This field is required."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice."),
    ],
)
def test_calendar_form_rejects_what_the_model_rejects(admin_client, changes, field, message):
    data = calendar_form(admin_client, **{"working_days": ["0", "1"], **changes})

    response = admin_client.post(reverse("admin:complaints_businesscalendar_add"), data)

    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    assert not BusinessCalendar.objects.filter(name="Poland").exists()


def test_a_second_default_calendar_is_refused(admin_client):
    data = calendar_form(admin_client, working_days=["0"], is_default="on")

    response = admin_client.post(reverse("admin:complaints_businesscalendar_add"), data)

    assert response.status_code == 200
    assert "is the default calendar" in " ".join(response.context["adminform"].form.errors["is_default"])
    assert BusinessCalendar.objects.filter(is_default=True).count() == 1


# --- Complaints: every change goes through the services -------------------------------------------------------


def post_complaint(admin_client, complaint, **changes):
    data = form_data(admin_client.get(change_url(complaint)))
    data.update(changes)
    return admin_client.post(change_url(complaint), data)


def snapshot(complaint) -> tuple:
    complaint = Complaint.objects.get(pk=complaint.pk)
    return (
        complaint.status,
        complaint.severity,
        complaint.owner_id,
        complaint.resolved_at,
        complaint.resolution,
        complaint.root_cause_id,
        complaint.resolution_due_at,
        ComplaintActivity.objects.filter(complaint=complaint).count(),
    )


def test_resolving_without_resolution_or_root_cause_is_a_form_error_and_changes_nothing(admin_client, complaint):
    before = snapshot(complaint)

    response = post_complaint(admin_client, complaint, status=ComplaintStatus.RESOLVED, severity="high")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["resolution"] == ["Describe how the complaint was resolved."]
    assert snapshot(complaint) == before  # the severity change of the same edit is undone too


def test_resolving_with_resolution_and_root_cause_writes_the_timestamps_and_an_activity_by_the_admin(
    admin_client, complaint, org
):
    cause = RootCause.objects.get(name="Carrier delay")

    response = post_complaint(
        admin_client,
        complaint,
        status=ComplaintStatus.RESOLVED,
        resolution="Re-delivered by express at our cost.",
        root_cause=str(cause.pk),
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED
    assert complaint.resolved_at is not None
    assert complaint.resolution == "Re-delivered by express at our cost."
    assert complaint.root_cause == cause
    assert complaint.resolution_running_since is None
    assert complaint.resolution_seconds is not None
    entry = complaint.activities.get(kind=ActivityKind.STATUS)
    assert (entry.author, entry.from_value, entry.to_value, entry.at) == (
        org.admin,
        ComplaintStatus.NEW,
        ComplaintStatus.RESOLVED,
        complaint.resolved_at,
    )


def test_waiting_for_the_client_pauses_the_clock(admin_client, complaint):
    response = post_complaint(admin_client, complaint, status=ComplaintStatus.WAITING, note="Asked for photos")

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.WAITING
    assert complaint.waiting_since is not None
    assert complaint.resolution_due_at is None
    assert complaint.activities.get(kind=ActivityKind.STATUS).body == "Asked for photos"


def test_only_the_workflows_next_steps_are_offered(admin_client, complaint):
    before = snapshot(complaint)

    response = post_complaint(admin_client, complaint, status=ComplaintStatus.CLOSED)

    assert response.status_code == 200
    assert "status" in response.context["adminform"].form.errors
    assert snapshot(complaint) == before


def test_severity_and_owner_changes_go_through_their_services(admin_client, complaint, org):
    due = complaint.resolution_due_at

    response = post_complaint(admin_client, complaint, severity="critical", owner=str(org.teammate.pk))

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.severity, complaint.owner) == ("critical", org.teammate)
    assert complaint.resolution_due_at < due  # the critical targets are tighter
    kinds = list(complaint.activities.exclude(kind=ActivityKind.CREATED).values_list("kind", "author", "to_value"))
    assert kinds == [
        (ActivityKind.SEVERITY, org.admin.pk, "critical"),
        (ActivityKind.REASSIGNED, org.admin.pk, str(org.teammate)),
    ]


def test_a_resolution_without_resolving_is_refused(admin_client, complaint):
    before = snapshot(complaint)

    response = post_complaint(admin_client, complaint, resolution="Written too early")

    assert response.status_code == 200
    assert "recorded when the status becomes" in response.context["adminform"].form.errors["resolution"][0]
    assert snapshot(complaint) == before


def test_a_closed_complaint_cannot_be_changed_and_the_error_is_shown(admin_client, complaint, org):
    cause = RootCause.objects.get(name="Carrier delay")
    post_complaint(admin_client, complaint, status="resolved", resolution="Done", root_cause=str(cause.pk))
    post_complaint(admin_client, complaint, status="closed")
    before = snapshot(complaint)

    response = post_complaint(admin_client, complaint, severity="low")

    assert response.status_code == 200
    assert "A closed complaint cannot be changed." in response.context["adminform"].form.non_field_errors()
    assert snapshot(complaint) == before


def test_an_untouched_multiline_resolution_posted_with_crlf_line_ends_is_no_edit(admin_client, complaint, org):
    cause = RootCause.objects.get(name="Packaging")
    transition_complaint(
        actor=org.manager,
        complaint=complaint,
        to_status="resolved",
        resolution="Replaced.\nCredit sent.",
        root_cause=cause,
    )

    response = post_complaint(admin_client, complaint, severity="high", resolution="Replaced.\r\nCredit sent.")

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.severity, complaint.resolution) == ("high", "Replaced.\nCredit sent.")


def test_complaint_list_filters_by_sla_state_and_searches_by_number(admin_client, complaint):
    url = reverse("admin:complaints_complaint_changelist")

    on_track = admin_client.get(url, {"sla": "on_track"}).context["cl"].result_list
    breached = admin_client.get(url, {"sla": "breached"}).context["cl"].result_list
    found = admin_client.get(url, {"q": complaint.number}).context["cl"].result_list

    assert list(on_track) == [complaint]
    assert list(breached) == []
    assert list(found) == [complaint]
