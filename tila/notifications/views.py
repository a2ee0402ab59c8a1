"""Calendar feed endpoints (`/feeds/…`): plain GETs with the secret in the address, no session."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tila.core.errors import DomainError
from tila.notifications.feeds import feed_user, personal_feed, resource_feed

CALENDAR = "text/calendar; charset=utf-8"


def _calendar(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CALENDAR)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@never_cache
def personal(request: HttpRequest, token: str) -> HttpResponse:
    user = feed_user(token=token)
    if user is None:
        raise Http404
    return _calendar(personal_feed(user=user), "tila.ics")


@require_GET
@never_cache
def resource(request: HttpRequest, token: str, resource_id: str) -> HttpResponse:
    user = feed_user(token=token)
    if user is None:
        raise Http404
    try:
        body = resource_feed(user=user, resource_id=resource_id)
    except DomainError as exc:  # unknown resource or no right to see it: the same answer
        raise Http404 from exc
    return _calendar(body, f"{resource_id}.ics")
