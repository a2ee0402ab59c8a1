"""A handler makes a weekly series in a real browser; one week is already booked, so the series is
made without it and the page says which week and why (the engine's `overlap`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import sign_in_cookie
from tila.accounts.models import Role
from tila.booking.models import ReservationSeries, State
from tila.booking.services import reservation_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_series_with_one_conflicting_week_books_the_rest_and_names_the_conflict(page, live_server, axe):
    unit = f.unit(hours=f.ALL_WEEK, name_fi="Kisahalli", name_sv="Tävlingshallen", name_en="Sports hall")
    court = f.resource(unit, name_fi="Kenttä A", name_sv="Plan A", name_en="Court A")
    handler = f.staff(unit, Role.HANDLER)
    customer = f.user(preferred_language="fi")
    today = timezone.localdate()
    monday = today + dt.timedelta(days=14 - today.weekday())
    taken = monday + dt.timedelta(days=8)  # the second Tuesday
    reservation_create(actor=f.user(), resource=court, begin=f.at(taken, 18), end=f.at(taken, 19))

    sign_in_cookie(page.context, live_server, handler)
    page.goto("/en/staff/series/new/")
    axe(page, "staff: new series")
    page.select_option("#id_resource", court.pk)
    page.check("#id_weekdays_1")
    page.fill("#id_start_date", monday.isoformat())
    page.fill("#id_count", "4")
    page.fill("#id_begin_time", "18:00")
    page.fill("#id_end_time", "19:30")
    page.fill("#id_customer_email", customer.email)
    page.fill("#id_event_subject", "Floorball juniors")
    page.locator("#series-submit").click()

    expect(page.locator("h1")).to_contain_text("Court A")
    expect(page.locator(".message--success")).to_contain_text("3")
    expect(page.locator(".message--warning")).to_contain_text("1")
    skipped = page.locator('.skipped-list [data-code="overlap"]')
    expect(skipped).to_have_count(1)
    expect(page.locator("#occurrences tbody tr")).to_have_count(3)
    axe(page, "staff: series made with one conflict")

    series = ReservationSeries.objects.get()
    assert [s["date"] for s in series.skipped] == [taken.isoformat()]
    assert list(series.occurrences.values_list("state", flat=True)) == [State.CONFIRMED] * 3
    assert all(o.user_id == customer.pk for o in series.occurrences.all())
