"""The allocation objective: what a "good" timetable is, in one place.

Every allocator (CP-SAT, greedy) and every report scores an allocation with the functions here,
so their figures can be compared directly. The objective, to be maximised, is

    sum over allocations a:   weight(section) × hours(a) × priority(a) × preference(a)
  + sum over applicants p:    bonus[0] + … + bonus[min(n_p, K) - 1]

where `priority(a)` is `primary` or `secondary` depending on the best suitable range that contains
the allocation, `preference(a) = max(preference_floor, 1 - preference_step × i)` for the i-th
(0-based) preferred resource of the section, and `n_p` counts the applicant's allocated weekly
slots. The bonus list is non-increasing, so each applicant's utility is a concave, piecewise-linear
function of their number of slots: a first slot is worth more than a second, a second more than a
third. That is the fairness term (see docs/allocation.md for the exchange argument).

All terms are computed in integer *units* (`scale` units = one weighted hour) so that the CP-SAT
objective and `allocation_score` agree exactly.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from tila.core.errors import DomainError

if TYPE_CHECKING:
    from tila.seasons.allocation.model import Allocation, Round, Section

PRIMARY = "primary"
SECONDARY = "secondary"


@dataclass(frozen=True)
class ObjectiveWeights:
    """The tunable weights of the objective. Defaults are documented in docs/allocation.md."""

    primary: float = 1.0
    """Factor for hours inside a primary suitable range."""
    secondary: float = 0.5
    """Factor for hours that fit only a secondary suitable range."""
    preference_step: float = 0.15
    """Each later preferred resource loses this share of the value (the first one loses nothing)."""
    preference_floor: float = 0.4
    """…but never falls below this factor."""
    applicant_bonus: tuple[float, ...] = (4.0, 2.0, 0.5)
    """Bonus (in weighted hours) for an applicant's 1st, 2nd, 3rd … weekly slot; non-increasing."""
    scale: int = 1000
    """Integer units per weighted hour (CP-SAT needs integer coefficients)."""

    def priority_factor(self, priority: str) -> float:
        return self.primary if priority == PRIMARY else self.secondary

    def preference_factor(self, index: int) -> float:
        return max(self.preference_floor, 1.0 - self.preference_step * index)

    def bonus_units(self) -> tuple[int, ...]:
        """The applicant bonuses in integer units, trailing zeros dropped."""
        units = [_round_half_up(self.scale * b) for b in self.applicant_bonus]
        while units and units[-1] == 0:
            units.pop()
        return tuple(units)


_FLOAT_FIELDS = ("primary", "secondary", "preference_step", "preference_floor")


def _invalid(field: str, message: Any) -> DomainError:
    return DomainError("invalid_value", message, field=f"objective.{field}")


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise DomainError("invalid_type", _("Give a number."), field=f"objective.{field}")
    if value < 0 or value > 1000:
        raise _invalid(field, _("Give a number between 0 and 1000."))
    return float(value)


def _bonus(value: Any) -> tuple[float, ...]:
    if not isinstance(value, list) or len(value) > 7:
        raise DomainError("invalid_type", _("Give a list of at most 7 numbers."), field="objective.applicant_bonus")
    bonus = tuple(_number(v, "applicant_bonus") for v in value)
    if any(later > earlier for earlier, later in itertools.pairwise(bonus)):
        raise _invalid("applicant_bonus", _("The bonuses must not increase (the utility must be concave)."))
    return bonus


def weights_from_json(data: Any, *, base: ObjectiveWeights | None = None) -> ObjectiveWeights:
    """Objective weights from the `objective` JSON object; missing keys keep `base` (or the defaults)."""
    weights = base or ObjectiveWeights()
    if data is None:
        return weights
    if not isinstance(data, Mapping):
        raise DomainError("invalid_type", _("The objective must be an object."), field="objective")
    known = {f.name for f in fields(ObjectiveWeights)}
    changes: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise DomainError("unknown_field", _("Unknown objective weight."), field=f"objective.{key}")
        if key == "applicant_bonus":
            changes[key] = _bonus(value)
        elif key == "scale":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 1_000_000:
                raise _invalid(key, _("Give a whole number between 1 and 1000000."))
            changes[key] = value
        else:
            changes[key] = _number(value, key)
    weights = replace(weights, **changes)
    if weights.preference_floor > 1:
        raise _invalid("preference_floor", _("The floor must be at most 1."))
    return weights


