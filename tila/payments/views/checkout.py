"""Resident pages: the checkout and order page, provider returns, cancelling, subsidy, invoice PDF."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tila.accounts.permissions import Action, can
from tila.booking.models import State
from tila.booking.services import reservation_cancel
from tila.core.errors import DomainError
from tila.payments import selectors, services
from tila.payments.forms import CheckoutForm, SubsidyForm
from tila.payments.models import Order, OrderState, PaymentState, RefundState
from tila.web.views.common import resident_required

PAYABLE = (OrderState.OPEN, OrderState.COMMITTED)


def _order(request: HttpRequest, order_id: uuid.UUID) -> Order:
    """The order if it is the person's own or their unit's (staff); 404 otherwise."""
    order = Order.objects.select_related("reservation__resource__unit", "user").filter(uuid=order_id).first()
    if order is None:
        raise Http404
    if order.user_id != request.user.pk and not can(request.user, Action.VIEW, order.reservation.resource.unit_id):
        raise Http404
    return order


def _fresh(order: Order) -> Order:
    """Expire a hold whose time is up before showing it (the sweep may not have run yet)."""
    now = timezone.now()
    if order.state == OrderState.OPEN and order.hold_expires_at is not None and order.hold_expires_at <= now:
        services.order_expire(order_id=order.pk, now=now)
        order.refresh_from_db()
        order.reservation.refresh_from_db()
    return order


def order_context(order: Order) -> dict[str, Any]:
    lines = list(order.lines.all())
    now = timezone.now()
    reservation = order.reservation
    held = order.state == OrderState.OPEN and order.hold_expires_at is not None
    return {
        "order": order,
        "reservation": reservation,
        "resource": reservation.resource,
        "unit": reservation.resource.unit,
        "tz_name": reservation.resource.unit.time_zone,
        "lines": lines,
        "vat": selectors.vat_breakdown(lines),
        "payments": [p for p in order.payments.all() if p.state != PaymentState.CREATED],
        "refunds": list(order.refunds.all()),
        "refund_states": RefundState,
        "paid": selectors.paid_amount(order),
        "seconds_left": int((order.hold_expires_at - now).total_seconds()) if held and order.hold_expires_at else None,
        "invoice": getattr(order, "invoice", None),
        "subsidy": getattr(order, "subsidy", None),
        "refund_if_cancelled": selectors.refund_due(order=order, now=now) if order.state == OrderState.PAID else None,
        "reservation_active": reservation.is_active and reservation.end > now,
    }


def _checkout(request: HttpRequest, order: Order, form: CheckoutForm) -> HttpResponseBase | None:
    """Start paying; None when the form shows an error."""
    try:
        result = services.checkout_start(
            actor=request.user,
            order=order,
            provider_id=form.cleaned_data["provider"],
            invoice=form.invoice_details(),
        )
    except DomainError as exc:
        form.add_domain_error(exc)
        return None
    if result.kind == "redirect" and result.redirect_url:
        return redirect(result.redirect_url)
    if result.instructions:
        messages.success(request, str(result.instructions))
    return redirect("payments:order", order_id=order.uuid)


@resident_required
def order_page(request: HttpRequest, order_id: uuid.UUID) -> HttpResponseBase:
    """What the booking costs and how to pay it; after paying, the receipt."""
    order = _fresh(_order(request, order_id))
    can_pay = order.state in PAYABLE and order.reservation.state != State.CANCELLED
    providers = selectors.providers_for(unit_id=order.reservation.resource.unit_id, customer_group=order.customer_group)
    if order.state == OrderState.COMMITTED:  # paying later online is possible; another "pay later" is not
        providers = [p for p in providers if not p.deferred]
    form = CheckoutForm(request.POST if request.method == "POST" else None, providers=providers)
    if request.method == "POST" and can_pay and form.is_valid():
        response = _checkout(request, order, form)
        if response is not None:
            return response
    subsidy_rule = order.lines.filter(price_rule__subsidised_price__isnull=False).exists()
    context = {
        **order_context(order),
        "form": form,
        "can_pay": can_pay and bool(providers),
        "can_apply_subsidy": order.state == OrderState.OPEN and subsidy_rule,
        "offers_invoice": any(p.identifier == "invoice" for p in providers),
    }
    return render(request, "payments/order.html", context, status=400 if form.errors else 200)


@resident_required
def reservation_order(request: HttpRequest, reservation_id: int) -> HttpResponseBase:
    """The order page of a reservation (for links from the booking pages)."""
    order = Order.objects.filter(reservation_id=reservation_id).select_related("reservation__resource").first()
    if order is None:
        raise Http404
    return redirect("payments:order", order_id=_order(request, order.uuid).uuid)


@require_GET
def payment_return(request: HttpRequest, order_id: uuid.UUID, provider: str, outcome: str) -> HttpResponseBase:
    """The customer's browser back from the payment service: record what it says, show the order."""
    try:
        payment = services.payment_report_receive(provider_id=provider, params=request.GET.dict(), kind="return")
    except DomainError as exc:
        messages.error(request, _("We could not verify the payment information: %(error)s") % {"error": exc.message})
    else:
        if payment.state == PaymentState.PAID:
            messages.success(request, _("Thank you! Your payment has been received."))
        elif payment.state == PaymentState.FAILED:
            messages.warning(request, _("The payment was cancelled. You can try again while the time is held."))
        else:
            messages.info(request, _("The payment is being processed. We will email you when it is done."))
    return redirect("payments:order", order_id=order_id)


@require_POST
@resident_required
def order_cancel(request: HttpRequest, order_id: uuid.UUID) -> HttpResponseBase:
    """Give up a booking that waits for payment: the slot is freed at once."""
    order = _order(request, order_id)
    try:
        reservation_cancel(actor=request.user, reservation=order.reservation_id, reason="")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your booking was cancelled."))
    return redirect("payments:order", order_id=order.uuid)


@resident_required
def subsidy_apply(request: HttpRequest, order_id: uuid.UUID) -> HttpResponseBase:
    order = _fresh(_order(request, order_id))
    form = SubsidyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subsidy_apply(actor=request.user, order=order, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(
                request, _("Your application was sent. Staff will decide the price and handle the booking.")
            )
            return redirect("payments:order", order_id=order.uuid)
    context = {**order_context(order), "form": form}
    return render(request, "payments/subsidy.html", context, status=400 if form.errors else 200)


@require_GET
@resident_required
def invoice_download(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = _order(request, order_id)
    invoice = getattr(order, "invoice", None)
    if invoice is None:
        raise Http404
    from tila.payments.invoice_pdf import invoice_pdf  # reportlab only when a PDF is made

    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="invoice-{invoice.number}.pdf"'
    return response


@require_GET
@resident_required
def my_orders(request: HttpRequest) -> HttpResponse:
    return render(request, "payments/my_orders.html", {"orders": selectors.orders_of(request.user)[:200]})
