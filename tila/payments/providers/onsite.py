"""Pay at the unit: the booking is confirmed and staff mark the order paid when the customer pays."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .base import PaymentProvider, PaymentRequest, ProviderResult, register


@register
class OnsiteProvider(PaymentProvider):
    identifier = "onsite"
    verbose_name = _("Pay at the place")
    deferred = True

    def create(self, payment: PaymentRequest) -> ProviderResult:
        return ProviderResult.show(_("Pay at the place before your booking begins."), reference=payment.reference)
