import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from feedback import selectors
from feedback.models import (
    SuppressedReason,
    SurveyRequest,
    SurveyResponse,
    SurveyStatus,
    SurveyTemplate,
    TriggerKind,
)
from feedback.services.closed_loop import open_loop, record_action
from feedback.services.scheduling import schedule_survey
from feedback.services.tokens import new_token
from interactions.models import FollowUp
from tests.factories.contacts import ContactFactory

REQUESTS = "/api/v1/surveys/requests/"
RESPONSES = "/api/v1/surveys/responses/"
# Noon in Vilnius: far from midnight, so day filters do not depend on the time zone's offset.
NOON = datetime(2026, 6, 10, 9, 0, tzinfo=UTC)
_source_keys = itertools.count(1)


def local(moment):
    return timezone.localtime(moment).isoformat() if moment else None


def days_ago(days: int) -> datetime:
    return NOON - timedelta(days=days)


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def make_request(
    client, *, kind="csat", trigger=TriggerKind.MANUAL, at=None, contact=None, requested_by=None, **fields
):
    """A request written by the scheduling service, then moved on (sent, suppressed...) as delivery would."""
    contact = contact or ContactFactory(client=client, full_name=f"Contact of {client.name}")
    request = schedule_survey(
        trigger=trigger,
        contact=contact,
        source_key=f"test:{next(_source_keys)}",
        at=at or days_ago(5),
        requested_by=requested_by,
        template=SurveyTemplate.objects.get(kind=kind),
    )
    if fields:
        SurveyRequest.objects.filter(pk=request.pk).update(**fields)
        request.refresh_from_db()
    return request


def sent(client, *, at=None, **kwargs):
    """A request e-mailed an hour after it was scheduled, with a live token (its hash stored)."""
    at = at or days_ago(5)
    _token, digest = new_token()
    return make_request(
        client,
        at=at,
        status=SurveyStatus.SENT,
        sent_at=at + timedelta(hours=1),
        expires_at=at + timedelta(days=30),
        token_hash=digest,
        **kwargs,
    )


def answer(request, score, *, at=None, comment=""):
    """The contact's answer, as the answer page records it."""
    at = at or request.sent_at + timedelta(hours=2)
    SurveyRequest.objects.filter(pk=request.pk).update(status=SurveyStatus.ANSWERED, answered_at=at)
    request.refresh_from_db()
    return SurveyResponse.objects.create(
        request=request, client=request.client, kind=request.kind, score=score, comment=comment, answered_at=at
    )


def keys_of(data) -> set[str]:
    """Every key at any depth of a JSON body."""
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in keys_of(value)}
    if isinstance(data, list):
        return {key for value in data for key in keys_of(value)}
    return set()


@pytest.fixture
def surveys(org):
    """An answered CSAT on each client, sent in this order: own, teammate's, foreign."""
    requests = {
        "own": sent(org.client, at=days_ago(3)),
        "team": sent(org.team_client, at=days_ago(2)),
        "foreign": sent(org.foreign_client, at=days_ago(1)),
    }
    responses = {key: answer(request, 4) for key, request in requests.items()}
    return requests, responses


# --- authentication and visibility ------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [REQUESTS, RESPONSES])
def test_unauthenticated_requests_are_refused(api, org, base):
    assert api.get(base).status_code == 401


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("manager", ["team", "own"]),
        ("teammate", ["team", "own"]),
        ("lead", ["team", "own"]),
        ("outsider", ["foreign"]),
        ("other_lead", ["foreign"]),
        ("admin", ["foreign", "team", "own"]),
    ],
)
def test_each_role_lists_the_surveys_of_the_clients_it_sees_newest_first(as_api_user, org, surveys, role, expected):
    requests, responses = surveys
    api = as_api_user(getattr(org, role))

    assert ids(api.get(REQUESTS)) == [requests[key].pk for key in expected]
    assert ids(api.get(RESPONSES)) == [responses[key].pk for key in expected]
    assert api.get(RESPONSES).json()["count"] == len(expected)


