"""Real responses against the 6Aika specification, and the served OpenAPI document against OpenAPI 3.

The specification is read from the shared specs folder beside the repository (never copied in). It is
Swagger 2.0, whose schemas are a subset of JSON Schema draft 4, so its `definitions` are validated with
jsonschema's Draft4Validator after two changes, both documented here:

* Every property may also be null. Swagger 2.0 has no `nullable`, and Respa, the implementation the
  specification names, sends null for absent values (a unit without coordinates has `"location": null`,
  a resource without a maximum duration `"max_period": null`). Tila does the same.
* Nothing else is relaxed: types, nested objects, arrays and their items are checked as written, and
  extra properties are allowed because the specification allows them (Tila's API is a superset).

Beyond the types, the fields the specification defines must be present, except the few listed in
ABSENT_BY_DESIGN with the reason.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi

from tests import factories
from tests.api.conftest import book

pytestmark = pytest.mark.django_db

SPEC_NAME = "6aika-resource-reservation.swagger.yaml"


def _spec_path() -> Path:
    """The shared specs folder beside the repository (../shared/specs), or TILA_SPECS_DIR."""
    candidates = [Path(os.environ["TILA_SPECS_DIR"]) / SPEC_NAME] if os.environ.get("TILA_SPECS_DIR") else []
    candidates.append(Path(__file__).parents[3] / "shared" / "specs" / SPEC_NAME)
    candidates.append(Path("/work/shared/specs") / SPEC_NAME)  # the workplace's copy, for checkouts elsewhere
    return next((c for c in candidates if c.exists()), candidates[-2])


SPEC_PATH = _spec_path()

# Fields of the specification that Tila leaves out, and why.
ABSENT_BY_DESIGN = {
    "unit": {"created_by", "modified_by"},  # staff identities are personal data
    "resource": {"ground_plan", "created_by", "modified_by"},  # no floor plans yet; personal data
    "reservation": {"state_interaction"},  # a draft-only companion of the draft's states; Respa's states are used
}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    if not SPEC_PATH.exists():
        pytest.fail(f"The 6Aika specification is missing: {SPEC_PATH}")
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """A Swagger 2.0 schema as draft-4 JSON Schema where every property may also be null."""
    out = copy.deepcopy(schema)
    if "properties" in out:
        out["properties"] = {
            name: {"anyOf": [nullable(sub), {"type": "null"}]} for name, sub in out["properties"].items()
        }
    if "items" in out:
        out["items"] = nullable(out["items"])
    return out


def validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft4Validator:
    root = {**nullable(schema), "definitions": {name: nullable(d) for name, d in spec["definitions"].items()}}
    jsonschema.Draft4Validator.check_schema(root)
    return jsonschema.Draft4Validator(root)


def conforms(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> None:
    errors = sorted(validator(spec, schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def definition(name: str) -> dict[str, Any]:
    return {"$ref": f"#/definitions/{name}"}


def has_the_specified_fields(spec: dict[str, Any], name: str, instance: dict[str, Any], *, optional=()) -> None:
    wanted = set(spec["definitions"][name]["properties"]) - ABSENT_BY_DESIGN.get(name, set()) - set(optional)
    missing = wanted - set(instance)
    assert not missing, f"{name} lacks {sorted(missing)}"


def list_schema(spec: dict[str, Any], path: str) -> dict[str, Any]:
    return spec["paths"][path]["get"]["responses"]["200"]["schema"]


@pytest.fixture
def scene(api, city, future_day):
    """A city where everything the specification describes has a value somewhere."""
    from tila.catalogue.models import Purpose, Unit

    Unit.objects.filter(pk="tprek:100").update(latitude="60.17", longitude="24.94", street_address_fi="Katu 1")
    meeting = Purpose.objects.create(id="meeting", name_fi="Kokous", name_en="Meeting")
    Purpose.objects.create(id="board", parent=meeting, name_fi="Hallitus")
    city.room.purposes.add(meeting)
    reservation = book(api, city.resident, city.room, future_day, 10, event_subject="Kerho").json()
    window = {
        "start": factories.at(future_day, 8).isoformat(),
        "end": factories.at(future_day, 22).isoformat(),
    }
    return {"city": city, "reservation": reservation, "window": window}


# --- The specification's objects ---------------------------------------------------------------------


def test_a_checked_shape_can_fail(spec):
    """The conversion keeps the specification's teeth: wrong types are still caught."""
    with pytest.raises(AssertionError):
        conforms(spec, definition("unit"), {"id": "x", "name": "not an object"})
    with pytest.raises(AssertionError):
        conforms(spec, definition("resource"), {"id": "x", "purposes": [{"name": {"fi": 5}}]})
    with pytest.raises(AssertionError):
        conforms(spec, list_schema(spec, "/unit"), {"count": "many", "results": []})
    conforms(spec, definition("unit"), {"id": "x", "location": None})


def test_the_unit_list_and_a_unit_conform(api, spec, scene):
    body = api.get("/v1/unit/").json()
    conforms(spec, list_schema(spec, "/unit"), body)
    unit = api.get("/v1/unit/tprek:100/").json()
    conforms(spec, definition("unit"), unit)
    has_the_specified_fields(spec, "unit", unit)
    assert unit["location"]["type"] == "Point"


def test_the_resource_list_and_a_resource_conform_without_a_window(api, spec, scene):
    body = api.get("/v1/resource/").json()
    conforms(spec, list_schema(spec, "/resource"), body)
    resource = api.get("/v1/resource/room/").json()
    conforms(spec, definition("resource"), resource)
    has_the_specified_fields(spec, "resource", resource, optional=("available_hours", "opening_hours", "reservations"))


