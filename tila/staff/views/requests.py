"""The request queue: requested reservations across my units; approve, deny with a reason, ask for
more information, one at a time or many at once."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tila.accounts.permissions import Action
from tila.booking.models import State
from tila.booking.services import reservation_approve
from tila.core.errors import DomainError
from tila.core.timeutil import day_bounds, get_zone
from tila.staff.forms import AskInfoForm, DenyForm, QueueFilterForm
from tila.staff.selectors import request_queue, staff_units
from tila.staff.services import request_ask_info, request_deny, requests_bulk
from tila.staff.views.common import may, reservation_for, staff_required

PAGE_SIZE = 50


def _filtered(request: HttpRequest, form: QueueFilterForm) -> Any:
    if not form.is_valid():
        return request_queue(user=request.user)
    data = form.cleaned_data
    zone = get_zone(None)
    return request_queue(
        user=request.user,
        unit_id=data.get("unit") or "",
        start=day_bounds(data["start"], zone)[0] if data.get("start") else None,
        end=day_bounds(data["end"], zone)[1] if data.get("end") else None,
        search=data.get("q") or "",
    )


@staff_required
@require_http_methods(["GET", "HEAD"])
def queue(request: HttpRequest) -> HttpResponse:
    units = list(staff_units(request.user, Action.HANDLE))
    form = QueueFilterForm(request.GET or None, units=units)
    page = Paginator(_filtered(request, form), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "staff/requests/queue.html",
        {
            "form": form,
            "page": page,
            "deny_form": DenyForm(prefix="bulk"),
            "units": units,
            "query": request.GET.urlencode(),
        },
    )


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit()][:500]


def _back_to_queue(request: HttpRequest) -> HttpResponse:
    query = request.POST.get("query", "")
    return redirect(reverse("staff:requests") + (f"?{query}" if query else ""))


@staff_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    ids = _ids(request)
    action = request.POST.get("action", "")
    if not ids:
        messages.error(request, _("Choose at least one request."))
        return _back_to_queue(request)
    form = DenyForm(request.POST, prefix="bulk")
    form.is_valid()
    try:
        result = requests_bulk(
            actor=request.user,
            ids=ids,
            action=action,
            reason=form.cleaned_data.get("reason"),
            text=form.cleaned_data.get("text") or "",
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back_to_queue(request)
    if result.done:
        text = ngettext("%(count)s request handled.", "%(count)s requests handled.", len(result.done))
        messages.success(request, text % {"count": len(result.done)})
    for pk, _code, message in result.failed:
        messages.error(request, _("Request %(id)s: %(message)s") % {"id": pk, "message": message})
    return _back_to_queue(request)


def _handle_post(request: HttpRequest, reservation: Any, deny: DenyForm, ask: AskInfoForm) -> str | None:
    """Run the chosen action; a success message, or None with the error added to the right form."""
    action = request.POST.get("action")
    try:
        if action == "approve":
            reservation_approve(actor=request.user, reservation=reservation)
            return _("The reservation is confirmed and the customer has been told.")
        if action == "deny" and deny.is_valid():
            request_deny(
                actor=request.user,
                reservation=reservation,
                reason=deny.cleaned_data.get("reason"),
                text=deny.cleaned_data.get("text") or "",
            )
            return _("The request is denied and the customer has been told why.")
        if action == "ask" and ask.is_valid():
            request_ask_info(actor=request.user, reservation=reservation, message=ask.cleaned_data["message"])
            return _("Your question has been sent to the customer.")
    except DomainError as exc:
        (ask if action == "ask" else deny).add_domain_error(exc)
    return None


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = reservation_for(request, pk)
    deny = DenyForm(request.POST if request.POST.get("action") == "deny" else None, prefix="deny")
    ask = AskInfoForm(request.POST if request.POST.get("action") == "ask" else None, prefix="ask")
    status = 200
    if request.method == "POST":
        done = _handle_post(request, reservation, deny, ask)
        if done is not None:
            messages.success(request, done)
            return redirect("staff:requests")
        status = 400
        reservation = reservation_for(request, pk)
    context = {
        "reservation": reservation,
        "deny_form": deny,
        "ask_form": ask,
        "can_handle": may(request, Action.HANDLE, reservation.resource.unit_id),
        "is_request": reservation.state == State.REQUESTED,
        "tz_name": reservation.resource.unit.time_zone,
    }
    return render(request, "staff/requests/detail.html", context, status=status)
