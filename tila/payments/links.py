"""Absolute addresses the payment services hand out (return, callback, order pages).

Payment services need public addresses, so they are built from ``SITE_URL``. Customer pages are
in the order's language; callbacks are outside the language prefix (see docs/payments.md).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tila.payments.models import Order
from tila.payments.providers import ReturnUrls


def absolute(path: str) -> str:
    return str(settings.SITE_URL).rstrip("/") + path


def order_path(order: Order, language: str | None = None) -> str:
    with translation.override(language or order.language):
        return reverse("payments:order", args=[order.uuid])


def order_url(order: Order) -> str:
    return absolute(order_path(order))


def return_urls(order: Order, provider: str) -> ReturnUrls:
    with translation.override(order.language):
        success = reverse("payments:return", args=[order.uuid, provider, "success"])
        cancel = reverse("payments:return", args=[order.uuid, provider, "cancel"])
    return ReturnUrls(success=absolute(success), cancel=absolute(cancel))


def callback_urls(provider: str) -> ReturnUrls:
    url = absolute(reverse("payments_callback:payment", args=[provider]))
    return ReturnUrls(success=url, cancel=url)


def refund_callback_urls(provider: str) -> ReturnUrls:
    url = absolute(reverse("payments_callback:refund", args=[provider]))
    return ReturnUrls(success=url, cancel=url)
