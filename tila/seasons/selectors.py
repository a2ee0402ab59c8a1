"""Reads of seasonal rounds, and the one place a round in the database becomes the allocator's input.

`round_problem(round, mode=...)` builds an `allocation.Round` from the database:

* resources: the round's resources with their whole tree (ancestors and parts, so that "a hall and
  its halves exclude each other" holds for anything the round touches), capacity, and the typical
  week of opening hours over the season (`tila.seasons.weekly`);
* blocked: weekly ranges that existing bookings and closures take (on leaf spaces), except the
  series this round's own accepted decisions made;
* sections: those of submitted applications, not rejected, with their preferred resources (rejected
  options and resources outside the round left out) and suitable times; the weight is the round's
  equity weight of the age group × that of the applicant's home district × the section's own factor;
* the round's objective overrides.

In `solve` mode the staff's decisions shape the input as well: a locked decision is kept (its time
becomes blocked, its section asks for one slot fewer and not on that day again), and a rejected
decision keeps the section off that resource. In `check` mode (manual adjustment, acceptance)
the input is the plain round, and every live decision is checked against it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from tila.catalogue.models import Resource
from tila.catalogue.selectors import resource_rules
from tila.seasons.allocation import Round, allocation_check, allocation_score, round_from_json
from tila.seasons.allocation import model as engine
from tila.seasons.allocation.checker import Violation
from tila.seasons.allocation.objective import Score
from tila.seasons.models import (
    LIVE_DECISION_STATES,
    Allocation,
    AllocationRun,
    Application,
    ApplicationRound,
    ApplicationSection,
    ApplicationState,
    DecisionState,
    EquityWeight,
    ResourceOption,
    RoundState,
)
from tila.seasons.weekly import Season, Span, WeeklyOpening, weekly_blocked, weekly_opening

MAX_WEIGHT = 1000.0

# -- The allocator's input -------------------------------------------------------------------


@dataclass
class RoundProblem:
    """A round as the allocator sees it, with the way back to the database rows."""

    round: Round
    data: dict[str, Any]
    """The JSON form (stored with each run; `tila allocate --input` solves it again)."""
    sections: dict[str, ApplicationSection]
    """Solver section id → section."""
    opening: dict[str, WeeklyOpening]
    locked: list[Allocation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def section_key(section: ApplicationSection | int) -> str:
    return str(section.pk if isinstance(section, ApplicationSection) else section)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _tree(round_ids: set[str]) -> dict[str, dict[str, Any]]:
    """The round's resources, their ancestors and all their parts: id → {parent, capacity, zone}."""
    units = Resource.objects.filter(pk__in=round_ids).values_list("unit_id", flat=True)
    rows = Resource.objects.filter(unit_id__in=units).values("id", "parent_id", "people_capacity", "unit__time_zone")
    everything: dict[str, dict[str, Any]] = {r["id"]: dict(r) for r in rows}
    children: dict[str, list[str]] = defaultdict(list)
    for r in everything.values():
        if r["parent_id"]:
            children[r["parent_id"]].append(r["id"])
    wanted: set[str] = set()
    for rid in round_ids:
        parent = everything[rid]["parent_id"]
        while parent and parent in everything and parent not in wanted:
            wanted.add(parent)
            parent = everything[parent]["parent_id"]
        stack = [rid]
        while stack:
            current = stack.pop()
            wanted.add(current)
            stack.extend(children[current])
    return {rid: everything[rid] for rid in wanted}


