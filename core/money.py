"""Money: Decimal amounts with an ISO 4217 currency code, rounded and shown per currency.

Babel supplies the currency list, each currency's minor units (EUR 2, JPY 0) and the
locale's way of writing an amount ("€1,250.50", "1 250,50 €").
"""

from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_currency, get_currency_name, get_currency_precision
from django.conf import settings
from django.utils import translation


def allowed_currencies() -> list[str]:
    """The currencies orders may use (settings.CURRENCIES), the default first."""
    codes = [settings.DEFAULT_CURRENCY, *settings.CURRENCIES]
    return list(dict.fromkeys(code.upper() for code in codes))


def currency_choices() -> list[tuple[str, str]]:
    """(code, "EUR · Euro") pairs in the active language, for selects."""
    locale = _babel_locale()
    return [(code, f"{code} · {get_currency_name(code, locale=locale)}") for code in allowed_currencies()]


def minor_units(currency: str) -> int:
    """Digits after the decimal point for the currency: 2 for EUR, 0 for JPY."""
    return get_currency_precision(currency)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round half up to the currency's minor unit (commercial rounding)."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def format_money(amount: Decimal | None, currency: str) -> str:
    """The amount written the way the active language writes money; "—" for no amount."""
    if amount is None:
        return "—"
    return format_currency(amount, currency, locale=_babel_locale())


def plain_decimal(value: Decimal) -> Decimal:
    """Without trailing zeros for people to read: 12.5000 → 12.5 and 10.00 → 10 (never 1E+1)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _babel_locale() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_")
