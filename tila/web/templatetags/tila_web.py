"""Template helpers of the resident pages: Finnish-convention dates and times in the unit's zone,
accessible form fields, and the language switch."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms, template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from tila.web import formatting

register = template.Library()

NATIVE_NAMES = {"fi": "Suomeksi", "sv": "På svenska", "en": "In English"}


@register.filter
def day(value: dt.date | dt.datetime | None, tz_name: str | None = None) -> str:
    """ke 15.1.2026"""
    return formatting.format_day(value, tz_name) if value is not None else ""


@register.filter
def plain_day(value: dt.date | dt.datetime | None, tz_name: str | None = None) -> str:
    """15.1.2026"""
    return formatting.format_day(value, tz_name, weekday=False) if value is not None else ""


@register.filter
def clock(value: dt.datetime | None, tz_name: str | None = None) -> str:
    """10.00 (10:00 in English)"""
    return formatting.format_time(value, tz_name) if value is not None else ""


@register.filter
def minute_clock(minute: int) -> str:
    """Minutes after midnight as a clock time."""
    return formatting.format_clock(int(minute) // 60, int(minute) % 60)


@register.filter
def duration(value: dt.timedelta | None) -> str:
    return formatting.format_duration(value) if value is not None else ""


@register.simple_tag
def when(begin: dt.datetime, end: dt.datetime, tz_name: str | None = None) -> str:
    """ke 15.1.2026 10.00–12.00"""
    return formatting.format_range(begin, end, tz_name)


@register.simple_tag
def span(begin: dt.datetime, end: dt.datetime, tz_name: str | None = None) -> str:
    """10.00–12.00"""
    return formatting.format_span(begin, end, tz_name)


@register.simple_tag
def tz_label(tz_name: str | None, at: dt.datetime | None = None) -> str:
    return formatting.tz_label(tz_name, at)


@register.filter
def local_iso(value: dt.datetime, tz_name: str | None = None) -> str:
    """2026-01-15T10:00 on the unit's wall clock (how the pages pass times in links)."""
    return formatting.local(value, tz_name).strftime("%Y-%m-%dT%H:%M")


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[dict[str, Any]]:
    """The current page in each language."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = (get_language() or "fi")[:2]
    return [
        {
            "code": code,
            "name": NATIVE_NAMES.get(code, code),
            "url": translate_url(path, code),
            "current": code == current,
        }
        for code, _label in settings.LANGUAGES
    ]


def _field_context(bf: forms.BoundField, extra_class: str = "") -> dict[str, Any]:
    described = []
    attrs: dict[str, Any] = {}
    if bf.help_text:
        described.append(f"{bf.auto_id}_helptext")
    if bf.errors:
        described.append(f"{bf.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if extra_class:
        attrs["class"] = extra_class
    widget = bf.field.widget
    return {
        "bf": bf,
        "widget": bf.as_widget(attrs=attrs),
        "is_checkbox": isinstance(widget, forms.CheckboxInput),
        "required": bf.field.required and not isinstance(widget, forms.CheckboxInput),
        "mark_optional": not getattr(bf.form, "hide_optional", False),
    }


@register.inclusion_tag("web/includes/field.html")
def field(bf: forms.BoundField, extra_class: str = "") -> dict[str, Any]:
    """Label, hint, error and widget, tied together for assistive technology."""
    return _field_context(bf, extra_class)


@register.filter
def error_anchor(bf: forms.BoundField) -> str:
    return f"#{bf.id_for_label or bf.auto_id}"
