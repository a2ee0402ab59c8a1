"""The management dashboard: its own role, charts beside data tables, downloads, the import page."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tila.feedback.models import Response, Source
from tila.insight.models import Indicator, PopulationFigure

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(f):
    from django.utils import timezone

    unit = f.unit("tprek:8215", district=f.district("kallio", "Kallio"))
    for score in (10, 9, 3):
        Response.objects.create(source=Source.PUBLIC_LINK, unit=unit, score=score, created_at=timezone.now())
    Indicator.objects.create(id="library-visits", name_en="Library visits")
    return unit


def test_dashboard_needs_the_management_role(client, f, data):
    assert client.get("/en/insight/").status_code == 302
    client.force_login(f.staff(data))  # a unit role is not enough
    assert client.get("/en/insight/").status_code == 403


def test_dashboard_shows_charts_with_their_data_tables(client, manager, data):
    client.force_login(manager)
    response = client.get("/en/insight/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') >= 4  # server-rendered SVG charts
    assert html.count("<table") >= 8 and "<caption" in html  # each figure's data as a table
    assert "Net Promoter Score" in html and "This year against last" in html
    assert 'data-dataset="nps"' in html and 'data-dataset="city-library-visits"' in html
    assert "/en/insight/data/nps.csv" in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]


def test_superusers_see_it_and_other_years(client, f, data):
    client.force_login(f.user(is_superuser=True, is_staff=True))
    assert client.get("/fi/insight/?year=2024").status_code == 200
    assert client.get("/fi/insight/?year=abc").status_code == 200  # bad input: this year


def test_downloads_in_csv_and_json(client, manager, data):
    client.force_login(manager)
    csv_response = client.get("/en/insight/data/nps-by-district.csv")
    assert csv_response.status_code == 200 and "attachment" in csv_response["Content-Disposition"]
    lines = csv_response.content.decode().strip().splitlines()
    assert lines[0] == "key,label,n,nps,ci_low,ci_high,too_small"
    assert lines[1].startswith("kallio,Kallio,3,33.3,")  # P 2, D 1, n 3 → 33.3
    data_json = json.loads(client.get("/en/insight/data/nps-by-district.json").content)
    assert data_json["rows"][0]["n"] == 3 and data_json["id"] == "nps-by-district"
    assert client.get("/en/insight/data/nothing.csv").status_code == 404
    assert client.get("/en/insight/data/nps.xml").status_code == 404


def test_import_page_reports_rows_to_fix(client, manager, data):
    client.force_login(manager)
    bad = SimpleUploadedFile("p.csv", b"district,year,age_group,population\nnowhere,2025,total,1\n")
    response = client.post("/en/insight/import/", {"kind": "population", "file": bad})
    assert response.status_code == 400 and "Line 2" in response.content.decode()
    good = SimpleUploadedFile("p.csv", b"district,year,age_group,population\nKallio,2025,total,30200\n")
    response = client.post("/en/insight/import/", {"kind": "population", "file": good})
    assert response.status_code == 302 and PopulationFigure.objects.get().population == 30200


def test_import_page_refuses_other_encodings(client, manager, data):
    client.force_login(manager)
    latin = SimpleUploadedFile("p.csv", "district\nMäkelä\n".encode("latin-1"))
    response = client.post("/en/insight/import/", {"kind": "population", "file": latin})
    assert response.status_code == 400 and "UTF-8" in response.content.decode()
