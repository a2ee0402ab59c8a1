"""Staff pages of seasonal rounds: the list, creating and editing a round, its equity weights, its
state, and the review of applications (reject a section or one space option, weigh a section)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tila.accounts.permissions import Action
from tila.catalogue.models import Resource
from tila.core.errors import DomainError
from tila.seasons import selectors, services
from tila.seasons.access import staff_rounds
from tila.seasons.forms import RejectSectionForm, RoundForm, SectionWeightForm, WeightsForm
from tila.seasons.models import Application, ApplicationState, ResourceOption, RoundState
from tila.seasons.runs import run_refresh
from tila.seasons.views.common import context_for, staff_application, staff_round, staff_section
from tila.staff.selectors import staff_units
from tila.staff.views.common import staff_required


@staff_required
@require_http_methods(["GET", "HEAD"])
def rounds(request: HttpRequest) -> HttpResponse:
    page = Paginator(staff_rounds(request.user).order_by("-season_begin", "-id"), 50).get_page(request.GET.get("page"))
    can_create = staff_units(request.user, Action.MANAGE).exists()
    return render(request, "seasons/staff/rounds.html", {"page": page, "can_create": can_create})


def _manageable_resources(request: HttpRequest) -> Any:
    units = staff_units(request.user, Action.MANAGE)
    return Resource.objects.filter(unit__in=units).select_related("unit").order_by("unit__name_fi", "name_fi")


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_new(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None, resources=_manageable_resources(request))
    if request.method == "POST" and form.is_valid():
        try:
            round = services.round_create(actor=request.user, data=form.data_for_service())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The round was created. Open it for applications when it is ready."))
            return redirect("seasons:staff_round", pk=round.pk)
    status = 400 if form.errors else 200
    return render(request, "seasons/staff/round_form.html", {"form": form, "round": None}, status=status)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk, Action.MANAGE)
    form = RoundForm(
        request.POST or None, resources=_manageable_resources(request), initial=RoundForm.initial_for(round)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(actor=request.user, round=round, data=form.data_for_service())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The round was saved."))
            return redirect("seasons:staff_round", pk=round.pk)
    status = 400 if form.errors else 200
    return render(request, "seasons/staff/round_form.html", {"form": form, "round": round}, status=status)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_weights(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk, Action.MANAGE)
    form = WeightsForm(request.POST or None, round=round)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_weights_set(
                actor=request.user, round=round, age_groups=form.age_groups(), districts=form.districts()
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The equity weights were saved."))
            return redirect("seasons:staff_round", pk=round.pk)
    status = 400 if form.errors else 200
    return render(request, "seasons/staff/weights.html", context_for(request, round, form=form), status=status)


TRANSITION_MESSAGES: dict[str, Any] = {
    RoundState.OPEN: gettext_lazy("The round is open for applications."),
    RoundState.IN_ALLOCATION: gettext_lazy("The round is in allocation: applications can no longer be changed."),
}


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk)
    if request.method == "POST":
        target = request.POST.get("to", "")
        try:
            services.round_transition(actor=request.user, round=round, to=target)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, TRANSITION_MESSAGES.get(target, _("The round was saved.")))
        return redirect("seasons:staff_round", pk=round.pk)
    run = selectors.latest_run(round)
    opening = selectors.round_opening(round)
    context = context_for(
        request,
        round,
        counts=selectors.round_counts(round),
        run=run_refresh(run) if run else None,
        opening=[(r, opening.get(r.pk)) for r in round.resources.select_related("unit").order_by("unit__name_fi")],
        weights=round.equity_weights.select_related("age_group", "district"),
    )
    return render(request, "seasons/staff/round.html", context)


# -- Review -------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "HEAD"])
def applications(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk)
    rows = (
        Application.objects.filter(round=round)
        .select_related("user", "home_district")
        .prefetch_related("sections")
        .order_by("state", "submitted_at", "id")
    )
    state = request.GET.get("state", ApplicationState.SUBMITTED)
    if state in ApplicationState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    return render(request, "seasons/staff/applications.html", context_for(request, round, page=page, state=state))


def _option_action(request: HttpRequest, rejected: bool) -> None:
    option = ResourceOption.objects.filter(pk=_int(request.POST.get("option"))).first()
    if option is None:
        raise DomainError("not_found", gettext_lazy("Choose a space option."))
    services.option_reject(actor=request.user, option=option, rejected=rejected)


def _section_action(request: HttpRequest, rejected: bool) -> None:
    section = staff_section(request, _int(request.POST.get("section")))
    reason = RejectSectionForm(request.POST, prefix=f"s{section.pk}")
    text = reason.cleaned_data.get("reason", "") if reason.is_valid() else ""
    services.section_reject(actor=request.user, section=section, rejected=rejected, reason=text)


def _weight_action(request: HttpRequest) -> None:
    section = staff_section(request, _int(request.POST.get("section")))
    form = SectionWeightForm(request.POST, prefix=f"w{section.pk}")
    if not form.is_valid():
        raise DomainError("invalid", gettext_lazy("Give a weight between 0.01 and 100."))
    services.section_weight_set(actor=request.user, section=section, weight=form.cleaned_data["weight"])


REVIEW_ACTIONS = {
    "reject_option": lambda request: _option_action(request, True),
    "restore_option": lambda request: _option_action(request, False),
    "reject_section": lambda request: _section_action(request, True),
    "restore_section": lambda request: _section_action(request, False),
    "weight": _weight_action,
}


def _review_post(request: HttpRequest) -> str | None:
    """Apply one review action; return an error message or None."""
    action = REVIEW_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        return _("Unknown action.")
    try:
        action(request)
    except DomainError as exc:
        return exc.message
    return None


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = staff_application(request, pk)
    if request.method == "POST":
        error = _review_post(request)
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("seasons:staff_application", pk=application.pk)
    sections = application.sections.select_related("purpose", "age_group").prefetch_related(
        "options__resource__unit", "suitable_times"
    )
    rows = [
        {
            "section": s,
            "reject_form": RejectSectionForm(prefix=f"s{s.pk}", initial={"reason": s.reject_reason}),
            "weight_form": SectionWeightForm(prefix=f"w{s.pk}", initial={"weight": s.weight.normalize()}),
        }
        for s in sections
    ]
    reviewable = application.round.state in services.REVIEW_STATES
    context = context_for(request, application.round, application=application, rows=rows, reviewable=reviewable)
    return render(request, "seasons/staff/application.html", context)
