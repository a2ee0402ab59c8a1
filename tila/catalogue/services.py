"""Writes to the catalogue: resources and the space tree.

The tree's closure (`ResourceLeaf`) and the booking engine's occupancy rows are derived from
`Resource.parent`; every change to the tree goes through `resource_tree_changed`, which rebuilds
both for the affected tree inside the caller's transaction and refuses a change that would make
two existing active reservations overlap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action, can
from tila.catalogue.models import Purpose, Resource, ResourceLeaf, Unit
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, PermissionDenied
from tila.hours.services import hours_materialise


def _children_map(ids: Iterable[str] | None = None) -> tuple[dict[str | None, list[str]], dict[str, str | None]]:
    rows = Resource.objects.values_list("id", "parent_id")
    children: dict[str | None, list[str]] = defaultdict(list)
    parent_of: dict[str, str | None] = {}
    for rid, pid in rows:
        children[pid].append(rid)
        parent_of[rid] = pid
    return children, parent_of


def _leaves_below(rid: str, children: dict[str | None, list[str]]) -> list[str]:
    stack, leaves = [rid], []
    while stack:
        node = stack.pop()
        kids = children.get(node, [])
        if kids:
            stack.extend(kids)
        else:
            leaves.append(node)
    return leaves


def _root_of(rid: str, parent_of: dict[str, str | None]) -> str:
    seen = {rid}
    parent = parent_of.get(rid)
    while parent is not None and parent not in seen:
        rid = parent
        seen.add(rid)
        parent = parent_of.get(rid)
    return rid


def resource_tree_rebuild(*, resource_ids: Iterable[str] | None = None) -> list[str]:
    """Rebuild the leaf closure for the trees containing `resource_ids` (all trees if None).

    Returns the ids of the resources whose closure was rebuilt.
    """
    children, parent_of = _children_map()
    if resource_ids is None:
        affected = list(parent_of)
    else:
        roots = {_root_of(rid, parent_of) for rid in resource_ids if rid in parent_of}
        affected = []
        for root in roots:
            stack = [root]
            while stack:
                node = stack.pop()
                affected.append(node)
                stack.extend(children.get(node, []))
    stale = ResourceLeaf.objects.all()
    if resource_ids is not None:
        stale = stale.filter(resource_id__in=affected)
    stale.delete()
    links = [ResourceLeaf(resource_id=rid, leaf_id=leaf) for rid in affected for leaf in _leaves_below(rid, children)]
    ResourceLeaf.objects.bulk_create(links, batch_size=2000)
    return affected


def _check_parent(resource: Resource, parent: Resource | None) -> None:
    if parent is None:
        return
    if parent.unit_id != resource.unit_id:
        raise DomainError(
            "invalid_parent", _("A part of a space must belong to the same unit as the space."), field="parent"
        )
    node: Resource | None = parent
    while node is not None:
        if node.pk == resource.pk:
            raise DomainError("invalid_parent", _("A space cannot be a part of itself."), field="parent")
        node = node.parent


def resource_tree_changed(*, resource_ids: Iterable[str]) -> None:
    """Rebuild derived tree data and the occupancy rows of the affected trees' active reservations."""
    from tila.booking.services import occupancy_rebuild

    affected = resource_tree_rebuild(resource_ids=resource_ids)
    occupancy_rebuild(resource_ids=affected)


def _require(actor: Any, unit_id: str) -> None:
    if actor is not None and not can(actor, Action.MANAGE, unit_id):
        raise PermissionDenied()


RESOURCE_FIELDS = {f.name for f in Resource._meta.concrete_fields} - {"id", "created_at", "modified_at"}


