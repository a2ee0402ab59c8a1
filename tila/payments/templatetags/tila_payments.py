"""Template filters for money: ``{{ amount|euros }}`` in the active language, ``{{ rate|percent }}``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

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


@register.inclusion_tag("payments/includes/price_summary.html")
def price_summary(resource: Any) -> dict[str, Any]:
    """The price rule in force today, in plain words, for resource pages."""
    from tila.payments.selectors import price_rules_summary

    return {"rule": price_rules_summary(resource=resource)}


@register.simple_tag(takes_context=True)
def price_quote_for(context: template.Context, resource: Any, begin: Any, end: Any) -> Any:
    """The signed-in customer's price for [begin, end) (None when the resource is free of charge)."""
    from tila.core.errors import DomainError
    from tila.payments.selectors import price_quote

    if begin is None or end is None:
        return None
    request = context.get("request")
    user = getattr(request, "user", None)
    try:
        return price_quote(resource=resource, begin=begin, end=end, customer=user)
    except DomainError:
        return None