def weights_to_json(weights: ObjectiveWeights) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(weights, name) for name in _FLOAT_FIELDS}
    data["applicant_bonus"] = list(weights.applicant_bonus)
    data["scale"] = weights.scale
    return data


def _round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def placement_units(
    weights: ObjectiveWeights, *, section_weight: float, minutes: int, priority: str, preference: int
) -> int:
    """The value of one weekly slot in integer units (without the applicant bonus)."""
    hours = minutes / 60
    factor = weights.priority_factor(priority) * weights.preference_factor(preference)
    return _round_half_up(weights.scale * section_weight * hours * factor)


def applicant_units(bonus_units: tuple[int, ...], slots: int) -> int:
    """The fairness bonus of an applicant holding `slots` weekly slots."""
    return sum(bonus_units[:slots])


def allocation_priority(section: Section, allocation: Allocation) -> str | None:
    """The best priority among the section's suitable ranges that contain the allocation, if any."""
    best: str | None = None
    for suitable in section.suitable:
        inside = suitable.day == allocation.day and suitable.begin <= allocation.begin
        if inside and allocation.end <= suitable.end:
            if suitable.priority == PRIMARY:
                return PRIMARY
            best = SECONDARY
    return best


def _allocation_units(round: Round, section: Section, allocation: Allocation) -> int:
    priority = allocation_priority(section, allocation)
    if priority is None or allocation.resource not in section.resources:
        return 0
    return placement_units(
        round.objective,
        section_weight=section.weight,
        minutes=allocation.end - allocation.begin,
        priority=priority,
        preference=section.resources.index(allocation.resource),
    )


@dataclass(frozen=True)
class Score:
    """An allocation measured the same way whichever allocator produced it."""

    units: int
    """The objective in integer units."""
    objective: float
    """The objective in weighted hours (`units / scale`)."""
    weighted_hours: float
    """The placement part only (no fairness bonus)."""
    allocated_hours: float
    primary_share: float
    """Share of allocations that lie inside a primary range."""
    applicants_served_share: float
    """Share of applicants with at least one slot."""
    sections_served_share: float
    requested_slots_share: float
    """Allocated weekly slots / requested weekly slots."""

    def to_json(self) -> dict[str, float]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def allocation_score(round: Round, allocations: Iterable[Allocation]) -> Score:
    """Score `allocations` for `round` (assumed feasible; unscorable allocations count zero)."""
    sections = {s.id: s for s in round.sections}
    weights = round.objective
    placement = 0
    minutes = 0
    primary = 0
    per_applicant: dict[str, int] = {}
    served_sections: set[str] = set()
    items = list(allocations)
    for allocation in items:
        section = sections.get(allocation.section)
        if section is None:
            continue
        placement += _allocation_units(round, section, allocation)
        minutes += allocation.end - allocation.begin
        primary += allocation_priority(section, allocation) == PRIMARY
        per_applicant[section.applicant] = per_applicant.get(section.applicant, 0) + 1
        served_sections.add(section.id)
    bonus_units = weights.bonus_units()
    bonus = sum(applicant_units(bonus_units, n) for n in per_applicant.values())
    applicants = {s.applicant for s in round.sections}
    requested = sum(s.times_per_week for s in round.sections)
    return Score(
        units=placement + bonus,
        objective=(placement + bonus) / weights.scale,
        weighted_hours=placement / weights.scale,
        allocated_hours=minutes / 60,
        primary_share=_share(primary, len(items)),
        applicants_served_share=_share(len(per_applicant), len(applicants)),
        sections_served_share=_share(len(served_sections), len(round.sections)),
        requested_slots_share=_share(len(items), requested),
    )
