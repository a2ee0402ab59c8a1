"""Server-to-server calls from payment services (outside the language prefix, no session, no CSRF).

Answers: 200 once the report is applied (or was already), 400 when it is rejected (bad
signature, tampered amount, malformed), 404 for a payment we do not know. Every call is logged
(PaymentLog) by the services.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from tila.core.errors import DomainError
from tila.payments import services

UNKNOWN = {"payment_unknown", "refund_unknown", "unknown_payment_provider"}


def _rejected(exc: DomainError) -> JsonResponse:
    return JsonResponse({"code": exc.code}, status=404 if exc.code in UNKNOWN else 400)


@csrf_exempt
@require_GET
def payment_callback(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        services.payment_report_receive(provider_id=provider, params=request.GET.dict(), kind="callback")
    except DomainError as exc:
        return _rejected(exc)
    return HttpResponse("OK", content_type="text/plain")


@csrf_exempt
@require_GET
def refund_callback(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        services.refund_report_receive(provider_id=provider, params=request.GET.dict())
    except DomainError as exc:
        return _rejected(exc)
    return HttpResponse("OK", content_type="text/plain")
