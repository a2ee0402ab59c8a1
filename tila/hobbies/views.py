"""Hobby pages: resident search and detail, entering a group, staff moderation, groups from series."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tila.accounts.permissions import Action, can, is_staff_anywhere, units_where
from tila.booking.models import ReservationSeries, SeriesState
from tila.catalogue.models import Unit
from tila.core.errors import DomainError
from tila.hobbies.forms import HobbyGroupForm, HobbySearchForm
from tila.hobbies.models import HobbyGroup
from tila.hobbies.selectors import hobby_groups_to_manage, hobby_search, hobby_sessions, hobby_visible
from tila.hobbies.services import hobby_group_create, hobby_group_from_series, hobby_group_publish


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = HobbySearchForm(request.GET or None)
    results = hobby_search(form.criteria())
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "searched": bool(request.GET)}
    return render(request, "hobbies/search.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = hobby_visible(request.user, pk)
    if group is None:
        raise Http404
    upcoming = hobby_sessions(group, limit=400)
    context = {"group": group, "session_count": len(upcoming)}
    return render(request, "hobbies/detail.html", context)


def _login(request: HttpRequest) -> HttpResponse:
    return redirect_to_login(request.get_full_path(), reverse("web:login"))


def new(request: HttpRequest) -> HttpResponse:
    """Staff enter a group for their units (published at once); associations for any unit (to be
    published by the unit's staff)."""
    if not request.user.is_authenticated:
        return _login(request)
    staff_units = Unit.objects.filter(units_where(request.user, Action.HANDLE))
    units = staff_units if staff_units.exists() else Unit.objects.all()
    form = HobbyGroupForm(request.POST or None, units=units.order_by("name_fi"))
    if request.method == "POST" and form.is_valid():
        try:
            group = hobby_group_create(actor=request.user, unit=form.cleaned_data["unit"], details=form.details())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            if group.published:
                messages.success(request, _("The hobby group is published."))
            else:
                messages.success(request, _("Thank you! The unit’s staff will check the group and publish it."))
            return redirect("hobbies:detail", pk=group.pk)
    return render(request, "hobbies/form.html", {"form": form}, status=400 if form.errors else 200)


def manage(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    if not is_staff_anywhere(request.user):
        return render(request, "feedback/forbidden.html", status=403)
    series = (
        ReservationSeries.objects.filter(
            state=SeriesState.ACTIVE, resource__unit__in=Unit.objects.filter(units_where(request.user, Action.HANDLE))
        )
        .exclude(type="blocked")
        .select_related("resource", "resource__unit")
        .order_by("-created_at")[:50]
    )
    context = {"groups": hobby_groups_to_manage(request.user)[:200], "series": series}
    return render(request, "hobbies/manage.html", context)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    group = get_object_or_404(HobbyGroup, pk=pk)
    try:
        hobby_group_publish(actor=request.user, group=group, published=request.POST.get("published") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("hobbies:manage")


def from_series(request: HttpRequest, series_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return _login(request)
    series = get_object_or_404(ReservationSeries.objects.select_related("resource", "resource__unit"), pk=series_id)
    if not can(request.user, Action.HANDLE, series.resource.unit_id):
        raise Http404  # a series' subject and reserver are shown only to the unit's handlers
    initial: dict[str, Any] = {"name_fi": series.event_subject, "organiser": series.reserver_name}
    form = HobbyGroupForm(request.POST or None, initial=initial, with_schedule=False)
    if request.method == "POST" and form.is_valid():
        try:
            group = hobby_group_from_series(actor=request.user, series=series, details=form.details())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The hobby group is published."))
            return redirect("hobbies:detail", pk=group.pk)
    context = {"form": form, "series": series}
    return render(request, "hobbies/form.html", context, status=400 if form.errors else 200)
