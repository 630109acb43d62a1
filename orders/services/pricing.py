"""Order arithmetic: line totals, order totals and the discount proposed for a client.

Pure functions over Decimal, shared by the services (stored totals) and the live preview
of the lines editor, so what the manager sees while typing is what gets saved.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from clients.models import Client
from core.money import round_money

from ..models import TierDiscount

HUNDRED = Decimal(100)


@dataclass
class LineData:
    """One order line as entered: a catalogue product or free text."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    discount_percent: Decimal = Decimal(0)
    unit: str = ""
    product: object = None  # Product | None


@dataclass
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal
    line_totals: list[Decimal] = field(default_factory=list)


def line_amounts(line: LineData, currency: str) -> tuple[Decimal, Decimal]:
    """(before discount, after discount) of one line, each rounded half up to the currency's minor unit."""
    gross = line.quantity * line.unit_price
    net = gross * (HUNDRED - line.discount_percent) / HUNDRED
    return round_money(gross, currency), round_money(net, currency)


def compute_totals(lines: list[LineData], currency: str) -> Totals:
    """Subtotal, discount and total of the lines: the total is the sum of the rounded line totals."""
    gross_sum, net_sum, line_totals = Decimal(0), Decimal(0), []
    for line in lines:
        gross, net = line_amounts(line, currency)
        gross_sum += gross
        net_sum += net
        line_totals.append(net)
    subtotal, total = round_money(gross_sum, currency), round_money(net_sum, currency)
    return Totals(subtotal=subtotal, discount_total=subtotal - total, total=total, line_totals=line_totals)


def get_default_discount(client: Client) -> Decimal:
    """The discount proposed on the client's new order lines: its own, else its tier's, else none."""
    if client.discount_percent is not None:
        return client.discount_percent
    percent = TierDiscount.objects.filter(tier=client.tier).values_list("percent", flat=True).first()
    return percent if percent is not None else Decimal(0)
