"""The order workflow: only the allowed transitions, each recorded; delivery announced once, after commit."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from core.exceptions import ApplicationError
from orders.models import TRANSITIONS, Order, OrderStatus, OrderTransition
from orders.services.orders import create_order
from orders.services.workflow import TransitionNotAllowed, transition_order
from orders.signals import order_delivered
from tests.factories.orders import line, make_order

NOW = datetime(2030, 5, 6, 9, 30, tzinfo=UTC)

ALLOWED = [(source, target) for source, targets in TRANSITIONS.items() for target in targets]
FORBIDDEN = [(source, target) for source in OrderStatus for target in OrderStatus if target not in TRANSITIONS[source]]


def test_the_matrix_covers_every_pair_of_statuses():
    assert len(ALLOWED) == 8
    assert len(ALLOWED) + len(FORBIDDEN) == len(OrderStatus) ** 2
    assert all((status, status) in FORBIDDEN for status in OrderStatus)


@pytest.fixture
def delivered_events():
    """(order_id, delivered_at, actor_id) of every order_delivered signal sent during the test."""
    events = []

    def receiver(sender, order_id, delivered_at, actor_id, **kwargs):
        events.append((order_id, delivered_at, actor_id))

    order_delivered.connect(receiver, weak=False)
    yield events
    order_delivered.disconnect(receiver)


def state(order: Order) -> tuple:
    """Everything a refused transition must leave as it was."""
    order = Order.objects.get(pk=order.pk)
    return (
        order.status,
        order.delivered_at,
        order.cancel_reason,
        order.updated_at,
        list(order.transitions.values_list("pk", flat=True)),
        order.history.count(),
    )


@pytest.mark.parametrize(("source", "target"), ALLOWED, ids=[f"{s}->{t}" for s, t in ALLOWED])
def test_allowed_transition_changes_the_status_and_is_recorded(org, source, target):
    order = make_order(actor=org.manager, client=org.client, status=source)
    transitions_before = order.transitions.count()

    result = transition_order(actor=org.lead, order=order, to_status=target, reason="Client withdrew", now=NOW)

    order.refresh_from_db()
    assert result.status == order.status == target
    assert order.transitions.count() == transitions_before + 1
    recorded = order.transitions.last()
    assert (recorded.from_status, recorded.to_status, recorded.actor, recorded.at) == (source, target, org.lead, NOW)
    assert recorded.reason == "Client withdrew"  # a note on any step; only a cancellation keeps it on the order
    assert order.cancel_reason == ("Client withdrew" if target == OrderStatus.CANCELLED else "")
    assert order.delivered_at == (NOW if target == OrderStatus.DELIVERED else None)


def test_full_path_is_recorded_step_by_step(org):
    order = create_order(actor=org.manager, client=org.client, lines=[line()], promised_on=NOW.date())

    for step in ["confirmed", "in_progress", "shipped", "delivered"]:
        order = transition_order(actor=org.manager, order=order, to_status=step, now=NOW)

    assert list(order.transitions.values_list("from_status", "to_status")) == [
        ("", "draft"),
        ("draft", "confirmed"),
        ("confirmed", "in_progress"),
        ("in_progress", "shipped"),
        ("shipped", "delivered"),
    ]


@pytest.mark.parametrize(("source", "target"), FORBIDDEN, ids=[f"{s}->{t}" for s, t in FORBIDDEN])
def test_forbidden_transition_is_refused_and_changes_nothing(org, source, target, delivered_events):
    order = make_order(actor=org.manager, client=org.client, status=source)
    before = state(order)
    delivered_events.clear()

    with pytest.raises(TransitionNotAllowed) as error:
        transition_order(actor=org.manager, order=order, to_status=target, reason="Because", now=NOW)

    source_label, target_label = OrderStatus(source).label.lower(), OrderStatus(target).label.lower()
    assert error.value.message == f"An order that is {source_label} cannot become {target_label}."
    assert error.value.field == "status"
    assert state(order) == before
    assert delivered_events == []


def test_unknown_status_is_refused(org):
    order = make_order(actor=org.manager, client=org.client)
    before = state(order)

    with pytest.raises(ApplicationError) as error:
        transition_order(actor=org.manager, order=order, to_status="lost")

    assert not isinstance(error.value, TransitionNotAllowed)
    assert (error.value.message, error.value.field) == ("Unknown status “lost”.", "status")
    assert state(order) == before


def test_order_without_lines_cannot_be_confirmed(org):
    order = create_order(actor=org.manager, client=org.client, lines=[], promised_on=NOW.date())
    before = state(order)

    with pytest.raises(ApplicationError) as error:
        transition_order(actor=org.manager, order=order, to_status=OrderStatus.CONFIRMED)

    assert (error.value.message, error.value.field) == ("Add at least one line before confirming the order.", "status")
    assert state(order) == before


def test_order_without_promised_date_cannot_be_confirmed(org):
    order = create_order(actor=org.manager, client=org.client, lines=[line()], promised_on=None)
    before = state(order)

    with pytest.raises(ApplicationError) as error:
        transition_order(actor=org.manager, order=order, to_status=OrderStatus.CONFIRMED)

    assert (error.value.message, error.value.field) == (
        "Set the promised delivery date before confirming.",
        "promised_on",
    )
    assert state(order) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(org, reason):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.CONFIRMED)
    before = state(order)

    with pytest.raises(ApplicationError) as error:
        transition_order(actor=org.manager, order=order, to_status=OrderStatus.CANCELLED, reason=reason)

    assert (error.value.message, error.value.field) == ("Give a reason for cancelling the order.", "reason")
    assert state(order) == before


def test_cancel_reason_is_stored_on_the_order_and_the_transition(org):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.SHIPPED)

    transition_order(actor=org.manager, order=order, to_status=OrderStatus.CANCELLED, reason="  Lost in transit  ")

    order.refresh_from_db()
    assert (order.status, order.cancel_reason, order.delivered_at) == ("cancelled", "Lost in transit", None)
    assert order.transitions.last().reason == "Lost in transit"


def test_delivery_stamps_delivered_at(org):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.SHIPPED)

    transition_order(actor=org.manager, order=order, to_status=OrderStatus.DELIVERED, now=NOW)

    order.refresh_from_db()
    assert (order.status, order.delivered_at, order.cancel_reason) == ("delivered", NOW, "")


def test_delivery_is_announced_once_after_commit(org, delivered_events, django_capture_on_commit_callbacks):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.SHIPPED)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        transition_order(actor=org.manager, order=order, to_status=OrderStatus.DELIVERED, now=NOW)
        assert delivered_events == []  # not before the commit

    assert len(callbacks) == 1
    assert delivered_events == [(order.pk, NOW, org.manager.pk)]


def test_delivery_rolled_back_with_its_transaction_is_not_announced(
    org, delivered_events, django_capture_on_commit_callbacks
):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.SHIPPED)
    before = state(order)

    def deliver_then_fail():
        with transaction.atomic():
            transition_order(actor=org.manager, order=order, to_status=OrderStatus.DELIVERED, now=NOW)
            raise RuntimeError("the caller failed after the delivery")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        deliver_then_fail()

    assert callbacks == []
    assert delivered_events == []
    assert state(order) == before


@pytest.mark.parametrize("status", [OrderStatus.DRAFT, OrderStatus.CONFIRMED, OrderStatus.SHIPPED])
def test_other_transitions_are_not_announced(org, status, delivered_events, django_capture_on_commit_callbacks):
    order = make_order(actor=org.manager, client=org.client, status=status)

    with django_capture_on_commit_callbacks(execute=True):
        transition_order(actor=org.manager, order=order, to_status=OrderStatus.CANCELLED, reason="No longer needed")

    assert delivered_events == []


@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_manager_who_does_not_own_the_client_cannot_move_the_order(org, who):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.CONFIRMED)
    before = state(order)

    with pytest.raises(ApplicationError) as error:
        transition_order(actor=getattr(org, who), order=order, to_status=OrderStatus.IN_PROGRESS)

    assert error.value.message == "You can view this order but not change it."
    assert state(order) == before
    assert OrderTransition.objects.filter(order=order, to_status="in_progress").count() == 0


def test_stale_order_object_is_checked_against_the_stored_status(org):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.CONFIRMED)
    stale = Order.objects.get(pk=order.pk)
    transition_order(actor=org.manager, order=order, to_status=OrderStatus.IN_PROGRESS)

    with pytest.raises(TransitionNotAllowed):
        transition_order(actor=org.manager, order=stale, to_status=OrderStatus.IN_PROGRESS)

    assert order.transitions.filter(to_status="in_progress").count() == 1
