"""/v1/application_round/, /v1/application/ and /v1/allocation_run/ — seasonal application rounds.

Residents read rounds and their own applications (with the decisions once the results are sent);
staff start and cancel allocation runs, follow them, and accept a round's allocation. Every rule and
permission is decided by the services (tila.seasons.services, .runs, .decisions); this module only
translates HTTP. Wired in tila/api/urls.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tila.accounts.permissions import Action
from tila.api.base import OPTIONAL_AUTH, SIGNED_IN, db_int, not_found, paginate, require_user, responses, route
from tila.api.schemas import I18n, StrictIn
from tila.core.i18n import translations
from tila.seasons import decisions, runs, selectors, services
from tila.seasons.access import round_can, staff_rounds
from tila.seasons.models import Allocation, AllocationRun, Application, ApplicationRound, DecisionState

router = Router(tags=["seasons"])


class RoundResourceOut(Schema):
    id: str
    name: I18n
    unit: str
    people_capacity: int | None


class RoundOut(Schema):
    id: int
    name: I18n
    description: I18n
    state: str = Field(description="upcoming, open, in_allocation, handled or results_sent.")
    accepting_applications: bool
    season_begin: dt.date
    season_end: dt.date
    application_begin: dt.datetime
    application_end: dt.datetime
    slot_minutes: int
    resources: list[RoundResourceOut]
    purposes: list[str]


class RoundList(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[RoundOut]


class SuitableOut(Schema):
    weekday: int = Field(description="0 is Monday, 6 is Sunday.")
    begin: str
    end: str
    priority: str


class DecisionOut(Schema):
    id: int
    resource: str
    weekday: int
    begin: str
    end: str
    state: str
    series: int | None
    skipped: list[dict[str, str]]


class SectionOut(Schema):
    id: int
    name: str
    purpose: str | None
    age_group: int | None
    participants: int
    times_per_week: int
    min_minutes: int
    max_minutes: int
    resources: list[str] = Field(description="Preferred resources, best first.")
    suitable: list[SuitableOut]
    rejected: bool
    decisions: list[DecisionOut] = Field(description="Accepted times, once the round's results are sent.")


class ApplicationOut(Schema):
    id: int
    round: int
    state: str
    applicant_type: str
    organisation_name: str
    business_id: str
    contact_name: str
    contact_email: str
    home_district: str | None
    language: str
    submitted_at: dt.datetime | None
    results_sent: bool
    sections: list[SectionOut]


class ApplicationList(Schema):
    count: int
    next: str | None
    previous: str | None
    results: list[ApplicationOut]


class RunIn(StrictIn):
    solver: Literal["cpsat", "greedy"] = "cpsat"
    time_limit: float = Field(60.0, ge=1, le=600, description="Seconds for the whole allocation.")
    seed: int = Field(0, ge=0, le=2**31 - 1)


class RunOut(Schema):
    id: int
    round: int
    status: str = Field(description="queued, running, done, failed or cancelled.")
    solver: str
    parameters: dict[str, Any]
    progress: int = Field(description="Share of the time limit used, in per cent (100 when done).")
    cancel_requested: bool
    objective: float | None
    bound: float | None
    gap: float | None = Field(description="(bound − objective) / bound.")
    live: dict[str, Any] | None = Field(description="While running: the best objective and bound so far.")
    stats: dict[str, Any]
    error: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    allocations: int | None = Field(description="Weekly slots in the result.")


class AcceptOut(Schema):
    round: int
    state: str
    decisions: int
    series: int
    booked: int = Field(description="Dates booked in all.")
    skipped: int = Field(description="Dates not booked (closed days and conflicts), listed per decision.")
    closed: int
    empty: list[int] = Field(description="Decisions of which not one date could be booked.")


def _hhmm(value: dt.time) -> str:
    return value.strftime("%H:%M")


def round_json(round: ApplicationRound) -> dict[str, Any]:
    return {
        "id": round.pk,
        "name": translations(round, "name"),
        "description": translations(round, "description"),
        "state": round.state,
        "accepting_applications": services.accepting(round),
        "season_begin": round.season_begin,
        "season_end": round.season_end,
        "application_begin": round.application_begin,
        "application_end": round.application_end,
        "slot_minutes": round.slot_minutes,
        "resources": [
            {
                "id": r.pk,
                "name": translations(r, "name"),
                "unit": r.unit_id,
                "people_capacity": r.people_capacity,
            }
            for r in round.resources.all()
        ],
        "purposes": [p.pk for p in round.purposes.all()],
    }


def _rounds() -> QuerySet[ApplicationRound]:
    return selectors.public_rounds().prefetch_related("purposes")


@route(
    router,
    ["GET"],
    "/application_round/",
    response=responses({200: RoundList}, 404),
    summary="List seasonal application rounds",
    url_name="application_round_list",
    **OPTIONAL_AUTH,
)
def list_rounds(
    request: HttpRequest,
    state: str | None = Query(None, max_length=32),
    page: int | None = Query(None, ge=1),
    page_size: int | None = Query(None, ge=1),
) -> dict[str, Any]:
    qs = _rounds()
    if state:
        qs = qs.filter(state__in=[s for s in state.split(",") if s])
    return paginate(request, qs, lambda items: [round_json(r) for r in items], page, page_size)


def _round(round_id: int) -> ApplicationRound:
    round = _rounds().filter(pk=db_int(round_id)).first()
    if round is None:
        raise not_found()
    return round


@route(
    router,
    ["GET"],
    "/application_round/{int:round_id}/",
    response=responses({200: RoundOut}, 404),
    summary="Get a seasonal application round",
    url_name="application_round",
    **OPTIONAL_AUTH,
)
def get_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    return round_json(_round(round_id))


def _decision_json(d: Allocation) -> dict[str, Any]:
    return {
        "id": d.pk,
        "resource": d.resource_id,
        "weekday": d.weekday,
        "begin": _hhmm(d.begin),
        "end": _hhmm(d.end),
        "state": d.state,
        "series": d.series_id,
        "skipped": [{k: str(v) for k, v in s.items()} for s in d.skipped],
    }


def application_json(application: Application) -> dict[str, Any]:
    visible = selectors.results_visible(application)
    sections = []
    for s in application.sections.all():
        accepted = [d for d in s.allocations.all() if d.state == DecisionState.ACCEPTED] if visible else []
        sections.append(
            {
                "id": s.pk,
                "name": s.name,
                "purpose": s.purpose_id,
                "age_group": s.age_group_id,
                "participants": s.participants,
                "times_per_week": s.times_per_week,
                "min_minutes": s.min_minutes,
                "max_minutes": s.max_minutes,
                "resources": [o.resource_id for o in s.options.all()],
                "suitable": [
                    {"weekday": t.weekday, "begin": _hhmm(t.begin), "end": _hhmm(t.end), "priority": t.priority}
                    for t in s.suitable_times.all()
                ],
                "rejected": s.rejected if visible else False,
                "decisions": [_decision_json(d) for d in accepted],
            }
        )
    return {
        "id": application.pk,
        "round": application.round_id,
        "state": application.state,
        "applicant_type": application.applicant_type,
        "organisation_name": application.organisation_name,
        "business_id": application.business_id,
        "contact_name": application.contact_name,
        "contact_email": application.contact_email,
        "home_district": application.home_district_id,
        "language": application.language,
        "submitted_at": application.submitted_at,
        "results_sent": visible,
        "sections": sections,
    }


def _own_applications(user: Any) -> QuerySet[Application]:
    return selectors.own_applications(user).prefetch_related(
        "sections__options", "sections__suitable_times", "sections__allocations"
    )


@route(
    router,
    ["GET"],
    "/application/",
    response=responses({200: ApplicationList}, 404),
    summary="List my seasonal applications",
    url_name="application_list",
    **SIGNED_IN,
)
def list_applications(
    request: HttpRequest,
    round: int | None = Query(None, ge=1, le=2**63 - 1),
    page: int | None = Query(None, ge=1),
    page_size: int | None = Query(None, ge=1),
) -> dict[str, Any]:
    qs = _own_applications(require_user(request))
    if round is not None:
        qs = qs.filter(round_id=round)
    return paginate(request, qs, lambda items: [application_json(a) for a in items], page, page_size)


@route(
    router,
    ["GET"],
    "/application/{int:application_id}/",
    response=responses({200: ApplicationOut}, 404),
    summary="Get one of my seasonal applications (with the decisions once sent)",
    url_name="application",
    **SIGNED_IN,
)
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = _own_applications(require_user(request)).filter(pk=db_int(application_id)).first()
    if application is None:
        raise not_found()
    return application_json(application)


# -- Staff -------------------------------------------------------------------------------------


def run_json(run: AllocationRun) -> dict[str, Any]:
    stats = dict(run.stats or {})
    live = stats.pop("live", None)
    return {
        "id": run.pk,
        "round": run.round_id,
        "status": run.status,
        "solver": run.solver,
        "parameters": run.parameters,
        "progress": run.progress,
        "cancel_requested": run.cancel_requested,
        "objective": run.objective,
        "bound": run.bound,
        "gap": run.gap,
        "live": live,
        "stats": stats,
        "error": run.error,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "allocations": len(run.result.get("allocations", [])) if isinstance(run.result, dict) else None,
    }


def _staff_round(request: HttpRequest, round_id: int) -> ApplicationRound:
    round = staff_rounds(require_user(request)).filter(pk=db_int(round_id)).first()
    if round is None:
        raise not_found()
    return round


def _staff_run(request: HttpRequest, run_id: int) -> AllocationRun:
    run = AllocationRun.objects.select_related("round").filter(pk=db_int(run_id)).first()
    if run is None or not round_can(require_user(request), Action.VIEW, run.round):
        raise not_found()
    return runs.run_refresh(run)


@route(
    router,
    ["POST"],
    "/application_round/{int:round_id}/allocation_run/",
    response=responses({202: RunOut}, 400, 403, 404),
    summary="Staff: start an allocation run on a round in allocation",
    **SIGNED_IN,
)
def start_run(request: HttpRequest, round_id: int, payload: RunIn) -> Status[dict[str, Any]]:
    """Queued in the background (`tila db_worker`); follow it at /v1/allocation_run/{id}/. At most one
    run per round is active (`run_active`)."""
    round = _staff_round(request, round_id)
    run = runs.allocation_run_start(
        actor=request.user,
        round=round,
        parameters=runs.RunParameters(solver=payload.solver, time_limit=payload.time_limit, seed=payload.seed),
    )
    return Status(202, run_json(run))


@route(
    router,
    ["GET"],
    "/allocation_run/{int:run_id}/",
    response=responses({200: RunOut}, 404),
    summary="Staff: follow an allocation run",
    url_name="allocation_run",
    **SIGNED_IN,
)
def get_run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    return run_json(_staff_run(request, run_id))


@route(
    router,
    ["POST"],
    "/allocation_run/{int:run_id}/cancel/",
    response=responses({200: RunOut}, 400, 403, 404),
    summary="Staff: cancel an allocation run",
    **SIGNED_IN,
)
def cancel_run(request: HttpRequest, run_id: int) -> dict[str, Any]:
    run = runs.allocation_run_cancel(actor=request.user, run=_staff_run(request, run_id))
    return run_json(run)


@route(
    router,
    ["POST"],
    "/application_round/{int:round_id}/accept/",
    response=responses({200: AcceptOut}, 400, 403, 404),
    summary="Staff: accept a round's allocation and book it as recurring reservations",
    **SIGNED_IN,
)
def accept_round(request: HttpRequest, round_id: int) -> dict[str, Any]:
    """Every live decision becomes a weekly series for the season; closed days and dates already booked
    are skipped and counted. A decision that breaks a hard rule refuses the whole acceptance (400 with
    the checker's code)."""
    round = _staff_round(request, round_id)
    report = decisions.round_accept(actor=request.user, round=round)
    round.refresh_from_db()
    return {
        "round": round.pk,
        "state": round.state,
        "decisions": report.decisions,
        "series": report.series,
        "booked": report.booked,
        "skipped": report.skipped,
        "closed": report.closed,
        "empty": [d.pk for d in report.empty],
    }