@pytest.mark.parametrize(
    ("role", "target", "status"),
    [
        ("manager", "own", 200),
        ("manager", "team", 200),  # a teammate's client is readable
        ("lead", "team", 200),
        ("admin", "foreign", 200),
        ("manager", "foreign", 404),
        ("outsider", "own", 404),
        ("other_lead", "team", 404),
    ],
)
def test_survey_detail_follows_the_clients_visibility(as_api_user, org, surveys, role, target, status):
    requests, responses = surveys
    api = as_api_user(getattr(org, role))

    assert api.get(f"{REQUESTS}{requests[target].pk}/").status_code == status
    assert api.get(f"{RESPONSES}{responses[target].pk}/").status_code == status


def test_a_reassigned_client_takes_its_surveys_along(as_api_user, org, surveys):
    requests, _responses = surveys
    org.foreign_client.account_manager = org.manager
    org.foreign_client.save()

    assert ids(as_api_user(org.manager).get(REQUESTS)) == [requests[key].pk for key in ("foreign", "team", "own")]
    assert ids(as_api_user(org.outsider).get(REQUESTS)) == []


def test_unknown_survey_ids_are_not_found(as_api_user, org, surveys):
    api = as_api_user(org.admin)

    assert api.get(f"{REQUESTS}999999/").status_code == 404
    assert api.get(f"{RESPONSES}999999/").status_code == 404
    assert api.get(f"{RESPONSES}abc/").status_code == 404


# --- what is shown ----------------------------------------------------------------------------------------------------


def test_request_detail_shows_every_field_and_no_token(as_api_user, org):
    contact = ContactFactory(client=org.client, full_name="Rūta Buyer", language="lt")
    request = sent(org.client, kind="nps", contact=contact, requested_by=org.manager, at=days_ago(4))
    answer(request, 9, at=days_ago(3))

    response = as_api_user(org.teammate).get(f"{REQUESTS}{request.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": request.pk,
        "client": org.client.pk,
        "client_name": "Own Client UAB",
        "contact": contact.pk,
        "contact_name": "Rūta Buyer",
        "template": SurveyTemplate.objects.get(name="NPS").pk,
        "template_name": "NPS",
        "kind": "nps",
        "trigger": "manual",
        "trigger_label": "Sent by a manager",
        "status": "answered",
        "status_label": "Answered",
        "suppressed_reason": "",
        "suppressed_reason_label": "",
        "language": "lt",
        "scheduled_at": "2026-06-06T12:00:00+03:00",
        "sent_at": "2026-06-06T13:00:00+03:00",
        "expires_at": "2026-07-06T12:00:00+03:00",
        "answered_at": "2026-06-07T12:00:00+03:00",
        "requested_by": org.manager.pk,
        "requested_by_name": "Mantas Owner",
    }


def test_suppressed_request_says_why(as_api_user, org):
    request = make_request(
        org.client,
        trigger=TriggerKind.ORDER_DELIVERED,
        status=SurveyStatus.SUPPRESSED,
        suppressed_reason=SuppressedReason.COOLDOWN,
    )

    body = as_api_user(org.manager).get(f"{REQUESTS}{request.pk}/").json()

    assert {name: body[name] for name in ("trigger", "trigger_label", "status", "status_label")} == {
        "trigger": "order_delivered",
        "trigger_label": "Order delivered",
        "status": "suppressed",
        "status_label": "Suppressed",
    }
    assert (body["suppressed_reason"], body["suppressed_reason_label"]) == (
        "cooldown",
        "The contact had a survey recently",
    )
    assert (body["sent_at"], body["expires_at"], body["answered_at"]) == (None, None, None)
    assert (body["requested_by"], body["requested_by_name"]) == (None, None)


