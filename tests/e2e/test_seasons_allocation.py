"""A handler runs the allocation of a small seasonal round in a real browser — the run goes to a
background worker, the page follows its progress by htmx polling and reloads when it ends — looks at
the timetable, and accepts it: every decision is booked as a weekly series for the season."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from playwright.sync_api import expect

from tests.e2e.conftest import sign_in_cookie
from tests.seasons import builders as b
from tila.booking.models import ReservationSeries
from tila.seasons import runs
from tila.seasons.models import AllocationRun, DecisionState, RoundState, RunStatus
from tila.seasons.selectors import decisions_check, live_decisions, round_problem

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.seasons.urls")]


class Worker(threading.Thread):
    """Stands in for `tila db_worker`: runs queued allocation runs until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.done = threading.Event()

    def run(self) -> None:
        try:
            while not self.done.is_set():
                queued = AllocationRun.objects.filter(status=RunStatus.QUEUED).values_list("pk", flat=True).first()
                if queued is None:
                    time.sleep(0.1)
                    continue
                runs.allocation_run_execute(run_id=queued, poll=0.2)
        finally:
            connection.close()


@pytest.fixture
def worker():
    thread = Worker()
    thread.start()
    yield thread
    thread.done.set()
    thread.join(timeout=30)


@pytest.fixture(autouse=True)
def _no_task_enqueue(monkeypatch):
    monkeypatch.setattr(runs, "_enqueue", lambda run_id: None)  # the worker thread picks runs up from the table


def test_a_handler_runs_the_allocation_follows_it_and_accepts_it(page, live_server, axe, worker):
    c = b.city()
    round = b.open_round(c)
    for n, places in enumerate(([c.half_a, c.hall], [c.half_b, c.hall], [c.hall], [c.studio])):
        times = [b.suitable(0, "17:00", "20:00"), b.suitable(2, "17:00", "20:00", "secondary")]
        b.apply(round, [b.section_data(places, times, name=f"Team {n}", per_week=2, maximum=90)])
    b.to_allocation(c, round)
    sign_in_cookie(page.context, live_server, c.handler)

    page.goto(f"/en/seasons/staff/{round.pk}/runs/")
    axe(page, "seasons: runs")
    page.fill("#id_time_limit", "3")
    page.locator("#run-submit").click()
    expect(page.locator("h1")).to_contain_text("Allocation run")
    expect(page.locator("#run-result")).to_be_visible(timeout=30_000)  # htmx polled, then reloaded the page
    expect(page.locator("#run-progress")).to_have_attribute("data-status", "done")
    axe(page, "seasons: run done")

    page.locator("#run-result").click()
    expect(page.locator("h1")).to_contain_text("Timetable and decisions")
    expect(page.locator(".timetable").first).to_be_visible()
    assert page.locator(".slot--proposed").count() >= 4
    axe(page, "seasons: timetable")
    page.goto(f"/en/seasons/staff/{round.pk}/result/?view=applicants")
    expect(page.locator("#by-applicant tbody tr")).to_have_count(4)

    page.goto(f"/en/seasons/staff/{round.pk}/accept/")
    axe(page, "seasons: accept")
    page.locator("#accept-submit").click()
    expect(page.locator(".message--success")).to_contain_text("Accepted")
    assert page.locator(".slot--accepted").count() >= 4
    axe(page, "seasons: accepted")

    round.refresh_from_db()
    assert round.state == RoundState.HANDLED
    decisions = list(live_decisions(round))
    assert decisions and all(d.state == DecisionState.ACCEPTED for d in decisions)
    assert decisions_check(round_problem(round), decisions) == []
    assert ReservationSeries.objects.count() == len(decisions)


def test_a_resident_applies_for_a_weekly_time_in_a_real_browser(page, live_server, axe):
    c = b.city()
    b.open_round(c)
    resident = b.f.user("seura@example.org", preferred_language="en")
    sign_in_cookie(page.context, live_server, resident)

    page.goto("/en/seasons/")
    axe(page, "seasons: rounds")
    page.get_by_role("link", name="Autumn season").click()
    axe(page, "seasons: round")
    page.locator("#apply").click()
    expect(page.locator("h1")).to_contain_text("Application")
    page.fill("#id_organisation_name", "Kontulan Kiekko ry")
    page.fill("#id_business_id", "1572860-1")  # wrong check digit
    page.fill("#id_contact_name", "Aino Virtanen")
    page.locator("#save-draft").click()
    expect(page.locator(".error-summary")).to_contain_text("business ID")
    axe(page, "seasons: application with an error")
    page.fill("#id_business_id", "1572860-0")
    page.locator("#save-draft").click()
    expect(page.locator(".message--success")).to_be_visible()

    page.locator("#add-group").click()
    page.fill("#id_name", "Juniors")
    page.fill("#id_participants", "14")
    page.select_option("#id_resource_1", "hall-a")
    page.fill("#id_primary_from_0", "17:00")
    page.fill("#id_primary_to_0", "19:00")
    axe(page, "seasons: group form")
    page.locator("#section-submit").click()
    expect(page.locator("#groups-list")).to_contain_text("Juniors")
    page.locator("#submit-application").click()
    expect(page.locator(".message--success")).to_contain_text("submitted")
    axe(page, "seasons: submitted application")
    application = resident.season_applications.get()
    assert application.state == "submitted" and application.sections.get().options.get().resource_id == "hall-a"
