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

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action, can, is_general_admin
from tila.catalogue.models import Equipment, Purpose, Resource, ResourceLeaf, ResourceType, Unit
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, PermissionDenied
from tila.hours.services import hours_materialise


def _tree_maps(resource_ids: Iterable[str] | None) -> tuple[dict[str | None, list[str]], dict[str, str | None]]:
    """Parent/children maps of the trees containing `resource_ids` (every tree if None), loaded a
    level at a time so that a change to one tree never reads the whole catalogue."""
    rows: list[tuple[str, str | None]]
    if resource_ids is None:
        rows = list(Resource.objects.values_list("id", "parent_id"))
    else:
        rows = _tree_rows(set(resource_ids))
    children: dict[str | None, list[str]] = defaultdict(list)
    parent_of: dict[str, str | None] = {}
    for rid, pid in rows:
        children[pid].append(rid)
        parent_of[rid] = pid
    return children, parent_of


def _tree_rows(ids: set[str]) -> list[tuple[str, str | None]]:
    # up to the roots
    known: dict[str, str | None] = {}
    frontier = ids
    while frontier:
        batch = dict(Resource.objects.filter(pk__in=frontier).values_list("id", "parent_id"))
        known.update(batch)
        frontier = {p for p in batch.values() if p is not None and p not in known}
    # down from the roots
    roots = {rid for rid, pid in known.items() if pid is None}
    frontier = roots
    rows: dict[str, str | None] = {rid: None for rid in roots}
    while frontier:
        batch = dict(Resource.objects.filter(parent_id__in=frontier).values_list("id", "parent_id"))
        frontier = set(batch) - set(rows)
        rows.update(batch)
    return list(rows.items())


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
    resource_ids = list(resource_ids) if resource_ids is not None else None
    children, parent_of = _tree_maps(resource_ids)
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
    _full_clean(resource, exclude=["id", "unit", "type", "parent"])
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
    _full_clean(resource, exclude=["id", "unit", "type", "parent"])
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


# --- Units and the shared vocabulary -----------------------------------------------------------

UNIT_FIELDS = {f.name for f in Unit._meta.concrete_fields} - {"created_at", "modified_at"}


def _require_general_admin(actor: Any) -> None:
    if actor is not None and not is_general_admin(actor):
        raise PermissionDenied()


def _clean_fields(model: type[Any], fields: dict[str, Any], allowed: set[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise DomainError("invalid", _("Unknown fields: %(fields)s"), fields=", ".join(sorted(unknown)))


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError("invalid", " ".join(messages), field=None if field == "__all__" else field) from exc


@transaction.atomic
def unit_create(*, actor: Any, unit_id: str, **fields: Any) -> Unit:
    """A general administrator adds a unit."""
    _require_general_admin(actor)
    _clean_fields(Unit, fields, UNIT_FIELDS - {"id"})
    if not unit_id or Unit.objects.filter(pk=unit_id).exists():
        raise DomainError("invalid", _("A unit with this id already exists."), field="id")
    unit = Unit(id=unit_id, **fields)
    _full_clean(unit, exclude=["id", "district"])
    unit.save()
    if actor is not None:
        audit_log(actor=actor, action="unit.create", obj=unit, unit_id=unit.pk, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(*, actor: Any, unit: Unit, **fields: Any) -> Unit:
    """A unit administrator edits their unit."""
    _require(actor, unit.pk)
    _clean_fields(Unit, fields, UNIT_FIELDS - {"id"})
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = snapshot(unit)
    for name, value in fields.items():
        setattr(unit, name, value)
    _full_clean(unit, exclude=["id", "district"])
    unit.save()
    if "time_zone" in fields and fields["time_zone"] != before["time_zone"]:
        hours_materialise(resource_ids=list(unit.resources.values_list("id", flat=True)))
    if actor is not None:
        audit_log(actor=actor, action="unit.update", obj=unit, unit_id=unit.pk, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_delete(*, actor: Any, unit: Unit) -> None:
    _require_general_admin(actor)
    if unit.resources.exists():
        raise DomainError("has_resources", _("Move or delete the unit's resources first."))
    if actor is not None:
        audit_log(actor=actor, action="unit.delete", obj=unit, unit_id=unit.pk, before=snapshot(unit))
    unit.delete()


VocabularyItem = Purpose | ResourceType | Equipment
VOCABULARY: dict[str, type[VocabularyItem]] = {"purpose": Purpose, "type": ResourceType, "equipment": Equipment}


def _check_purpose_cycle(purpose: Purpose) -> None:
    node, seen = purpose.parent, {purpose.pk}
    while node is not None:
        if node.pk in seen:
            raise DomainError("invalid_parent", _("A purpose cannot be its own ancestor."), field="parent")
        seen.add(node.pk)
        node = node.parent


@transaction.atomic
def vocabulary_save(*, actor: Any, kind: str, item_id: str, **fields: Any) -> VocabularyItem:
    """Create or update a purpose, resource type or equipment item (general administrators)."""
    _require_general_admin(actor)
    model = VOCABULARY[kind]
    allowed = {f.name for f in model._meta.concrete_fields} - {"id"}
    _clean_fields(model, fields, allowed)
    existing: VocabularyItem | None = model._default_manager.filter(pk=item_id).first()
    obj = existing if existing is not None else model(pk=item_id)
    before = snapshot(existing) if existing is not None else None
    for name, value in fields.items():
        setattr(obj, name, value)
    if isinstance(obj, Purpose) and obj.parent_id:
        _check_purpose_cycle(obj)
    _full_clean(obj, exclude=["id", "parent"])
    obj.save()
    if actor is not None:
        audit_log(actor=actor, action=f"{kind}.save", obj=obj, before=before, after=snapshot(obj))
    return obj


@transaction.atomic
def vocabulary_delete(*, actor: Any, kind: str, item: Any) -> None:
    _require_general_admin(actor)
    if kind == "type" and item.resource_set.exists():
        raise DomainError("in_use", _("Resources still use this type."))
    if actor is not None:
        audit_log(actor=actor, action=f"{kind}.delete", obj=item, before=snapshot(item))
    item.delete()
