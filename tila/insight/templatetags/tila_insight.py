"""Formatting of indicator tables: numbers in the active language's style, flags as words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from tila.insight.selectors import Column

register = template.Library()


def _number(value: float | int | Decimal, decimals: int) -> str:
    """Rounded (Django's number_format would cut the decimals off) and grouped in the active language."""
    rounded = round(Decimal(str(value)), decimals)
    return formats.number_format(rounded, decimal_pos=decimals, use_l10n=True, force_grouping=True)


@register.filter
def cell(row: dict[str, Any], column: Column) -> str:
    value = row.get(column.key)
    if value is None or value == "":
        return "–"
    if column.kind == "flag":
        return _("yes") if value else _("no")
    if column.kind in ("text",):
        return str(value)
    if column.kind == "date" and isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if column.kind == "integer":
        return _number(int(value), 0)
    if column.kind == "percent":
        return f"{_number(float(value), 1)} %"
    if isinstance(value, int):
        return _number(value, 0)
    return _number(float(value), 1)


@register.filter
def signed(value: float | None, decimals: int = 1) -> str:
    if value is None:
        return "–"
    text = _number(abs(float(value)), int(decimals))
    return f"+{text}" if value > 0 else (f"−{text}" if value < 0 else text)


@register.filter
def number(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else _number(float(value), int(decimals))