def _leaves(tree: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Leaf id → time zone."""
    parents = {r["parent_id"] for r in tree.values() if r["parent_id"]}
    return {rid: r["unit__time_zone"] for rid, r in tree.items() if rid not in parents}


def _buffers(offered: set[str]) -> dict[str, dict[str, int]]:
    """The booking engine's buffers of the round's resources, in minutes (only the non-zero ones)."""
    out: dict[str, dict[str, int]] = {}
    for resource in Resource.objects.filter(pk__in=offered).select_related("unit"):
        rules = resource_rules(resource)
        values = {
            "buffer_before": int(rules.buffer_before.total_seconds() // 60),
            "buffer_after": int(rules.buffer_after.total_seconds() // 60),
        }
        out[resource.pk] = {k: min(v, 240) for k, v in values.items() if v > 0}
    return out


def _open_json(weekly: WeeklyOpening | None) -> dict[str, list[list[str]]]:
    if weekly is None:
        return {}
    return {engine.DAYS[day]: [[_hhmm(b), _hhmm(e)] for b, e in spans] for day, spans in sorted(weekly.open.items())}


def _weights(round: ApplicationRound) -> tuple[dict[int, Decimal], dict[str, Decimal]]:
    ages: dict[int, Decimal] = {}
    districts: dict[str, Decimal] = {}
    for row in EquityWeight.objects.filter(round=round):
        if row.age_group_id is not None:
            ages[row.age_group_id] = row.weight
        elif row.district_id is not None:
            districts[row.district_id] = row.weight
    return ages, districts


def section_weight(section: ApplicationSection, ages: dict[int, Decimal], districts: dict[str, Decimal]) -> float:
    """The section's weight in the objective: age group × home district × own factor."""
    weight = Decimal(section.weight)
    if section.age_group_id is not None:
        weight *= ages.get(section.age_group_id, Decimal(1))
    district = section.application.home_district_id
    if district is not None:
        weight *= districts.get(district, Decimal(1))
    return min(MAX_WEIGHT, float(weight))


def problem_sections(round: ApplicationRound) -> QuerySet[ApplicationSection]:
    """Sections the allocator considers: submitted, not rejected; options and times prefetched."""
    return (
        ApplicationSection.objects.filter(
            application__round=round, application__state=ApplicationState.SUBMITTED, rejected=False
        )
        .select_related("application")
        .prefetch_related(
            Prefetch("options", queryset=ResourceOption.objects.filter(rejected=False).order_by("order", "id")),
            "suitable_times",
        )
        .order_by("application__submitted_at", "application_id", "order", "id")
    )


@dataclass
class _Shaping:
    """How staff decisions shape the solver's input (solve mode only)."""

    taken_days: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    avoided: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    blocked: list[dict[str, str]] = field(default_factory=list)
    locked: list[Allocation] = field(default_factory=list)


def _shaping(round: ApplicationRound) -> _Shaping:
    shaping = _Shaping()
    decisions = Allocation.objects.filter(
        section__application__round=round, state__in=(DecisionState.LOCKED, DecisionState.REJECTED)
    )
    for decision in decisions:
        if decision.state == DecisionState.REJECTED:
            shaping.avoided[decision.section_id].add(decision.resource_id)
            continue
        shaping.locked.append(decision)
        shaping.taken_days[decision.section_id].add(decision.weekday)
        shaping.blocked.append(
            {
                "resource": decision.resource_id,
                "day": engine.DAYS[decision.weekday],
                "from": _hhmm(_minutes(decision.begin)),
                "to": _hhmm(_minutes(decision.end)),
            }
        )
    return shaping


def _section_json(
    section: ApplicationSection, offered: set[str], weight: float, shaping: _Shaping | None
) -> dict[str, Any] | None:
    taken = shaping.taken_days[section.pk] if shaping else set()
    avoided = shaping.avoided[section.pk] if shaping else set()
    resources = [
        o.resource_id for o in section.options.all() if o.resource_id in offered and o.resource_id not in avoided
    ]
    suitable = [
        {
            "day": engine.DAYS[s.weekday],
            "from": _hhmm(_minutes(s.begin)),
            "to": _hhmm(_minutes(s.end)),
            "priority": s.priority,
        }
        for s in section.suitable_times.all()
        if s.weekday not in taken
    ]
    times = section.times_per_week - len(taken)
    if not resources or not suitable or times < 1:
        return None
    return {
        "id": section_key(section),
        "applicant": section.application.applicant_key,
        "weight": weight,
        "times_per_week": times,
        "min_minutes": section.min_minutes,
        "max_minutes": section.max_minutes,
        "participants": section.participants,
        "resources": resources,
        "suitable": suitable,
    }


def _blocked_json(blocked: dict[tuple[str, int], list[Span]]) -> list[dict[str, str]]:
    return [
        {"resource": leaf, "day": engine.DAYS[day], "from": _hhmm(b), "to": _hhmm(e)}
        for (leaf, day), spans in sorted(blocked.items())
        for b, e in spans
    ]


def round_season(round: ApplicationRound) -> Season:
    return Season(round.season_begin, round.season_end, round.slot_minutes)


def round_opening(round: ApplicationRound) -> dict[str, WeeklyOpening]:
    """Each round resource's typical week and closed dates over the season."""
    zones = dict(round.resources.values_list("id", "unit__time_zone"))
    return weekly_opening(zones, round_season(round))


def round_problem(round: ApplicationRound, *, mode: str = "check") -> RoundProblem:
    """The allocator's input for `round` (`mode` is "check" or "solve"; see the module doc)."""
    offered = set(round.resources.values_list("id", flat=True))
    tree = _tree(offered)
    season = round_season(round)
    opening = weekly_opening({rid: tree[rid]["unit__time_zone"] for rid in offered}, season)
    own_series = Allocation.objects.filter(section__application__round=round, series__isnull=False).values_list(
        "series_id", flat=True
    )
    blocked = weekly_blocked(_leaves(tree), season, exclude_series=list(own_series))  # not the round's own bookings
    shaping = _shaping(round) if mode == "solve" else None
    ages, districts = _weights(round)
    sections: dict[str, ApplicationSection] = {}
    sections_json: list[dict[str, Any]] = []
    for section in problem_sections(round):
        item = _section_json(section, offered, section_weight(section, ages, districts), shaping)
        sections[section_key(section)] = section
        if item is not None:
            sections_json.append(item)
    buffers = _buffers(offered)
    data: dict[str, Any] = {
        "slot_minutes": round.slot_minutes,
        "resources": [
            {
                "id": rid,
                "parent": row["parent_id"] if row["parent_id"] in tree else None,
                "capacity": row["people_capacity"] or None,
                "open": _open_json(opening.get(rid)),
                **buffers.get(rid, {}),
            }
            for rid, row in sorted(tree.items())
        ],
        "sections": sections_json,
        "blocked": _blocked_json(blocked) + (shaping.blocked if shaping else []),
        "objective": round.objective or {},
    }
    notes = []
    if season.dates() and season.dates()[-1] < round.season_end:
        notes.append("season_beyond_hours_horizon")
    return RoundProblem(
        round=round_from_json(data),
        data=data,
        sections=sections,
        opening=opening,
        locked=shaping.locked if shaping else [],
        notes=notes,
    )


def to_engine(decision: Allocation) -> engine.Allocation:
    return engine.Allocation(
        section=section_key(decision.section_id),
        resource=decision.resource_id,
        day=decision.weekday,
        begin=_minutes(decision.begin),
        end=_minutes(decision.end),
    )


def live_decisions(round: ApplicationRound) -> QuerySet[Allocation]:
    return Allocation.objects.filter(section__application__round=round, state__in=LIVE_DECISION_STATES)


def decisions_check(problem: RoundProblem, decisions: Sequence[Allocation]) -> list[Violation]:
    """The hard rules that the given decisions break together (the independent checker)."""
    return allocation_check(problem.round, [to_engine(d) for d in decisions])


def decisions_score(problem: RoundProblem, decisions: Iterable[Allocation]) -> Score:
    return allocation_score(problem.round, [to_engine(d) for d in decisions])


# -- Reads for the pages and the API ---------------------------------------------------------


def public_rounds() -> QuerySet[ApplicationRound]:
    """Rounds residents see: all but the ones not yet opened more than a season ago."""
    return ApplicationRound.objects.prefetch_related("resources__unit").order_by("-application_begin", "-id")


def round_counts(round: ApplicationRound) -> dict[str, int]:
    apps = Application.objects.filter(round=round)
    counts = apps.aggregate(
        drafts=Count("id", filter=Q(state=ApplicationState.DRAFT)),
        submitted=Count("id", filter=Q(state=ApplicationState.SUBMITTED)),
    )
    sections = ApplicationSection.objects.filter(
        application__round=round, application__state=ApplicationState.SUBMITTED
    )
    decisions = Allocation.objects.filter(section__application__round=round)
    return {
        "drafts": counts["drafts"] or 0,
        "submitted": counts["submitted"] or 0,
        "sections": sections.count(),
        "rejected_sections": sections.filter(rejected=True).count(),
        "proposed": decisions.filter(state=DecisionState.PROPOSED).count(),
        "locked": decisions.filter(state=DecisionState.LOCKED).count(),
        "accepted": decisions.filter(state=DecisionState.ACCEPTED).count(),
        "rejected": decisions.filter(state=DecisionState.REJECTED).count(),
    }


def latest_run(round: ApplicationRound) -> AllocationRun | None:
    return round.runs.order_by("-created_at", "-id").first()


def round_decisions(round: ApplicationRound) -> QuerySet[Allocation]:
    return (
        Allocation.objects.filter(section__application__round=round)
        .select_related("section__application", "resource__unit", "series")
        .order_by("resource__name_fi", "resource_id", "weekday", "begin", "id")
    )


@dataclass
class ResourceWeek:
    resource: Resource
    days: list[list[Allocation]]
    opening: WeeklyOpening | None


def timetable(
    round: ApplicationRound, decisions: Iterable[Allocation], opening: dict[str, WeeklyOpening]
) -> list[ResourceWeek]:
    """Per resource of the round, its week: the decisions of each weekday in time order."""
    weeks = {
        r.pk: ResourceWeek(resource=r, days=[[] for _ in range(7)], opening=opening.get(r.pk))
        for r in round.resources.select_related("unit").order_by("unit__name_fi", "name_fi")
    }
    for decision in decisions:
        week = weeks.get(decision.resource_id)
        if week is not None:
            week.days[decision.weekday].append(decision)
    for week in weeks.values():
        for day in week.days:
            day.sort(key=lambda d: (d.begin, d.state == DecisionState.REJECTED, d.pk))
    return list(weeks.values())


@dataclass
class ApplicantLine:
    application: Application
    requested: int
    granted: int
    sections: list[tuple[ApplicationSection, list[Allocation]]]


def applicant_lines(round: ApplicationRound, decisions: Iterable[Allocation]) -> list[ApplicantLine]:
    """Per submitted application: its sections, their live decisions, requested and granted slots."""
    by_section: dict[int, list[Allocation]] = defaultdict(list)
    for decision in decisions:
        if decision.state in LIVE_DECISION_STATES:
            by_section[decision.section_id].append(decision)
    lines: list[ApplicantLine] = []
    applications = (
        Application.objects.filter(round=round, state=ApplicationState.SUBMITTED)
        .prefetch_related("sections")
        .order_by("organisation_name", "contact_name", "id")
    )
    for application in applications:
        sections = [
            (s, sorted(by_section[s.pk], key=lambda d: (d.weekday, d.begin))) for s in application.sections.all()
        ]
        lines.append(
            ApplicantLine(
                application=application,
                requested=sum(s.times_per_week for s, _ in sections if not s.rejected),
                granted=sum(len(d) for _, d in sections),
                sections=sections,
            )
        )
    return lines


def own_applications(user: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(user=user)
        .select_related("round")
        .prefetch_related("sections")
        .order_by("-created_at", "-id")
    )


def results_visible(application: Application) -> bool:
    """An applicant sees decisions once the round's results have been sent."""
    return application.round.state == RoundState.RESULTS_SENT


def application_results(application: Application) -> list[tuple[ApplicationSection, list[Allocation]]]:
    """Each section with its accepted slots (empty before the results are sent)."""
    sections = list(application.sections.all().order_by("order", "id"))
    if not results_visible(application):
        return [(s, []) for s in sections]
    decisions = (
        Allocation.objects.filter(section__application=application, state=DecisionState.ACCEPTED)
        .select_related("resource__unit", "series")
        .order_by("weekday", "begin")
    )
    grouped: dict[int, list[Allocation]] = defaultdict(list)
    for decision in decisions:
        grouped[decision.section_id].append(decision)
    return [(s, grouped[s.pk]) for s in sections]
