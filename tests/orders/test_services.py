"""Taking and changing orders: gap-free yearly numbers, validated lines, stored totals, who may change what."""

import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import NumberSequence
from orders.models import Order, OrderLine, OrderStatus, OrderTransition, settings_zone
from orders.services.orders import MAX_LINES, allocate_order_number, create_order, update_order
from tests.factories.contacts import ContactFactory
from tests.factories.orders import ProductFactory, line, make_order

PROMISED = date(2030, 6, 14)


def this_year() -> int:
    return timezone.localdate(timezone=settings_zone()).year


def number(value: int, year: int | None = None) -> str:
    return f"ORD-{year or this_year()}-{value:06d}"


def lines_of(order: Order) -> list[tuple]:
    return list(
        OrderLine.objects.filter(order=order)
        .order_by("position")
        .values_list("position", "description", "quantity", "unit", "unit_price", "discount_percent", "line_total")
    )


def snapshot(order: Order) -> tuple:
    """Everything a refused change must leave as it was."""
    order = Order.objects.get(pk=order.pk)
    header = (
        order.status,
        order.contact_id,
        order.currency,
        order.promised_on,
        order.notes,
        order.subtotal,
        order.discount_total,
        order.total,
        order.updated_at,
    )
    return header, lines_of(order), order.history.count()


def test_created_order_stores_its_lines_in_order_with_their_totals(org):
    bolts = ProductFactory(name="Bolts M8", unit="box")
    order = create_order(
        actor=org.manager,
        client=org.client,
        currency="EUR",
        promised_on=PROMISED,
        notes="  Gate 3  ",
        lines=[
            line("", "3", "12.50", "10", product=bolts),
            line("Installation", "2", "0.335"),
        ],
    )

    order.refresh_from_db()
    assert (order.number, order.status, order.currency, order.promised_on, order.notes, order.created_by) == (
        number(1),
        "draft",
        "EUR",
        PROMISED,
        "Gate 3",
        org.manager,
    )
    assert (order.subtotal, order.discount_total, order.total) == (Decimal("38.17"), Decimal("3.75"), Decimal("34.42"))
    assert lines_of(order) == [
        (1, "Bolts M8", Decimal("3.000"), "box", Decimal("12.5000"), Decimal("10.00"), Decimal("33.75")),
        (2, "Installation", Decimal("2.000"), "", Decimal("0.3350"), Decimal("0.00"), Decimal("0.67")),
    ]
    assert list(order.lines.values_list("product", flat=True)) == [bolts.pk, None]
    assert list(order.transitions.values_list("from_status", "to_status", "actor")) == [("", "draft", org.manager.pk)]


def test_order_without_currency_gets_the_default_one(org, settings):
    settings.DEFAULT_CURRENCY = "EUR"

    order = create_order(actor=org.manager, client=org.client, lines=[line()])

    assert order.currency == "EUR"


def test_currency_code_is_accepted_in_lower_case(org):
    order = create_order(actor=org.manager, client=org.client, currency=" usd ", lines=[line()])

    assert Order.objects.get(pk=order.pk).currency == "USD"


def test_order_numbers_follow_the_yearly_format_and_increase_by_one(org):
    numbers = [create_order(actor=org.manager, client=org.client, lines=[line()]).number for _ in range(3)]

    assert numbers == [number(1), number(2), number(3)]
    assert NumberSequence.objects.filter(scope="order").get(year=this_year()).last_value == 3


@pytest.mark.parametrize(
    ("utc_now", "year"),
    [
        (datetime(2025, 12, 31, 21, 59, tzinfo=UTC), 2025),  # 23:59 in Vilnius
        (datetime(2025, 12, 31, 22, 0, tzinfo=UTC), 2026),  # 00:00 in Vilnius, still 2025 in UTC
    ],
)
def test_order_number_year_is_the_companys_calendar_year(org, settings, utc_now, year):
    settings.TIME_ZONE = "Europe/Vilnius"

    with mock.patch("django.utils.timezone.now", return_value=utc_now):
        order = create_order(actor=org.manager, client=org.client, lines=[line()])

    assert order.number == f"ORD-{year}-000001"


