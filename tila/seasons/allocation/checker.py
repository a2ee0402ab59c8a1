"""An independent feasibility checker for allocations.

Written from the hard rules, not from the allocators: it uses no candidate list, no slot grid
and no leaf-space cells. Containment between spaces is decided by walking parent links, overlap by
comparing minute ranges pairwise. If an allocator's indexing is wrong, this disagrees with it.

Each violated rule is reported once per offending allocation (or pair), with a stable code:

==========================  ============================================================
`unknown_section`           the section is not in the round
`unknown_resource`          the resource is not in the round
`invalid_range`             the day or times are malformed (end not after begin, out of day)
`resource_not_requested`    the resource is not among the section's preferred resources
`capacity_exceeded`         the resource holds fewer people than the section has participants
`duration_too_short`        shorter than the section's minimum
`duration_too_long`         longer than the section's maximum
`not_aligned`               begin or end is off the slot grid
`closed`                    not inside one opening range of the resource
`unsuitable`                not inside one suitable range of the section
`blocked`                   meets a blocked range on the same space, a part of it, or a space containing it
`too_many_per_week`         the section has more slots than times_per_week
`same_day`                  the section has two slots on one day
`overlap`                   two allocations overlap on one space or on spaces containing one another
==========================  ============================================================

Buffers: as in the booking engine, an allocation occupies its resource from `buffer_before` minutes
before it begins to `buffer_after` minutes after it ends (within the day); `blocked` and `overlap`
compare these padded ranges. Opening hours and suitable ranges apply to the allocation itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tila.seasons.allocation.model import Allocation, Round, Section


@dataclass(frozen=True)
class Violation:
    code: str
    allocations: tuple[int, ...]
    """Indexes into the checked list."""
    detail: str


def _lineage(round: Round, resource: str) -> list[str]:
    """The resource and every space that contains it, innermost first."""
    chain = [resource]
    parent = round.resource_by_id[resource].parent
    while parent is not None:
        chain.append(parent)
        parent = round.resource_by_id[parent].parent
    return chain


def _share_space(round: Round, a: str, b: str) -> bool:
    """True when the spaces are the same or one contains the other (at any depth)."""
    return a in _lineage(round, b) or b in _lineage(round, a)


def _meets(a_begin: int, a_end: int, b_begin: int, b_end: int) -> bool:
    return a_begin < b_end and b_begin < a_end


def _malformed(round: Round, a: Allocation) -> str | None:
    if a.section not in round.section_by_id:
        return "unknown_section"
    if a.resource not in round.resource_by_id:
        return "unknown_resource"
    if not (0 <= a.day <= 6 and 0 <= a.begin < a.end <= 24 * 60):
        return "invalid_range"
    return None


def _placement_rules(round: Round, section: Section, a: Allocation) -> list[str]:
    resource = round.resource_by_id[a.resource]
    length = a.end - a.begin
    broken = []
    if a.resource not in section.resources:
        broken.append("resource_not_requested")
    if resource.capacity is not None and resource.capacity < section.participants:
        broken.append("capacity_exceeded")
    if length < section.min_minutes:
        broken.append("duration_too_short")
    if length > section.max_minutes:
        broken.append("duration_too_long")
    if a.begin % round.slot_minutes or a.end % round.slot_minutes:
        broken.append("not_aligned")
    if not any(o.day == a.day and o.begin <= a.begin and a.end <= o.end for o in resource.open):
        broken.append("closed")
    if not any(u.day == a.day and u.begin <= a.begin and a.end <= u.end for u in section.suitable):
        broken.append("unsuitable")
    return broken


def _padded(round: Round, a: Allocation) -> tuple[int, int]:
    """The minutes `a` occupies its resource, buffers included, within the day."""
    r = round.resource_by_id[a.resource]
    return max(0, a.begin - r.buffer_before), min(24 * 60, a.end + r.buffer_after)


def _blocked(round: Round, a: Allocation) -> bool:
    begin, end = _padded(round, a)
    return any(
        b.day == a.day and _meets(begin, end, b.begin, b.end) and _share_space(round, a.resource, b.resource)
        for b in round.blocked
    )


def _single_rules(round: Round, allocations: Sequence[Allocation]) -> list[Violation]:
    found = []
    for i, a in enumerate(allocations):
        problem = _malformed(round, a)
        if problem:
            found.append(Violation(problem, (i,), f"{a}"))
            continue
        codes = _placement_rules(round, round.section_by_id[a.section], a)
        if _blocked(round, a):
            codes.append("blocked")
        found.extend(Violation(code, (i,), f"{a}") for code in codes)
    return found


def _section_rules(round: Round, allocations: Sequence[Allocation], valid: list[int]) -> list[Violation]:
    by_section: dict[str, list[int]] = defaultdict(list)
    for i in valid:
        by_section[allocations[i].section].append(i)
    found = []
    for section_id, indexes in by_section.items():
        limit = round.section_by_id[section_id].times_per_week
        if len(indexes) > limit:
            detail = f"{section_id}: {len(indexes)} slots, at most {limit}"
            found.append(Violation("too_many_per_week", tuple(indexes), detail))
        days: dict[int, list[int]] = defaultdict(list)
        for i in indexes:
            days[allocations[i].day].append(i)
        found.extend(
            Violation("same_day", tuple(same), f"{section_id}: {len(same)} slots on day {day}")
            for day, same in days.items()
            if len(same) > 1
        )
    return found


def _overlaps(round: Round, allocations: Sequence[Allocation], valid: list[int]) -> list[Violation]:
    found = []
    padded = {i: _padded(round, allocations[i]) for i in valid}
    ordered = sorted(valid, key=lambda i: (allocations[i].day, padded[i][0]))
    for position, i in enumerate(ordered):
        a = allocations[i]
        for j in ordered[position + 1 :]:
            b = allocations[j]
            if b.day != a.day or padded[j][0] >= padded[i][1]:
                break
            if _share_space(round, a.resource, b.resource):
                found.append(Violation("overlap", (i, j), f"{a} and {b}"))
    return found


def allocation_check(round: Round, allocations: Sequence[Allocation]) -> list[Violation]:
    """Every hard rule that `allocations` break in `round`; an empty list means feasible."""
    found = _single_rules(round, allocations)
    valid = [i for i, a in enumerate(allocations) if _malformed(round, a) is None]
    return found + _section_rules(round, allocations, valid) + _overlaps(round, allocations, valid)
