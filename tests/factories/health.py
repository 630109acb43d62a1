"""Rows behind each health signal, written at exact instants (the services would stamp "now"), and score rows."""

import datetime
import itertools
from decimal import Decimal

import factory

from clients.models import Client, Status, Tier
from complaints.models import Complaint, ComplaintCategory, ComplaintStatus
from feedback.models import SurveyKind, SurveyRequest, SurveyResponse, SurveyStatus
from health.models import HealthScore
from interactions.models import FollowUp, Interaction, InteractionStatus
from orders.models import Order, OrderStatus
from tests.factories.accounts import ManagerFactory
from tests.factories.clients import ClientFactory
from tests.factories.contacts import ContactFactory
from tests.factories.feedback import SurveyRequestFactory, survey_template
from tests.factories.interactions import FollowUpFactory, InteractionFactory
from tests.factories.orders import OrderFactory

# The instant the tests score at: a Friday noon in Vilnius (10:00 UTC).
AS_OF = datetime.datetime(2026, 11, 20, 10, 0, tzinfo=datetime.UTC)
_numbers = itertools.count(1)


def days_before(days: float, *, moment: datetime.datetime = AS_OF) -> datetime.datetime:
    return moment - datetime.timedelta(days=days)


def stamp_created(obj, created_at: datetime.datetime):
    """created_at is auto_now_add: set it afterwards."""
    type(obj).objects.filter(pk=obj.pk).update(created_at=created_at)
    obj.created_at = created_at
    return obj


def client_for_health(*, tier=Tier.STANDARD, status=Status.ACTIVE, created_days_ago=400, manager=None, **kwargs):
    """An active client with a manager, added long before AS_OF, last contacted the day before (a perfect score)."""
    manager = manager or ManagerFactory()
    client = ClientFactory(tier=tier, status=status, account_manager=manager, **kwargs)
    return stamp_created(client, days_before(created_days_ago))


def contact_at(client: Client, at: datetime.datetime, status=InteractionStatus.COMPLETED) -> Interaction:
    return InteractionFactory(client=client, occurred_at=at, status=status, logged_by=client.account_manager)


def follow_up_due(client: Client, due_at: datetime.datetime, *, created_at=None, **kwargs) -> FollowUp:
    follow_up = FollowUpFactory(client=client, due_at=due_at, assignee=client.account_manager, **kwargs)
    return stamp_created(follow_up, created_at or due_at - datetime.timedelta(days=7))


def complaint_received(client: Client, received_at: datetime.datetime, **fields) -> Complaint:
    """A complaint row as the workflow would leave it (status, times and breach stamps as given)."""
    category = ComplaintCategory.objects.order_by("pk").first()
    fields.setdefault("status", ComplaintStatus.IN_PROGRESS)
    fields.setdefault("number", f"C-2026-{next(_numbers):04d}")
    return Complaint.objects.create(
        client=client, category=category, subject="Broken pallets", received_at=received_at, **fields
    )


def answer(client: Client, kind: str, score: int, at: datetime.datetime) -> SurveyResponse:
    """A survey answered at `at` (its request sent a day before)."""
    contact = ContactFactory(client=client)
    request = SurveyRequestFactory(
        contact=contact,
        client=client,
        template=survey_template("NPS" if kind == SurveyKind.NPS else "CSAT"),
        kind=kind,
        status=SurveyStatus.ANSWERED,
        scheduled_at=at - datetime.timedelta(days=1),
        sent_at=at - datetime.timedelta(days=1),
        expires_at=at + datetime.timedelta(days=29),
        answered_at=at,
    )
    return SurveyResponse.objects.create(request=request, client=client, kind=kind, score=score, answered_at=at)


def survey_sent(client: Client, sent_at: datetime.datetime, *, answered_at=None, expires_days=30) -> SurveyRequest:
    """A survey e-mailed at `sent_at`, answered at `answered_at` or never (its link expires after expires_days)."""
    return SurveyRequestFactory(
        contact=ContactFactory(client=client),
        client=client,
        status=SurveyStatus.ANSWERED if answered_at else SurveyStatus.SENT,
        scheduled_at=sent_at,
        sent_at=sent_at,
        expires_at=sent_at + datetime.timedelta(days=expires_days),
        answered_at=answered_at,
    )


def order_placed(
    client: Client, created_at: datetime.datetime, *, total="100.00", status=OrderStatus.CONFIRMED, delivered_at=None
) -> Order:
    order = OrderFactory(client=client, status=status, total=Decimal(total), delivered_at=delivered_at)
    return stamp_created(order, created_at)


def order_delivered(client: Client, delivered_at: datetime.datetime, total: str) -> Order:
    return order_placed(
        client,
        delivered_at - datetime.timedelta(days=5),
        total=total,
        status=OrderStatus.DELIVERED,
        delivered_at=delivered_at,
    )


class HealthScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HealthScore

    client = factory.SubFactory(ClientFactory)
    day = datetime.date(2026, 11, 19)
    score = 80
    band = "healthy"
    parts = factory.LazyFunction(list)
    computed_at = factory.LazyAttribute(
        lambda o: datetime.datetime.combine(o.day, datetime.time(1, 30), tzinfo=datetime.UTC)
    )