def test_numbering_restarts_at_one_in_a_new_year(org, settings):
    settings.TIME_ZONE = "Europe/Vilnius"
    with mock.patch("django.utils.timezone.now", return_value=datetime(2025, 12, 31, 21, 0, tzinfo=UTC)):
        old = [create_order(actor=org.manager, client=org.client, lines=[line()]).number for _ in range(2)]
    with mock.patch("django.utils.timezone.now", return_value=datetime(2025, 12, 31, 22, 30, tzinfo=UTC)):
        new = create_order(actor=org.manager, client=org.client, lines=[line()]).number

    assert old == ["ORD-2025-000001", "ORD-2025-000002"]
    assert new == "ORD-2026-000001"


@pytest.mark.django_db(transaction=True)
def test_order_number_is_allocated_only_inside_a_transaction():
    with pytest.raises(RuntimeError):
        allocate_order_number()

    assert not NumberSequence.objects.filter(scope="order").exists()


def test_rejected_line_does_not_use_up_a_number(org):
    first = create_order(actor=org.manager, client=org.client, lines=[line()])

    with pytest.raises(ApplicationError) as error:
        create_order(actor=org.manager, client=org.client, lines=[line(), line("Bad", quantity="-1")])

    assert (error.value.message, error.value.field) == ("Line 2: the quantity must be greater than zero.", "lines")
    assert Order.objects.count() == 1
    following = create_order(actor=org.manager, client=org.client, lines=[line()])
    assert (first.number, following.number) == (number(1), number(2))


def test_order_failing_after_its_number_was_taken_gives_the_number_back(org):
    create_order(actor=org.manager, client=org.client, lines=[line()])

    with (
        mock.patch.object(OrderTransition.objects, "create", side_effect=RuntimeError("database went away")),
        pytest.raises(RuntimeError),
    ):
        create_order(actor=org.manager, client=org.client, lines=[line()])

    assert Order.objects.count() == 1
    assert OrderLine.objects.count() == 1
    assert NumberSequence.objects.filter(scope="order").get(year=this_year()).last_value == 1
    assert create_order(actor=org.manager, client=org.client, lines=[line()]).number == number(2)


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        (line("", "1", "1.00"), "Line 1: choose a product or describe the item."),
        (line("Zero", "0", "1.00"), "Line 1: the quantity must be greater than zero."),
        (line("Negative price", "1", "-0.01"), "Line 1: the unit price cannot be negative."),
        (line("Too much off", "1", "1.00", "100.01"), "Line 1: the discount must be between 0 and 100 %."),
        (line("Surcharge", "1", "1.00", "-1"), "Line 1: the discount must be between 0 and 100 %."),
        (line("Grams", "2.0004", "1000"), "Line 1: too many decimals (quantity 3, unit price 4, discount 2)."),
        (line("Fraction", "1", "0.00001"), "Line 1: too many decimals (quantity 3, unit price 4, discount 2)."),
        (
            line("Odd discount", "1", "10", "10.005"),
            "Line 1: too many decimals (quantity 3, unit price 4, discount 2).",
        ),
    ],
)
def test_invalid_line_is_refused_and_nothing_is_created(org, bad_line, message):
    with pytest.raises(ApplicationError) as error:
        create_order(actor=org.manager, client=org.client, lines=[bad_line])

    assert (error.value.message, error.value.field) == (message, "lines")
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()
    assert not NumberSequence.objects.filter(scope="order").exists()


def test_trailing_zeros_are_not_too_many_decimals(org):
    order = create_order(
        actor=org.manager, client=org.client, lines=[line("Kilos", "2.500000", "1000.000000", "5.0000")]
    )

    assert lines_of(order) == [
        (1, "Kilos", Decimal("2.500"), "", Decimal("1000.0000"), Decimal("5.00"), Decimal("2375.00"))
    ]


def test_too_many_lines_are_refused(org):
    with pytest.raises(ApplicationError) as error:
        create_order(actor=org.manager, client=org.client, lines=[line()] * (MAX_LINES + 1))

    assert error.value.message == f"An order can have at most {MAX_LINES} lines."
    assert not Order.objects.exists()


def test_unknown_currency_is_refused_and_nothing_is_created(org):
    with pytest.raises(ApplicationError) as error:
        create_order(actor=org.manager, client=org.client, currency="XYZ", lines=[line()])

    assert error.value.field == "currency"
    assert error.value.message.startswith("Unknown currency “XYZ”. Use one of: EUR, USD")
    assert not Order.objects.exists()
    assert not NumberSequence.objects.filter(scope="order").exists()


