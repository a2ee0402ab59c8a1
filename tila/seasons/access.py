"""Who may do what with a round. Decided by `tila.accounts.permissions.can` over the round's units.

A round spans resources of several units. Seeing it in the staff workspace needs the view right in
at least one of them; running the allocator, adjusting, accepting and sending results need the
handle right in every one of them; creating and editing a round needs the manage right in every
unit of its resources. General administrators may do everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from tila.accounts.permissions import Action, can, is_general_admin, units_where
from tila.catalogue.models import Resource, Unit
from tila.core.errors import PermissionDenied
from tila.seasons.models import ApplicationRound


def round_unit_ids(round: ApplicationRound) -> set[str]:
    return set(round.resources.values_list("unit_id", flat=True))


def units_allow(user: Any, action: Action, unit_ids: Iterable[str]) -> bool:
    """True when `user` may `action` in every one of the units (and there is at least one)."""
    ids = set(unit_ids)
    if is_general_admin(user):
        return True
    return bool(ids) and all(can(user, action, unit_id) for unit_id in ids)


def round_can(user: Any, action: Action, round: ApplicationRound) -> bool:
    if is_general_admin(user):
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    ids = round_unit_ids(round)
    if action == Action.VIEW:
        return any(can(user, Action.VIEW, unit_id) for unit_id in ids)
    return units_allow(user, action, ids)


def require_round(user: Any, action: Action, round: ApplicationRound) -> None:
    if not round_can(user, action, round):
        raise PermissionDenied()


def require_resources(user: Any, action: Action, resources: Iterable[Resource]) -> None:
    if not units_allow(user, action, {r.unit_id for r in resources}):
        raise PermissionDenied()


def staff_rounds(user: Any) -> QuerySet[ApplicationRound]:
    """Rounds the person sees in the staff workspace."""
    if is_general_admin(user):
        return ApplicationRound.objects.all()
    units = Unit.objects.filter(units_where(user, Action.VIEW))
    return ApplicationRound.objects.filter(resources__unit__in=units).distinct()
