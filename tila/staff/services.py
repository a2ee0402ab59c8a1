"""Staff actions that are more than one engine call: handling requests (deny with a ready-made
reason, ask for more information, bulk approve/deny) and granting or revoking staff roles.

Every function checks the actor's role here, in the service layer, and writes an audit row in the
same transaction; the pages and the API only translate HTTP to these calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Role, UnitRole, User
from tila.accounts.permissions import Action, can, is_general_admin
from tila.booking.models import DenyReason, Reservation, State
from tila.booking.services import reservation_approve, reservation_deny
from tila.catalogue.models import Unit, UnitGroup
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, NotFound, PermissionDenied
from tila.core.i18n import pick, translations
from tila.notifications.events import reservation_event
from tila.notifications.models import Event

MAX_BULK = 200


def _signed_in(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()


def _reservation(reservation: Reservation | int) -> Reservation:
    pk = reservation.pk if isinstance(reservation, Reservation) else reservation
    found = Reservation.objects.select_related("resource__unit", "user").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


# --- Requests ----------------------------------------------------------------------------------


def deny_reason_text(*, reason: DenyReason | int | None, text: str, language: str) -> str:
    """The ready-made reason in the customer's language, then the handler's own words."""
    parts: list[str] = []
    if reason is not None:
        obj = reason if isinstance(reason, DenyReason) else DenyReason.objects.filter(pk=reason, active=True).first()
        if obj is None:
            raise DomainError("invalid", _("Choose a reason from the list."), field="reason")
        parts.append(pick(translations(obj, "text"), language))
    if text.strip():
        parts.append(text.strip())
    if not parts:
        raise DomainError("reason_required", _("Choose a reason or write one."), field="reason")
    return "\n\n".join(parts)


@transaction.atomic
def request_deny(
    *, actor: Any, reservation: Reservation | int, reason: DenyReason | int | None = None, text: str = ""
) -> Reservation:
    """Deny a request with a reason (a ready-made one, free text, or both); the customer is told."""
    _signed_in(actor)
    found = _reservation(reservation)
    if not can(actor, Action.HANDLE, found.resource.unit_id):
        raise PermissionDenied()
    language = getattr(found.user, "preferred_language", "") or "fi"
    return reservation_deny(
        actor=actor, reservation=found, reason=deny_reason_text(reason=reason, text=text, language=language)
    )


@transaction.atomic
def request_ask_info(*, actor: Any, reservation: Reservation | int, message: str) -> Reservation:
    """Ask the customer for more information about a request; the request stays waiting."""
    _signed_in(actor)
    found = _reservation(reservation)
    if not can(actor, Action.HANDLE, found.resource.unit_id):
        raise PermissionDenied()
    if found.state != State.REQUESTED:
        raise DomainError("not_requested", _("Only requested reservations can be approved or denied."))
    message = (message or "").strip()
    if not message:
        raise DomainError("message_required", _("Write what you need to know."), field="message")
    if len(message) > 4000:
        raise DomainError("invalid", _("The message is too long."), field="message")
    audit_log(
        actor=actor,
        action="reservation.ask_info",
        obj=found,
        unit_id=found.resource.unit_id,
        after={"message": message, "to": found.reserver_email or getattr(found.user, "email", "")},
    )
    reservation_event(Event.INFO_REQUESTED, found, message=message)
    return found


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str, str]] = field(default_factory=list)  # (id, code, message)


def requests_bulk(
    *,
    actor: Any,
    ids: list[int],
    action: str,
    reason: DenyReason | int | None = None,
    text: str = "",
) -> BulkResult:
    """Approve or deny many requests; each one succeeds or fails on its own (and says why)."""
    _signed_in(actor)
    if action not in {"approve", "deny"}:
        raise DomainError("invalid", _("Unknown action."), field="action")
    if len(ids) > MAX_BULK:
        raise DomainError("invalid", _("Handle at most %(max)s requests at once."), max=MAX_BULK)
    if action == "deny":
        deny_reason_text(reason=reason, text=text, language="fi")  # fail early on a missing reason
    result = BulkResult()
    for pk in dict.fromkeys(ids):
        try:
            if action == "approve":
                reservation_approve(actor=actor, reservation=pk)
            else:
                request_deny(actor=actor, reservation=pk, reason=reason, text=text)
        except DomainError as exc:
            result.failed.append((pk, exc.code, exc.message))
        else:
            result.done.append(pk)
    return result


# --- Roles -------------------------------------------------------------------------------------


def may_manage_roles(actor: Any, *, unit: Unit | None = None, unit_group: UnitGroup | None = None) -> bool:
    """A unit's roles are managed by its administrators; a group's by those who administer every unit in it."""
    if is_general_admin(actor):
        return True
    if unit is not None:
        return can(actor, Action.MANAGE, unit.pk)
    if unit_group is not None:
        unit_ids = list(unit_group.units.values_list("id", flat=True))
        return bool(unit_ids) and all(can(actor, Action.MANAGE, uid) for uid in unit_ids)
    return False


def _audit_units(unit: Unit | None, unit_group: UnitGroup | None) -> list[str]:
    if unit is not None:
        return [unit.pk]
    assert unit_group is not None
    return list(unit_group.units.values_list("id", flat=True)) or [""]


@transaction.atomic
def role_grant(
    *, actor: Any, user: User, role: str, unit: Unit | None = None, unit_group: UnitGroup | None = None
) -> UnitRole:
    _signed_in(actor)
    if (unit is None) == (unit_group is None):
        raise DomainError("invalid", _("Grant the role over a unit or over a group of units."), field="unit")
    if not may_manage_roles(actor, unit=unit, unit_group=unit_group):
        raise PermissionDenied()
    if role not in Role.values:
        raise DomainError("invalid", _("Choose a role."), field="role")
    if not user.is_active:
        raise DomainError("invalid", _("This account is not active."), field="user")
    if UnitRole.objects.filter(user=user, role=role, unit=unit, unit_group=unit_group).exists():
        raise DomainError("exists", _("This person already has this role."), field="role")
    try:
        with transaction.atomic():
            granted = UnitRole.objects.create(user=user, role=role, unit=unit, unit_group=unit_group)
    except IntegrityError as exc:
        raise DomainError("exists", _("This person already has this role."), field="role") from exc
    for unit_id in _audit_units(unit, unit_group):
        audit_log(actor=actor, action="role.grant", obj=granted, unit_id=unit_id, after=_role_json(granted))
    return granted


def _role_json(role: UnitRole) -> dict[str, Any]:
    return {**snapshot(role), "email": role.user.email}


@transaction.atomic
def role_revoke(*, actor: Any, role: UnitRole | int) -> None:
    _signed_in(actor)
    pk = role.pk if isinstance(role, UnitRole) else role
    found = UnitRole.objects.select_related("user", "unit", "unit_group").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    if not may_manage_roles(actor, unit=found.unit, unit_group=found.unit_group):
        raise PermissionDenied()
    before = _role_json(found)
    for unit_id in _audit_units(found.unit, found.unit_group):
        audit_log(actor=actor, action="role.revoke", obj=found, unit_id=unit_id, before=before)
    found.delete()
