"""The web shop's writes: orders, payments, refunds, invoices, subsidies and expiring holds.

The booking engine decides reservation states; these services call its payment functions
(`reservation_payment_settled`, `_expired`, `_reinstate`) and record the money. Locks are taken
in one order everywhere: the reservation, then its order, then a payment or refund. Nothing talks
to a payment service while a transaction is open: a payment or refund row is committed first,
the provider is called, and the answer is recorded in a new transaction.

Every report from a payment service is applied once per payment: states only move forward
(created → pending → paid, or failed; a failed payment that is paid after all is still recorded),
a repeated report is a no-op, and a payment that arrives for an expired or cancelled order is
never lost — the booking is reinstated if its time is still free, else the money is refunded.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action, can
from tila.booking.models import Reservation, State
from tila.booking.services import (
    reservation_payment_expired,
    reservation_payment_reinstate,
    reservation_payment_settled,
)
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, PermissionDenied
from tila.core.finnish import reference_number
from tila.core.timeutil import get_zone
from tila.payments import links, mail
from tila.payments.models import (
    UNPAID_STATES,
    CustomerGroup,
    Invoice,
    LogOutcome,
    Order,
    OrderLine,
    OrderState,
    Payment,
    PaymentLog,
    PaymentState,
    Pricing,
    Refund,
    RefundState,
    SubsidyApplication,
    SubsidyState,
    VatCategory,
    VatRate,
)
from tila.payments.money import ZERO, cents, split_gross
from tila.payments.providers import (
    AmountMismatch,
    LineItem,
    PaymentOutcome,
    PaymentProvider,
    PaymentProviderError,
    PaymentRequest,
    PaymentStatus,
    ProviderResult,
    RefundRequest,
    get_provider,
    to_cents,
)
from tila.payments.selectors import PriceQuote, paid_amount, providers_for, refund_due, refundable_left

logger = logging.getLogger("tila.payments")

REFERENCE_BASE = 100000  # order references are viitenumero of REFERENCE_BASE + the order id
INVOICE_DUE_DAYS = 14
_NEXT_STATES: dict[str, frozenset[str]] = {
    PaymentState.CREATED: frozenset({PaymentState.PENDING, PaymentState.PAID, PaymentState.FAILED}),
    PaymentState.PENDING: frozenset({PaymentState.PAID, PaymentState.FAILED}),
    PaymentState.FAILED: frozenset({PaymentState.PAID}),  # money that arrives late is still money
    PaymentState.PAID: frozenset(),
}
_STATE_OF_STATUS = {
    PaymentStatus.OK: PaymentState.PAID,
    PaymentStatus.PENDING: PaymentState.PENDING,
    PaymentStatus.DELAYED: PaymentState.PENDING,
    PaymentStatus.NEW: PaymentState.CREATED,
    PaymentStatus.FAIL: PaymentState.FAILED,
}


def hold_duration() -> dt.timedelta:
    """How long a priced booking holds its slot unpaid (TILA_PAYMENT_HOLD_MINUTES, default 10)."""
    return dt.timedelta(minutes=int(getattr(settings, "TILA_PAYMENT_HOLD_MINUTES", 10) or 10))


# --- Locks -------------------------------------------------------------------------------------


def _lock_order(order: Order | int) -> Order:
    """Lock the order's reservation, then the order (the fixed lock order), and return the order."""
    pk = order.pk if isinstance(order, Order) else order
    try:
        reservation_id = Order.objects.values_list("reservation_id", flat=True).get(pk=pk)
    except Order.DoesNotExist as exc:
        raise DomainError("not_found", _("Not found.")) from exc
    list(Reservation.objects.select_for_update().filter(pk=reservation_id).values_list("pk", flat=True))
    return Order.objects.select_for_update().get(pk=pk)


def _require_staff(actor: Any, order: Order, action: Action = Action.HANDLE) -> None:
    if not can(actor, action, order.reservation.resource.unit_id):
        raise PermissionDenied()


def _require_customer(actor: Any, order: Order) -> None:
    if getattr(actor, "pk", None) is None or (
        order.user_id != actor.pk and not can(actor, Action.HANDLE, order.reservation.resource.unit_id)
    ):
        raise PermissionDenied()