def test_currency_with_three_decimals_is_refused(org, settings):
    settings.CURRENCIES = ["EUR", "KWD"]

    with pytest.raises(ApplicationError) as error:
        create_order(actor=org.manager, client=org.client, currency="KWD", lines=[line()])

    assert (error.value.message, error.value.field) == (
        "Currencies with more than two decimals are not supported.",
        "currency",
    )
    assert not Order.objects.exists()


def test_contact_of_another_client_is_refused(org):
    stranger = ContactFactory(client=org.team_client)

    with pytest.raises(ApplicationError) as error:
        create_order(actor=org.manager, client=org.client, contact=stranger, lines=[line()])

    assert (error.value.message, error.value.field) == ("Choose a contact of this client.", "contact")
    assert not Order.objects.exists()


def test_contact_of_the_client_is_kept(org):
    buyer = ContactFactory(client=org.client)

    order = create_order(actor=org.manager, client=org.client, contact=buyer, lines=[line()])

    assert Order.objects.get(pk=order.pk).contact == buyer


@pytest.mark.parametrize("who", ["teammate", "outsider"])
def test_manager_who_does_not_own_the_client_cannot_take_an_order(org, who):
    with pytest.raises(ApplicationError) as error:
        create_order(actor=getattr(org, who), client=org.client, lines=[line()])

    assert error.value.message == "You can view this client but not change it."
    assert not Order.objects.exists()
    assert not NumberSequence.objects.filter(scope="order").exists()


@pytest.mark.parametrize("who", ["lead", "admin"])
def test_team_lead_and_admin_may_take_an_order_for_the_client(org, who):
    order = create_order(actor=getattr(org, who), client=org.client, lines=[line()])

    assert order.created_by == getattr(org, who)


def test_draft_lines_can_be_replaced_and_totals_follow(org):
    order = make_order(actor=org.manager, client=org.client, lines=[line("Old", "1", "10.00")])

    update_order(actor=org.manager, order=order, lines=[line("New", "4", "2.50", "50"), line("Extra", "1", "0.99")])

    order.refresh_from_db()
    assert lines_of(order) == [
        (1, "New", Decimal("4.000"), "", Decimal("2.5000"), Decimal("50.00"), Decimal("5.00")),
        (2, "Extra", Decimal("1.000"), "", Decimal("0.9900"), Decimal("0.00"), Decimal("0.99")),
    ]
    assert (order.subtotal, order.discount_total, order.total) == (Decimal("10.99"), Decimal("5.00"), Decimal("5.99"))


def test_confirmed_order_header_can_still_change(org):
    order = make_order(actor=org.manager, client=org.client, status=OrderStatus.CONFIRMED, promised_on=PROMISED)
    buyer = ContactFactory(client=org.client)
    line_ids = list(order.lines.values_list("pk", flat=True))
    lines_before = lines_of(order)

    update_order(
        actor=org.manager,
        order=order,
        contact=buyer,
        promised_on=date(2030, 7, 1),
        notes=" Call first ",
        currency="eur",
    )

    order.refresh_from_db()
    # The same currency (in any case) is no change: the confirmed lines stay the very same rows.
    assert list(order.lines.values_list("pk", flat=True)) == line_ids
    assert lines_of(order) == lines_before
    assert order.currency == "EUR"
    assert (order.status, order.contact, order.promised_on, order.notes) == (
        "confirmed",
        buyer,
        date(2030, 7, 1),
        "Call first",
    )
    assert order.history.first().history_user == org.manager


@pytest.mark.parametrize("status", [OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.SHIPPED])
def test_lines_and_currency_cannot_change_once_the_order_is_confirmed(org, status):
    order = make_order(actor=org.manager, client=org.client, status=status)
    before = snapshot(order)

    for change in ({"lines": [line("Sneaky", "1", "0.01")]}, {"currency": "USD"}):
        with pytest.raises(ApplicationError) as error:
            update_order(actor=org.manager, order=order, notes="changed", **change)
        assert error.value.message == "Lines and currency can only be changed while the order is a draft."

    assert snapshot(order) == before


