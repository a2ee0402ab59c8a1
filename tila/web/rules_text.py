"""A resource's effective booking rules (`catalogue.selectors.resource_rules`) in plain words.

Only words live here: the rules themselves are decided by the catalogue and enforced by the
booking engine.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tila.catalogue.models import Authentication
from tila.catalogue.selectors import Rules
from tila.web.formatting import format_duration


@dataclass(frozen=True)
class RuleSentence:
    key: str  # stable, for styling and tests: "duration", "advance", "approval", …
    text: str


def _grid(rules: Rules) -> str:
    if rules.slot_size >= dt.timedelta(days=1):
        return _("Bookings run in whole days.")
    if rules.slot_size == dt.timedelta(hours=1):
        return _("Bookings start and end on the hour.")
    return _("Bookings start and end every %(step)s.") % {"step": format_duration(rules.slot_size)}


def _duration(rules: Rules) -> str:
    shortest = format_duration(rules.min_period)
    if rules.max_period is None:
        return _("A booking lasts at least %(shortest)s.") % {"shortest": shortest}
    if rules.max_period == rules.min_period:
        return _("A booking lasts %(shortest)s.") % {"shortest": shortest}
    return _("A booking lasts at least %(shortest)s and at most %(longest)s.") % {
        "shortest": shortest,
        "longest": format_duration(rules.max_period),
    }


def _advance(rules: Rules) -> str | None:
    parts: list[str] = []
    if rules.max_days_ahead is not None:
        parts.append(
            ngettext(
                "You can book at most %(days)d day ahead.",
                "You can book at most %(days)d days ahead.",
                rules.max_days_ahead,
            )
            % {"days": rules.max_days_ahead}
        )
    if rules.min_days_ahead == 1:
        parts.append(_("Book by the day before at the latest."))
    elif rules.min_days_ahead:
        parts.append(_("Book at least %(days)d days ahead.") % {"days": rules.min_days_ahead})
    return " ".join(parts) or None


def _buffers(rules: Rules) -> str | None:
    if not rules.buffer_before and not rules.buffer_after:
        return None
    if rules.buffer_before and rules.buffer_after:
        return _("The space is kept free %(before)s before and %(after)s after each booking.") % {
            "before": format_duration(rules.buffer_before),
            "after": format_duration(rules.buffer_after),
        }
    if rules.buffer_after:
        return _("The space is kept free %(after)s after each booking.") % {
            "after": format_duration(rules.buffer_after)
        }
    return _("The space is kept free %(before)s before each booking.") % {
        "before": format_duration(rules.buffer_before)
    }


def _quota(rules: Rules) -> str | None:
    limit = rules.max_reservations_per_user
    if not limit:
        return None
    return ngettext(
        "You can hold %(limit)d active booking of this resource at a time.",
        "You can hold at most %(limit)d active bookings of this resource at a time.",
        limit,
    ) % {"limit": limit}


def _approval(rules: Rules) -> str:
    if rules.need_manual_confirmation:
        return _("Staff confirm each booking; until then it is a request.")
    return _("Bookings are confirmed at once.")


def _identification(rules: Rules) -> str | None:
    if rules.authentication == Authentication.STRONG:
        return _("Booking needs strong identification (online bank credentials or a mobile certificate).")
    return None


def _cancellation(rules: Rules) -> str:
    if rules.cancel_cutoff is None:
        return _("You can change or cancel a booking yourself until it begins.")
    return _("You can change or cancel a booking yourself until %(cutoff)s before it begins.") % {
        "cutoff": format_duration(rules.cancel_cutoff)
    }


def rule_sentences(rules: Rules) -> list[RuleSentence]:
    """The rules a resident needs to know before booking, one sentence each."""
    candidates = [
        ("duration", _duration(rules)),
        ("grid", _grid(rules)),
        ("advance", _advance(rules)),
        ("approval", _approval(rules)),
        ("identification", _identification(rules)),
        ("quota", _quota(rules)),
        ("buffers", _buffers(rules)),
        ("cancellation", _cancellation(rules)),
    ]
    return [RuleSentence(key, text) for key, text in candidates if text]