# --- Orders ------------------------------------------------------------------------------------


def _line_description(reservation: Reservation, language: str) -> str:
    zone = get_zone(reservation.resource.unit.time_zone)
    begin, end = reservation.begin.astimezone(zone), reservation.end.astimezone(zone)
    with translation.override(language):
        name = str(reservation.resource.name)
    when = (
        f"{begin:%d.%m.%Y %H:%M}–{end:%H:%M}"
        if begin.date() == end.date()
        else f"{begin:%d.%m.%Y %H:%M}–{end:%d.%m.%Y %H:%M}"
    )
    return f"{name} {when}"[:300]


def _language_of(user: Any) -> str:
    language = getattr(user, "preferred_language", "") or str(settings.LANGUAGE_CODE)[:2]
    return language if language in ("fi", "sv", "en") else "fi"


def order_create_for_reservation(*, reservation: Reservation, quote: PriceQuote, now: dt.datetime) -> Order:
    """Open the order of a reservation waiting for payment; its hold expires after hold_duration()."""
    user = reservation.user
    order = Order.objects.create(
        reservation=reservation,
        user=user,
        customer_group=quote.customer_group,
        customer_name=reservation.reserver_name,
        customer_email=reservation.reserver_email,
        language=_language_of(user),
        state=OrderState.OPEN,
        total=quote.total,
        currency=quote.currency,
        hold_expires_at=now + hold_duration(),
    )
    order.reference = reference_number(str(REFERENCE_BASE + order.pk), grouped=False)
    order.save(update_fields=["reference"])
    OrderLine.objects.create(
        order=order,
        position=1,
        product_code=quote.product_code,
        description=_line_description(reservation, order.language),
        pricing=quote.pricing,
        quantity=quote.quantity,
        unit_price=quote.unit_price,
        vat_percentage=quote.vat_percentage,
        total=quote.total,
        vat=quote.vat,
        net=quote.net,
        account=quote.account,
        cost_centre=quote.cost_centre,
        price_rule_id=quote.rule_id,
    )
    _schedule_expiry(order)
    return order


def _schedule_expiry(order: Order) -> None:
    """Expire this hold on time (the periodic `expire_holds` sweep is the safety net)."""
    from tila.payments.tasks import expire_hold

    if order.hold_expires_at is None or not expire_hold.get_backend().supports_defer:
        return
    pk, when = order.pk, order.hold_expires_at
    transaction.on_commit(lambda: expire_hold.using(run_after=when).enqueue(pk))


def _mark_order_paid(order: Order, now: dt.datetime, provider: str) -> None:
    """The order is paid: record it and settle a reservation still waiting for payment."""
    order.state = OrderState.PAID
    order.paid_at = now
    order.provider = order.provider or provider
    order.hold_expires_at = None
    order.save(update_fields=["state", "paid_at", "provider", "hold_expires_at", "modified_at"])
    reservation = Reservation.objects.get(pk=order.reservation_id)
    if reservation.state == State.WAITING_FOR_PAYMENT:
        reservation_payment_settled(reservation=reservation)
    mail.order_email("receipt", order)


# --- Hold expiry -------------------------------------------------------------------------------


@transaction.atomic
def order_expire(*, order_id: int, now: dt.datetime | None = None) -> bool:
    """Expire one unpaid hold if its time is up: the reservation is cancelled, the slot freed."""
    now = now or timezone.now()
    order = _lock_order(order_id)
    if order.state != OrderState.OPEN or order.hold_expires_at is None or order.hold_expires_at > now:
        return False
    reservation_payment_expired(reservation=order.reservation_id, now=now)
    order.state = OrderState.EXPIRED
    order.expired_at = now
    order.save(update_fields=["state", "expired_at", "modified_at"])
    return True


def order_expire_holds(*, now: dt.datetime | None = None) -> int:
    """Expire every unpaid hold whose time is up (each in its own transaction). Idempotent."""
    now = now or timezone.now()
    due = Order.objects.filter(state=OrderState.OPEN, hold_expires_at__lte=now).order_by("hold_expires_at")
    return sum(order_expire(order_id=pk, now=now) for pk in list(due.values_list("pk", flat=True)))


