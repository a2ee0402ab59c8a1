"""Admin for prices and payment settings (editable) and for orders and money (read-only: the
services are the only writers of orders, payments and refunds)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tila.payments.models import (
    CustomerProfile,
    Invoice,
    Order,
    OrderLine,
    Payment,
    PaymentLog,
    PriceRule,
    Refund,
    RefundPolicy,
    SubsidyApplication,
    UnitProvider,
    VatRate,
)


@admin.register(VatRate)
class VatRateAdmin(admin.ModelAdmin):
    list_display = ["category", "valid_from", "percentage"]
    list_filter = ["category"]


@admin.register(PriceRule)
class PriceRuleAdmin(admin.ModelAdmin):
    list_display = ["resource", "valid_from", "pricing", "price_resident", "price_association", "price_company"]
    list_filter = ["pricing", "vat_category", "free_for_youth"]
    search_fields = ["resource__id", "resource__name_fi", "product_code"]
    autocomplete_fields = ["resource"]


@admin.register(RefundPolicy)
class RefundPolicyAdmin(admin.ModelAdmin):
    list_display = ["resource", "full_refund_until", "fee", "late_refund_percentage"]
    autocomplete_fields = ["resource"]


@admin.register(UnitProvider)
class UnitProviderAdmin(admin.ModelAdmin):
    list_display = ["unit", "provider", "enabled"]
    list_filter = ["provider", "enabled"]


@admin.register(CustomerProfile)
class CustomerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "group", "organisation_name", "verified_at"]
    list_filter = ["group"]
    search_fields = ["user__email", "organisation_name", "business_id"]
    raw_id_fields = ["user", "verified_by"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class LineInline(ReadOnlyInline):
    model = OrderLine


class PaymentInline(ReadOnlyInline):
    model = Payment


class RefundInline(ReadOnlyInline):
    model = Refund
    fk_name = "order"


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["reference", "customer_email", "state", "total", "provider", "created_at"]
    list_filter = ["state", "provider", "customer_group"]
    search_fields = ["reference", "customer_email", "customer_name"]
    inlines = [LineInline, PaymentInline, RefundInline]


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "organisation_name", "issued_on", "due_on", "reference"]
    search_fields = ["number", "organisation_name", "reference"]


@admin.register(SubsidyApplication)
class SubsidyApplicationAdmin(ReadOnlyAdmin):
    list_display = ["order", "state", "original_total", "granted_total", "created_at"]
    list_filter = ["state"]


@admin.register(PaymentLog)
class PaymentLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "provider", "kind", "outcome", "code", "order"]
    list_filter = ["provider", "kind", "outcome"]
