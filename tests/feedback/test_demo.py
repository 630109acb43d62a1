"""The feedback part of `manage.py seed_demo`: a year of surveys sent by the real rules, answered like people do."""

import re
from collections import defaultdict
from datetime import timedelta
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts.models import User
from clients.models import Status, Tier
from complaints.models import Complaint
from feedback.demo.history import period_of
from feedback.models import (
    SCALES,
    SuppressedReason,
    SurveyKind,
    SurveyRequest,
    SurveyResponse,
    SurveyStatus,
    TriggerKind,
)
from feedback.services import delivery, scheduling
from feedback.services.rules import sending_calendar
from interactions.models import FollowUp, FollowUpStatus, Notification, Reminder
from orders.models import Order, OrderStatus

CLIENTS = 60
SENT_STATES = (SurveyStatus.SENT, SurveyStatus.ANSWERED, SurveyStatus.EXPIRED)
KEY_FORMATS = {
    TriggerKind.ORDER_DELIVERED: re.compile(r"order_delivered:(\d+)"),
    TriggerKind.COMPLAINT_RESOLVED: re.compile(r"complaint_resolved:(\d+):(\d+)"),
    TriggerKind.RELATIONSHIP_NPS: re.compile(r"relationship_nps:(\d+):(\d+)"),
    TriggerKind.MANUAL: re.compile(r"manual:[0-9a-f]{32}"),
}


def seed(clients=CLIENTS):
    out = StringIO()
    call_command("seed_demo", clients=clients, stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "requests": SurveyRequest.objects.count(),
        "responses": SurveyResponse.objects.count(),
        "follow_ups": FollowUp.objects.count(),
        "reminders": Reminder.objects.count(),
        "notifications": Notification.objects.count(),
        "states": sorted(SurveyRequest.objects.values_list("source_key", "status")),
    }


def nps_and_csat(responses) -> tuple[float, float]:
    totals = responses.aggregate(
        nps=Count("pk", filter=Q(kind=SurveyKind.NPS)),
        promoters=Count("pk", filter=Q(kind=SurveyKind.NPS, score__gte=9)),
        detractors=Count("pk", filter=Q(kind=SurveyKind.NPS, score__lte=6)),
        csat=Count("pk", filter=Q(kind=SurveyKind.CSAT)),
        satisfied=Count("pk", filter=Q(kind=SurveyKind.CSAT, score__gte=4)),
    )
    nps = 100 * (totals["promoters"] - totals["detractors"]) / totals["nps"]
    return nps, 100 * totals["satisfied"] / totals["csat"]


def low_q() -> Q:
    return Q(kind=SurveyKind.NPS, score__lte=6) | Q(kind=SurveyKind.CSAT, score__lte=2)


def test_seed_writes_a_year_of_surveys_from_every_trigger_mostly_answered(db):
    output = seed()
    now = timezone.now()

    requests = SurveyRequest.objects.all()
    total = requests.count()
    statuses = dict(requests.values_list("status").annotate(n=Count("pk")))
    assert {SurveyStatus.ANSWERED, SurveyStatus.SENT, SurveyStatus.EXPIRED, SurveyStatus.SUPPRESSED} <= set(statuses)
    assert set(requests.values_list("trigger", flat=True)) == {
        TriggerKind.ORDER_DELIVERED,
        TriggerKind.COMPLAINT_RESOLVED,
        TriggerKind.RELATIONSHIP_NPS,
        TriggerKind.MANUAL,
    }
    settled = total - statuses.get(SurveyStatus.SCHEDULED, 0)
    assert 0.5 <= statuses[SurveyStatus.ANSWERED] / settled <= 0.7
    assert statuses[SurveyStatus.SUPPRESSED] / total <= 0.15
    reasons = set(requests.filter(status=SurveyStatus.SUPPRESSED).values_list("suppressed_reason", flat=True))
    assert {SuppressedReason.OPTED_OUT, SuppressedReason.OPEN_COMPLAINT} <= reasons
    assert reasons & {SuppressedReason.COOLDOWN, SuppressedReason.OUTSTANDING}
    assert not requests.filter(status=SurveyStatus.SUPPRESSED, suppressed_reason="").exists()
    # Opted-out contacts get nothing once they opted out.
    assert not requests.filter(contact__survey_opt_out=True, sent_at__gt=now - timedelta(days=10)).exists()
    # A year, nothing before its client, nothing written in the future.
    assert not requests.filter(created_at__lt=now - timedelta(days=366)).exists()
    assert not requests.filter(created_at__gt=now).exists()
    assert not requests.filter(created_at__lt=F("client__created_at")).exists()
    assert not requests.filter(scheduled_at__lt=F("created_at")).exists()
    assert not requests.filter(client__status=Status.PROSPECT).exists()
    assert not requests.exclude(client=F("contact__client")).exists()
    assert not requests.exclude(language=F("contact__language")).exists()
    assert not requests.exclude(kind=F("template__kind")).exists()
    delivered = Order.objects.filter(status=OrderStatus.DELIVERED, delivered_at__gte=now - timedelta(days=365)).count()
    assert 0.35 <= requests.filter(trigger=TriggerKind.ORDER_DELIVERED).count() / delivered <= 0.7
    assert f"{total} survey requests ({total} new" in output


