"""Template helpers for other apps' pages (the resident app's My reservations).

    {% load tila_feedback %}
    {% feedback_prompt reservation %}     → "How did it go? Answer a one-question survey" link,
                                            "Thank you for your feedback", or nothing
    {% feedback_url reservation as url %} → the survey address, or "" when the survey is not open

The states of all the signed-in person's recent reservations are read once per request (two
queries), however many cards the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.urls import reverse
from django.utils import timezone

from tila.booking.models import Reservation
from tila.feedback.selectors import SurveyStates, survey_states, survey_token

register = template.Library()
CACHE_ATTR = "_tila_feedback_states"


@dataclass
class _Cache:
    checked: set[int] = field(default_factory=set)
    open_ids: set[int] = field(default_factory=set)
    answered_ids: set[int] = field(default_factory=set)

    def add(self, ids: list[int], states: SurveyStates) -> None:
        self.checked.update(ids)
        self.open_ids.update(states.open_ids)
        self.answered_ids.update(states.answered_ids)


def _states(context: template.Context, reservation: Reservation) -> _Cache:
    request = context.get("request")
    cache: _Cache | None = getattr(request, CACHE_ATTR, None)
    if cache is None:
        cache = _Cache()
        if request is not None:
            setattr(request, CACHE_ATTR, cache)
    if reservation.pk in cache.checked:
        return cache
    user = getattr(request, "user", None)
    batch: list[Reservation] = [reservation]
    if not cache.checked and user is not None and user.is_authenticated and reservation.user_id == user.pk:
        batch += list(Reservation.objects.filter(user=user, end__lte=timezone.now()).order_by("-end")[:200])
    ids = [r.pk for r in batch]
    cache.add(ids, survey_states(batch))
    return cache


@register.simple_tag(takes_context=True)
def feedback_url(context: template.Context, reservation: Reservation) -> str:
    if reservation.pk not in _states(context, reservation).open_ids:
        return ""
    return reverse("feedback:survey", kwargs={"token": survey_token(reservation.pk)})


@register.inclusion_tag("feedback/includes/prompt.html", takes_context=True)
def feedback_prompt(context: template.Context, reservation: Reservation) -> dict[str, Any]:
    states = _states(context, reservation)
    url = ""
    if reservation.pk in states.open_ids:
        url = reverse("feedback:survey", kwargs={"token": survey_token(reservation.pk)})
    return {"reservation": reservation, "url": url, "answered": reservation.pk in states.answered_ids}
