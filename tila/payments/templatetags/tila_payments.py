"""Template filters for money: ``{{ amount|euros }}`` in the active language, ``{{ rate|percent }}``."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from tila.core.finnish import format_reference
from tila.payments.money import format_euros

register = template.Library()


@register.filter
def euros(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_euros(Decimal(value), get_language() or "fi")


@register.filter
def percent(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    if not (get_language() or "fi").startswith("en"):
        text = text.replace(".", ",")
    return f"{text}\u00a0%"


@register.filter
def quantity(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = f"{Decimal(value).normalize():f}"
    return text if (get_language() or "fi").startswith("en") else text.replace(".", ",")


@register.filter
def reference(value: str) -> str:
    return format_reference(value) if value else ""
