"""Template helpers of the staff workspace."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms, template

from tila.hours.models import Weekday

register = template.Library()


@register.filter
def css_pct(value: float) -> str:
    """A percentage for inline CSS, with a dot whatever the language (12,5 would break the style)."""
    return f"{float(value):.3f}%"


@register.filter
def is_multiple(bf: forms.BoundField) -> bool:
    """Radio buttons and checkbox lists get a fieldset and a legend instead of a label."""
    return isinstance(bf.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)


@register.filter
def iso_date(value: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value


@register.filter
def weekday_names(days: list[int]) -> str:
    labels = dict(Weekday.choices)
    return ", ".join(str(labels.get(d, d)) for d in sorted(days or []))


@register.filter
def diff_rows(entry: Any) -> list[tuple[str, Any, Any]]:
    """An audit entry's changed fields as (field, before, after)."""
    before, after = entry.before or {}, entry.after or {}
    keys = sorted(set(before) | set(after))
    return [(key, before.get(key, ""), after.get(key, "")) for key in keys]
