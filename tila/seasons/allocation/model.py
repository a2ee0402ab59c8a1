"""A seasonal application round as plain data, its JSON form, and the candidate placements.

Times are minutes from midnight (0–1440), days are 0 (Monday) … 6 (Sunday), every range is
half-open `[begin, end)`. Parsing validates everything and raises `DomainError` with a stable code
and the JSON path of the fault in `field`:

`invalid_json`, `invalid_type`, `missing_field`, `unknown_field`, `invalid_value`, `invalid_time`,
`invalid_day`, `invalid_range`, `duplicate_id`, `unknown_resource`, `resource_cycle`.

Normalisation (documented in docs/allocation.md): overlapping or touching opening ranges of one
resource and day are merged; so are suitable ranges of one section, day and priority.

This module knows nothing of Django models; the database side builds a `Round` and calls the
allocators.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.utils.translation import gettext_lazy as _

from tila.core.errors import DomainError
from tila.seasons.allocation.objective import (
    PRIMARY,
    SECONDARY,
    ObjectiveWeights,
    placement_units,
    weights_from_json,
    weights_to_json,
)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_MINUTES = 24 * 60
MAX_BUFFER = 240
_TIME = re.compile(r"^([0-9]{2}):([0-9]{2})$")


# -- Data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimeRange:
    day: int
    begin: int
    end: int


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    parent: str | None
    capacity: int | None
    """People; None = no limit."""
    open: tuple[TimeRange, ...]
    """Weekly opening ranges, merged and sorted."""
    buffer_before: int = 0
    """Minutes kept free before each allocation on this resource (as the booking engine's buffers)."""
    buffer_after: int = 0


@dataclass(frozen=True, slots=True)
class Suitable:
    day: int
    begin: int
    end: int
    priority: str


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    applicant: str
    weight: float
    times_per_week: int
    min_minutes: int
    max_minutes: int
    participants: int
    resources: tuple[str, ...]
    """Preferred resources, best first."""
    suitable: tuple[Suitable, ...]


@dataclass(frozen=True, slots=True)
class Blocked:
    """An existing booking or closure; it blocks the resource and every space containing or inside it."""

    resource: str
    day: int
    begin: int
    end: int


@dataclass(frozen=True, slots=True, order=True)
class Allocation:
    section: str
    resource: str
    day: int
    begin: int
    end: int


@dataclass(frozen=True)
class Round:
    slot_minutes: int
    resources: tuple[Resource, ...]
    sections: tuple[Section, ...]
    blocked: tuple[Blocked, ...] = ()
    objective: ObjectiveWeights = field(default_factory=ObjectiveWeights)

    @cached_property
    def resource_by_id(self) -> dict[str, Resource]:
        return {r.id: r for r in self.resources}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        return {s.id: s for s in self.sections}

    @cached_property
    def leaves(self) -> dict[str, tuple[str, ...]]:
        """Each resource's leaf spaces (a resource without parts is its own leaf)."""
        children: dict[str, list[str]] = {r.id: [] for r in self.resources}
        for r in self.resources:
            if r.parent is not None:
                children[r.parent].append(r.id)
        memo: dict[str, tuple[str, ...]] = {}

        def collect(rid: str) -> tuple[str, ...]:
            if rid not in memo:
                kids = children[rid]
                memo[rid] = tuple(leaf for kid in kids for leaf in collect(kid)) if kids else (rid,)
            return memo[rid]

        return {r.id: collect(r.id) for r in self.resources}


@dataclass
class Result:
    status: str
    """`optimal`, `feasible`, `infeasible` or `unknown`."""
    allocations: list[Allocation]
    objective: float
    bound: float | None
    gap: float | None
    stats: dict[str, Any] = field(default_factory=dict)


# -- Parsing ---------------------------------------------------------------------------------


def _fail(code: str, message: Any, path: str, **params: Any) -> DomainError:
    return DomainError(code, message, field=path, **params)


def _object(value: Any, path: str, required: Iterable[str], optional: Iterable[str] = ()) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail("invalid_type", _("Expected an object."), path)
    required = tuple(required)
    for key in required:
        if key not in value:
            raise _fail("missing_field", _("This field is required."), _join(path, key))
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise _fail("unknown_field", _("Unknown field."), _join(path, str(key)))
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise _fail("invalid_type", _("Expected a list."), path)
    return value


def _string(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail("invalid_type", _("Expected a non-empty string."), path)
    return value


def _integer(value: Any, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail("invalid_type", _("Expected a whole number."), path)
    if not low <= value <= high:
        message = _("Expected a whole number from %(low)s to %(high)s.")
        raise _fail("invalid_value", message, path, low=low, high=high)
    return value


def _number(value: Any, path: str, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _fail("invalid_type", _("Expected a number."), path)
    if not 0 < value <= high:
        raise _fail("invalid_value", _("Expected a number above 0 and at most %(high)s."), path, high=high)
    return float(value)


def _time(value: Any, path: str) -> int:
    match = _TIME.match(value) if isinstance(value, str) else None
    minutes = int(match[1]) * 60 + int(match[2]) if match else -1
    if not match or int(match[2]) >= 60 or not 0 <= minutes <= DAY_MINUTES:
        raise _fail("invalid_time", _("Expected a time of day as HH:MM (00:00–24:00)."), path)
    return minutes


def _day(value: Any, path: str) -> int:
    if value not in DAYS:
        raise _fail("invalid_day", _("Expected a weekday: mon, tue, wed, thu, fri, sat or sun."), path)
    return DAYS.index(value)


def _range(begin: Any, end: Any, path: str, keys: tuple[str, str]) -> tuple[int, int]:
    b = _time(begin, _join(path, keys[0]))
    e = _time(end, _join(path, keys[1]))
    if b >= e:
        raise _fail("invalid_range", _("The range must end after it begins."), _join(path, keys[1]))
    return b, e


def merge_ranges(ranges: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping or touching ranges merged, sorted."""
    merged: list[tuple[int, int]] = []
    for begin, end in sorted(ranges):
        if merged and begin <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _opening(value: Any, path: str) -> tuple[TimeRange, ...]:
    if not isinstance(value, Mapping):
        raise _fail("invalid_type", _("Expected an object keyed by weekday."), path)
    result: list[TimeRange] = []
    for key, ranges in value.items():
        day = _day(key, _join(path, str(key)))
        spans = []
        for i, pair in enumerate(_list(ranges, _join(path, str(key)))):
            item = f"{_join(path, str(key))}[{i}]"
            if not isinstance(pair, list) or len(pair) != 2:
                raise _fail("invalid_type", _("Expected a pair of times [from, to]."), item)
            spans.append(_range(pair[0], pair[1], item, ("0", "1")))
        result.extend(TimeRange(day, b, e) for b, e in merge_ranges(spans))
    return tuple(sorted(result, key=lambda r: (r.day, r.begin)))


def _resource(value: Any, path: str) -> Resource:
    data = _object(value, path, ("id", "open"), ("parent", "capacity", "buffer_before", "buffer_after"))
    parent = data.get("parent")
    capacity = data.get("capacity")
    return Resource(
        id=_string(data["id"], _join(path, "id")),
        parent=None if parent is None else _string(parent, _join(path, "parent")),
        capacity=None if capacity is None else _integer(capacity, _join(path, "capacity"), 1, 1_000_000),
        open=_opening(data["open"], _join(path, "open")),
        buffer_before=_integer(data.get("buffer_before", 0), _join(path, "buffer_before"), 0, MAX_BUFFER),
        buffer_after=_integer(data.get("buffer_after", 0), _join(path, "buffer_after"), 0, MAX_BUFFER),
    )


def _suitable(values: Any, path: str) -> tuple[Suitable, ...]:
    spans: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for i, value in enumerate(_list(values, path)):
        item = f"{path}[{i}]"
        data = _object(value, item, ("day", "from", "to"), ("priority",))
        day = _day(data["day"], _join(item, "day"))
        priority = data.get("priority", PRIMARY)
        if priority not in (PRIMARY, SECONDARY):
            raise _fail("invalid_value", _("Expected primary or secondary."), _join(item, "priority"))
        spans.setdefault((day, priority), []).append(_range(data["from"], data["to"], item, ("from", "to")))
    result = [
        Suitable(day, b, e, priority) for (day, priority), ranges in spans.items() for b, e in merge_ranges(ranges)
    ]
    return tuple(sorted(result, key=lambda s: (s.day, s.begin, s.priority)))


_SECTION_REQUIRED = (
    "id",
    "applicant",
    "times_per_week",
    "min_minutes",
    "max_minutes",
    "participants",
    "resources",
    "suitable",
)


def _section(value: Any, path: str, resources: Mapping[str, Resource]) -> Section:
    data = _object(value, path, _SECTION_REQUIRED, ("weight",))
    min_minutes = _integer(data["min_minutes"], _join(path, "min_minutes"), 1, DAY_MINUTES)
    max_minutes = _integer(data["max_minutes"], _join(path, "max_minutes"), 1, DAY_MINUTES)
    if max_minutes < min_minutes:
        message = _("The maximum duration must not be below the minimum.")
        raise _fail("invalid_range", message, _join(path, "max_minutes"))
    preferred = _list(data["resources"], _join(path, "resources"))
    if not preferred:
        raise _fail("invalid_value", _("Name at least one resource."), _join(path, "resources"))
    ids: list[str] = []
    for i, rid in enumerate(preferred):
        item = f"{_join(path, 'resources')}[{i}]"
        if _string(rid, item) not in resources:
            raise _fail("unknown_resource", _("No such resource in this round."), item)
        if rid in ids:
            raise _fail("duplicate_id", _("This resource is listed twice."), item)
        ids.append(rid)
    return Section(
        id=_string(data["id"], _join(path, "id")),
        applicant=_string(data["applicant"], _join(path, "applicant")),
        weight=_number(data.get("weight", 1.0), _join(path, "weight"), 1000),
        times_per_week=_integer(data["times_per_week"], _join(path, "times_per_week"), 1, 7),
        min_minutes=min_minutes,
        max_minutes=max_minutes,
        participants=_integer(data["participants"], _join(path, "participants"), 1, 1_000_000),
        resources=tuple(ids),
        suitable=_suitable(data["suitable"], _join(path, "suitable")),
    )


def _blocked(value: Any, path: str, resources: Mapping[str, Resource]) -> Blocked:
    data = _object(value, path, ("resource", "day", "from", "to"))
    rid = _string(data["resource"], _join(path, "resource"))
    if rid not in resources:
        raise _fail("unknown_resource", _("No such resource in this round."), _join(path, "resource"))
    begin, end = _range(data["from"], data["to"], path, ("from", "to"))
    return Blocked(rid, _day(data["day"], _join(path, "day")), begin, end)


def _unique(ids: Iterable[str], path: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            raise _fail("duplicate_id", _("The id %(id)s is used twice."), f"{path}[{i}].id", id=value)
        seen.add(value)


def _check_tree(resources: tuple[Resource, ...]) -> None:
    by_id = {r.id: r for r in resources}
    for i, resource in enumerate(resources):
        if resource.parent is not None and resource.parent not in by_id:
            raise _fail("unknown_resource", _("No such resource in this round."), f"resources[{i}].parent")
        seen = {resource.id}
        parent = resource.parent
        while parent is not None:
            if parent in seen:
                raise _fail("resource_cycle", _("The parts of the spaces form a cycle."), f"resources[{i}].parent")
            seen.add(parent)
            parent = by_id[parent].parent


def round_from_json(data: Any) -> Round:
    """A validated `Round` from its JSON form (already decoded)."""
    top = _object(data, "", ("resources", "sections"), ("slot_minutes", "blocked", "objective"))
    slot = _integer(top.get("slot_minutes", 30), "slot_minutes", 1, 240)
    if DAY_MINUTES % slot:
        raise _fail("invalid_value", _("The slot length must divide a day evenly."), "slot_minutes")
    resources = tuple(_resource(v, f"resources[{i}]") for i, v in enumerate(_list(top["resources"], "resources")))
    _unique((r.id for r in resources), "resources")
    _check_tree(resources)
    by_id = {r.id: r for r in resources}
    sections_data = _list(top["sections"], "sections")
    sections = tuple(_section(v, f"sections[{i}]", by_id) for i, v in enumerate(sections_data))
    _unique((s.id for s in sections), "sections")
    blocked_data = _list(top.get("blocked", []), "blocked")
    blocked = tuple(_blocked(v, f"blocked[{i}]", by_id) for i, v in enumerate(blocked_data))
    return Round(
        slot_minutes=slot,
        resources=resources,
        sections=sections,
        blocked=blocked,
        objective=weights_from_json(top.get("objective")),
    )


def round_from_text(text: str | bytes) -> Round:
    """A validated `Round` from JSON text."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _fail("invalid_json", _("The round is not valid JSON."), "", detail=str(exc)) from exc
    return round_from_json(data)


# -- Writing ---------------------------------------------------------------------------------


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _open_to_json(ranges: tuple[TimeRange, ...]) -> dict[str, list[list[str]]]:
    result: dict[str, list[list[str]]] = {}
    for r in ranges:
        result.setdefault(DAYS[r.day], []).append([format_time(r.begin), format_time(r.end)])
    return result


def _section_to_json(s: Section) -> dict[str, Any]:
    return {
        "id": s.id,
        "applicant": s.applicant,
        "weight": s.weight,
        "times_per_week": s.times_per_week,
        "min_minutes": s.min_minutes,
        "max_minutes": s.max_minutes,
        "participants": s.participants,
        "resources": list(s.resources),
        "suitable": [
            {
                "day": DAYS[u.day],
                "from": format_time(u.begin),
                "to": format_time(u.end),
                "priority": u.priority,
            }
            for u in s.suitable
        ],
    }


def _resource_to_json(r: Resource) -> dict[str, Any]:
    data: dict[str, Any] = {"id": r.id, "parent": r.parent, "capacity": r.capacity, "open": _open_to_json(r.open)}
    if r.buffer_before:
        data["buffer_before"] = r.buffer_before
    if r.buffer_after:
        data["buffer_after"] = r.buffer_after
    return data


def round_to_json(round: Round) -> dict[str, Any]:
    """The JSON form of `round` (normalised: merged ranges); `round_from_json` reads it back equal."""
    return {
        "slot_minutes": round.slot_minutes,
        "resources": [_resource_to_json(r) for r in round.resources],
        "sections": [_section_to_json(s) for s in round.sections],
        "blocked": [
            {
                "resource": b.resource,
                "day": DAYS[b.day],
                "from": format_time(b.begin),
                "to": format_time(b.end),
            }
            for b in round.blocked
        ],
        "objective": weights_to_json(round.objective),
    }


def allocation_to_json(a: Allocation) -> dict[str, str]:
    return {
        "section": a.section,
        "resource": a.resource,
        "day": DAYS[a.day],
        "begin": format_time(a.begin),
        "end": format_time(a.end),
    }


def allocations_from_json(data: Any) -> list[Allocation]:
    """Allocations from their JSON form (e.g. a hand-edited result), shape-checked only."""
    result = []
    for i, value in enumerate(_list(data, "allocations")):
        path = f"allocations[{i}]"
        item = _object(value, path, ("section", "resource", "day", "begin", "end"))
        result.append(
            Allocation(
                section=_string(item["section"], _join(path, "section")),
                resource=_string(item["resource"], _join(path, "resource")),
                day=_day(item["day"], _join(path, "day")),
                begin=_time(item["begin"], _join(path, "begin")),
                end=_time(item["end"], _join(path, "end")),
            )
        )
    return result


def result_to_json(result: Result) -> dict[str, Any]:
    return {
        "status": result.status,
        "allocations": [allocation_to_json(a) for a in sorted(result.allocations, key=_allocation_key)],
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "stats": result.stats,
    }


def _allocation_key(a: Allocation) -> tuple[int, int, str, str]:
    return (a.day, a.begin, a.resource, a.section)


# -- Candidate placements (shared by the allocators; the checker does NOT use this) ----------


@dataclass(frozen=True, slots=True)
class Candidate:
    """One way to place one weekly slot of a section."""

    section: int
    """Index into `round.sections`."""
    resource: str
    day: int
    begin: int
    end: int
    priority: str
    preference: int
    value: int
    """Objective units (see objective.placement_units)."""
    cells: tuple[int, ...]
    """The (leaf space, day, grid slot) cells it occupies, buffers included, encoded as integers."""

    def allocation(self, round: Round) -> Allocation:
        return Allocation(round.sections[self.section].id, self.resource, self.day, self.begin, self.end)


MAX_DURATIONS = 4
"""Candidate durations per section: all of them up to this many, else evenly spread (min and max kept)."""


def durations(section: Section, slot: int) -> list[int]:
    """Every multiple of the slot between the section's minimum and maximum duration."""
    first = -(-section.min_minutes // slot) * slot
    return list(range(first, section.max_minutes + 1, slot))


def duration_choices(section: Section, slot: int, limit: int = MAX_DURATIONS) -> list[int]:
    """The durations the allocators try: all of `durations`, or `limit` of them evenly spread.

    Realistic requests (60–120 minutes on a 30-minute grid) have three; a wide request such as
    60–240 minutes would otherwise multiply the model size.
    """
    every = durations(section, slot)
    if len(every) <= limit:
        return every
    picks = {round(i * (len(every) - 1) / (limit - 1)) for i in range(limit)}
    return [every[i] for i in sorted(picks)]


class Grid:
    """Encodes (leaf space, day, slot) cells as integers; knows what is blocked."""

    def __init__(self, round: Round) -> None:
        self.round = round
        self.slot = round.slot_minutes
        self.per_day = DAY_MINUTES // self.slot
        all_leaves = sorted({leaf for leaves in round.leaves.values() for leaf in leaves})
        self.leaf_index = {leaf: i for i, leaf in enumerate(all_leaves)}
        self.blocked: set[int] = set()
        for b in round.blocked:
            first, last = b.begin // self.slot, -(-b.end // self.slot)
            self.blocked.update(self.cells(b.resource, b.day, first * self.slot, last * self.slot))

    def cells(self, resource: str, day: int, begin: int, end: int) -> tuple[int, ...]:
        slots = range(begin // self.slot, end // self.slot)
        base = [(self.leaf_index[leaf] * 7 + day) * self.per_day for leaf in self.round.leaves[resource]]
        return tuple(b + s for b in base for s in slots)

    def padded_cells(self, resource: str, day: int, begin: int, end: int) -> tuple[int, ...]:
        """The cells an allocation takes with the resource's buffers, rounded out to the grid and
        kept within the day."""
        r = self.round.resource_by_id[resource]
        low = max(0, begin - r.buffer_before) // self.slot * self.slot
        high = min(DAY_MINUTES, -(-(end + r.buffer_after) // self.slot) * self.slot)
        return self.cells(resource, day, low, high)

    def describe(self, cell: int) -> tuple[int, int, int]:
        """(leaf index, day, slot) of a cell."""
        leaf_day, slot = divmod(cell, self.per_day)
        leaf, day = divmod(leaf_day, 7)
        return leaf, day, slot


def _starts(low: int, high: int, length: int, slot: int) -> range:
    """Grid starts t with low <= t and t + length <= high."""
    first = -(-low // slot) * slot
    return range(first, high - length + 1, slot)


def _windows(resource: Resource, suitable: Iterable[Suitable]) -> list[tuple[int, int, int, str]]:
    """(day, from, to, priority) where a suitable range meets an opening range; primary first."""
    found = []
    for u in sorted(suitable, key=lambda u: u.priority != PRIMARY):
        for opening in resource.open:
            low, high = max(opening.begin, u.begin), min(opening.end, u.end)
            if opening.day == u.day and low < high:
                found.append((u.day, low, high, u.priority))
    return found


def _section_candidates(round: Round, grid: Grid, index: int) -> list[Candidate]:
    section = round.sections[index]
    lengths = duration_choices(section, grid.slot)
    found: dict[tuple[str, int, int, int], Candidate] = {}
    for preference, rid in enumerate(section.resources):
        resource = round.resource_by_id[rid]
        if resource.capacity is not None and resource.capacity < section.participants:
            continue
        for day, low, high, priority in _windows(resource, section.suitable):
            for length in lengths:
                for begin in _starts(low, high, length, grid.slot):
                    key = (rid, day, begin, length)
                    if key not in found:  # an earlier (primary) window already gave this placement
                        found[key] = _candidate(round, grid, index, key, priority, preference)
    return [c for c in found.values() if not grid.blocked.intersection(c.cells)]


def _candidate(
    round: Round, grid: Grid, index: int, key: tuple[str, int, int, int], priority: str, preference: int
) -> Candidate:
    rid, day, begin, length = key
    section = round.sections[index]
    value = placement_units(
        round.objective,
        section_weight=section.weight,
        minutes=length,
        priority=priority,
        preference=preference,
    )
    return Candidate(
        section=index,
        resource=rid,
        day=day,
        begin=begin,
        end=begin + length,
        priority=priority,
        preference=preference,
        value=value,
        cells=grid.padded_cells(rid, day, begin, begin + length),
    )


def candidates_build(round: Round) -> tuple[Grid, list[list[Candidate]]]:
    """Every feasible placement of every section, pruned hard, grouped by section.

    A candidate starts on the slot grid, lasts a multiple of the slot between the section's minimum
    and maximum, lies inside one opening range of a preferred resource big enough for the group
    and inside one suitable range of the section, and touches no blocked cell.
    """
    grid = Grid(round)
    return grid, [_section_candidates(round, grid, i) for i in range(len(round.sections))]