def test_the_resource_list_and_a_resource_conform_with_availability(api, spec, scene):
    body = api.get("/v1/resource/", {**scene["window"], "duration": 60}).json()
    assert body["count"] >= 1
    conforms(spec, list_schema(spec, "/resource"), body)
    resource = api.get("/v1/resource/room/", scene["window"], user=scene["city"].resident).json()
    conforms(spec, definition("resource"), resource)
    has_the_specified_fields(spec, "resource", resource)
    assert resource["reservations"]
    assert all(isinstance(item, dict) for item in resource["available_hours"] + resource["opening_hours"])


def test_the_reservation_list_a_reservation_and_a_new_one_conform(api, spec, scene, future_day):
    city = scene["city"]
    body = api.get("/v1/reservation/", user=city.resident).json()
    conforms(spec, list_schema(spec, "/reservation"), body)
    reservation = api.get(f"/v1/reservation/{scene['reservation']['id']}/", user=city.resident).json()
    conforms(spec, definition("reservation"), reservation)
    has_the_specified_fields(spec, "reservation", reservation)
    created = book(api, city.resident, city.room, future_day, 14)
    assert created.status_code == 201
    conforms(spec, spec["paths"]["/reservation"]["post"]["responses"]["201"]["schema"], created.json())
    assert created.json()["state"] in {"requested", "confirmed", "denied", "cancelled", "waiting_for_payment"}


def test_a_rejected_reservation_has_non_field_errors(api, spec, scene, future_day):
    """The draft types `non_field_errors` as a string; Respa (and Tila) send a list of strings, which
    README.md in the specs folder names as the behaviour to follow."""
    response = book(api, scene["city"].other_resident, scene["city"].room, future_day, 10)
    assert response.status_code == 400
    assert "non_field_errors" in spec["paths"]["/reservation"]["post"]["responses"]["400"]["schema"]["properties"]
    assert all(isinstance(message, str) for message in response.json()["non_field_errors"])


def test_search_conforms(api, spec, scene):
    schema = spec["paths"]["/search"]["get"]["responses"]["200"]["schema"]
    conforms(spec, schema, api.get("/v1/search/", {"input": "o"}).json())
    conforms(spec, schema, api.get("/v1/search/", {"input": "o", "full": "true"}).json())


def test_purposes_and_types_conform(api, spec, scene):
    conforms(spec, list_schema(spec, "/purpose"), api.get("/v1/purpose/").json())
    conforms(spec, list_schema(spec, "/type"), api.get("/v1/type/").json())
    for path, name in (("/v1/purpose/board/", "purpose"), ("/v1/type/meeting-room/", "type")):
        item = api.get(path).json()
        conforms(spec, definition(name), item)
        has_the_specified_fields(spec, name, item)


def test_durations_are_hh_mm_ss_and_times_carry_an_offset(api, scene):
    resource = api.get("/v1/resource/room/", scene["window"]).json()
    assert re.fullmatch(r"\d{2,}:[0-5]\d:[0-5]\d", resource["min_period"])
    for stamp in [resource["opening_hours"][0]["opens"], scene["reservation"]["begin"]]:
        assert dt.datetime.fromisoformat(stamp).utcoffset() is not None


# --- The OpenAPI document -------------------------------------------------------------------------------


def test_the_served_openapi_document_is_valid_openapi_3(api, db):
    response = api.get("/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    validate_openapi(json.loads(json.dumps(document)))


def test_the_openapi_document_describes_errors_and_bearer_tokens_for_every_operation(api, db):
    document = api.get("/v1/openapi.json").json()
    assert document["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    operations = [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()]
    assert len(operations) >= 45
    assert len({op["operationId"] for _, _, op in operations}) == len(operations)
    for path, method, op in operations:
        assert {"400", "401"} <= set(op["responses"]), (method, path)
        error = op["responses"]["400"]["content"]["application/json"]["schema"]
        assert error == {"$ref": "#/components/schemas/ErrorOut"}, (method, path)
        if method != "get" and not path.startswith("/v1/auth/"):
            assert op["security"] == [{"BearerToken": []}], (method, path)


def test_every_paginated_list_documents_404_for_a_page_past_the_last(api, db):
    document = api.get("/v1/openapi.json").json()
    paged = [
        (path, op)
        for path, item in document["paths"].items()
        for op in item.values()
        if any(p["name"] == "page" for p in op.get("parameters", []))
    ]
    assert len(paged) >= 8
    for path, op in paged:
        assert "404" in op["responses"], path


def test_the_openapi_document_lists_the_issues_endpoints(api, db):
    paths = api.get("/v1/openapi.json").json()["paths"]
    expected = {
        "/v1/unit/": {"get", "post"},
        "/v1/unit/{unit_id}/": {"get", "patch", "put", "delete"},
        "/v1/resource/": {"get", "post"},
        "/v1/resource/{resource_id}/": {"get", "patch", "put", "delete"},
        "/v1/purpose/": {"get", "post"},
        "/v1/type/": {"get", "post"},
        "/v1/equipment/": {"get", "post"},
        "/v1/opening_period/": {"get", "post"},
        "/v1/opening_period/{period_id}/": {"get", "patch", "put", "delete"},
        "/v1/reservation/": {"get", "post"},
        "/v1/reservation/{reservation_id}/": {"get", "put", "patch", "delete"},
        "/v1/search/": {"get"},
        "/v1/auth/register/": {"post"},
        "/v1/auth/token/": {"post"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), path


def test_the_interactive_documentation_page_is_served(api, db):
    response = api.get("/v1/docs/")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