# --- Checkout ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceDetails:
    organisation_name: str
    billing_address: str
    business_id: str = ""
    contact_name: str = ""
    email: str = ""


def _check_payable(order: Order, now: dt.datetime) -> None:
    if order.state == OrderState.OPEN and order.hold_expires_at is not None and order.hold_expires_at <= now:
        raise DomainError("hold_expired", _("The time to pay has run out. Please book again."))
    if order.state not in (OrderState.OPEN, OrderState.COMMITTED):
        raise DomainError("order_not_payable", _("This order cannot be paid now."))


def _offered_provider(order: Order, provider_id: str) -> PaymentProvider:
    for provider in providers_for(unit_id=order.reservation.resource.unit_id, customer_group=order.customer_group):
        if provider.identifier == provider_id:
            return provider
    raise DomainError("payment_method_not_available", _("This payment method is not available."), field="provider")


def checkout_start(
    *,
    actor: Any,
    order: Order,
    provider_id: str,
    invoice: InvoiceDetails | None = None,
    now: dt.datetime | None = None,
) -> ProviderResult:
    """Pay ``order`` with a provider: online providers give a redirect, "pay later" providers
    (invoice, at the place) settle the booking at once and give instructions."""
    now = now or timezone.now()
    _require_customer(actor, order)
    provider = _offered_provider(order, provider_id)
    if provider.deferred:
        return _checkout_deferred(order=order, provider=provider, invoice=invoice, now=now)
    payment = _payment_open(order_id=order.pk, provider=provider, now=now)
    return _payment_send(payment, provider)


@transaction.atomic
def _payment_open(*, order_id: int, provider: PaymentProvider, now: dt.datetime) -> Payment:
    order = _lock_order(order_id)
    _check_payable(order, now)
    return Payment.objects.create(order=order, provider=provider.identifier, amount=order.total)


def _payment_request(payment: Payment) -> PaymentRequest:
    order = payment.order
    items = [
        LineItem(
            unit_price=line.total,
            units=1,
            vat_percentage=line.vat_percentage,
            product_code=line.product_code,
            description=line.description,
        )
        for line in order.lines.all()
        if line.total > 0
    ]
    return PaymentRequest(
        stamp=str(payment.stamp),
        reference=order.reference,
        amount=payment.amount,
        customer_email=order.customer_email or getattr(order.user, "email", ""),
        redirect_urls=links.return_urls(order, payment.provider),
        callback_urls=links.callback_urls(payment.provider),
        items=items,
        language=order.language,
        unit_id=None,
        description=items[0].description if items else "",
    )


def _payment_send(payment: Payment, provider: PaymentProvider) -> ProviderResult:
    """Ask the provider to start the payment (no transaction is open) and record the answer."""
    try:
        result = provider.create(_payment_request(payment))
    except PaymentProviderError:
        Payment.objects.filter(pk=payment.pk, state=PaymentState.CREATED).update(state=PaymentState.FAILED)
        raise
    Payment.objects.filter(pk=payment.pk).update(
        transaction_id=result.transaction_id or "", redirect_url=(result.redirect_url or "")[:1000]
    )
    return result


@transaction.atomic
def _checkout_deferred(
    *, order: Order, provider: PaymentProvider, invoice: InvoiceDetails | None, now: dt.datetime
) -> ProviderResult:
    order = _lock_order(order.pk)
    _check_payable(order, now)
    if order.state != OrderState.OPEN:
        raise DomainError("order_not_payable", _("This order cannot be paid now."))
    if provider.identifier == "invoice":
        _invoice_create(order, invoice, now)
    Payment.objects.create(order=order, provider=provider.identifier, amount=order.total, state=PaymentState.PENDING)
    order.state = OrderState.COMMITTED
    order.provider = provider.identifier
    order.hold_expires_at = None
    order.save(update_fields=["state", "provider", "hold_expires_at", "modified_at"])
    reservation_payment_settled(reservation=order.reservation_id)
    return provider.create(
        PaymentRequest(
            stamp=str(uuid.uuid4()),
            reference=order.reference,
            amount=order.total,
            customer_email=order.customer_email,
            redirect_urls=links.return_urls(order, provider.identifier),
            language=order.language,
        )
    )