def test_every_answered_request_has_one_response_on_its_scale_and_no_other_has_one(db):
    seed()

    answered = SurveyRequest.objects.filter(status=SurveyStatus.ANSWERED).select_related("response")
    assert answered.exists()
    for request in answered:
        response = request.response
        assert response.score in SCALES[request.kind]
        assert (response.kind, response.client_id, response.answered_at) == (
            request.kind,
            request.client_id,
            request.answered_at,
        )
        assert request.sent_at < request.answered_at <= request.expires_at
        assert response.changed_at is None or response.answered_at < response.changed_at
    assert SurveyResponse.objects.count() == answered.count()
    unanswered = SurveyRequest.objects.exclude(status=SurveyStatus.ANSWERED)
    assert not unanswered.filter(response__isnull=False).exists()
    assert not unanswered.exclude(answered_at=None).exists()


def test_scores_give_a_realistic_nps_and_csat_with_vip_promoters_and_a_few_unhappy_clients(db):
    seed()

    nps, csat = nps_and_csat(SurveyResponse.objects.all())
    # The whole demo (300 clients) lands at NPS ~+27 and CSAT ~78 % since churners go through a bad patch of
    # detractor and low CSAT answers before leaving (contacts.demo.decline); 60 clients vary more with the day
    # and with the row ids the tests run before leave (NPS 19 seen in CI).
    assert 10 <= nps <= 45
    assert 65 <= csat <= 92
    vip = SurveyResponse.objects.filter(kind=SurveyKind.NPS, client__tier=Tier.VIP)
    # ~70 % over 300 clients; the 60-client seed has ~20 VIP answers, and row ids (which differ with
    # the tests run before) shift a few of them, so the bound leaves room.
    assert vip.filter(score__gte=9).count() / vip.count() > 0.4
    scores = defaultdict(lambda: defaultdict(list))
    for client_id, kind, score in SurveyResponse.objects.values_list("client_id", "kind", "score"):
        scores[client_id][kind].append(score)
    average = {
        (client_id, kind): sum(values) / len(values)
        for client_id, kinds in scores.items()
        for kind, values in kinds.items()
    }
    asked = [client_id for client_id in scores if (client_id, SurveyKind.NPS) in average]
    unhappy = [client_id for client_id in asked if average[client_id, SurveyKind.NPS] <= 6]
    assert 1 <= len(unhappy) <= len(asked) / 5
    # Their CSAT is lower too.
    csat_of = [score for client_id in unhappy for score in scores[client_id][SurveyKind.CSAT]]
    csat_others = [
        score for client_id in scores if client_id not in unhappy for score in scores[client_id][SurveyKind.CSAT]
    ]
    assert sum(csat_of) / len(csat_of) < sum(csat_others) / len(csat_others)
    given = set(SurveyResponse.objects.values_list("kind", "score"))
    assert {("csat", 2), ("csat", 3), ("csat", 5), ("nps", 5), ("nps", 8), ("nps", 10)} <= given


def test_about_forty_percent_comment_more_often_when_unhappy_in_their_own_language(db):
    seed()

    responses = SurveyResponse.objects.all()
    commented = responses.exclude(comment="")
    assert 0.3 <= commented.count() / responses.count() <= 0.5
    low = responses.filter(low_q())
    assert low.exclude(comment="").count() / low.count() > commented.count() / responses.count()
    russian = commented.filter(request__language="ru").values_list("comment", flat=True)
    english = commented.filter(request__language="en").values_list("comment", flat=True)
    assert russian
    assert all(re.search("[а-яА-Я]", text) for text in russian)
    assert english
    assert not any(re.search("[а-яА-Я]", text) for text in english)


def test_source_keys_are_unique_and_name_what_triggered_the_survey(db):
    seed()

    requests = list(SurveyRequest.objects.select_related("client"))
    assert len({r.source_key for r in requests}) == len(requests)
    orders = dict(Order.objects.values_list("pk", "client_id"))
    complaints = {
        pk: (client_id, cycle) for pk, client_id, cycle in Complaint.objects.values_list("pk", "client_id", "cycle")
    }
    months = 6
    for request in requests:
        match = KEY_FORMATS[request.trigger].fullmatch(request.source_key)
        assert match, request.source_key
        if request.trigger == TriggerKind.ORDER_DELIVERED:
            assert orders[int(match[1])] == request.client_id
        elif request.trigger == TriggerKind.COMPLAINT_RESOLVED:
            client_id, cycle = complaints[int(match[1])]
            assert client_id == request.client_id
            assert 1 <= int(match[2]) <= cycle
        elif request.trigger == TriggerKind.RELATIONSHIP_NPS:
            assert int(match[1]) == request.contact_id
            assert int(match[2]) == period_of(request.created_at, months)
            assert request.kind == SurveyKind.NPS
        else:
            assert request.requested_by_id == request.client.account_manager_id


