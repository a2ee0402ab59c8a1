"""/v1/purpose/, /v1/type/, /v1/equipment/ — the shared vocabulary; general administrators write."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from tila.api.base import OPTIONAL_AUTH, SIGNED_IN, bad_request, not_found, paginate, require_user, responses, route
from tila.api.params import require_name, translated_input
from tila.api.schemas import (
    EquipmentList,
    EquipmentOut,
    PurposeList,
    PurposeOut,
    TypeList,
    TypeOut,
    VocabularyIn,
)
from tila.api.serializers import equipment_json, purpose_json, type_json
from tila.catalogue.models import Equipment, Purpose, ResourceType
from tila.catalogue.services import vocabulary_delete, vocabulary_save

router = Router(tags=["filter"])
OWN_FIELD = {"purpose": "parent", "type": "main_type", "equipment": "category"}


def _fields(kind: str, payload: VocabularyIn) -> dict[str, Any]:
    data = payload.model_dump(exclude_unset=True)
    for name in set(OWN_FIELD.values()) - {OWN_FIELD[kind]}:
        if data.get(name) is not None:
            raise bad_request("invalid", _("This field is not allowed."), name)
    fields: dict[str, Any] = translated_input(data, "name", "category")
    if data.get("main_type"):
        fields["main_type"] = data["main_type"]
    if "parent" in data:
        parent = Purpose.objects.filter(pk=data["parent"]).first() if data["parent"] else None
        if data["parent"] and parent is None:
            raise bad_request("invalid", _("Unknown value: %(value)s") % {"value": data["parent"]}, "parent")
        fields["parent"] = parent
    return fields


@dataclass(frozen=True)
class Vocabulary:
    """One kind of vocabulary item and its five endpoints."""

    kind: str
    model: type[Model]
    to_json: Callable[[Any], dict[str, Any]]

    def get(self, item_id: str) -> Any:
        obj = self.model._default_manager.filter(pk=item_id).first()
        if obj is None:
            raise not_found()
        return obj

    def list_items(
        self,
        request: HttpRequest,
        page: int | None = Query(None, ge=1),
        page_size: int | None = Query(None, ge=1, description="Default 20, at most 500."),
    ) -> dict[str, Any]:
        qs = self.model._default_manager.order_by("name_fi", "id")
        return paginate(request, qs, lambda items: [self.to_json(i) for i in items], page, page_size)

    def read_item(self, request: HttpRequest, item_id: str) -> dict[str, Any]:
        return self.to_json(self.get(item_id))

    def create_item(self, request: HttpRequest, payload: VocabularyIn) -> Status[dict[str, Any]]:
        user = require_user(request)
        if not payload.id:
            raise bad_request("invalid", _("This field is required."), "id")
        if self.model._default_manager.filter(pk=payload.id).exists():
            raise bad_request("invalid", _("An item with this id already exists."), "id")
        require_name(payload.model_dump(exclude_unset=True))
        fields = _fields(self.kind, payload)
        return Status(201, self.to_json(vocabulary_save(actor=user, kind=self.kind, item_id=payload.id, **fields)))

    def update_item(self, request: HttpRequest, item_id: str, payload: VocabularyIn) -> dict[str, Any]:
        user = require_user(request)
        obj = self.get(item_id)
        if payload.id is not None and payload.id != obj.pk:
            raise bad_request("invalid", _("The id cannot be changed."), "id")
        return self.to_json(vocabulary_save(actor=user, kind=self.kind, item_id=obj.pk, **_fields(self.kind, payload)))

    def delete_item(self, request: HttpRequest, item_id: str) -> HttpResponse:
        user = require_user(request)
        vocabulary_delete(actor=user, kind=self.kind, item=self.get(item_id))
        return HttpResponse(status=204)


def _view(method: Callable[..., Any]) -> Callable[..., Any]:
    """A plain function around a bound method: ninja marks its views with attributes."""

    @functools.wraps(method)
    def view(*args: Any, **kwargs: Any) -> Any:
        return method(*args, **kwargs)

    return view


def _register(vocabulary: Vocabulary, out: Any, listing: Any) -> None:
    kind = vocabulary.kind
    collection, item = f"/{kind}/", f"/{kind}/{{item_id}}/"
    endpoints: list[tuple[list[str], str, Callable[..., Any], dict[int, Any], tuple[int, ...], str, dict[str, Any]]]
    endpoints = [
        (["GET"], collection, vocabulary.list_items, {200: listing}, (400, 404), f"List {kind} values", OPTIONAL_AUTH),
        (["GET"], item, vocabulary.read_item, {200: out}, (404,), f"Get a {kind}", OPTIONAL_AUTH),
        (["POST"], collection, vocabulary.create_item, {201: out}, (400, 403), f"Create a {kind}", SIGNED_IN),
        (["PATCH", "PUT"], item, vocabulary.update_item, {200: out}, (400, 403, 404), f"Edit a {kind}", SIGNED_IN),
        (["DELETE"], item, vocabulary.delete_item, {204: None}, (400, 403, 404), f"Delete a {kind}", SIGNED_IN),
    ]
    for methods, path, method, ok, errors, summary, auth in endpoints:
        options = {"response": responses(ok, *errors), "summary": summary, **auth}
        route(router, methods, path, operation_id=f"{method.__name__}_{kind}", **options)(_view(method))


_register(Vocabulary("purpose", Purpose, purpose_json), PurposeOut, PurposeList)
_register(Vocabulary("type", ResourceType, type_json), TypeOut, TypeList)
_register(Vocabulary("equipment", Equipment, equipment_json), EquipmentOut, EquipmentList)