def test_response_detail_shows_the_closed_loop(as_api_user, org):
    contact = ContactFactory(client=org.client, full_name="Rūta Buyer")
    request = sent(org.client, kind="nps", contact=contact, trigger=TriggerKind.RELATIONSHIP_NPS, at=days_ago(4))
    answered = answer(request, 3, at=days_ago(3), comment="Slow replies")
    open_loop(answered, now=days_ago(3))
    record_action(actor=org.manager, response=answered, text="Called, agreed on a weekly update", now=days_ago(2))
    answered.refresh_from_db()
    SurveyResponse.objects.filter(pk=answered.pk).update(changed_at=days_ago(3) + timedelta(hours=1))

    response = as_api_user(org.lead).get(f"{RESPONSES}{answered.pk}/")

    assert response.status_code == 200
    assert response.json() == {
        "id": answered.pk,
        "request": request.pk,
        "client": org.client.pk,
        "client_name": "Own Client UAB",
        "contact": contact.pk,
        "contact_name": "Rūta Buyer",
        "trigger": "relationship_nps",
        "kind": "nps",
        "score": 3,
        "nps_category": "detractor",
        "is_low": True,
        "comment": "Slow replies",
        "answered_at": "2026-06-07T12:00:00+03:00",
        "changed_at": "2026-06-07T13:00:00+03:00",
        "follow_up": answered.follow_up_id,
        "follow_up_status": "done",
        "action_taken": "Called, agreed on a weekly update",
        "action_by": org.manager.pk,
        "action_by_name": "Mantas Owner",
        "action_at": "2026-06-08T12:00:00+03:00",
    }
    assert FollowUp.objects.get(pk=answered.follow_up_id).client == org.client


def test_csat_response_has_no_nps_category_and_no_follow_up(as_api_user, org):
    answered = answer(sent(org.client), 5)

    body = as_api_user(org.manager).get(f"{RESPONSES}{answered.pk}/").json()

    assert (body["kind"], body["score"], body["nps_category"], body["is_low"]) == ("csat", 5, None, False)
    assert (body["follow_up"], body["follow_up_status"], body["action_by"], body["action_by_name"]) == (
        None,
        None,
        None,
        None,
    )


# --- no token, ever ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [REQUESTS, RESPONSES])
def test_no_body_carries_a_token_or_its_hash(as_api_user, org, surveys, base):
    requests, responses = surveys
    api = as_api_user(org.admin)
    objects = requests if base == REQUESTS else responses
    hashes = [request.token_hash for request in requests.values()]
    assert all(hashes)

    for response in [api.get(base), *(api.get(f"{base}{obj.pk}/") for obj in objects.values())]:
        assert response.status_code == 200
        assert [key for key in keys_of(response.json()) if "token" in key] == []
        assert not any(digest in response.content.decode() for digest in hashes)


def test_requests_cannot_be_looked_up_by_token_hash(as_api_user, org, surveys):
    requests, _responses = surveys
    digest = requests["own"].token_hash

    response = as_api_user(org.admin).get(REQUESTS, {"token_hash": digest, "token": digest})

    # the parameters are ignored: no oracle telling whether a hash exists
    assert ids(response) == [requests[key].pk for key in ("foreign", "team", "own")]


# --- read-only --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [REQUESTS, RESPONSES])
def test_every_write_is_not_allowed_and_changes_nothing(as_api_user, org, surveys, base):
    requests, responses = surveys
    obj = (requests if base == REQUESTS else responses)["own"]
    before = (
        list(SurveyRequest.objects.order_by("pk").values()),
        list(SurveyResponse.objects.order_by("pk").values()),
    )
    api = as_api_user(org.admin)
    payload = {"client": org.client.pk, "kind": "nps", "score": 10, "status": "cancelled", "comment": "Changed"}

    assert api.post(base, payload, format="json").status_code == 405
    assert api.put(f"{base}{obj.pk}/", payload, format="json").status_code == 405
    assert api.patch(f"{base}{obj.pk}/", payload, format="json").status_code == 405
    assert api.delete(f"{base}{obj.pk}/").status_code == 405
    after = (
        list(SurveyRequest.objects.order_by("pk").values()),
        list(SurveyResponse.objects.order_by("pk").values()),
    )
    assert after == before


def test_writes_to_an_invisible_survey_are_not_allowed_either(as_api_user, org, surveys):
    requests, _responses = surveys

    response = as_api_user(org.manager).delete(f"{REQUESTS}{requests['foreign'].pk}/")

    assert response.status_code == 405
    assert SurveyRequest.objects.filter(pk=requests["foreign"].pk).exists()


# --- filters and ordering ---------------------------------------------------------------------------------------------


