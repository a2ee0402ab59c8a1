"""The web shop's data: prices, VAT rates, orders with their lines, payments, refunds, invoices.

* A **PriceRule** prices one resource from a date on: per hour, per half day, per day or a fixed
  price, with a gross price per customer group and a VAT category. The rule valid on the local
  date a booking begins is the one that applies.
* **VatRate** rows are data: each VAT category's percentage from a date (Finland's general rate
  is 25.5 % since 1 September 2024, the reduced rate 13.5 % since 1 January 2026).
* An **Order** belongs to one reservation; its **OrderLines** carry the gross price, the VAT
  broken out and the accounting codes. Every **Payment** and **Refund** is its own object with
  its own state; the order's state is the lifecycle (open → paid, expired, cancelled …), the
  money is in the payments and refunds.
* An **Invoice** (reference number, due date, PDF on demand), a **SubsidyApplication**, a
  **RefundPolicy** per resource, the providers enabled per unit, each customer's group, and a
  **PaymentLog** of everything the payment services sent back (accepted or rejected).

See docs/payments.md.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.core.models import TimeStampedModel

MONEY: dict[str, Any] = {"max_digits": 12, "decimal_places": 2}


class VatCategory(models.TextChoices):
    GENERAL = "general", _("General VAT rate")
    REDUCED = "reduced", _("Reduced VAT rate (sports, culture, accommodation, food)")
    LOWEST = "lowest", _("Lowest reduced VAT rate (newspapers and magazines)")
    EXEMPT = "exempt", _("No VAT")


class VatRate(models.Model):
    """The percentage of one VAT category from ``valid_from`` on (until the next row)."""

    category = models.CharField(_("VAT category"), max_length=16, choices=VatCategory.choices)
    valid_from = models.DateField(_("valid from"))
    percentage = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("VAT rate")
        verbose_name_plural = _("VAT rates")
        ordering = ["category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["category", "valid_from"], name="vatrate_category_from"),
            models.CheckConstraint(
                condition=Q(percentage__gte=0) & Q(percentage__lte=100), name="vatrate_percentage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.percentage} % ({self.valid_from})"


class CustomerGroup(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ASSOCIATION = "association", _("Non-profit association")
    COMPANY = "company", _("Company")
    YOUTH = "youth", _("Under 18")


ORGANISATION_GROUPS = (CustomerGroup.ASSOCIATION, CustomerGroup.COMPANY)


class CustomerProfile(models.Model):
    """A customer's group for prices and their billing details.

    A group other than "resident" gives its prices only once staff have verified it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="customer_profile"
    )
    group = models.CharField(
        _("customer group"), max_length=16, choices=CustomerGroup.choices, default=CustomerGroup.RESIDENT
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True, default="")
    business_id = models.CharField(_("business ID"), max_length=20, blank=True, default="")
    billing_address = models.TextField(_("billing address"), blank=True, default="")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verified by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_group_display()})"


class Pricing(models.TextChoices):
    PER_HOUR = "per_hour", _("per hour")
    PER_HALF_DAY = "per_half_day", _("per half day (4 hours)")
    PER_DAY = "per_day", _("per day")
    FIXED = "fixed", _("fixed price")