def _invoice_create(order: Order, details: InvoiceDetails | None, now: dt.datetime) -> Invoice:
    if details is None or not details.organisation_name.strip() or not details.billing_address.strip():
        raise DomainError(
            "invoice_details_missing", _("Give the organisation's name and billing address."), field="organisation_name"
        )
    today = timezone.localdate(now)
    invoice = Invoice.objects.create(
        order=order,
        number=f"{today.year}-{order.pk:06d}",
        reference=order.reference,
        issued_on=today,
        due_on=today + dt.timedelta(days=int(getattr(settings, "TILA_INVOICE_DUE_DAYS", INVOICE_DUE_DAYS))),
        organisation_name=details.organisation_name.strip()[:200],
        business_id=details.business_id.strip()[:20],
        billing_address=details.billing_address.strip(),
        contact_name=details.contact_name.strip()[:200],
        email=details.email.strip() or order.customer_email,
    )
    mail.order_email("invoice", order)
    return invoice


# --- Reports from payment services -------------------------------------------------------------


def _log(provider: str, kind: str, outcome: str, params: Mapping[str, str], **links_: Any) -> None:
    kept = {str(k)[:64]: str(v)[:200] for k, v in list(params.items())[:40]}
    PaymentLog.objects.create(provider=provider[:32], kind=kind, outcome=outcome, params=kept, **links_)


def _reject(provider: str, kind: str, params: Mapping[str, str], error: DomainError, **links_: Any) -> DomainError:
    logger.warning("Rejected %s %s: %s", provider, kind, error.code)
    _log(provider, kind, LogOutcome.REJECTED, params, code=error.code, **links_)
    return error


def _find_payment(provider_id: str, outcome: PaymentOutcome) -> Payment | None:
    try:
        stamp = uuid.UUID(outcome.stamp)
    except ValueError:
        return None
    return Payment.objects.filter(stamp=stamp, provider=provider_id).first()


def _verify(provider: PaymentProvider, params: Mapping[str, str], kind: str) -> PaymentOutcome:
    if kind == "return":
        return provider.confirm(params)
    return provider.handle_callback(params)


def payment_report_receive(
    *, provider_id: str, params: Mapping[str, str], kind: str = "callback", now: dt.datetime | None = None
) -> Payment:
    """Check and apply a payment service's report (the customer's return or a server callback).

    A bad signature, an unknown payment, another amount or another transaction is rejected with
    its error and logged; a valid report is applied once (see module docstring)."""
    try:
        provider = get_provider(provider_id)
        outcome = _verify(provider, params, kind)
    except PaymentProviderError as exc:
        raise _reject(provider_id, kind, params, exc) from None
    payment = _find_payment(provider_id, outcome)
    if payment is None:
        raise _reject(provider_id, kind, params, DomainError("payment_unknown", _("Unknown payment.")))
    error: DomainError
    if outcome.amount != payment.amount:
        error = AmountMismatch(expected=to_cents(payment.amount), actual=to_cents(outcome.amount))
        raise _reject(provider_id, kind, params, error, order_id=payment.order_id, payment=payment)
    if payment.transaction_id and outcome.transaction_id and outcome.transaction_id != payment.transaction_id:
        error = DomainError("payment_transaction_mismatch", _("The payment data does not match the payment."))
        raise _reject(provider_id, kind, params, error, order_id=payment.order_id, payment=payment)
    return _apply_outcome(payment.pk, outcome, kind, params, now or timezone.now())