@pytest.fixture
def request_set(org):
    """Requests differing in one thing each; all on the manager's clients (own and teammate's)."""
    buyer = ContactFactory(client=org.client, full_name="Buyer")
    return {
        "csat_sent": sent(org.client, contact=buyer, at=days_ago(9)),
        "nps_sent": sent(org.client, kind="nps", trigger=TriggerKind.RELATIONSHIP_NPS, at=days_ago(7)),
        "scheduled": make_request(org.team_client, trigger=TriggerKind.ORDER_DELIVERED, at=days_ago(1)),
        "suppressed": make_request(
            org.client, contact=buyer, trigger=TriggerKind.ORDER_DELIVERED, at=days_ago(2), status="suppressed"
        ),
        "answered": answer(sent(org.team_client, at=days_ago(5)), 4, at=days_ago(4)).request,
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["scheduled", "suppressed", "answered", "nps_sent", "csat_sent"]),
        ({"client": "own"}, ["suppressed", "nps_sent", "csat_sent"]),
        ({"contact": "buyer"}, ["suppressed", "csat_sent"]),
        ({"kind": "nps"}, ["nps_sent"]),
        ({"trigger": "order_delivered"}, ["scheduled", "suppressed"]),
        ({"status": "pending"}, ["scheduled"]),
        ({"status": "sent"}, ["nps_sent", "csat_sent"]),
        ({"status": "answered"}, ["answered"]),
        ({"answered_from": "2026-06-06", "answered_to": "2026-06-06"}, ["answered"]),
        ({"answered_from": "2026-06-07"}, []),
        ({"sent_from": "2026-06-03", "sent_to": "2026-06-05"}, ["answered", "nps_sent"]),
        ({"client": "own", "kind": "csat", "status": "suppressed"}, ["suppressed"]),
        ({"ordering": "scheduled_at"}, ["csat_sent", "nps_sent", "answered", "suppressed", "scheduled"]),
        # rows never sent come last both ways
        ({"ordering": "sent_at"}, ["csat_sent", "nps_sent", "answered", "suppressed", "scheduled"]),
        ({"ordering": "-sent_at"}, ["answered", "nps_sent", "csat_sent", "suppressed", "scheduled"]),
    ],
)
def test_request_filters(as_api_user, org, request_set, params, expected):
    buyer = request_set["csat_sent"].contact
    aliases = {"own": org.client.pk, "buyer": buyer.pk}
    params = {name: aliases.get(value, value) for name, value in params.items()}

    response = as_api_user(org.manager).get(REQUESTS, params)

    assert ids(response) == [request_set[key].pk for key in expected]


@pytest.fixture
def response_set(org):
    """Answers spread over the scales and days; all on the manager's clients (own and teammate's)."""
    buyer = ContactFactory(client=org.client, full_name="Buyer")

    def answered(client, kind, score, day, **kwargs):
        return answer(sent(client, kind=kind, at=days_ago(day + 1), **kwargs), score, at=days_ago(day))

    return {
        "csat_1": answered(org.client, "csat", 1, 9, contact=buyer),
        "csat_3": answered(org.team_client, "csat", 3, 8, trigger=TriggerKind.ORDER_DELIVERED),
        "csat_5": answered(org.client, "csat", 5, 7, contact=buyer),
        "nps_2": answered(org.team_client, "nps", 2, 6, trigger=TriggerKind.RELATIONSHIP_NPS),
        "nps_6": answered(org.client, "nps", 6, 5, trigger=TriggerKind.RELATIONSHIP_NPS),
        "nps_7": answered(org.client, "nps", 7, 4, trigger=TriggerKind.RELATIONSHIP_NPS),
        "nps_8": answered(org.team_client, "nps", 8, 3, trigger=TriggerKind.RELATIONSHIP_NPS),
        "nps_9": answered(org.client, "nps", 9, 2, trigger=TriggerKind.RELATIONSHIP_NPS),
        "nps_10": answered(org.client, "nps", 10, 1, trigger=TriggerKind.RELATIONSHIP_NPS),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["nps_10", "nps_9", "nps_8", "nps_7", "nps_6", "nps_2", "csat_5", "csat_3", "csat_1"]),
        ({"client": "own"}, ["nps_10", "nps_9", "nps_7", "nps_6", "csat_5", "csat_1"]),
        ({"contact": "buyer"}, ["csat_5", "csat_1"]),
        ({"kind": "csat"}, ["csat_5", "csat_3", "csat_1"]),
        ({"trigger": "order_delivered"}, ["csat_3"]),
        ({"score_min": 3, "score_max": 7}, ["nps_7", "nps_6", "csat_5", "csat_3"]),
        ({"kind": "nps", "score_min": 9}, ["nps_10", "nps_9"]),
        ({"nps_category": "promoter"}, ["nps_10", "nps_9"]),
        ({"nps_category": "passive"}, ["nps_8", "nps_7"]),
        ({"nps_category": "detractor"}, ["nps_6", "nps_2"]),  # never a CSAT, however low
        ({"low": "true"}, ["nps_6", "nps_2", "csat_1"]),
        ({"low": "false"}, ["nps_10", "nps_9", "nps_8", "nps_7", "nps_6", "nps_2", "csat_5", "csat_3", "csat_1"]),
        ({"answered_from": "2026-06-03", "answered_to": "2026-06-05"}, ["nps_6", "nps_2", "csat_5"]),
        ({"answered_to": "2026-06-01"}, ["csat_1"]),
        ({"low": "true", "client": "own"}, ["nps_6", "csat_1"]),
        (
            {"ordering": "answered_at"},
            ["csat_1", "csat_3", "csat_5", "nps_2", "nps_6", "nps_7", "nps_8", "nps_9", "nps_10"],
        ),
    ],
)
def test_response_filters(as_api_user, org, response_set, params, expected):
    buyer = response_set["csat_1"].request.contact
    aliases = {"own": org.client.pk, "buyer": buyer.pk}
    params = {name: aliases.get(value, value) for name, value in params.items()}

    response = as_api_user(org.manager).get(RESPONSES, params)

    assert ids(response) == [response_set[key].pk for key in expected]