class PriceRule(TimeStampedModel):
    """The price of one resource from ``valid_from`` on. Prices are gross (VAT included)."""

    resource = models.ForeignKey(
        "catalogue.Resource", verbose_name=_("resource"), on_delete=models.CASCADE, related_name="price_rules"
    )
    valid_from = models.DateField(_("valid from"))
    pricing = models.CharField(_("charged"), max_length=16, choices=Pricing.choices, default=Pricing.PER_HOUR)
    price_resident = models.DecimalField(_("price for residents"), **MONEY)
    price_association = models.DecimalField(
        _("price for non-profit associations"),
        null=True,
        blank=True,
        help_text=_("Empty: as for residents."),
        **MONEY,
    )
    price_company = models.DecimalField(
        _("price for companies"), null=True, blank=True, help_text=_("Empty: as for residents."), **MONEY
    )
    free_for_youth = models.BooleanField(_("free for under-18s"), default=False)
    subsidised_price = models.DecimalField(
        _("subsidised price"),
        null=True,
        blank=True,
        help_text=_("A price customers may apply for with a reason; empty: no subsidies."),
        **MONEY,
    )
    vat_category = models.CharField(
        _("VAT category"), max_length=16, choices=VatCategory.choices, default=VatCategory.GENERAL
    )
    product_code = models.CharField(_("product code"), max_length=40, default="RENT")
    account = models.CharField(_("accounting account"), max_length=20, blank=True, default="")
    cost_centre = models.CharField(_("cost centre"), max_length=20, blank=True, default="")

    class Meta:
        verbose_name = _("price rule")
        verbose_name_plural = _("price rules")
        ordering = ["resource", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "valid_from"], name="pricerule_resource_from"),
            models.CheckConstraint(condition=Q(price_resident__gte=0), name="pricerule_resident_not_negative"),
            models.CheckConstraint(
                condition=Q(price_association__isnull=True) | Q(price_association__gte=0),
                name="pricerule_association_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(price_company__isnull=True) | Q(price_company__gte=0),
                name="pricerule_company_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(subsidised_price__isnull=True) | Q(subsidised_price__gte=0),
                name="pricerule_subsidised_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.price_resident} {self.get_pricing_display()} ({self.valid_from})"

    def price_for_group(self, group: str) -> Decimal:
        """The gross unit price for a customer group."""
        if group == CustomerGroup.YOUTH and self.free_for_youth:
            return Decimal("0.00")
        if group == CustomerGroup.ASSOCIATION and self.price_association is not None:
            return self.price_association
        if group == CustomerGroup.COMPANY and self.price_company is not None:
            return self.price_company
        return self.price_resident


class RefundPolicy(models.Model):
    """How much a cancelled, paid booking of a resource gets back.

    Until ``full_refund_until`` before the start: everything paid minus ``fee``; after that:
    ``late_refund_percentage`` % (0 by default: nothing). Without a policy: a full refund until
    the start. Staff cancelling or denying a booking always refund it in full.
    """

    resource = models.OneToOneField(
        "catalogue.Resource", verbose_name=_("resource"), on_delete=models.CASCADE, related_name="refund_policy"
    )
    full_refund_until = models.DurationField(_("refund until (before the start)"))
    fee = models.DecimalField(_("cancellation fee"), default=Decimal("0.00"), **MONEY)
    late_refund_percentage = models.PositiveSmallIntegerField(_("refund after the cutoff (%)"), default=0)

    class Meta:
        verbose_name = _("refund policy")
        verbose_name_plural = _("refund policies")
        constraints = [
            models.CheckConstraint(condition=Q(fee__gte=0), name="refundpolicy_fee_not_negative"),
            models.CheckConstraint(
                condition=Q(late_refund_percentage__lte=100), name="refundpolicy_late_percentage_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id}: {self.full_refund_until}"


class UnitProvider(models.Model):
    """A unit's choice of a payment provider. A unit without rows uses the default set."""

    unit = models.ForeignKey(
        "catalogue.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="payment_providers"
    )
    provider = models.CharField(_("payment method"), max_length=32)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("payment method of a unit")
        verbose_name_plural = _("payment methods of units")
        constraints = [models.UniqueConstraint(fields=["unit", "provider"], name="unitprovider_unit_provider")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.provider} ({'on' if self.enabled else 'off'})"


class OrderState(models.TextChoices):
    OPEN = "open", _("Waiting for payment")
    AWAITING_DECISION = "awaiting_decision", _("Subsidy application being handled")
    COMMITTED = "committed", _("To be paid later")
    PAID = "paid", _("Paid")
    EXPIRED = "expired", _("Expired unpaid")
    CANCELLED = "cancelled", _("Cancelled")


# States in which the customer still owes the order's total.
UNPAID_STATES: tuple[str, ...] = (OrderState.OPEN, OrderState.AWAITING_DECISION, OrderState.COMMITTED)


class Order(TimeStampedModel):
    """What a customer owes for one reservation, and what became of it."""

    uuid = models.UUIDField(_("order id"), default=uuid.uuid4, unique=True, editable=False)
    reservation = models.OneToOneField(
        "booking.Reservation", verbose_name=_("reservation"), on_delete=models.PROTECT, related_name="order"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    customer_group = models.CharField(
        _("customer group"), max_length=16, choices=CustomerGroup.choices, default=CustomerGroup.RESIDENT
    )
    customer_name = models.CharField(_("customer's name"), max_length=200, blank=True, default="")
    customer_email = models.EmailField(_("customer's email"), blank=True, default="")
    language = models.CharField(_("language"), max_length=2, default="fi")
    state = models.CharField(_("state"), max_length=20, choices=OrderState.choices, default=OrderState.OPEN)
    total = models.DecimalField(_("total"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    reference = models.CharField(_("reference number"), max_length=20, blank=True, default="", db_index=True)
    provider = models.CharField(_("payment method"), max_length=32, blank=True, default="")
    hold_expires_at = models.DateTimeField(_("held until"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    expired_at = models.DateTimeField(_("expired at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "hold_expires_at"]), models.Index(fields=["user", "created_at"])]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative")]

    def __str__(self) -> str:
        return f"{self.reference or self.pk} {self.total} {self.currency} ({self.state})"


class OrderLine(models.Model):
    """One product on an order: gross price, VAT broken out, accounting codes."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    product_code = models.CharField(_("product code"), max_length=40)
    description = models.CharField(_("description"), max_length=300)
    pricing = models.CharField(_("charged"), max_length=16, choices=Pricing.choices, default=Pricing.FIXED)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=4)
    unit_price = models.DecimalField(_("unit price (VAT included)"), **MONEY)
    vat_percentage = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2)
    total = models.DecimalField(_("total (VAT included)"), **MONEY)
    vat = models.DecimalField(_("VAT"), **MONEY)
    net = models.DecimalField(_("total without VAT"), **MONEY)
    account = models.CharField(_("accounting account"), max_length=20, blank=True, default="")
    cost_centre = models.CharField(_("cost centre"), max_length=20, blank=True, default="")
    price_rule = models.ForeignKey(
        PriceRule, verbose_name=_("price rule"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="orderline_total_not_negative"),
            models.CheckConstraint(condition=Q(vat__gte=0), name="orderline_vat_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.product_code} {self.total}"


class PaymentState(models.TextChoices):
    CREATED = "created", _("Started")
    PENDING = "pending", _("Waiting for the money")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed or cancelled")


class Payment(models.Model):
    """One attempt to pay an order through one provider."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(_("payment method"), max_length=32)
    state = models.CharField(_("state"), max_length=16, choices=PaymentState.choices, default=PaymentState.CREATED)
    amount = models.DecimalField(_("amount"), **MONEY)
    stamp = models.UUIDField(_("stamp"), default=uuid.uuid4, unique=True, editable=False)
    transaction_id = models.CharField(_("transaction id"), max_length=100, blank=True, default="")
    redirect_url = models.URLField(_("payment page"), max_length=1000, blank=True, default="")
    method = models.CharField(_("paid with"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    marked_paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("marked paid by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "transaction_id"],
                condition=~Q(transaction_id=""),
                name="payment_provider_transaction",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.amount} ({self.state})"


class RefundState(models.TextChoices):
    CREATED = "created", _("To be sent")
    PENDING = "pending", _("Sent, waiting for the result")
    DONE = "done", _("Refunded")
    FAILED = "failed", _("Failed")
    MANUAL = "manual", _("To be paid back by staff")


class Refund(models.Model):
    """Money going back to the customer from one payment."""

    order = models.ForeignKey(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="refunds")
    payment = models.ForeignKey(Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.CharField(_("reason"), max_length=300, blank=True, default="")
    state = models.CharField(_("state"), max_length=16, choices=RefundState.choices, default=RefundState.CREATED)
    stamp = models.UUIDField(_("stamp"), default=uuid.uuid4, unique=True, editable=False)
    transaction_id = models.CharField(_("transaction id"), max_length=100, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    done_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} ({self.state})"


class Invoice(models.Model):
    """The invoice of an order paid by invoice: who pays, the reference and the due date."""

    order = models.OneToOneField(Order, verbose_name=_("order"), on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=20, unique=True)
    reference = models.CharField(_("reference number"), max_length=20)
    issued_on = models.DateField(_("date of invoice"))
    due_on = models.DateField(_("due date"))
    organisation_name = models.CharField(_("organisation"), max_length=200)
    business_id = models.CharField(_("business ID"), max_length=20, blank=True, default="")
    billing_address = models.TextField(_("billing address"))
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    email = models.EmailField(_("email"), blank=True, default="")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class SubsidyState(models.TextChoices):
    PENDING = "pending", _("Being handled")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class SubsidyApplication(models.Model):
    """A customer's application for the subsidised price of a booking, with their reason."""

    order = models.OneToOneField(Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="subsidy")
    reason = models.TextField(_("reason"))
    state = models.CharField(_("state"), max_length=16, choices=SubsidyState.choices, default=SubsidyState.PENDING)
    original_total = models.DecimalField(_("price before the decision"), **MONEY)
    granted_total = models.DecimalField(_("price granted"), null=True, blank=True, **MONEY)
    decision_note = models.TextField(_("note on the decision"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.order_id} ({self.state})"


class LogOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DUPLICATE = "duplicate", _("Already known")
    REJECTED = "rejected", _("Rejected")


class PaymentLog(models.Model):
    """Everything a payment service sent back to us, and what we made of it."""

    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    provider = models.CharField(_("payment method"), max_length=32)
    kind = models.CharField(_("kind"), max_length=32)
    outcome = models.CharField(_("outcome"), max_length=16, choices=LogOutcome.choices)
    code = models.CharField(_("code"), max_length=64, blank=True, default="")
    order = models.ForeignKey(Order, null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    payment = models.ForeignKey(Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    refund = models.ForeignKey(Refund, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    params = models.JSONField(_("parameters"), default=dict, blank=True)

    class Meta:
        verbose_name = _("payment log entry")
        verbose_name_plural = _("payment log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.provider} {self.kind} {self.outcome}"
