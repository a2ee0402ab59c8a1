"""/v1/indicators/ — open data under CC BY 4.0, in the OpenAPI document."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tila.feedback.models import Response, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _wired():
    try:
        reverse("api:indicators")
    except NoReverseMatch:
        pytest.skip("tila.api.indicators is not wired into tila/api/urls.py yet")


def test_index_states_the_licence(client):
    body = client.get("/v1/indicators/").json()
    assert body["license"]["name"] == "CC BY 4.0" and "creativecommons.org/licenses/by/4.0" in body["license"]["url"]
    assert {"nps", "resources", "reservations-by-district", "hobby-groups"} <= {r["id"] for r in body["results"]}


def test_a_dataset_with_licence_and_rows(client, f):
    unit = f.unit("tprek:1", district=f.district("kallio", "Kallio"))
    for score in (10, 9, 9, 2):
        Response.objects.create(
            source=Source.PUBLIC_LINK, unit=unit, score=score, created_at=timezone.now(), comment="private words"
        )
    response = client.get("/v1/indicators/nps-by-district/", {"lang": "en"})
    body = response.json()
    assert response.status_code == 200 and body["license"]["name"] == "CC BY 4.0"
    row = body["rows"][0]
    assert (row["key"], row["n"], row["nps"], row["too_small"]) == ("kallio", 4, 50.0, True)
    assert "private words" not in response.content.decode()


def test_unknown_and_future_are_not_found(client):
    assert client.get("/v1/indicators/nothing/").status_code == 404
    year = timezone.localdate().year
    assert client.get("/v1/indicators/nps/", {"year": year + 1}).status_code == 404
    assert client.get("/v1/indicators/nps/", {"year": "x"}).status_code == 400


def test_openapi_documents_the_licence(client):
    schema = client.get("/v1/openapi.json").json()
    operation = schema["paths"]["/v1/indicators/{dataset_id}/"]["get"]
    assert "CC BY 4.0" in operation["description"]
    assert "/v1/hobby/" in schema["paths"]
