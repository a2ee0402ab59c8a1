"""Pay by invoice: for associations and companies. The order services write the Invoice
(reference number, due date) and staff mark it paid when the money is in the bank."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import PaymentProvider, PaymentRequest, ProviderResult, register


@register
class InvoiceProvider(PaymentProvider):
    identifier = "invoice"
    verbose_name = _("Invoice")
    # The booking is confirmed at once; the money comes later (staff mark the order paid).
    deferred = True

    def create(self, payment: PaymentRequest) -> ProviderResult:
        return ProviderResult.show(
            _("We will send an invoice. Pay it by the due date with the reference number %(reference)s.")
            % {"reference": payment.reference},
            reference=payment.reference,
        )
