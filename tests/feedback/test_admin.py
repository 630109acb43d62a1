"""The feedback admin: every page renders, no token hash is shown, used templates are kept, triggers are fixed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import SurveyRequest, SurveyResponse, SurveyStatus, SurveyTemplate, SurveyTrigger
from feedback.services.answers import record_answer
from interactions.models import FollowUpStatus
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import make_sent_survey, survey_template


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.admin)
    return client


@pytest.fixture
def answered(org):
    """A detractor's answer to a sent NPS survey: its follow-up is open for the manager."""
    contact = ContactFactory(client=org.client, full_name="Rasa Respondent")
    request, token = make_sent_survey(
        sent_at=timezone.now() - timedelta(hours=2), contact=contact, template=survey_template("NPS")
    )
    record_answer(token=token, score=3, comment="Deliveries keep slipping")
    return SurveyResponse.objects.select_related("request", "follow_up").get(request=request)


def change_url(obj) -> str:
    return reverse(f"admin:feedback_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model) -> str:
    return reverse(f"admin:feedback_{model._meta.model_name}_changelist")


# --- Every page renders, and no token hash is on any of them ---------------------------------------------------

MODELS = [SurveyTemplate, SurveyTrigger, SurveyRequest, SurveyResponse]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_renders_for_an_admin_without_any_token_hash(admin_client, answered, model):
    response = admin_client.get(changelist_url(model))

    assert response.status_code == 200
    page = response.content.decode()
    assert answered.request.token_hash not in page
    assert "token_hash" not in page


def test_change_pages_render_for_an_admin_without_any_token_hash(admin_client, answered):
    request = answered.request
    objects = [survey_template("NPS"), SurveyTrigger.objects.get(kind="order_delivered"), request, answered]

    for obj in objects:
        response = admin_client.get(change_url(obj))
        assert response.status_code == 200, obj
        page = response.content.decode()
        assert request.token_hash not in page, obj
        assert "token_hash" not in page, obj

    request_page = admin_client.get(change_url(request)).content.decode()
    assert request.source_key in request_page
    assert "Deliveries keep slipping" in request_page  # its response, inline


def test_the_request_list_filters_and_searches(admin_client, answered, org):
    url = changelist_url(SurveyRequest)
    other = ContactFactory(client=org.team_client, full_name="Other Person")
    make_sent_survey(sent_at=timezone.now(), contact=other)

    by_status = admin_client.get(url, {"status__exact": SurveyStatus.ANSWERED}).context["cl"].result_list
    by_contact = admin_client.get(url, {"q": "Rasa"}).context["cl"].result_list
    by_client = admin_client.get(url, {"q": "Teammate Client"}).context["cl"].result_list

    assert list(by_status) == [answered.request]
    assert list(by_contact) == [answered.request]
    assert [r.contact for r in by_client] == [other]


def test_the_response_list_filters_low_scores(admin_client, answered, org):
    happy, token = make_sent_survey(
        sent_at=timezone.now() - timedelta(hours=1), contact=ContactFactory(client=org.client)
    )
    record_answer(token=token, score=5)
    url = changelist_url(SurveyResponse)

    low = admin_client.get(url, {"band": "low"}).context["cl"].result_list
    satisfied = admin_client.get(url, {"band": "satisfied"}).context["cl"].result_list

    assert list(low) == [answered]
    assert [r.request for r in satisfied] == [happy]


# --- Requests and responses are the product's record ---------------------------------------------------------


def test_requests_are_neither_added_changed_nor_deleted(admin_client, answered):
    request = answered.request

    assert admin_client.get(reverse("admin:feedback_surveyrequest_add")).status_code == 403
    assert admin_client.post(change_url(request), {"status": "cancelled"}).status_code == 403
    assert admin_client.post(reverse("admin:feedback_surveyrequest_delete", args=[request.pk])).status_code == 403
    request.refresh_from_db()
    assert request.status == SurveyStatus.ANSWERED


def test_responses_are_neither_added_nor_deleted(admin_client, answered):
    assert admin_client.get(reverse("admin:feedback_surveyresponse_add")).status_code == 403
    assert admin_client.post(reverse("admin:feedback_surveyresponse_delete", args=[answered.pk])).status_code == 403
    assert SurveyResponse.objects.filter(pk=answered.pk).exists()


def test_writing_what_was_done_goes_through_the_service_and_completes_the_follow_up(admin_client, answered, org):
    assert answered.follow_up.status == FollowUpStatus.OPEN

    response = admin_client.post(
        change_url(answered), {"action_taken": "Called Rasa, moved her orders to the express lane.", "score": "10"}
    )

    assert response.status_code == 302
    answered.refresh_from_db()
    answered.follow_up.refresh_from_db()
    assert answered.action_taken == "Called Rasa, moved her orders to the express lane."
    assert (answered.action_by, answered.score) == (org.admin, 3)  # the score is the contact's, not editable
    assert answered.action_at is not None
    assert answered.follow_up.status == FollowUpStatus.DONE


def test_an_empty_action_is_no_change(admin_client, answered):
    response = admin_client.post(change_url(answered), {"action_taken": ""})

    assert response.status_code == 302
    answered.refresh_from_db()
    assert (answered.action_taken, answered.action_by) == ("", None)
    assert answered.follow_up.status == FollowUpStatus.OPEN


# --- Triggers: switched on and off, never added or deleted -----------------------------------------------------


def test_triggers_are_edited_in_the_list_and_never_added_or_deleted(admin_client):
    trigger = SurveyTrigger.objects.get(kind="order_delivered")
    url = changelist_url(SurveyTrigger)
    formset = admin_client.get(url).context["cl"].formset
    data = {}
    for form in [formset.management_form, *formset.forms]:
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    row = next(form for form in formset.forms if form.instance.pk == trigger.pk)
    data[row.add_prefix("delay_hours")] = "48"
    data.pop(row.add_prefix("is_enabled"))

    response = admin_client.post(url, {**data, "_save": "Save"})

    assert response.status_code == 302
    trigger.refresh_from_db()
    assert (trigger.delay_hours, trigger.is_enabled) == (48, False)
    assert SurveyTrigger.objects.count() == 5
    assert admin_client.get(reverse("admin:feedback_surveytrigger_add")).status_code == 403
    assert admin_client.post(reverse("admin:feedback_surveytrigger_delete", args=[trigger.pk])).status_code == 403
    assert SurveyTrigger.objects.filter(pk=trigger.pk).exists()


# --- Templates in use are deactivated, not deleted -------------------------------------------------------------


def test_a_template_in_use_cannot_be_deleted_and_its_kind_is_fixed(admin_client, answered):
    template = survey_template("NPS")

    page = admin_client.get(change_url(template))
    response = admin_client.post(reverse("admin:feedback_surveytemplate_delete", args=[template.pk]), {"post": "yes"})

    assert "deletelink" not in page.content.decode()
    assert "kind" not in page.context["adminform"].form.fields
    assert response.status_code == 403
    assert SurveyTemplate.objects.filter(pk=template.pk).exists()


def test_bulk_delete_of_a_used_template_deletes_nothing(admin_client, answered):
    unused = SurveyTemplate.objects.create(
        name="Unused", kind="csat", question_en="Q", question_ru="В", question_lt="K", subject_en="S"
    )
    ids = [str(survey_template("NPS").pk), str(unused.pk)]

    response = admin_client.post(
        changelist_url(SurveyTemplate), {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )

    assert response.status_code == 200
    assert "Cannot delete survey template" in response.content.decode()
    assert SurveyTemplate.objects.filter(pk__in=ids).count() == 2


def test_an_unused_template_can_be_deleted(admin_client):
    unused = SurveyTemplate.objects.create(name="Unused", kind="csat")
    assert "deletelink" in admin_client.get(change_url(unused)).content.decode()

    response = admin_client.post(reverse("admin:feedback_surveytemplate_delete", args=[unused.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not SurveyTemplate.objects.filter(pk=unused.pk).exists()


def test_deactivate_action_retires_templates(admin_client):
    template = survey_template("CSAT")

    response = admin_client.post(
        changelist_url(SurveyTemplate), {"action": "deactivate", "_selected_action": [str(template.pk)]}
    )

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.is_active is False


def test_the_template_form_groups_the_texts_by_language(admin_client):
    response = admin_client.get(change_url(survey_template("CSAT")))

    fieldsets = [(fieldset.name, fieldset.fields) for fieldset in response.context["adminform"]]
    assert fieldsets[1:] == [
        ("English", ("question_en", "subject_en", "intro_en", "comment_question_en", "thanks_en")),
        ("Russian", ("question_ru", "subject_ru", "intro_ru", "comment_question_ru", "thanks_ru")),
        ("Lithuanian", ("question_lt", "subject_lt", "intro_lt", "comment_question_lt", "thanks_lt")),
    ]
    assert "Насколько вы довольны" in response.content.decode()


def test_managers_do_not_get_into_the_feedback_admin(client, org):
    client.force_login(org.manager)

    response = client.get(changelist_url(SurveyRequest))

    assert response.status_code == 302
    assert "/login/" in response["Location"]
