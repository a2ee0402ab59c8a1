"""Money arithmetic: Decimal euros, exact to the cent, rounded half up; VAT from gross prices.

Prices in Tila are gross (VAT included), as residents see them. The VAT of a line is computed
from its gross total — ``gross × rate / (100 + rate)`` rounded to the cent — and the net is the
gross minus that VAT, so net + VAT is always exactly the gross.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def cents(amount: Decimal | int) -> Decimal:
    """``amount`` rounded half up to whole cents (always two decimals)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def vat_of_gross(gross: Decimal, percentage: Decimal) -> Decimal:
    """The VAT contained in a gross amount at ``percentage`` (25.5 for 25.5 %), to the cent."""
    if percentage <= 0:
        return ZERO
    return cents(gross * percentage / (HUNDRED + percentage))


def split_gross(gross: Decimal, percentage: Decimal) -> tuple[Decimal, Decimal]:
    """(net, VAT) of a gross amount; they add up to the gross exactly."""
    gross = cents(gross)
    vat = vat_of_gross(gross, percentage)
    return gross - vat, vat


def format_euros(amount: Decimal, language: str = "fi") -> str:
    """``1234.5`` → ``"1 234,50 €"`` in Finnish and Swedish, ``"€1,234.50"`` in English."""
    text = f"{cents(amount):,.2f}"
    if language.startswith("en"):
        return f"€{text}"
    return text.replace(",", "\u00a0").replace(".", ",") + "\u00a0€"
