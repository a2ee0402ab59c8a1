"""Staff pages of allocation: start a run and follow it (htmx polling, cancel), the result (a weekly
timetable per resource, a list per applicant, bound/gap/fairness figures), adjusting decisions by
hand, accepting the allocation and sending the results."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tila.accounts.permissions import Action
from tila.core.errors import DomainError
from tila.seasons import decisions, runs, selectors
from tila.seasons.forms import AllocationForm, RunForm
from tila.seasons.models import Allocation, DecisionState, RoundState
from tila.seasons.views.common import context_for, staff_decision, staff_round, staff_run, staff_section
from tila.staff.views.common import staff_required

# -- Runs ---------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def run_list(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk)
    form = RunForm(request.POST or None)
    if request.method == "POST":
        staff_round(request, pk, Action.HANDLE)
        if form.is_valid():
            parameters = runs.RunParameters(
                solver=form.cleaned_data["solver"],
                time_limit=float(form.cleaned_data["time_limit"]),
                seed=form.cleaned_data.get("seed") or 0,
            )
            try:
                run = runs.allocation_run_start(actor=request.user, round=round, parameters=parameters)
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                return redirect("seasons:staff_run", pk=run.pk)
    status = 400 if form.errors else 200
    history = [runs.run_refresh(r) for r in round.runs.select_related("created_by")[:50]]
    return render(
        request, "seasons/staff/runs.html", context_for(request, round, form=form, runs=history), status=status
    )


def _run_context(request: HttpRequest, run: Any) -> dict[str, Any]:
    run = runs.run_refresh(run)
    live = (run.stats or {}).get("live") or {}
    return context_for(request, run.round, run=run, live=live)


@staff_required
@require_http_methods(["GET", "HEAD"])
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = staff_run(request, pk)
    return render(request, "seasons/staff/run.html", _run_context(request, run))


@staff_required
@require_http_methods(["GET", "HEAD"])
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress block alone (htmx polls it every second while the run is active)."""
    run = staff_run(request, pk)
    response = render(request, "seasons/staff/includes/run_progress.html", _run_context(request, run))
    if not run.active and request.headers.get("HX-Request") and request.GET.get("poll"):
        response["HX-Refresh"] = "true"  # the run ended: show the whole page with its result
    return response


@staff_required
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = staff_run(request, pk)
    try:
        runs.allocation_run_cancel(actor=request.user, run=run)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The run was asked to stop."))
    return redirect("seasons:staff_run", pk=run.pk)


# -- The result ---------------------------------------------------------------------------------


def _scores(round: Any, live: list[Allocation]) -> dict[str, Any]:
    problem = selectors.round_problem(round, mode="check")
    violations = selectors.decisions_check(problem, live)
    return {"score": selectors.decisions_score(problem, live), "violations": violations, "problem": problem}


@staff_required
@require_http_methods(["GET", "HEAD"])
def result(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk)
    all_decisions = list(selectors.round_decisions(round))
    live = [d for d in all_decisions if d.state != DecisionState.REJECTED]
    figures = _scores(round, live)
    run = selectors.latest_run(round)
    context = context_for(
        request,
        round,
        run=run,
        decisions=all_decisions,
        timetable=selectors.timetable(round, all_decisions, figures["problem"].opening),
        applicants=selectors.applicant_lines(round, all_decisions),
        score=figures["score"],
        violations=figures["violations"],
        adjustable=round.state == RoundState.IN_ALLOCATION,
        view=request.GET.get("view", "resources"),
    )
    return render(request, "seasons/staff/result.html", context)


# -- Adjusting by hand --------------------------------------------------------------------------

MARK_MESSAGES: dict[str, Any] = {
    DecisionState.LOCKED: gettext_lazy("The decision is locked: the next run keeps it."),
    DecisionState.PROPOSED: gettext_lazy("The decision is no longer locked."),
    DecisionState.REJECTED: gettext_lazy("The decision was rejected."),
}


def _initial(decision: Allocation) -> dict[str, Any]:
    return {"resource": decision.resource_id, "weekday": decision.weekday, "begin": decision.begin, "end": decision.end}


