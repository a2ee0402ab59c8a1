"""For unit administrators: the unit's resources, opening hours and staff roles (through the
catalogue, hours and staff services, which check the role and write the audit log)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.accounts.models import UnitRole, User
from tila.accounts.permissions import Action
from tila.catalogue.models import Resource, Unit
from tila.catalogue.services import resource_create, resource_update
from tila.core.errors import DomainError
from tila.hours.models import OpeningPeriod
from tila.hours.services import opening_period_create, opening_period_delete, opening_period_update
from tila.staff.forms import PeriodForm, ResourceForm, RoleForm
from tila.staff.services import role_grant, role_revoke
from tila.staff.views.common import staff_required, unit_for

# --- Resources ---------------------------------------------------------------------------------


@staff_required
def resources(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = unit_for(request, unit_id, Action.MANAGE)
    items = Resource.objects.filter(unit=unit).select_related("type", "parent").order_by("name_fi")
    return render(request, "staff/manage/resources.html", {"unit": unit, "resources": items})


def _resource_initial(resource: Resource) -> dict[str, Any]:
    initial = {name: getattr(resource, name) for name in ResourceForm.FIELDS if name not in ("type", "parent")}
    initial.update(type=resource.type_id, parent=resource.parent_id)
    return initial


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def resource_edit(request: HttpRequest, unit_id: str, resource_id: str | None = None) -> HttpResponse:
    unit = unit_for(request, unit_id, Action.MANAGE)
    resource = None
    if resource_id is not None:
        resource = Resource.objects.filter(pk=resource_id, unit=unit).first()
        if resource is None:
            raise Http404
    initial = _resource_initial(resource) if resource else {"reservable": True, "public": True}
    form = ResourceForm(request.POST or None, unit=unit, exclude_id=resource_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if resource is None:
                resource = resource_create(actor=request.user, unit=unit, **form.service_fields())
            else:
                resource = resource_update(actor=request.user, resource=resource, **form.service_fields())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The resource has been saved."))
            return redirect("staff:resources", unit_id=unit.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "staff/manage/resource_form.html", {"unit": unit, "resource": resource, "form": form}, status=status
    )


# --- Opening hours -----------------------------------------------------------------------------


@staff_required
def hours(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = unit_for(request, unit_id, Action.MANAGE)
    periods = (
        OpeningPeriod.objects.filter(Q(unit=unit) | Q(resource__unit=unit))
        .select_related("resource")
        .prefetch_related("rules")
        .order_by("start", "id")
    )
    return render(request, "staff/manage/hours.html", {"unit": unit, "periods": periods})


def _period_for(unit: Unit, pk: int | None) -> OpeningPeriod | None:
    if pk is None:
        return None
    period = OpeningPeriod.objects.filter(pk=pk).select_related("resource").first()
    if period is None or (period.unit_id != unit.pk and getattr(period.resource, "unit_id", None) != unit.pk):
        raise Http404
    return period


def _save_period(request: HttpRequest, unit: Unit, period: OpeningPeriod | None, form: PeriodForm) -> None:
    data = form.cleaned_data
    fields: dict[str, Any] = {
        "start": data["start"],
        "end": data["end"],
        "closed": data["closed"],
        "name": {"fi": data["name_fi"], "sv": data["name_sv"], "en": data["name_en"]},
    }
    if period is None:
        target = {"resource": data["resource"]} if data["resource"] else {"unit": unit}
        opening_period_create(actor=request.user, rules=data["rules"], **target, **fields)
    else:
        opening_period_update(actor=request.user, period=period, rules=data["rules"], **fields)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def period_edit(request: HttpRequest, unit_id: str, pk: int | None = None) -> HttpResponse:
    unit = unit_for(request, unit_id, Action.MANAGE)
    period = _period_for(unit, pk)
    initial = PeriodForm.initial_for(period) if period else {}
    form = PeriodForm(request.POST or None, unit=unit, initial=initial)
    if period is not None:
        form.fields["resource"].disabled = True
    if request.method == "POST" and request.POST.get("action") == "delete" and period is not None:
        opening_period_delete(actor=request.user, period=period)
        messages.success(request, _("The opening period has been deleted."))
        return redirect("staff:hours", unit_id=unit.pk)
    if request.method == "POST" and form.is_valid():
        try:
            _save_period(request, unit, period, form)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The opening hours have been saved."))
            return redirect("staff:hours", unit_id=unit.pk)
    status = 400 if request.method == "POST" else 200
    context = {"unit": unit, "period": period, "form": form}
    return render(request, "staff/manage/period_form.html", context, status=status)


# --- Roles -------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def roles(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = unit_for(request, unit_id, Action.MANAGE)
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = User.objects.filter(email__iexact=form.cleaned_data["email"], is_active=True).first()
        if person is None:
            form.add_error("email", _("No active account has this email address."))
        else:
            try:
                role_grant(actor=request.user, user=person, role=form.cleaned_data["role"], unit=unit)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("The role has been granted."))
                return redirect("staff:roles", unit_id=unit.pk)
    direct = UnitRole.objects.filter(unit=unit).select_related("user").order_by("user__email", "role")
    grouped = (
        UnitRole.objects.filter(unit_group__units=unit).select_related("user", "unit_group").order_by("user__email")
    )
    status = 400 if request.method == "POST" else 200
    context = {"unit": unit, "form": form, "direct": direct, "grouped": grouped}
    return render(request, "staff/manage/roles.html", context, status=status)


@staff_required
@require_POST
def role_remove(request: HttpRequest, unit_id: str, pk: int) -> HttpResponse:
    unit = unit_for(request, unit_id, Action.MANAGE)
    role = UnitRole.objects.filter(pk=pk, unit=unit).first()
    if role is None:
        raise Http404
    try:
        role_revoke(actor=request.user, role=role)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The role has been removed."))
    return redirect("staff:roles", unit_id=unit.pk)
