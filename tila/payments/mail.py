"""Receipts, invoices and refund notices by email.

``order_email(kind, order)`` is the one entry point: it queues the message to be rendered and sent
by a task after the surrounding transaction commits (nothing is sent for a change that rolls
back). ``deliver()`` is the one place that sends — Django's mail today; switching to the
notifications outbox (tila.notifications) once it has payment events means changing only it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

KINDS = ("receipt", "invoice", "refund")


def order_email(kind: str, order: Any, **context: Any) -> None:
    """Queue the ``kind`` email about ``order`` to its customer, after commit."""
    if kind not in KINDS:
        raise ValueError(f"Unknown payment email {kind!r}")
    if not order.customer_email:
        return
    from tila.payments.tasks import send_order_email

    pk, data = order.pk, {key: str(value) for key, value in context.items()}
    transaction.on_commit(lambda: send_order_email.enqueue(kind, pk, data))


def seller() -> dict[str, str]:
    """The city as the seller on receipts and invoices (TILA_SELLER_* settings)."""
    return {
        "name": str(getattr(settings, "TILA_SELLER_NAME", "") or "Tila"),
        "business_id": str(getattr(settings, "TILA_SELLER_BUSINESS_ID", "") or ""),
        "address": str(getattr(settings, "TILA_SELLER_ADDRESS", "") or ""),
        "iban": str(getattr(settings, "TILA_SELLER_IBAN", "") or ""),
        "bic": str(getattr(settings, "TILA_SELLER_BIC", "") or ""),
    }


def render(kind: str, order: Any, context: dict[str, str]) -> tuple[str, str]:
    """(subject, plain-text body) in the order's language."""
    from tila.payments import links
    from tila.payments.selectors import vat_breakdown

    lines = list(order.lines.all())
    data = {
        "order": order,
        "reservation": order.reservation,
        "lines": lines,
        "vat": vat_breakdown(lines),
        "invoice": getattr(order, "invoice", None) if kind == "invoice" else None,
        "url": links.order_url(order),
        "seller": seller(),
        **context,
    }
    with translation.override(order.language):
        subject = " ".join(render_to_string(f"payments/email/{kind}_subject.txt", data).split())
        body = render_to_string(f"payments/email/{kind}.txt", data).strip() + "\n"
    return subject[:300], body


def deliver(*, to: str, subject: str, body: str, language: str, attachments: list[tuple[str, bytes, str]]) -> None:
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
    )
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    message.send(fail_silently=False)


def send_order_email(*, kind: str, order_id: int, context: dict[str, str]) -> None:
    """Render and send one payment email now (the task calls this)."""
    from tila.payments.invoice_pdf import invoice_pdf
    from tila.payments.models import Order

    order = Order.objects.select_related("reservation__resource__unit").get(pk=order_id)
    subject, body = render(kind, order, context)
    attachments = []
    if kind == "invoice" and hasattr(order, "invoice"):
        attachments.append((f"invoice-{order.invoice.number}.pdf", invoice_pdf(order.invoice), "application/pdf"))
    deliver(to=order.customer_email, subject=subject, body=body, language=order.language, attachments=attachments)
