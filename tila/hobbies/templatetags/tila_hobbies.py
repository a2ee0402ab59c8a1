"""Hobby page helpers: weekly times and prices in the reader's language."""

from __future__ import annotations

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from tila.hobbies.forms import WEEKDAYS
from tila.hobbies.models import HobbyGroup, HobbyTime
from tila.web.formatting import format_clock

register = template.Library()


@register.filter
def weekly(time: HobbyTime) -> str:
    """ti 17.00–18.30"""
    day = str(dict(WEEKDAYS)[time.weekday])
    begins = format_clock(time.begins.hour, time.begins.minute)
    ends = format_clock(time.ends.hour, time.ends.minute)
    return f"{day} {begins}–{ends}"


@register.filter
def price(group: HobbyGroup) -> str:
    if group.is_free:
        return _("Free of charge")
    if group.price is None:
        return "–"
    return f"{formats.number_format(group.price, decimal_pos=2, use_l10n=True)} €"


@register.filter
def ages(group: HobbyGroup) -> str:
    if group.min_age is None and group.max_age is None:
        return _("All ages")
    if group.max_age is None:
        return _("%(min)s years and over") % {"min": group.min_age}
    if group.min_age is None:
        return _("Up to %(max)s years") % {"max": group.max_age}
    return _("%(min)s–%(max)s years") % {"min": group.min_age, "max": group.max_age}
