"""/v1/purpose/, /v1/type/, /v1/equipment/ — the shared vocabulary; general administrators write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from tila.api.base import bad_request, not_found, paginate, require_user, route
from tila.api.schemas import (
    EquipmentList,
    EquipmentOut,
    ErrorOut,
    PurposeList,
    PurposeOut,
    TypeList,
    TypeOut,
    VocabularyIn,
)
from tila.api.serializers import equipment_json, purpose_json, type_json
from tila.catalogue.models import Equipment, Purpose, ResourceType
from tila.catalogue.services import vocabulary_delete, vocabulary_save
from tila.core.i18n import translated_kwargs

router = Router(tags=["filter"])
ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def _fields(kind: str, payload: VocabularyIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {}
    if "name" in data:
        fields.update(translated_kwargs("name", {k: v for k, v in (data["name"] or {}).items() if v is not None}))
    if kind == "equipment" and "category" in data:
        fields.update(translated_kwargs("category", {k: v for k, v in (data["category"] or {}).items() if v}))
    if kind == "type" and data.get("main_type"):
        fields["main_type"] = data["main_type"]
    if kind == "purpose" and "parent" in data:
        parent = Purpose.objects.filter(pk=data["parent"]).first() if data["parent"] else None
        if data["parent"] and parent is None:
            raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": data["parent"]}, "parent")
        fields["parent"] = parent
    allowed = {"purpose": "parent", "type": "main_type", "equipment": "category"}[kind]
    for name in {"parent", "main_type", "category"} - {allowed}:
        if data.get(name) is not None:
            raise bad_request("invalid", _("This field is not allowed."), name)
    return fields


def _register(
    kind: str, model: Any, plural_path: str, out: Any, listing: Any, to_json: Callable[[Any], dict[str, Any]]
) -> None:
    collection, item = f"/{plural_path}/", f"/{plural_path}/{{item_id}}/"

    def get_item(item_id: str) -> Any:
        obj = model.objects.filter(pk=item_id).first()
        if obj is None:
            raise not_found()
        return obj

    def list_items(request: HttpRequest, page: int | None = None, page_size: int | None = None) -> dict[str, Any]:
        qs = model.objects.order_by("name_fi", "id")
        return paginate(request, qs, lambda items: [to_json(i) for i in items], page, page_size)

    def read_item(request: HttpRequest, item_id: str) -> dict[str, Any]:
        return to_json(get_item(item_id))

    def create_item(request: HttpRequest, payload: VocabularyIn) -> Status[dict[str, Any]]:
        user = require_user(request)
        if not payload.id:
            raise bad_request("invalid", _("This field is required."), "id")
        if model.objects.filter(pk=payload.id).exists():
            raise bad_request("invalid", _("An item with this id already exists."), "id")
        return Status(
            201, to_json(vocabulary_save(actor=user, kind=kind, item_id=payload.id, **_fields(kind, payload)))
        )

    def update_item(request: HttpRequest, item_id: str, payload: VocabularyIn) -> dict[str, Any]:
        user = require_user(request)
        obj = get_item(item_id)
        return to_json(vocabulary_save(actor=user, kind=kind, item_id=obj.pk, **_fields(kind, payload)))

    def delete_item(request: HttpRequest, item_id: str) -> HttpResponse:
        user = require_user(request)
        vocabulary_delete(actor=user, kind=kind, item=get_item(item_id))
        return HttpResponse(status=204)

    for func in (list_items, read_item, create_item, update_item, delete_item):
        func.__name__ = f"{func.__name__}_{kind}"
    route(router, ["GET"], collection, response=listing | Any, summary=f"List {plural_path} values")(list_items)
    route(router, ["GET"], item, response={200: out, **ERRORS}, summary=f"Get a {kind}")(read_item)
    route(router, ["POST"], collection, response={201: out, **ERRORS}, summary=f"Create a {kind}")(create_item)
    route(router, ["PATCH", "PUT"], item, response={200: out, **ERRORS}, summary=f"Edit a {kind}")(update_item)
    route(router, ["DELETE"], item, response={204: None, **ERRORS}, summary=f"Delete a {kind}")(delete_item)


_register("purpose", Purpose, "purpose", PurposeOut, PurposeList, purpose_json)
_register("type", ResourceType, "type", TypeOut, TypeList, type_json)
_register("equipment", Equipment, "equipment", EquipmentOut, EquipmentList, equipment_json)