@transaction.atomic
def _apply_outcome(
    payment_id: int, outcome: PaymentOutcome, kind: str, params: Mapping[str, str], now: dt.datetime
) -> Payment:
    order = _lock_order(Payment.objects.values_list("order_id", flat=True).get(pk=payment_id))
    payment = Payment.objects.select_for_update().get(pk=payment_id)
    new_state = _STATE_OF_STATUS[outcome.status]
    if new_state not in _NEXT_STATES[payment.state]:
        _log(payment.provider, kind, LogOutcome.DUPLICATE, params, order=order, payment=payment)
        return payment
    payment.state = new_state
    payment.transaction_id = payment.transaction_id or (outcome.transaction_id or "")
    if new_state == PaymentState.PAID:
        payment.paid_at = now
        payment.method = outcome.method[:64]
    payment.save()
    _log(payment.provider, kind, LogOutcome.ACCEPTED, params, order=order, payment=payment)
    if new_state == PaymentState.PAID:
        _payment_arrived(order, payment, now)
    return payment


def _payment_arrived(order: Order, payment: Payment, now: dt.datetime) -> None:
    """Money arrived for ``order``: settle it, or rebook an expired hold, or give the money back."""
    if order.state in UNPAID_STATES:
        _mark_order_paid(order, now, payment.provider)
    elif order.state == OrderState.EXPIRED:
        _rebook_or_refund(order, payment, now)
    else:  # paid twice, or paid for a cancelled booking: nothing was bought, so all of it goes back
        _refunds_create(
            order, payment.amount, reason=str(_("Paid for a booking that was cancelled or already paid.")), only=payment
        )


def _rebook_or_refund(order: Order, payment: Payment, now: dt.datetime) -> None:
    try:
        with transaction.atomic():
            reservation_payment_reinstate(reservation=order.reservation_id, now=now)
    except DomainError as exc:
        logger.info(
            "Payment %s arrived after the hold of order %s expired (%s): refunding", payment.pk, order.pk, exc.code
        )
        order.state = OrderState.CANCELLED
        order.cancelled_at = now
        order.save(update_fields=["state", "cancelled_at", "modified_at"])
        _refunds_create(
            order, payment.amount, reason=str(_("The time was no longer free when the payment arrived.")), only=payment
        )
        return
    _mark_order_paid(order, now, payment.provider)


# --- Staff: paid on site or by invoice ----------------------------------------------------------


@transaction.atomic
def order_mark_paid(*, actor: Any, order: Order | int, method: str = "", now: dt.datetime | None = None) -> Order:
    """Staff record that the customer paid (at the place or the invoice): the order is paid."""
    now = now or timezone.now()
    order = _lock_order(order)
    _require_staff(actor, order)
    if order.state not in UNPAID_STATES:
        raise DomainError("order_not_payable", _("This order cannot be paid now."))
    before = snapshot(order)
    provider = order.provider or "onsite"
    payment = order.payments.filter(provider=provider, state=PaymentState.PENDING).first()
    if payment is None:
        payment = Payment(order=order, provider=provider, amount=order.total)
    payment.state = PaymentState.PAID
    payment.paid_at = now
    payment.amount = order.total
    payment.method = method[:64]
    payment.marked_paid_by = actor
    payment.save()
    _mark_order_paid(order, now, provider)
    audit_log(
        actor=actor,
        action="order.mark_paid",
        obj=order,
        unit_id=order.reservation.resource.unit_id,
        before=before,
        after=snapshot(order),
    )
    return order


# --- Cancellations and refunds -----------------------------------------------------------------


def order_reservation_cancelled(*, reservation: Reservation, now: dt.datetime, in_full: bool) -> None:
    """The engine cancelled or denied ``reservation`` (inside its transaction): close the order and
    refund by the resource's refund policy, or everything when staff cancelled or denied it."""
    if not Order.objects.filter(reservation_id=reservation.pk).exists():
        return
    order = _lock_order(Order.objects.values_list("pk", flat=True).get(reservation_id=reservation.pk))
    if order.state in (OrderState.EXPIRED, OrderState.CANCELLED):
        return
    amount = refund_due(order=order, now=now, in_full=in_full)
    order.state = OrderState.CANCELLED
    order.cancelled_at = now
    order.hold_expires_at = None
    order.save(update_fields=["state", "cancelled_at", "hold_expires_at", "modified_at"])
    order.payments.filter(state__in=(PaymentState.CREATED, PaymentState.PENDING)).exclude(provider="paytrail").update(
        state=PaymentState.FAILED
    )
    Invoice.objects.filter(order=order, cancelled_at__isnull=True).update(cancelled_at=now)
    if amount > ZERO:
        _refunds_create(order, amount, reason=str(_("The booking was cancelled.")))


