"""The management dashboard in a real browser: charts with accessible names beside their data
tables, downloads, another year; axe-core on each view."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import build_city, sign_in_cookie
from tila.feedback.models import Response, Source
from tila.insight.models import ManagementAccess
from tila.insight.services import population_import

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def manager(transactional_db):
    city = build_city()
    population_import(
        actor=None, text=f"district,year,age_group,population\nkallio,{timezone.localdate().year},total,30200\n"
    )
    now = timezone.now()
    for days, score in enumerate([10, 9, 9, 8, 7, 6, 3, 10, 9, 10] * 4):
        Response.objects.create(
            source=Source.PUBLIC_LINK,
            unit=city["library"],
            score=score,
            created_at=now - dt.timedelta(days=days * 9 + 1),
        )
    person = f.user("johtaja@example.org", preferred_language="fi")
    ManagementAccess.objects.create(user=person)
    return person


def test_dashboard_with_charts_tables_and_downloads(page, live_server, manager, axe):
    sign_in_cookie(page.context, live_server, manager)
    page.goto("/fi/insight/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Muutos")
    axe(page, "dashboard (fi)")
    nps_chart = page.locator("#fig-nps svg[role=img]")
    expect(nps_chart).to_have_count(1)
    assert page.evaluate("(el) => el.getAttribute('aria-labelledby')", nps_chart.element_handle())
    expect(page.locator("#fig-nps table caption")).to_be_visible()
    with page.expect_download() as download:
        page.locator("#fig-nps-by-district a[href*='.csv']").click()
    body = download.value.path().read_text(encoding="utf-8")
    assert body.splitlines()[0].startswith("key,label,n,nps")
    page.select_option("#id_year", str(timezone.localdate().year - 1))
    page.locator(".dashboard__year-form button").click()
    expect(page).to_have_url(f"{live_server.url}/fi/insight/?year={timezone.localdate().year - 1}")
    axe(page, "dashboard, last year")


def test_the_dashboard_in_english_on_a_phone(page, live_server, manager, axe):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in_cookie(page.context, live_server, manager)
    page.goto("/en/insight/")
    expect(page.get_by_role("heading", level=2, name="This year against last")).to_be_visible()
    axe(page, "dashboard (en, phone)")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_others_are_turned_away(page, live_server, transactional_db):
    person = f.user("asukas@example.org")
    sign_in_cookie(page.context, live_server, person)
    response = page.goto("/en/insight/")
    assert response.status == 403
