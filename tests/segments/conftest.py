"""A small client base where every rule field tells the clients apart, as of a fixed moment NOW."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from clients.models import Client, Industry, Status, Tier
from complaints.models import Complaint, ComplaintStatus
from feedback.models import SurveyKind, SurveyResponse
from interactions.models import InteractionStatus
from orders.models import Order, OrderStatus
from segments.rules import compile_rules, validate_rules
from tests.factories.accounts import AdminFactory, ManagerFactory, TeamFactory
from tests.factories.clients import ClientFactory, TagFactory
from tests.factories.complaints import make_complaint
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, survey_template
from tests.factories.interactions import InteractionFactory
from tests.factories.orders import OrderFactory

VILNIUS = ZoneInfo("Europe/Vilnius")  # settings.TIME_ZONE: calendar days in rules are days here
NOW = datetime.datetime(2025, 6, 15, 12, 0, tzinfo=VILNIUS)


def ago(**delta) -> datetime.datetime:
    return NOW - datetime.timedelta(**delta)


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=VILNIUS)


def members(rules: dict, *, now: datetime.datetime = NOW) -> list[str]:
    """Names of the clients the rules match, in order, duplicates kept (so a duplicate row shows)."""
    condition = compile_rules(validate_rules(rules), now=now)
    return list(Client.objects.filter(condition).order_by("name").values_list("name", flat=True))


def one(field: str, operator: str, value, **extra) -> dict:
    return {"op": "and", "rules": [{"field": field, "operator": operator, "value": value, **extra}]}


class World:
    pass


def _order(client, status, *, created, total="0.00", currency="EUR", delivered=None) -> None:
    order = OrderFactory(client=client, status=status, currency=currency, total=Decimal(total))
    Order.objects.filter(pk=order.pk).update(created_at=created, delivered_at=delivered)


def _answer(contact, kind: str, score: int, at: datetime.datetime) -> None:
    request = SurveyRequestFactory(contact=contact, template=survey_template(kind.upper()), answered_at=at)
    SurveyResponse.objects.create(request=request, client=contact.client, kind=kind, score=score, answered_at=at)


def _complaint(client, actor, status, **breaches) -> None:
    complaint = make_complaint(actor=actor, client=client, received_at=ago(days=200))
    Complaint.objects.filter(pk=complaint.pk).update(status=status, **breaches)


@pytest.fixture
def world(db):
    w = World()
    w.north, w.south = TeamFactory(name="North"), TeamFactory(name="South")
    w.m1 = ManagerFactory(full_name="Mia North", team=w.north)
    w.m2 = ManagerFactory(full_name="Sam South", team=w.south)
    w.admin = AdminFactory(full_name="Ada Admin")
    w.wine, w.beer = TagFactory(name="wine"), TagFactory(name="beer")
    w.alpha = ClientFactory(
        name="Alpha", tier=Tier.VIP, status=Status.ACTIVE, industry=Industry.RETAIL, country="LT", city="Vilnius",
        account_manager=w.m1,
    )  # fmt: skip
    w.beta = ClientFactory(
        name="Beta", tier=Tier.KEY, status=Status.PROSPECT, industry=Industry.IT, country="LV", city="Riga",
        account_manager=w.m2,
    )  # fmt: skip
    w.gamma = ClientFactory(
        name="Gamma", tier=Tier.STANDARD, status=Status.CHURNED, industry="", country="", city="Kaunas",
        account_manager=None,
    )  # fmt: skip
    w.delta = ClientFactory(
        name="Delta", tier=Tier.STANDARD, status=Status.ACTIVE, industry=Industry.FOOD, country="LT",
        city="Vilniaus raj.", account_manager=w.m1,
    )  # fmt: skip
    w.alpha.tags.set([w.wine])
    w.beta.tags.set([w.wine, w.beer])
    w.delta.tags.set([w.beer])
    # Beta was created 00:30 on 1 March in Vilnius: still 28 February in UTC.
    created = {w.alpha: local(2024, 1, 10, 9), w.beta: local(2025, 3, 1, 0, 30), w.gamma: local(2025, 6, 10, 10)}
    created[w.delta] = local(2025, 6, 14, 10)
    for client, at in created.items():
        Client.objects.filter(pk=client.pk).update(created_at=at)

    alpha_en = ContactFactory(client=w.alpha, language="en")
    ContactFactory(client=w.alpha, language="ru")
    beta_lt = ContactFactory(client=w.beta, language="lt")
    delta_en = ContactFactory(client=w.delta, language="en")

    # Completed interactions: alpha 2 days ago, beta 100, delta 36 hours; gamma never.
    InteractionFactory(client=w.alpha, occurred_at=ago(days=2))
    InteractionFactory(client=w.alpha, occurred_at=ago(days=40))
    InteractionFactory(client=w.alpha, occurred_at=ago(days=1), status=InteractionStatus.SCHEDULED)
    InteractionFactory(client=w.beta, occurred_at=ago(days=100))
    InteractionFactory(client=w.beta, occurred_at=ago(days=1), status=InteractionStatus.CANCELLED)
    InteractionFactory(client=w.delta, occurred_at=ago(hours=36))
    InteractionFactory(client=w.delta, occurred_at=NOW + datetime.timedelta(days=1))  # after NOW: not yet

    # Placed orders in the last 30 days: alpha 2, beta 1, delta 2. Delivered EUR revenue in 30 days:
    # alpha 1000.00, delta 1000.00 (250.50 + 749.50); beta's 500.00 was 40 days ago, its USD order does not count.
    _order(w.alpha, OrderStatus.CONFIRMED, created=ago(days=5))
    _order(w.alpha, OrderStatus.DELIVERED, created=ago(days=20), total="1000.00", delivered=ago(days=10))
    _order(w.alpha, OrderStatus.DRAFT, created=ago(days=1), total="5000.00")
    _order(w.alpha, OrderStatus.CANCELLED, created=ago(days=2), total="5000.00")
    _order(w.beta, OrderStatus.DELIVERED, created=ago(days=50), total="500.00", delivered=ago(days=40))
    _order(w.beta, OrderStatus.DELIVERED, created=ago(days=12), total="999.99", currency="USD", delivered=ago(days=10))
    _order(w.delta, OrderStatus.DELIVERED, created=ago(days=3), total="250.50", delivered=ago(days=1))
    _order(w.delta, OrderStatus.DELIVERED, created=ago(days=3), total="749.50", delivered=ago(days=2))

    # Open complaints: alpha 1, beta 2. SLA breaches: alpha 5 days ago, beta 100 days ago.
    _complaint(w.alpha, w.admin, ComplaintStatus.NEW)
    _complaint(w.alpha, w.admin, ComplaintStatus.RESOLVED, resolution_breached_at=ago(days=5))
    _complaint(w.beta, w.admin, ComplaintStatus.IN_PROGRESS)
    _complaint(w.beta, w.admin, ComplaintStatus.WAITING)
    _complaint(w.beta, w.admin, ComplaintStatus.CLOSED, first_response_breached_at=ago(days=100))
    _complaint(w.delta, w.admin, ComplaintStatus.CLOSED)

    # Latest NPS: alpha detractor (was a promoter), beta passive, delta promoter. Latest CSAT: alpha 5, beta 4.
    _answer(alpha_en, SurveyKind.NPS, 10, ago(days=100))
    _answer(alpha_en, SurveyKind.NPS, 5, ago(days=10))
    _answer(alpha_en, SurveyKind.CSAT, 5, ago(days=3))
    _answer(beta_lt, SurveyKind.NPS, 8, ago(days=30))
    _answer(beta_lt, SurveyKind.CSAT, 2, ago(days=20))
    _answer(beta_lt, SurveyKind.CSAT, 4, ago(days=2))
    _answer(delta_en, SurveyKind.NPS, 9, ago(days=5))
    return w


@pytest.fixture(autouse=True)
def _currency(settings):
    settings.DEFAULT_CURRENCY = "EUR"