def test_responses_sort_by_action_date_with_the_unhandled_last(as_api_user, org, response_set):
    for key, day in (("nps_2", 3), ("csat_1", 1)):
        record_action(actor=org.lead, response=response_set[key], text="Called", now=days_ago(day))

    response = as_api_user(org.manager).get(RESPONSES, {"ordering": "-action_at", "client": org.team_client.pk})

    assert ids(response) == [response_set[key].pk for key in ("nps_2", "nps_8", "csat_3")]


def test_filters_on_invisible_clients_find_nothing(as_api_user, org, surveys):
    api = as_api_user(org.manager)

    assert ids(api.get(REQUESTS, {"client": org.foreign_client.pk})) == []
    assert ids(api.get(RESPONSES, {"client": org.foreign_client.pk})) == []


@pytest.mark.parametrize(
    ("base", "params", "errors"),
    [
        (
            REQUESTS,
            {"status": "lost"},
            {"status": ["Select a valid choice. lost is not one of the available choices."]},
        ),
        (REQUESTS, {"kind": "ces"}, {"kind": ["Select a valid choice. ces is not one of the available choices."]}),
        (REQUESTS, {"sent_from": "soon"}, {"sent_from": ["Enter a valid date."]}),
        (RESPONSES, {"answered_to": "2026-13-01"}, {"answered_to": ["Enter a valid date."]}),
        (RESPONSES, {"score_min": "high"}, {"score_min": ["Enter a number."]}),
        (
            RESPONSES,
            {"nps_category": "fan"},
            {"nps_category": ["Select a valid choice. fan is not one of the available choices."]},
        ),
        (
            RESPONSES,
            {"ordering": "score"},
            {"ordering": ["Select a valid choice. score is not one of the available choices."]},
        ),
    ],
)
def test_bad_filter_values_are_a_bad_request(as_api_user, org, base, params, errors):
    response = as_api_user(org.manager).get(base, params)

    assert response.status_code == 400
    assert response.json() == errors


def test_lists_are_paginated(as_api_user, org):
    contact = ContactFactory(client=org.client)
    for index in range(52):
        make_request(org.client, contact=contact, at=days_ago(60) + timedelta(hours=index))

    first = as_api_user(org.manager).get(REQUESTS).json()
    second = as_api_user(org.manager).get(REQUESTS, {"page": 2}).json()

    assert (first["count"], len(first["results"]), len(second["results"])) == (52, 50, 2)
    assert first["next"] == "http://testserver/api/v1/surveys/requests/?page=2"
    assert first["results"][0]["scheduled_at"] == local(days_ago(60) + timedelta(hours=51))


