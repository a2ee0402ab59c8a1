"""What the seasonal pages share: finding a round, an application or a decision the person may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest

from tila.accounts.permissions import Action
from tila.core.errors import DomainError
from tila.seasons.access import round_can, staff_rounds
from tila.seasons.models import Allocation, AllocationRun, Application, ApplicationRound, ApplicationSection


def staff_round(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> ApplicationRound:
    """A round the person sees as staff: 404 if not at all, 403 if they may not do `action`."""
    round = staff_rounds(request.user).filter(pk=pk).first()
    if round is None:
        raise Http404
    if not round_can(request.user, action, round):
        raise DjangoPermissionDenied
    return round


def staff_application(request: HttpRequest, pk: int) -> Application:
    application = Application.objects.select_related("round", "user", "home_district").filter(pk=pk).first()
    if application is None:
        raise Http404
    staff_round(request, application.round_id)
    return application


def staff_section(request: HttpRequest, pk: int) -> ApplicationSection:
    section = ApplicationSection.objects.select_related("application__round").filter(pk=pk).first()
    if section is None:
        raise Http404
    staff_round(request, section.application.round_id)
    return section


def staff_decision(request: HttpRequest, pk: int) -> Allocation:
    decision = (
        Allocation.objects.select_related("section__application__round", "resource__unit", "series")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    staff_round(request, decision.section.application.round_id)
    return decision


def staff_run(request: HttpRequest, pk: int) -> AllocationRun:
    run = AllocationRun.objects.select_related("round", "created_by").filter(pk=pk).first()
    if run is None:
        raise Http404
    staff_round(request, run.round_id)
    return run


def error_text(exc: DomainError) -> str:
    return exc.message


def may(request: HttpRequest, action: Action, round: ApplicationRound) -> bool:
    return round_can(request.user, action, round)


def context_for(request: HttpRequest, round: ApplicationRound, **extra: Any) -> dict[str, Any]:
    return {
        "round": round,
        "can_handle": may(request, Action.HANDLE, round),
        "can_manage": may(request, Action.MANAGE, round),
        **extra,
    }