@pytest.mark.parametrize("status", [OrderStatus.DELIVERED, OrderStatus.CANCELLED])
def test_delivered_or_cancelled_order_cannot_change_at_all(org, status):
    order = make_order(actor=org.manager, client=org.client, status=status)
    before = snapshot(order)

    with pytest.raises(ApplicationError) as error:
        update_order(actor=org.manager, order=order, notes="Too late")

    assert error.value.message == "A delivered or cancelled order cannot be changed."
    assert snapshot(order) == before


def test_teammate_cannot_change_the_order(org):
    order = make_order(actor=org.manager, client=org.client, lines=[line()])
    before = snapshot(order)

    with pytest.raises(ApplicationError) as error:
        update_order(actor=org.teammate, order=order, notes="Mine now", lines=[line("x", "9", "9")])

    assert error.value.message == "You can view this order but not change it."
    assert snapshot(order) == before


@pytest.mark.parametrize("status", [OrderStatus.CONFIRMED, OrderStatus.SHIPPED])
def test_committed_order_keeps_its_promised_date(org, status):
    order = make_order(actor=org.manager, client=org.client, status=status, promised_on=PROMISED)
    before = snapshot(order)

    with pytest.raises(ApplicationError) as error:
        update_order(actor=org.manager, order=order, promised_on=None, notes="No date any more")

    assert (error.value.message, error.value.field) == (
        "A confirmed order needs a promised delivery date.",
        "promised_on",
    )
    assert snapshot(order) == before


def test_draft_may_drop_its_promised_date(org):
    order = make_order(actor=org.manager, client=org.client, promised_on=PROMISED)

    update_order(actor=org.manager, order=order, promised_on=None)

    assert Order.objects.get(pk=order.pk).promised_on is None


def test_contact_of_another_client_is_refused_on_update(org):
    order = make_order(actor=org.manager, client=org.client)
    before = snapshot(order)

    with pytest.raises(ApplicationError) as error:
        update_order(actor=org.manager, order=order, contact=ContactFactory(client=org.foreign_client))

    assert error.value.field == "contact"
    assert snapshot(order) == before


def test_unknown_currency_is_refused_on_update(org):
    order = make_order(actor=org.manager, client=org.client)
    before = snapshot(order)

    with pytest.raises(ApplicationError) as error:
        update_order(actor=org.manager, order=order, currency="XYZ")

    assert error.value.field == "currency"
    assert snapshot(order) == before


def test_changing_the_currency_rounds_the_lines_again(org, settings):
    settings.CURRENCIES = ["EUR", "JPY"]
    order = make_order(
        actor=org.manager, client=org.client, lines=[line("Widget", "3", "333.5"), line("Nut", "1", "0.4")]
    )
    assert (order.subtotal, order.total) == (Decimal("1000.90"), Decimal("1000.90"))

    update_order(actor=org.manager, order=order, currency="JPY")

    order.refresh_from_db()
    assert order.currency == "JPY"
    assert [row[-1] for row in lines_of(order)] == [Decimal("1001.00"), Decimal("0.00")]
    assert (order.subtotal, order.discount_total, order.total) == (Decimal("1001"), Decimal("0"), Decimal("1001"))


def test_changing_to_a_currency_with_three_decimals_is_refused(org, settings):
    settings.CURRENCIES = ["EUR", "KWD"]
    order = make_order(actor=org.manager, client=org.client, lines=[line("Widget", "1", "1.2345")])
    before = snapshot(order)

    with pytest.raises(ApplicationError) as error:
        update_order(actor=org.manager, order=order, currency="KWD")

    assert (error.value.message, error.value.field) == (
        "Currencies with more than two decimals are not supported.",
        "currency",
    )
    assert snapshot(order) == before


@pytest.mark.django_db(transaction=True)
def test_concurrent_orders_get_consecutive_numbers_without_gaps(org):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: SQLite serialises whole transactions, so there is no race to test")
    threads_count = 8
    barrier = threading.Barrier(threads_count)
    numbers, errors = [], []

    def take_order():
        try:
            barrier.wait(timeout=10)
            numbers.append(create_order(actor=org.manager, client=org.client, lines=[line()]).number)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=take_order) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sorted(numbers) == [number(value) for value in range(1, threads_count + 1)]
    assert NumberSequence.objects.filter(scope="order").get(year=this_year()).last_value == threads_count
    assert Order.objects.count() == threads_count