@transaction.atomic
def resource_create(
    *,
    actor: Any,
    unit: Unit,
    purposes: Iterable[Purpose] = (),
    equipment: Iterable[Any] = (),
    resource_id: str | None = None,
    **fields: Any,
) -> Resource:
    """Create a resource. `actor=None` is the system (demo data, imports)."""
    _require(actor, unit.pk)
    unknown = set(fields) - RESOURCE_FIELDS
    if unknown:
        raise DomainError("invalid", _("Unknown fields: %(fields)s"), fields=", ".join(sorted(unknown)))
    resource = Resource(unit=unit, **fields)
    if resource_id:
        resource.id = resource_id
    _check_parent(resource, resource.parent)
    resource.full_clean(exclude=["id", "unit", "type", "parent"])
    resource.save()
    resource.purposes.set(list(purposes))
    resource.equipment.set(list(equipment))
    resource_tree_changed(resource_ids=[resource.pk])
    hours_materialise(resource_ids=[resource.pk])
    if actor is not None:
        audit_log(actor=actor, action="resource.create", obj=resource, unit_id=unit.pk, after=snapshot(resource))
    return resource


@transaction.atomic
def resource_update(
    *,
    actor: Any,
    resource: Resource,
    purposes: Iterable[Purpose] | None = None,
    equipment: Iterable[Any] | None = None,
    **fields: Any,
) -> Resource:
    _require(actor, resource.unit_id)
    unknown = set(fields) - RESOURCE_FIELDS
    if unknown:
        raise DomainError("invalid", _("Unknown fields: %(fields)s"), fields=", ".join(sorted(unknown)))
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    before = snapshot(resource)
    old_parent = resource.parent_id
    if "unit" in fields and fields["unit"].pk != resource.unit_id:
        _require(actor, fields["unit"].pk)
    for name, value in fields.items():
        setattr(resource, name, value)
    _check_parent(resource, resource.parent)
    resource.full_clean(exclude=["id", "unit", "type", "parent"])
    resource.save()
    if purposes is not None:
        resource.purposes.set(list(purposes))
    if equipment is not None:
        resource.equipment.set(list(equipment))
    if resource.unit_id != before["unit_id"]:
        hours_materialise(resource_ids=[resource.pk])
    if resource.parent_id != old_parent:
        resource_tree_changed(resource_ids=[rid for rid in (resource.pk, old_parent) if rid])
    if actor is not None:
        audit_log(
            actor=actor,
            action="resource.update",
            obj=resource,
            unit_id=resource.unit_id,
            before=before,
            after=snapshot(resource),
        )
    return resource


@transaction.atomic
def resource_delete(*, actor: Any, resource: Resource) -> None:
    """Delete a resource that has no parts and no reservations (history is never deleted)."""
    _require(actor, resource.unit_id)
    if resource.children.exists():
        raise DomainError("has_parts", _("Remove or move the parts of this space first."))
    if resource.reservations.exists():
        raise DomainError(
            "has_reservations",
            _("A resource with reservations cannot be deleted; make it non-public and non-reservable instead."),
        )
    before = snapshot(resource)
    parent_id = resource.parent_id
    if actor is not None:
        audit_log(actor=actor, action="resource.delete", obj=resource, unit_id=resource.unit_id, before=before)
    resource.delete()
    if parent_id:
        resource_tree_changed(resource_ids=[parent_id])


class _DryRun(Exception):
    pass


def resource_parent_check(*, resource: Resource, parent: Resource | None) -> None:
    """Raise DomainError if making `parent` the parent of `resource` is invalid or would make
    existing active reservations overlap. Changes nothing (the trial runs in a rolled-back savepoint)."""
    _check_parent(resource, parent)
    if resource.pk is None or not Resource.objects.filter(pk=resource.pk).exists():
        return
    old_parent = Resource.objects.values_list("parent_id", flat=True).get(pk=resource.pk)
    new_parent = parent.pk if parent is not None else None
    if old_parent == new_parent:
        return
    try:
        with transaction.atomic():
            Resource.objects.filter(pk=resource.pk).update(parent_id=new_parent)
            resource_tree_changed(resource_ids=[rid for rid in (resource.pk, old_parent, new_parent) if rid])
            raise _DryRun
    except _DryRun:
        pass
