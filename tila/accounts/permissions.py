"""Who may do what in which unit. The one place where staff permissions are decided.

A general administrator (superuser) may do everything. Per-unit roles are granted over one
unit or over a group of units: a viewer sees reservations with personal details and reports,
a handler also handles requests and makes, moves and cancels reservations, closures and series,
a unit administrator also manages the unit's resources, opening hours and roles.
"""

from __future__ import annotations

import enum
import time
from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from tila.accounts.models import Role, UnitRole


class Action(enum.StrEnum):
    VIEW = "view"  # see reservations with personal details, reports
    HANDLE = "handle"  # approve/deny, book on behalf, closures, move/cancel others' reservations, series
    MANAGE = "manage"  # resources, opening hours, roles of the unit


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.HANDLER: frozenset({Action.VIEW, Action.HANDLE}),
    Role.ADMIN: frozenset({Action.VIEW, Action.HANDLE, Action.MANAGE}),
}


def is_general_admin(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


# Who holds any unit role at all: a few hundred staff among a city's residents. Each process keeps
# the set for ROLE_HOLDERS_SECONDS, so a resident's request (every booking checks whether the actor
# is staff of the unit) costs no roles query. A role granted or removed in this process clears the
# set at once (signals below); one granted in another app server is seen here within the interval,
# and until then its holder is treated as a resident: the cache can withhold a permission for a few
# seconds, never grant one (holders are always asked for their actual roles).
ROLE_HOLDERS_SECONDS = 30.0
_role_holders: tuple[float, frozenset[int]] | None = None


def forget_role_holders(**_: Any) -> None:
    global _role_holders
    _role_holders = None


def _holds_no_role(user: Any) -> bool:
    global _role_holders
    now = time.monotonic()
    if _role_holders is None or _role_holders[0] <= now:
        holders = frozenset(UnitRole.objects.values_list("user_id", flat=True).distinct())
        _role_holders = (now + ROLE_HOLDERS_SECONDS, holders)
    return user.pk not in _role_holders[1]


post_save.connect(forget_role_holders, sender=UnitRole, dispatch_uid="tila.accounts.role_holders.save")
post_delete.connect(forget_role_holders, sender=UnitRole, dispatch_uid="tila.accounts.role_holders.delete")


def unit_roles(user: Any, unit_id: str) -> set[str]:
    """Roles the user holds over `unit_id`, directly or through a unit group."""
    if user is None or not user.is_authenticated or not user.is_active or _holds_no_role(user):
        return set()
    cache: dict[str, set[str]] = user.__dict__.setdefault("_tila_unit_roles", {})
    if unit_id not in cache:
        cache[unit_id] = set(
            UnitRole.objects.filter(user=user)
            .filter(Q(unit_id=unit_id) | Q(unit_group__units__id=unit_id))
            .values_list("role", flat=True)
        )
    return cache[unit_id]


def can(user: Any, action: Action, unit_id: str) -> bool:
    if is_general_admin(user):
        return True
    return any(action in ROLE_ACTIONS.get(role, frozenset()) for role in unit_roles(user, unit_id))


def is_staff_anywhere(user: Any) -> bool:
    if is_general_admin(user):
        return True
    if user is None or not user.is_authenticated or _holds_no_role(user):
        return False
    return UnitRole.objects.filter(user=user).exists()


def units_where(user: Any, action: Action) -> Q:
    """A Q over catalogue.Unit selecting the units where `user` may do `action`."""
    if is_general_admin(user):
        return Q()
    if user is None or not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    roles = [role for role, actions in ROLE_ACTIONS.items() if action in actions]
    direct = UnitRole.objects.filter(user=user, role__in=roles, unit__isnull=False).values("unit_id")
    grouped = UnitRole.objects.filter(user=user, role__in=roles, unit_group__isnull=False).values(
        "unit_group__units__id"
    )
    return Q(pk__in=direct) | Q(pk__in=grouped)