def _decision_post(request: HttpRequest, decision: Allocation, form: AllocationForm) -> HttpResponse | None:
    action = request.POST.get("action", "change")
    round_pk = decision.section.application.round_id
    try:
        if action == "change":
            if not form.is_valid():
                return None
            data = form.cleaned_data
            decisions.allocation_change(
                actor=request.user, allocation=decision, resource=data["resource"], weekday=data["weekday"],
                begin=data["begin"], end=data["end"],
            )  # fmt: skip
            messages.success(request, _("The decision was changed and locked."))
        elif action == "remove":
            decisions.allocation_remove(actor=request.user, allocation=decision)
            messages.success(request, _("The decision was removed."))
            return redirect("seasons:staff_result", pk=round_pk)
        else:
            decisions.allocation_mark(actor=request.user, allocation=decision, state=action)
            messages.success(request, MARK_MESSAGES.get(action, _("Saved.")))
    except DomainError as exc:
        if action != "change":
            messages.error(request, exc.message)
            return redirect("seasons:staff_decision", pk=decision.pk)
        form.add_domain_error(exc)
        return None
    return redirect("seasons:staff_decision", pk=decision.pk)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = staff_decision(request, pk)
    round = decision.section.application.round
    changing = request.method == "POST" and request.POST.get("action", "change") == "change"
    form = AllocationForm(request.POST if changing else None, round=round, initial=_initial(decision))
    if request.method == "POST":
        staff_round(request, round.pk, Action.HANDLE)
        response = _decision_post(request, decision, form)
        if response is not None:
            return response
    context = context_for(
        request, round, decision=decision, form=form, adjustable=round.state == RoundState.IN_ALLOCATION,
        section=decision.section,
    )  # fmt: skip
    return render(request, "seasons/staff/decision.html", context, status=400 if form.errors else 200)


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_new(request: HttpRequest, pk: int) -> HttpResponse:
    section = staff_section(request, pk)
    round = section.application.round
    form = AllocationForm(request.POST or None, round=round)
    if request.method == "POST":
        staff_round(request, round.pk, Action.HANDLE)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = decisions.allocation_add(
                    actor=request.user, section=section, resource=data["resource"], weekday=data["weekday"],
                    begin=data["begin"], end=data["end"], locked=True,
                )  # fmt: skip
            except DomainError as exc:
                form.add_domain_error(exc)
            else:
                messages.success(request, _("The decision was added and locked."))
                return redirect("seasons:staff_decision", pk=decision.pk)
    context = context_for(request, round, section=section, form=form)
    return render(request, "seasons/staff/decision_new.html", context, status=400 if form.errors else 200)


# -- Accepting and sending ----------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk)
    error = None
    if request.method == "POST":
        staff_round(request, pk, Action.HANDLE)
        try:
            report = decisions.round_accept(actor=request.user, round=round)
        except DomainError as exc:
            error = exc
        else:
            messages.success(request, _accepted_text(report))
            if report.skipped:
                messages.warning(request, _skipped_text(report))
            return redirect("seasons:staff_result", pk=round.pk)
    live = list(selectors.live_decisions(round))
    figures = _scores(round, live)
    context = context_for(
        request, round, live=len(live), violations=figures["violations"], score=figures["score"], error=error
    )
    return render(request, "seasons/staff/accept.html", context, status=400 if error else 200)


def _accepted_text(report: decisions.AcceptReport) -> str:
    return ngettext(
        "Accepted: %(series)s recurring reservation with %(booked)s dates booked.",
        "Accepted: %(series)s recurring reservations with %(booked)s dates booked.",
        report.series,
    ) % {"series": report.series, "booked": report.booked}


def _skipped_text(report: decisions.AcceptReport) -> str:
    return ngettext(
        "%(count)s date was not booked (%(closed)s of them closed); see the decisions.",
        "%(count)s dates were not booked (%(closed)s of them closed); see the decisions.",
        report.skipped,
    ) % {"count": report.skipped, "closed": report.closed}


@staff_required
@require_POST
def send_results(request: HttpRequest, pk: int) -> HttpResponse:
    round = staff_round(request, pk, Action.HANDLE)
    try:
        sent = decisions.round_results_send(actor=request.user, round=round)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            ngettext(
                "The decision was sent to %(count)s applicant.",
                "The decisions were sent to %(count)s applicants.",
                sent,
            )
            % {"count": sent},
        )
    return redirect("seasons:staff_round", pk=round.pk)
