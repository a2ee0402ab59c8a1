"""Staff pages: the order list, one order with its payments and refunds, and the accounting export."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from tila.accounts.permissions import Action, can, units_where
from tila.catalogue.models import Unit
from tila.core.errors import DomainError
from tila.payments import selectors, services
from tila.payments.forms import RefundForm, StaffOrderFilter, SubsidyDecisionForm
from tila.payments.models import UNPAID_STATES, Order, Refund, SubsidyState
from tila.payments.views.checkout import order_context
from tila.staff.views.common import staff_required

EXPORT_COLUMNS = (
    "date",
    "kind",
    "order",
    "reference",
    "unit",
    "resource",
    "product_code",
    "account",
    "cost_centre",
    "vat_percentage",
    "net",
    "vat",
    "total",
    "payment_method",
)


@require_GET
@staff_required
def order_list(request: HttpRequest) -> HttpResponse:
    form = StaffOrderFilter(request.GET or None)
    filters: dict[str, str] = {}
    if form.is_valid():
        filters = {
            "state": form.cleaned_data.get("state") or "",
            "provider": form.cleaned_data.get("provider") or "",
            "query": form.cleaned_data.get("q") or "",
        }
    orders = selectors.staff_orders(request.user, unit_id=request.GET.get("unit", "")[:100], **filters)
    page = Paginator(orders, 50).get_page(request.GET.get("page"))
    units = Unit.objects.filter(units_where(request.user, Action.VIEW)).order_by("name_fi")
    context = {"form": form, "page": page, "units": units, "today": timezone.localdate()}
    return render(request, "payments/staff/orders.html", context)


def _staff_order(request: HttpRequest, order_id: uuid.UUID) -> Order:
    order = Order.objects.select_related("reservation__resource__unit", "user").filter(uuid=order_id).first()
    if order is None or not can(request.user, Action.VIEW, order.reservation.resource.unit_id):
        raise Http404
    return order


def _act(request: HttpRequest, order: Order) -> tuple[str, Any]:
    """Run the action the staff member chose; (message, form with errors or None)."""
    action = request.POST.get("action", "")
    if action == "mark_paid":
        services.order_mark_paid(actor=request.user, order=order, method=request.POST.get("method", "")[:64])
        return _("The order is marked paid."), None
    if action == "refund_done":
        refund = Refund.objects.filter(pk=request.POST.get("refund", "0") or 0, order=order).first()
        if refund is None:
            raise Http404
        services.refund_mark_done(actor=request.user, refund=refund)
        return _("The refund is marked paid back."), None
    if action == "refund":
        form = RefundForm(request.POST)
        if not form.is_valid():
            return "", form
        services.order_refund(
            actor=request.user, order=order, amount=form.cleaned_data["amount"], reason=form.cleaned_data["reason"]
        )
        return _("The refund was started."), None
    if action == "subsidy":
        return _decide(request, order)
    raise Http404


def _decide(request: HttpRequest, order: Order) -> tuple[str, Any]:
    form = SubsidyDecisionForm(request.POST)
    if not form.is_valid() or not hasattr(order, "subsidy"):
        return "", form
    services.subsidy_decide(
        actor=request.user,
        application=order.subsidy,
        grant=form.cleaned_data["decision"] == SubsidyState.GRANTED,
        total=form.cleaned_data.get("total"),
        note=form.cleaned_data.get("note") or "",
    )
    return _("The decision was saved."), None


@staff_required
def order_detail(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = _staff_order(request, order_id)
    failed_form = None
    error = ""
    if request.method == "POST":
        try:
            message, failed_form = _act(request, order)
        except DomainError as exc:
            error = exc.message
        else:
            if failed_form is None:
                messages.success(request, message)
                return redirect("payments:staff_order", order_id=order.uuid)
        order.refresh_from_db()
    context = {
        **order_context(order),
        "may_handle": can(request.user, Action.HANDLE, order.reservation.resource.unit_id),
        "unpaid": order.state in UNPAID_STATES,
        "refund_form": failed_form if isinstance(failed_form, RefundForm) else RefundForm(),
        "subsidy_form": failed_form if isinstance(failed_form, SubsidyDecisionForm) else SubsidyDecisionForm(),
        "error": error,
        "log": list(order.log.all()[:50]),
    }
    return render(request, "payments/staff/order.html", context, status=400 if error or failed_form else 200)


def _parse_day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return timezone.localdate() - dt.timedelta(days=1)


@require_GET
@staff_required
def accounting_export(request: HttpRequest) -> HttpResponse:
    """The day's sales and refunds, one row per order line, VAT broken out (CSV, UTF-8)."""
    day = _parse_day(request.GET.get("day"))
    units = Unit.objects.filter(units_where(request.user, Action.VIEW))
    wanted = request.GET.get("unit", "")
    if wanted:
        units = units.filter(pk=wanted)
    rows = selectors.accounting_rows(day=day, unit_ids=list(units.values_list("pk", flat=True)))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tila-sales-{day.isoformat()}.csv"'
    writer = csv.writer(response)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.date.isoformat(),
                row.kind,
                row.order,
                row.reference,
                row.unit_id,
                row.resource_id,
                row.product_code,
                row.account,
                row.cost_centre,
                f"{row.vat_percentage:f}",
                f"{row.net:f}",
                f"{row.vat:f}",
                f"{row.total:f}",
                row.provider,
            ]
        )
    return response