# --- query counts -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 25])
def test_list_query_counts_do_not_grow_with_rows(as_api_user, org, django_assert_max_num_queries, rows):
    for index in range(rows):
        contact = ContactFactory(client=org.client)
        request = sent(org.client, kind="nps", contact=contact, requested_by=org.manager)
        answered = answer(request, index % 11)
        if answered.is_low:
            open_loop(answered, now=NOON)
            record_action(actor=org.manager, response=answered, text="Called", now=NOON)
    api = as_api_user(org.admin)

    # the count, the page with client, contact, template, requester (or follow-up and actor)
    with django_assert_max_num_queries(2):
        requests = api.get(REQUESTS)
    with django_assert_max_num_queries(2):
        responses = api.get(RESPONSES)

    assert (len(requests.json()["results"]), len(responses.json()["results"])) == (rows, rows)
    assert {row["follow_up_status"] for row in responses.json()["results"]} <= {None, "done"}


@pytest.mark.parametrize("base", [REQUESTS, RESPONSES])
def test_detail_is_one_query(as_api_user, org, surveys, django_assert_max_num_queries, base):
    requests, responses = surveys
    obj = (requests if base == REQUESTS else responses)["own"]
    api = as_api_user(org.manager)

    with django_assert_max_num_queries(1):
        assert api.get(f"{base}{obj.pk}/").status_code == 200


# --- selectors for the client page ------------------------------------------------------------------------------------


def test_client_feedback_lists_the_latest_answers_first_in_one_query(org, django_assert_num_queries):
    older = answer(sent(org.client, at=days_ago(9)), 2, at=days_ago(8))
    open_loop(older, now=days_ago(8))
    newer = answer(sent(org.client, kind="nps", at=days_ago(3)), 10, at=days_ago(2))
    answer(sent(org.team_client), 5)  # another client's

    with django_assert_num_queries(1):
        feedback = selectors.list_client_feedback(org.client)
        shown = [(row.score, row.request.contact.full_name, row.follow_up and row.follow_up.status) for row in feedback]

    assert [row.pk for row in feedback] == [newer.pk, older.pk]
    assert shown == [(10, newer.request.contact.full_name, None), (2, older.request.contact.full_name, "open")]


def test_client_feedback_keeps_to_the_limit(org):
    contact = ContactFactory(client=org.client)
    answers = [answer(sent(org.client, contact=contact, at=days_ago(20 - day)), 4) for day in range(4)]

    assert [row.pk for row in selectors.list_client_feedback(org.client, limit=2)] == [answers[3].pk, answers[2].pk]


def test_client_scores_give_the_latest_of_each_kind_and_the_trend(org, django_assert_num_queries):
    contact = ContactFactory(client=org.client)
    for kind, score, day in [("nps", 5, 9), ("nps", 9, 6), ("nps", 7, 3), ("csat", 4, 5)]:
        answer(sent(org.client, kind=kind, contact=contact, at=days_ago(day + 1)), score, at=days_ago(day))
    answer(sent(org.team_client, kind="nps"), 0)  # another client's

    with django_assert_num_queries(1):
        scores = selectors.get_client_scores(org.client)

    assert (scores.nps.latest.score, scores.nps.previous.score, scores.nps.change, scores.nps.direction) == (
        7,
        9,
        -2,
        "down",
    )
    assert (scores.csat.latest.score, scores.csat.previous, scores.csat.change, scores.csat.direction) == (
        4,
        None,
        None,
        None,
    )


def test_client_scores_are_empty_without_answers(org):
    sent(org.client)  # asked, not answered

    scores = selectors.get_client_scores(org.client)

    assert (scores.nps, scores.csat) == (None, None)


@pytest.mark.parametrize(("before", "after", "direction"), [(1, 4, "up"), (4, 4, "same"), (5, 2, "down")])
def test_client_score_trend_compares_with_the_previous_answer(org, before, after, direction):
    contact = ContactFactory(client=org.client)
    answer(sent(org.client, contact=contact, at=days_ago(9)), before)
    answer(sent(org.client, contact=contact, at=days_ago(4)), after)

    csat = selectors.get_client_scores(org.client).csat

    assert (csat.latest.score, csat.previous.score, csat.change, csat.direction) == (
        after,
        before,
        after - before,
        direction,
    )
