"""Survey links are revocable: whoever may change the client cancels a sent survey's link (it expires at once),
from the client page or, for administrators, in bulk from the admin. The token itself is 256 random bits and only
its hash is stored."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ApplicationError
from feedback.models import SurveyRequest, SurveyResponse, SurveyStatus
from feedback.services import tokens
from feedback.services.answers import record_answer
from feedback.services.scheduling import cancel_survey_link
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import make_sent_survey


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def sent(org):
    """A CSAT e-mailed yesterday to a contact of the manager's client: (request, the link's token)."""
    contact = ContactFactory(client=org.client, full_name="Petras Primary")
    return make_sent_survey(contact=contact, sent_at=timezone.now() - timedelta(days=1))


def cancel_url(survey):
    return reverse("surveys:cancel_link", args=[survey.pk])


def test_tokens_are_256_random_bits_and_only_their_hash_is_stored(sent):
    survey, token = sent

    assert tokens.TOKEN_BYTES * 8 == 256
    assert len(token) == 43  # 32 bytes, URL-safe base64
    assert token not in {survey.token_hash, str(survey.pk)}
    assert survey.token_hash == tokens.hash_token(token)
    assert tokens.new_token()[0] != tokens.new_token()[0]


def test_a_cancelled_link_stops_working_at_once(client, org, sent):
    survey, token = sent
    assert client.get(f"/s/{token}/").status_code == 200

    cancel_survey_link(actor=org.manager, survey=survey)

    survey.refresh_from_db()
    assert survey.status == SurveyStatus.EXPIRED
    assert survey.expires_at <= timezone.now()
    assert client.get(f"/s/{token}/").status_code == 410
    assert client.post(f"/s/{token}/", {"score": "5"}).status_code == 410
    with pytest.raises(ApplicationError, match=r"This survey has expired\."):
        record_answer(token=token, score=5)
    assert not SurveyResponse.objects.exists()


def test_the_client_page_lists_open_links_with_a_cancel_button(client, org, sent):
    survey, _token = sent
    client.force_login(org.manager)

    body = client.get(org.client.get_absolute_url()).content.decode()

    assert "Waiting for an answer" in body
    assert "Petras Primary" in body
    assert cancel_url(survey) in body


def test_a_teammate_sees_the_open_link_but_no_cancel_button(client, org, sent):
    survey, _token = sent
    client.force_login(org.teammate)

    body = client.get(org.client.get_absolute_url()).content.decode()

    assert "Waiting for an answer" in body
    assert cancel_url(survey) not in body


def test_the_owner_cancels_from_the_client_page(client, org, sent):
    survey, _token = sent
    client.force_login(org.manager)

    response = client.post(cancel_url(survey), follow=True)

    assert response.redirect_chain[-1][0] == f"{org.client.get_absolute_url()}#client-feedback"
    assert "The survey link sent to Petras Primary no longer works." in response.content.decode()
    assert SurveyRequest.objects.get(pk=survey.pk).status == SurveyStatus.EXPIRED
    assert cancel_url(survey) not in response.content.decode()  # no longer listed


@pytest.mark.parametrize(("who", "status"), [("lead", 302), ("admin", 302), ("teammate", 403), ("outsider", 404)])
def test_who_may_cancel_follows_who_may_change_the_client(client, org, sent, who, status):
    survey, _token = sent
    client.force_login(getattr(org, who))

    response = client.post(cancel_url(survey))

    assert response.status_code == status
    expected = SurveyStatus.EXPIRED if status == 302 else SurveyStatus.SENT
    assert SurveyRequest.objects.get(pk=survey.pk).status == expected


def test_cancelling_takes_only_a_post(client, org, sent):
    survey, _token = sent
    client.force_login(org.manager)

    assert client.get(cancel_url(survey)).status_code == 405
    assert SurveyRequest.objects.get(pk=survey.pk).status == SurveyStatus.SENT


def test_anonymous_visitors_are_sent_to_sign_in(client, org, sent):
    survey, _token = sent

    response = client.post(cancel_url(survey))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert SurveyRequest.objects.get(pk=survey.pk).status == SurveyStatus.SENT


@pytest.mark.parametrize("status", [SurveyStatus.ANSWERED, SurveyStatus.EXPIRED, SurveyStatus.SCHEDULED])
def test_only_an_open_link_can_be_cancelled(org, status):
    contact = ContactFactory(client=org.client)
    survey, _token = make_sent_survey(contact=contact, sent_at=timezone.now() - timedelta(days=1), status=status)

    with pytest.raises(ApplicationError, match="This survey link is no longer open"):
        cancel_survey_link(actor=org.manager, survey=survey)

    assert SurveyRequest.objects.get(pk=survey.pk).status == status


def test_a_link_past_its_expiry_is_not_cancelled_again(org):
    contact = ContactFactory(client=org.client)
    survey, _token = make_sent_survey(contact=contact, sent_at=timezone.now() - timedelta(days=31))

    with pytest.raises(ApplicationError):
        cancel_survey_link(actor=org.manager, survey=survey)


def test_the_service_refuses_someone_who_may_not_change_the_client(org, sent):
    survey, _token = sent

    with pytest.raises(ApplicationError, match=r"You can view this client but not change it\."):
        cancel_survey_link(actor=org.teammate, survey=survey)

    assert SurveyRequest.objects.get(pk=survey.pk).status == SurveyStatus.SENT


def test_administrators_cancel_links_in_bulk_from_the_admin(client, org, sent):
    survey, _token = sent
    answered, _ = make_sent_survey(
        contact=ContactFactory(client=org.client), sent_at=timezone.now(), status=SurveyStatus.ANSWERED
    )
    client.force_login(org.admin)

    response = client.post(
        reverse("admin:feedback_surveyrequest_changelist"),
        {"action": "cancel_links", "_selected_action": [survey.pk, answered.pk]},
        follow=True,
    )

    assert "1 survey link cancelled." in response.content.decode()
    assert SurveyRequest.objects.get(pk=survey.pk).status == SurveyStatus.EXPIRED
    assert SurveyRequest.objects.get(pk=answered.pk).status == SurveyStatus.ANSWERED
