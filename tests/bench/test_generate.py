"""The bench generator at a tiny scale, through the test database's own connection (COPY on
PostgreSQL, executemany on SQLite): the planned row counts, and the invariants pages rely on."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from accounts.models import Role, Team, User
from bench.generate import generate
from bench.generate.world import Sizes
from clients.models import Client
from complaints.models import OPEN_STATUSES, Complaint, ComplaintStatus
from contacts.models import Contact
from core.models import NumberSequence
from core.numbering import allocate_number
from feedback.models import SurveyRequest, SurveyResponse, SurveyStatus
from interactions.models import FollowUp, Interaction
from orders.models import Order, OrderLine

SCALE = 0.001
pytestmark = pytest.mark.django_db(transaction=True)


def _generate():
    return generate(connection, scale=SCALE, seed=7)


def test_generator_writes_the_planned_number_of_rows():
    report = _generate()
    sizes = Sizes.at_scale(SCALE)

    assert Team.objects.count() == sizes.teams
    assert Team.objects.filter(lead__role=Role.TEAM_LEAD).count() == sizes.teams
    assert User.objects.filter(role=Role.MANAGER).count() == sizes.teams * sizes.managers_per_team
    assert User.objects.filter(role=Role.ADMIN).count() == 1
    assert Client.objects.count() == sizes.clients == 100
    assert Contact.objects.count() == sizes.contacts == 300
    assert Interaction.objects.count() == sizes.interactions == 1000
    assert Order.objects.count() == sizes.orders == 200
    assert Complaint.objects.count() == sizes.complaints == 50
    assert SurveyResponse.objects.count() == sizes.survey_responses == 200
    assert FollowUp.objects.count() >= sizes.follow_ups
    written = {stat.table: stat.rows for stat in report.tables}
    assert written["orders_orderline"] == OrderLine.objects.count()
    assert written["clients_historicalclient"] == Client.history.count() == sizes.clients


def test_every_order_total_is_the_sum_of_its_lines():
    _generate()

    orders = Order.objects.annotate(lines_total=Sum("lines__line_total"), line_count=Count("lines"))
    assert orders.filter(line_count=0).count() == 0
    for order in orders:
        assert order.total == order.lines_total, order.number
        assert order.subtotal - order.discount_total == order.total, order.number


def test_number_sequences_continue_after_the_generated_orders_and_complaints():
    _generate()

    for scope, prefix, model in (("order", "ORD", Order), ("complaint", "CMP", Complaint)):
        per_year = Counter(int(number.split("-")[1]) for number in model.objects.values_list("number", flat=True))
        sequences = dict(NumberSequence.objects.filter(scope=scope).values_list("year", "last_value"))
        assert sequences == dict(per_year)
        for year, count in per_year.items():
            assert model.objects.filter(number=f"{prefix}-{year}-{count:06d}").exists()
        year = max(per_year)
        with transaction.atomic():
            number = allocate_number(scope, prefix, now=datetime(year, 6, 15, 12, tzinfo=UTC))
        assert number == f"{prefix}-{year}-{per_year[year] + 1:06d}"
        assert not model.objects.filter(number=number).exists()


def test_every_survey_response_answers_a_sent_request_of_its_client():
    _generate()

    responses = SurveyResponse.objects.select_related("request")
    assert responses.count() == SurveyRequest.objects.filter(status=SurveyStatus.ANSWERED).count()
    for response in responses:
        request = response.request
        assert request.status == SurveyStatus.ANSWERED
        assert (request.client_id, request.kind) == (response.client_id, response.kind)
        assert request.sent_at <= response.answered_at == request.answered_at <= request.expires_at
        assert request.token_hash
    low = responses.filter(Q(kind="nps", score__lte=6) | Q(kind="csat", score__lte=2))
    assert low.filter(follow_up__isnull=True).count() == 0  # the closed loop opened a follow-up for each
    assert SurveyRequest.objects.filter(sent_at__isnull=True, token_hash__isnull=False).count() == 0


def test_each_client_has_one_primary_contact_and_a_manager():
    _generate()

    primaries = Client.objects.annotate(primaries=Count("contacts", filter=Q(contacts__is_primary=True)))
    assert set(primaries.values_list("primaries", flat=True)) == {1}
    assert not Client.objects.filter(account_manager__isnull=True).exists()
    assert not Client.objects.filter(status="churned", churned_on__isnull=True).exists()


def test_complaints_carry_their_sla_clocks():
    _generate()

    complaints = Complaint.objects.all()
    assert not complaints.filter(first_response_due_at__lt=F("received_at")).exists()
    closed = complaints.filter(status__in=[ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED])
    assert not closed.filter(Q(resolved_at__isnull=True) | Q(resolution_seconds__isnull=True)).exists()
    assert not complaints.filter(status__in=OPEN_STATUSES, resolved_at__isnull=False).exists()
    answered = complaints.exclude(first_response_at=None)
    assert not answered.filter(first_response_business_minutes=None).exists()
    breached = answered.filter(first_response_at__gt=F("first_response_due_at"))
    assert not breached.filter(first_response_breached_at=None).exists()


def test_ids_continue_after_the_generated_rows():
    _generate()
    last = Client.objects.order_by("-pk").values_list("pk", flat=True).first()
    manager = User.objects.filter(role=Role.MANAGER).first()

    client = Client.objects.create(name="After the bench", account_manager=manager)

    assert client.pk == last + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes are dropped and rebuilt on PostgreSQL only")
def test_indexes_and_foreign_keys_are_rebuilt_after_the_load():
    def schema():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
            indexes = {row[0] for row in cursor.fetchall()}
            cursor.execute("SELECT conname FROM pg_constraint WHERE contype = 'f'")
            return indexes, {row[0] for row in cursor.fetchall()}

    before = schema()
    generate(connection, scale=SCALE, seed=7, defer_indexes=True)

    assert schema() == before
