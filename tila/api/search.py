"""/v1/search/ — typeahead over resources and units."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from tila.api.base import OPTIONAL_AUTH, bad_request, current_user, responses, route
from tila.api.params import split_ids
from tila.api.resources import visible_resources
from tila.api.schemas import SearchOut
from tila.api.serializers import RESOURCE_PREFETCH, RESOURCE_SELECT, resource_json, unit_json
from tila.catalogue.models import Unit
from tila.core.i18n import translated_q, translations

router = Router(tags=["search"])
LIMIT = 10
TYPES = {"resource", "unit"}


@route(
    router,
    ["GET"],
    "/search/",
    response=responses({200: SearchOut}, 400),
    summary="Typeahead suggestions",
    url_name="search",
    **OPTIONAL_AUTH,
)
def search(
    request: HttpRequest,
    input: str = Query(..., max_length=2000, description="Text to look for in names, in any language."),
    types: str | None = Query(None, max_length=100, description="`resource`, `unit` or both, comma-separated."),
    full: bool = Query(False, description="Whole objects instead of id and name."),
) -> dict[str, Any]:
    """Up to 10 resources and 10 units whose name matches `input` in any language."""
    text = input.strip()[:100]
    if not text:
        raise bad_request("invalid", _("This field is required."), "input")
    wanted = set(split_ids(types)) or TYPES
    if not wanted <= TYPES:
        raise bad_request("invalid", _("Choose among: resource, unit."), "types")
    out: dict[str, Any] = {"resource": [], "unit": []}
    if "resource" in wanted:
        qs = visible_resources(current_user(request)).filter(translated_q("name", "icontains", text))
        qs = qs.select_related(*RESOURCE_SELECT).order_by("name_fi", "id")
        if full:
            qs = qs.prefetch_related(*RESOURCE_PREFETCH)
        out["resource"] = [
            resource_json(request, r) if full else {"id": r.pk, "name": translations(r, "name"), "unit": r.unit_id}
            for r in qs[:LIMIT]
        ]
    if "unit" in wanted:
        units = Unit.objects.filter(translated_q("name", "icontains", text)).select_related("district")
        out["unit"] = [
            unit_json(u) if full else {"id": u.pk, "name": translations(u, "name")}
            for u in units.order_by("name_fi", "id")[:LIMIT]
        ]
    return out
