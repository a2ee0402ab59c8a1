"""/v1/indicators/ — the change indicators as open data (Creative Commons Attribution 4.0).

The same figures as the management dashboard (tila.insight.datasets): NPS with its interval,
spaces open for booking and announced, reservations per 1,000 residents by district and by age
group, utilisation of opening hours, first-time bookers, hobby groups by district, and the
figures the city enters itself. Only aggregates: no free text, nothing about a person.
Wired in tila/api/urls.py: `api.add_router("/", indicators.router)`."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from tila.api.base import not_found, responses, route
from tila.insight import datasets

router = Router(tags=["indicators"])

LICENSE_NAME = "CC BY 4.0"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_TEXT = (
    "Open data under the Creative Commons Attribution 4.0 International licence (CC BY 4.0): "
    "you may share and adapt it for any purpose if you credit the source."
)
FIRST_YEAR = 2017


class LicenseOut(Schema):
    name: str = Field(LICENSE_NAME, description="Always “CC BY 4.0”.")
    url: str = LICENSE_URL
    attribution: str = Field(description="How to credit the source.")


class DatasetRef(Schema):
    id: str
    title: str
    url: str


class IndicatorIndex(Schema):
    license: LicenseOut
    results: list[DatasetRef]


class ColumnOut(Schema):
    key: str
    label: str
    type: str = Field(description="number, integer, percent, text, date or flag")


class DatasetOut(Schema):
    license: LicenseOut
    id: str
    title: str
    description: str
    parameters: dict[str, Any]
    columns: list[ColumnOut]
    rows: list[dict[str, Any]] = Field(description="One object per row, keyed by the columns' keys (and `key`).")
    notes: list[str]


def _license() -> dict[str, str]:
    owner = getattr(settings, "TILA_OPEN_DATA_ATTRIBUTION", "") or "Tila"
    return {"name": LICENSE_NAME, "url": LICENSE_URL, "attribution": f"{owner}, {settings.SITE_URL}/v1/indicators/"}


@route(
    router,
    ["GET"],
    "/indicators/",
    response=responses({200: IndicatorIndex}),
    summary="List the indicator datasets (open data, CC BY 4.0)",
    description=LICENSE_TEXT,
    url_name="indicators",
)
def list_indicators(request: HttpRequest) -> dict[str, Any]:
    base = f"{request.build_absolute_uri('/v1/indicators/')}"
    results = [
        {"id": d.id, "title": str(d.title), "url": f"{base}{d.id}/"} for d in datasets.all_datasets(public_only=True)
    ]
    return {"license": _license(), "results": results}


@route(
    router,
    ["GET"],
    "/indicators/{dataset_id}/",
    response=responses({200: DatasetOut}, 404),
    summary="One indicator dataset for a year (open data, CC BY 4.0)",
    description=LICENSE_TEXT
    + " NPS rows carry `n` and the 95% interval (adjusted Wald); `too_small` marks fewer than 30 answers.",
    url_name="indicator",
)
def get_indicator(
    request: HttpRequest,
    dataset_id: str,
    year: int | None = Query(None, ge=FIRST_YEAR, le=2100, description="The year (default: this year)."),
) -> dict[str, Any]:
    found = datasets.dataset(dataset_id[:100], public_only=True)
    current = timezone.localdate().year
    if found is None or (year is not None and year > current):
        raise not_found()
    table = found.build(year or current)
    return {"license": _license(), **table.as_data()}