def _refunds_create(
    order: Order, amount: Decimal, *, reason: str, only: Payment | None = None, actor: Any = None
) -> list[Refund]:
    """Refund ``amount`` from the order's paid payments (newest first, or ``only`` one): online
    providers are asked after commit; money paid on site or by invoice is paid back by staff."""
    payments = [only] if only is not None else list(order.payments.filter(state=PaymentState.PAID).order_by("-paid_at"))
    remaining, refunds = cents(amount), []
    for payment in payments:
        take = min(remaining, refundable_left(payment))
        if take <= ZERO:
            continue
        refunds.append(_refund_one(order, payment, take, reason, actor))
        remaining -= take
    if refunds:
        mail.order_email("refund", order, amount=sum((r.amount for r in refunds), ZERO))
    return refunds


def _refund_one(order: Order, payment: Payment, amount: Decimal, reason: str, actor: Any) -> Refund:
    provider = get_provider(payment.provider)
    online = provider.refunds_supported and bool(payment.transaction_id)
    refund = Refund.objects.create(
        order=order,
        payment=payment,
        amount=amount,
        reason=reason[:300],
        state=RefundState.CREATED if online else RefundState.MANUAL,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if online:
        from tila.payments.tasks import send_refund

        pk = refund.pk
        transaction.on_commit(lambda: send_refund.enqueue(pk))
    return refund


@transaction.atomic
def order_refund(*, actor: Any, order: Order | int, amount: Decimal, reason: str = "") -> list[Refund]:
    """Staff give money back on a paid order (a goodwill refund, a price corrected)."""
    order = _lock_order(order)
    _require_staff(actor, order)
    amount = cents(amount)
    if amount <= ZERO or amount > paid_amount(order):
        raise DomainError(
            "invalid_refund_amount", _("The amount must be more than zero and at most what was paid."), field="amount"
        )
    refunds = _refunds_create(order, amount, reason=reason or str(_("Refund by staff.")), actor=actor)
    audit_log(
        actor=actor,
        action="order.refund",
        obj=order,
        unit_id=order.reservation.resource.unit_id,
        after={"amount": str(amount), "reason": reason},
    )
    return refunds


def _claim_refund(refund_id: int) -> Refund | None:
    claimed = Refund.objects.filter(pk=refund_id, state=RefundState.CREATED).update(
        state=RefundState.PENDING, attempts=F("attempts") + 1
    )
    return Refund.objects.select_related("payment", "order").get(pk=refund_id) if claimed else None


def refund_send(*, refund_id: int) -> str:
    """Ask the provider to refund (no transaction open). Returns the refund's state afterwards.

    An unreachable provider puts the refund back to be sent again by the periodic sweep."""
    refund = _claim_refund(refund_id)
    if refund is None:
        return "not_due"
    provider = get_provider(refund.payment.provider)
    request = RefundRequest(
        transaction_id=refund.payment.transaction_id,
        amount=refund.amount,
        refund_stamp=str(refund.stamp),
        refund_reference=refund.order.reference,
        callback_urls=links.refund_callback_urls(refund.payment.provider),
        email=refund.order.customer_email,
    )
    try:
        outcome = provider.refund(request)
    except PaymentProviderError as exc:
        logger.warning("Refund %s failed to send: %s", refund.pk, exc)
        Refund.objects.filter(pk=refund.pk, state=RefundState.PENDING).update(
            state=RefundState.CREATED, last_error=str(exc)[:2000]
        )
        return RefundState.CREATED
    return _refund_result(refund.pk, outcome.status, outcome.transaction_id or "")


@transaction.atomic
def _refund_result(refund_id: int, status: str, transaction_id: str) -> str:
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.state in (RefundState.DONE, RefundState.FAILED):
        return refund.state
    refund.transaction_id = refund.transaction_id or transaction_id
    if status == PaymentStatus.OK:
        refund.state, refund.done_at = RefundState.DONE, timezone.now()
    elif status == PaymentStatus.FAIL:
        refund.state = RefundState.FAILED
    refund.save()
    return refund.state


def refund_report_receive(*, provider_id: str, params: Mapping[str, str]) -> Refund:
    """Check and apply a provider's report about a refund (its own callback)."""
    kind = "refund_callback"
    try:
        outcome = get_provider(provider_id).handle_refund_callback(params)
    except PaymentProviderError as exc:
        raise _reject(provider_id, kind, params, exc) from None
    try:
        refund = Refund.objects.filter(stamp=uuid.UUID(outcome.stamp), payment__provider=provider_id).first()
    except ValueError:
        refund = None
    if refund is None:
        raise _reject(provider_id, kind, params, DomainError("refund_unknown", _("Unknown refund.")))
    if outcome.amount != refund.amount:
        error = AmountMismatch(expected=to_cents(refund.amount), actual=to_cents(outcome.amount))
        raise _reject(provider_id, kind, params, error, order_id=refund.order_id, refund=refund)
    before = refund.state
    state = _refund_result(refund.pk, outcome.status, outcome.transaction_id or "")
    outcome_kind = LogOutcome.DUPLICATE if state == before else LogOutcome.ACCEPTED
    _log(provider_id, kind, outcome_kind, params, order_id=refund.order_id, refund=refund)
    refund.refresh_from_db()
    return refund


@transaction.atomic
def refund_mark_done(*, actor: Any, refund: Refund | int, now: dt.datetime | None = None) -> Refund:
    """Staff record that they paid a manual refund back (or that a failed one was handled)."""
    refund = (
        Refund.objects.select_for_update()
        .select_related("order__reservation__resource")
        .get(pk=refund.pk if isinstance(refund, Refund) else refund)
    )
    _require_staff(actor, refund.order)
    if refund.state not in (RefundState.MANUAL, RefundState.FAILED):
        raise DomainError("refund_not_manual", _("This refund is handled by the payment service."))
    refund.state, refund.done_at = RefundState.DONE, now or timezone.now()
    refund.save(update_fields=["state", "done_at"])
    audit_log(actor=actor, action="refund.done", obj=refund, unit_id=refund.order.reservation.resource.unit_id)
    return refund


def refunds_retry(*, now: dt.datetime | None = None) -> int:
    """Send again the refunds whose sending failed or whose task was lost."""
    from tila.payments.selectors import refunds_to_send

    now = now or timezone.now()
    ids = refunds_to_send(older_than=now - dt.timedelta(minutes=1))
    for pk in ids:
        refund_send(refund_id=pk)
    return len(ids)


# --- Subsidies ---------------------------------------------------------------------------------


def _subsidised_total(order: Order) -> Decimal | None:
    line = order.lines.select_related("price_rule").first()
    rule = line.price_rule if line is not None else None
    if line is None or rule is None or rule.subsidised_price is None:
        return None
    return min(order.total, cents(rule.subsidised_price * line.quantity))


@transaction.atomic
def subsidy_apply(*, actor: Any, order: Order | int, reason: str, now: dt.datetime | None = None) -> SubsidyApplication:
    """Apply for the subsidised price with a reason: the booking goes to staff handling and the
    hold no longer expires; staff decide the price (subsidy_decide) and handle the booking."""
    now = now or timezone.now()
    order = _lock_order(order)
    _require_customer(actor, order)
    if order.state != OrderState.OPEN:
        raise DomainError("order_not_payable", _("This order cannot be paid now."))
    _check_payable(order, now)
    if not reason.strip():
        raise DomainError("required", _("Tell us why you apply for the subsidised price."), field="reason")
    if _subsidised_total(order) is None:
        raise DomainError("subsidy_not_available", _("This space has no subsidised price."))
    application = SubsidyApplication.objects.create(
        order=order, reason=reason.strip()[:4000], original_total=order.total
    )
    order.state = OrderState.AWAITING_DECISION
    order.hold_expires_at = None
    order.save(update_fields=["state", "hold_expires_at", "modified_at"])
    reservation_payment_settled(reservation=order.reservation_id, handling=True)
    return application


def _reprice(order: Order, total: Decimal) -> None:
    line = order.lines.first()
    if line is None:
        return
    net, vat = split_gross(total, line.vat_percentage)
    line.quantity, line.unit_price, line.total, line.net, line.vat = Decimal(1), total, total, net, vat
    line.pricing = Pricing.FIXED
    line.save()
    order.total = total


@transaction.atomic
def subsidy_decide(
    *,
    actor: Any,
    application: SubsidyApplication | int,
    grant: bool,
    total: Decimal | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> SubsidyApplication:
    """Staff grant (at the subsidised price, or ``total``) or refuse a subsidy. A free result is
    paid at once; otherwise the customer pays later, from their order page or as agreed."""
    now = now or timezone.now()
    pk = application.pk if isinstance(application, SubsidyApplication) else application
    order = _lock_order(SubsidyApplication.objects.values_list("order_id", flat=True).get(pk=pk))
    _require_staff(actor, order)
    application = SubsidyApplication.objects.select_for_update().get(pk=pk)
    if application.state != SubsidyState.PENDING or order.state != OrderState.AWAITING_DECISION:
        raise DomainError("subsidy_decided", _("This application has already been decided."))
    granted = cents(total) if total is not None else _subsidised_total(order)
    if grant and (granted is None or granted < ZERO or granted > order.total):
        raise DomainError("invalid", _("The granted price must be between zero and the full price."), field="total")
    application.state = SubsidyState.GRANTED if grant else SubsidyState.REFUSED
    application.granted_total = granted if grant else None
    application.decision_note, application.decided_by, application.decided_at = note, actor, now
    application.save()
    if grant and granted is not None:
        _reprice(order, granted)
    order.state = OrderState.COMMITTED
    order.save(update_fields=["state", "total", "modified_at"])
    if order.total == ZERO:
        _mark_order_paid(order, now, "subsidy")
    audit_log(
        actor=actor,
        action=f"subsidy.{application.state}",
        obj=application,
        unit_id=order.reservation.resource.unit_id,
        after=snapshot(application),
    )
    return application


# --- VAT rates -------------------------------------------------------------------------------

# Finland's rates (the same rows as migration 0002_finnish_vat_rates, which must not import this).
FINNISH_VAT_RATES: tuple[tuple[str, dt.date, Decimal], ...] = (
    (VatCategory.GENERAL, dt.date(2013, 1, 1), Decimal("24.00")),
    (VatCategory.GENERAL, dt.date(2024, 9, 1), Decimal("25.50")),
    (VatCategory.REDUCED, dt.date(2013, 1, 1), Decimal("14.00")),
    (VatCategory.REDUCED, dt.date(2026, 1, 1), Decimal("13.50")),
    (VatCategory.LOWEST, dt.date(2013, 1, 1), Decimal("10.00")),
    (VatCategory.EXEMPT, dt.date(2000, 1, 1), Decimal("0.00")),
)


def vat_rates_ensure() -> int:
    """Add Finland's VAT rates where missing (after a database flush); returns how many were added."""
    added = 0
    for category, valid_from, percentage in FINNISH_VAT_RATES:
        added += VatRate.objects.get_or_create(
            category=category, valid_from=valid_from, defaults={"percentage": percentage}
        )[1]
    return added


# --- Customer groups ---------------------------------------------------------------------------


def customer_group_verify(
    *, actor: Any, user: Any, group: str, organisation_name: str = "", business_id: str = ""
) -> Any:
    """A general administrator sets and verifies a customer's group (their prices follow it)."""
    from tila.accounts.permissions import is_general_admin
    from tila.payments.models import CustomerProfile

    if not is_general_admin(actor):
        raise PermissionDenied()
    if group not in CustomerGroup.values:
        raise DomainError("invalid_customer_group", _("Unknown customer group."), field="group")
    profile, _created = CustomerProfile.objects.update_or_create(
        user=user,
        defaults={
            "group": group,
            "organisation_name": organisation_name,
            "business_id": business_id,
            "verified_at": timezone.now(),
            "verified_by": actor,
        },
    )
    return profile
