"""Forms of the shop pages: they parse input; the services decide (their errors land on fields)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tila.payments.models import OrderState, SubsidyState
from tila.payments.providers import PaymentProvider
from tila.payments.services import InvoiceDetails
from tila.web.forms import TilaForm


class CheckoutForm(TilaForm):
    """Choose how to pay; organisations paying by invoice give their billing details."""

    domain_fields = {"provider": "provider", "organisation_name": "organisation_name"}

    provider = forms.ChoiceField(label=_("Payment method"), widget=forms.RadioSelect)
    organisation_name = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    business_id = forms.CharField(label=_("Business ID"), max_length=20, required=False)
    billing_address = forms.CharField(
        label=_("Billing address"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    invoice_email = forms.EmailField(label=_("Email for the invoice"), required=False)

    def __init__(self, *args: Any, providers: list[PaymentProvider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choices("provider", [(p.identifier, p.verbose_name) for p in providers])
        if len(providers) == 1:
            self.fields["provider"].initial = providers[0].identifier

    def invoice_details(self) -> InvoiceDetails | None:
        data = self.cleaned_data
        if data.get("provider") != "invoice":
            return None
        return InvoiceDetails(
            organisation_name=data.get("organisation_name") or "",
            billing_address=data.get("billing_address") or "",
            business_id=data.get("business_id") or "",
            contact_name=data.get("contact_name") or "",
            email=data.get("invoice_email") or "",
        )


class SubsidyForm(TilaForm):
    domain_fields = {"reason": "reason"}

    reason = forms.CharField(
        label=_("Why do you apply for the subsidised price?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: a non-profit event open to everyone, or a youth group."),
    )


class StaffOrderFilter(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False, choices=[("", _("All"))])
    provider = forms.CharField(label=_("Payment method"), required=False, max_length=32)
    q = forms.CharField(label=_("Reference number, name or email"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All")), *OrderState.choices]


class RefundForm(TilaForm):
    domain_fields = {"amount": "amount"}

    amount = forms.DecimalField(label=_("Amount (€)"), min_value=Decimal("0.01"), max_digits=12, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class SubsidyDecisionForm(TilaForm):
    domain_fields = {"total": "total"}

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[(SubsidyState.GRANTED, _("Grant")), (SubsidyState.REFUSED, _("Refuse"))],
    )
    total = forms.DecimalField(
        label=_("Price granted (€)"),
        required=False,
        min_value=Decimal("0"),
        max_digits=12,
        decimal_places=2,
        help_text=_("Empty: the subsidised price of the space."),
    )
    note = forms.CharField(label=_("Note"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
