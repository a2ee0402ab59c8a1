"""Rate limits on the routes listed in `tila.security.ratelimit` (429 with Retry-After)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tila.security import ratelimit

JSON_PREFIXES = ("/v1/", "/gdpr-api/")


def too_many_requests(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 in the shape the caller understands: the API's JSON error body, or a page."""
    message = _("Too many requests. Please wait a moment and try again.")
    response: HttpResponse
    if request.path_info.startswith(JSON_PREFIXES):
        response = JsonResponse(
            {"code": "throttled", "non_field_errors": [message]},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        minutes = max(1, -(-retry_after // 60))
        response = render(
            request, "security/too_many_requests.html", {"message": message, "minutes": minutes}, status=429
        )
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if not ratelimit.enabled() or request.method in {"OPTIONS", "HEAD"}:
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        refusal = ratelimit.first_refusal(request, view_name, ratelimit.rules())
        if refusal is None:
            return None
        return too_many_requests(request, refusal.retry_after)