def test_only_hashes_of_tokens_are_stored_and_only_for_sent_surveys(db):
    seed()

    sent = SurveyRequest.objects.filter(status__in=SENT_STATES)
    hashes = list(sent.values_list("token_hash", flat=True))
    assert hashes
    assert all(re.fullmatch(r"[0-9a-f]{64}", digest) for digest in hashes)
    assert len(set(hashes)) == len(hashes)
    assert not SurveyRequest.objects.exclude(status__in=SENT_STATES).exclude(token_hash=None).exists()
    for request in sent:
        assert request.expires_at == request.sent_at + timedelta(days=settings.SURVEY_TOKEN_DAYS)
    assert not sent.filter(status=SurveyStatus.EXPIRED, expires_at__gt=timezone.now()).exists()
    assert not sent.filter(status=SurveyStatus.SENT, expires_at__lte=timezone.now()).exists()


def test_surveys_went_out_in_the_contacts_sending_window(db):
    seed()

    sent = SurveyRequest.objects.exclude(sent_at=None).select_related("contact__client")
    assert sent.exists()
    for request in sent:
        assert request.status in SENT_STATES
        assert request.sent_at >= request.scheduled_at
        calendar = sending_calendar(request.contact)
        window = calendar.window(request.sent_at.astimezone(calendar.zone).date())
        assert window is not None, request.sent_at
        assert window[0] <= request.sent_at < window[1]


def test_nothing_is_due_in_the_past_so_starting_the_app_e_mails_nobody(db):
    seed()
    now = timezone.now()

    scheduled = SurveyRequest.objects.filter(status=SurveyStatus.SCHEDULED)
    assert not scheduled.filter(next_attempt_at__lte=now).exists()
    assert not scheduled.exclude(sent_at=None).exists()
    assert delivery.list_due_surveys(now=now) == []
    assert delivery.expire_surveys(now=now) == 0
    assert scheduling.schedule_relationship_nps(now=now) == 0  # this period's already written for every contact


def test_low_answers_opened_the_managers_follow_up_and_older_ones_were_handled(db):
    seed()
    now = timezone.now()

    low = SurveyResponse.objects.filter(low_q()).select_related("client", "follow_up")
    assert low.exists()
    assert not SurveyResponse.objects.exclude(low_q()).exclude(follow_up=None).exists()
    handled = older = 0
    for response in low:
        follow_up = response.follow_up
        assert follow_up.assignee_id == follow_up.created_by_id == response.client.account_manager_id
        assert follow_up.client_id == response.client_id
        assert follow_up.created_at == response.answered_at < follow_up.due_at
        assert str(response.score) in follow_up.title
        if follow_up.status == FollowUpStatus.DONE:
            assert response.action_taken
            assert (response.action_by_id, response.action_at) == (follow_up.assignee_id, follow_up.completed_at)
            assert response.answered_at <= follow_up.completed_at <= now
        else:
            assert follow_up.status == FollowUpStatus.OPEN
            assert (response.action_taken, response.action_by_id) == ("", None)
            assert Reminder.objects.filter(follow_up=follow_up).exists()
            assert Notification.objects.filter(
                recipient=follow_up.assignee, key=f"survey-low:{response.pk}", created_at=response.answered_at
            ).exists()
        if now - response.answered_at > timedelta(days=7):
            older += 1
            handled += follow_up.status == FollowUpStatus.DONE
    assert handled / older >= 0.8


def test_the_demo_manager_has_a_recent_detractor_waiting_and_one_handled(db):
    seed()
    now = timezone.now()
    manager = User.objects.get(email="manager1@demo.crm")

    recent = SurveyResponse.objects.filter(
        client__account_manager=manager, kind=SurveyKind.NPS, score__lte=6, answered_at__gte=now - timedelta(days=30)
    )

    waiting = recent.filter(follow_up__status=FollowUpStatus.OPEN).first()
    assert waiting is not None
    assert waiting.follow_up.assignee == manager
    assert recent.filter(follow_up__status=FollowUpStatus.DONE).exclude(action_taken="").exists()


def test_a_second_run_adds_nothing(db):
    seed()
    before = snapshot()

    output = seed()

    assert snapshot() == before
    assert before["requests"] > 100
    assert f"{before['requests']} survey requests (0 new" in output


def test_a_bigger_run_gives_surveys_only_to_the_new_clients(db):
    seed(clients=10)
    first = set(SurveyRequest.objects.values_list("source_key", "client_id", "status"))

    seed(clients=20)

    everything = set(SurveyRequest.objects.values_list("source_key", "client_id", "status"))
    assert first < everything
    seeded_first = {client_id for _key, client_id, _status in first}
    assert not {client_id for _key, client_id, _status in everything - first} & seeded_first
