"""Order arithmetic: lines rounded half up to the currency's minor unit, totals built from rounded lines."""

from decimal import Decimal

import pytest

from clients.models import Tier
from core.money import round_money
from orders.models import TierDiscount
from orders.services.pricing import compute_totals, get_default_discount, line_amounts
from tests.factories.clients import ClientFactory
from tests.factories.orders import line


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1.005", "EUR", "1.01"),
        ("1.004", "EUR", "1.00"),
        ("-1.005", "EUR", "-1.01"),
        ("1000.5", "JPY", "1001"),
        ("1000.49", "JPY", "1000"),
    ],
)
def test_money_is_rounded_half_up_to_the_currencys_minor_unit(amount, currency, expected):
    rounded = round_money(Decimal(amount), currency)

    assert rounded == Decimal(expected)
    assert str(rounded) == expected  # the exponent too: 2 digits for EUR, none for JPY


def test_euro_line_is_rounded_half_up_to_cents():
    assert line_amounts(line(quantity="3", unit_price="0.335"), "EUR") == (Decimal("1.01"), Decimal("1.01"))


def test_yen_line_is_rounded_half_up_to_whole_yen():
    gross, net = line_amounts(line(quantity="3", unit_price="333.5"), "JPY")

    assert (gross, net) == (Decimal("1001"), Decimal("1001"))
    assert str(net) == "1001"


def test_ten_percent_discount_on_three_times_twelve_fifty():
    assert line_amounts(line(quantity="3", unit_price="12.50", discount="10"), "EUR") == (
        Decimal("37.50"),
        Decimal("33.75"),
    )


def test_full_discount_makes_the_line_free():
    assert line_amounts(line(quantity="3", unit_price="12.50", discount="100"), "EUR") == (
        Decimal("37.50"),
        Decimal("0.00"),
    )


def test_zero_discount_keeps_the_full_price():
    assert line_amounts(line(quantity="3", unit_price="12.50", discount="0"), "EUR") == (
        Decimal("37.50"),
        Decimal("37.50"),
    )


def test_discounted_line_is_rounded_after_the_discount():
    # 1 × 9.99 − 15 % = 8.4915 → 8.49; 1 × 0.05 − 10 % = 0.045 → 0.05 (half up)
    assert line_amounts(line(unit_price="9.99", discount="15"), "EUR")[1] == Decimal("8.49")
    assert line_amounts(line(unit_price="0.05", discount="10"), "EUR")[1] == Decimal("0.05")


def test_order_total_is_the_sum_of_rounded_line_totals():
    # Three lines of 1.005 each: unrounded they add to 3.015 (→ 3.02); rounded lines add to 3.03.
    totals = compute_totals([line(quantity="3", unit_price="0.335")] * 3, "EUR")

    assert totals.line_totals == [Decimal("1.01")] * 3
    assert (totals.subtotal, totals.discount_total, totals.total) == (
        Decimal("3.03"),
        Decimal("0.00"),
        Decimal("3.03"),
    )


def test_order_discount_total_is_subtotal_minus_total():
    lines = [
        line(quantity="3", unit_price="12.50", discount="10"),  # 37.50 → 33.75
        line(quantity="2", unit_price="0.335", discount="0"),  # 0.67 → 0.67
        line(quantity="1", unit_price="9.99", discount="15"),  # 9.99 → 8.49
        line(quantity="1", unit_price="5.00", discount="100"),  # 5.00 → 0.00
    ]

    totals = compute_totals(lines, "EUR")

    assert totals.line_totals == [Decimal("33.75"), Decimal("0.67"), Decimal("8.49"), Decimal("0.00")]
    assert totals.subtotal == Decimal("53.16")
    assert totals.total == Decimal("42.91")
    assert totals.discount_total == Decimal("10.25")
    assert totals.subtotal - totals.discount_total == totals.total


def test_yen_order_totals_have_no_minor_unit():
    totals = compute_totals([line(quantity="3", unit_price="333.5"), line(unit_price="0.5", discount="0")], "JPY")

    assert totals.line_totals == [Decimal("1001"), Decimal("1")]
    assert (str(totals.subtotal), str(totals.discount_total), str(totals.total)) == ("1002", "0", "1002")


def test_order_without_lines_totals_zero():
    totals = compute_totals([], "EUR")

    assert (totals.subtotal, totals.discount_total, totals.total, totals.line_totals) == (
        Decimal("0.00"),
        Decimal("0.00"),
        Decimal("0.00"),
        [],
    )


def test_clients_own_discount_wins_over_its_tier(db):
    TierDiscount.objects.create(tier=Tier.KEY, percent=Decimal("5.00"))
    client = ClientFactory(tier=Tier.KEY, discount_percent=Decimal("7.50"))

    assert get_default_discount(client) == Decimal("7.50")


def test_clients_own_zero_discount_wins_over_its_tier(db):
    TierDiscount.objects.create(tier=Tier.KEY, percent=Decimal("5.00"))
    client = ClientFactory(tier=Tier.KEY, discount_percent=Decimal("0.00"))

    assert get_default_discount(client) == Decimal("0.00")


def test_client_without_own_discount_gets_its_tiers(db):
    TierDiscount.objects.create(tier=Tier.KEY, percent=Decimal("5.00"))
    TierDiscount.objects.create(tier=Tier.VIP, percent=Decimal("12.00"))
    client = ClientFactory(tier=Tier.VIP, discount_percent=None)

    assert get_default_discount(client) == Decimal("12.00")


def test_client_without_own_or_tier_discount_gets_none(db):
    TierDiscount.objects.create(tier=Tier.VIP, percent=Decimal("12.00"))
    client = ClientFactory(tier=Tier.STANDARD, discount_percent=None)

    assert get_default_discount(client) == Decimal(0)
