"""Resident pages of seasonal rounds: the rounds, applying (details, groups and their times, drafts,
submitting, withdrawing) and seeing one's applications and their results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.core.errors import DomainError
from tila.seasons import selectors, services
from tila.seasons.forms import ApplicantForm, SectionForm
from tila.seasons.models import Application, ApplicationRound, ApplicationSection, ApplicationState
from tila.web.views.common import resident_required


@require_http_methods(["GET", "HEAD"])
def rounds(request: HttpRequest) -> HttpResponse:
    items = [(r, services.accepting(r)) for r in selectors.public_rounds()[:100]]
    return render(request, "seasons/rounds.html", {"items": items})


def _public_round(pk: int) -> ApplicationRound:
    round = selectors.public_rounds().filter(pk=pk).first()
    if round is None:
        raise Http404
    return round


@require_http_methods(["GET", "HEAD"])
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round = _public_round(pk)
    opening = selectors.round_opening(round)
    resources = [
        (r, opening.get(r.pk)) for r in round.resources.select_related("unit").order_by("unit__name_fi", "name_fi")
    ]
    mine = selectors.own_applications(request.user).filter(round=round) if request.user.is_authenticated else []
    context = {"round": round, "accepting": services.accepting(round), "resources": resources, "mine": mine}
    return render(request, "seasons/round.html", context)


@resident_required
@require_POST
def apply(request: HttpRequest, pk: int) -> HttpResponseBase:
    round = _public_round(pk)
    try:
        application = services.application_start(user=request.user, round=round)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("seasons:round", pk=round.pk)
    messages.success(request, _("A draft application was started. Save it as you go and submit it when it is ready."))
    return redirect("seasons:application", pk=application.pk)


@resident_required
@require_http_methods(["GET", "HEAD"])
def my_applications(request: HttpRequest) -> HttpResponse:
    return render(request, "seasons/my_applications.html", {"applications": selectors.own_applications(request.user)})


def _own(request: HttpRequest, pk: int) -> Application:
    application = selectors.own_applications(request.user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def _application_context(application: Application, form: ApplicantForm, **extra: Any) -> dict[str, Any]:
    editable = application.state == ApplicationState.DRAFT and services.accepting(application.round)
    sections = application.sections.select_related("purpose", "age_group").prefetch_related(
        "options__resource__unit", "suitable_times"
    )
    return {
        "application": application,
        "round": application.round,
        "form": form,
        "sections": sections,
        "editable": editable,
        "withdrawable": application.state == ApplicationState.SUBMITTED and services.accepting(application.round),
        "results": selectors.application_results(application) if selectors.results_visible(application) else None,
        **extra,
    }


@resident_required
@require_http_methods(["GET", "HEAD", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    form = ApplicantForm(request.POST or None, initial=ApplicantForm.initial_for(application))
    if request.method == "POST" and form.is_valid():
        try:
            services.application_save(user=request.user, application=application, data=form.data_for_service())
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect("seasons:application", pk=application.pk)
    status = 400 if form.errors else 200
    return render(request, "seasons/application.html", _application_context(application, form), status=status)


@resident_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    form = ApplicantForm(request.POST, initial=ApplicantForm.initial_for(application))
    try:
        if form.is_valid():
            services.application_save(user=request.user, application=application, data=form.data_for_service())
            services.application_submit(user=request.user, application=application)
    except DomainError:
        pass
    else:
        if form.is_valid():
            messages.success(request, _("Thank you! The application was submitted."))
            return redirect("seasons:application", pk=application.pk)
    application.refresh_from_db()
    problems = services.application_problems(application) if form.is_valid() else []
    for problem in problems:
        form.add_domain_error(problem)
    context = _application_context(application, form, submit_failed=True)
    return render(request, "seasons/application.html", context, status=400)


@resident_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    try:
        services.application_withdraw(user=request.user, application=application)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The application is a draft again. Submit it again when it is ready."))
    return redirect("seasons:application", pk=application.pk)


@resident_required
@require_POST
def application_delete(request: HttpRequest, pk: int) -> HttpResponse:
    application = _own(request, pk)
    try:
        services.application_delete(user=request.user, application=application)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("seasons:application", pk=application.pk)
    messages.success(request, _("The draft was deleted."))
    return redirect("seasons:my_applications")


def _section_for(application: Application, sid: int | None) -> ApplicationSection | None:
    if sid is None:
        return None
    section = application.sections.filter(pk=sid).first()
    if section is None:
        raise Http404
    return section


@resident_required
@require_http_methods(["GET", "HEAD", "POST"])
def section_edit(request: HttpRequest, pk: int, sid: int | None = None) -> HttpResponse:
    application = _own(request, pk)
    section = _section_for(application, sid)
    initial = SectionForm.initial_for(section) if section else None
    form = SectionForm(request.POST or None, round=application.round, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_save(
                user=request.user, application=application, section=section, data=form.data_for_service()
            )
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The group was saved in the draft."))
            return redirect("seasons:application", pk=application.pk)
    context = {"application": application, "round": application.round, "section": section, "form": form}
    return render(request, "seasons/section_form.html", context, status=400 if form.errors else 200)


@resident_required
@require_POST
def section_delete(request: HttpRequest, pk: int, sid: int) -> HttpResponse:
    application = _own(request, pk)
    try:
        services.section_delete(user=request.user, application=application, section=sid)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The group was removed from the draft."))
    return redirect("seasons:application", pk=application.pk)
