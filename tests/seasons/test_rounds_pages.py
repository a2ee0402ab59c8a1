"""The seasonal pages: residents apply (drafts, groups, submitting, results), staff run the allocation
(progress by htmx polling, cancel), adjust, accept and send; errors come back on the fields."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from tests import factories as f
from tests.seasons import builders as b
from tila.seasons import decisions, runs
from tila.seasons.models import Allocation, AllocationRun, Application, ApplicationState, RoundState, RunStatus

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.seasons.urls")]


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# -- Residents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_rounds_are_public_in_every_language(lang):
    c = b.city()
    round = b.open_round(c)
    listing = _client().get(f"/{lang}/seasons/")
    assert listing.status_code == 200 and f'lang="{lang}"' in listing.text
    detail = _client().get(f"/{lang}/seasons/{round.pk}/")
    assert detail.status_code == 200 and "hall-a" in detail.text


def test_a_resident_applies_with_a_draft_a_group_and_submits():
    c = b.city()
    round = b.open_round(c)
    resident = f.user()
    client = _client(resident)
    response = client.post(f"/en/seasons/{round.pk}/apply/")
    application = Application.objects.get(user=resident)
    assert response.status_code == 302 and response["Location"].endswith(f"/applications/{application.pk}/")

    details = {
        "applicant_type": "association",
        "organisation_name": "Kontulan Kiekko",
        "business_id": "1572860-1",
        "contact_name": "Aino",
        "contact_email": "aino@example.org",
        "language": "sv",
    }
    bad = client.post(f"/en/seasons/applications/{application.pk}/", details)
    assert bad.status_code == 400
    assert 'data-code="invalid_business_id"' in bad.text and 'href="#id_business_id"' in bad.text

    details["business_id"] = "1572860-0"
    assert client.post(f"/en/seasons/applications/{application.pk}/", details).status_code == 302
    early = client.post(f"/en/seasons/applications/{application.pk}/submit/", details)
    assert early.status_code == 400 and 'data-code="incomplete"' in early.text

    group = {
        "name": "Juniors",
        "participants": "14",
        "times_per_week": "2",
        "min_minutes": "60",
        "max_minutes": "90",
        "resource_1": "hall-a",
        "resource_2": "hall",
        "primary_from_0": "17:00",
        "primary_to_0": "19:00",
        "secondary_from_2": "18:00",
    }
    missing_end = client.post(f"/en/seasons/applications/{application.pk}/groups/new/", group)
    assert missing_end.status_code == 400 and "id_secondary_to_2" in missing_end.text
    group["secondary_to_2"] = "20:00"
    assert client.post(f"/en/seasons/applications/{application.pk}/groups/new/", group).status_code == 302
    section = application.sections.get()
    assert [o.resource_id for o in section.options.all()] == ["hall-a", "hall"]
    assert [(s.weekday, s.priority) for s in section.suitable_times.all()] == [(0, "primary"), (2, "secondary")]

    done = client.post(f"/en/seasons/applications/{application.pk}/submit/", details)
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED and application.language == "sv"
    page = client.get(f"/en/seasons/applications/{application.pk}/")
    assert 'id="withdraw"' in page.text and 'id="application-form"' not in page.text


def test_a_resident_sees_only_their_own_applications():
    c = b.city()
    round = b.open_round(c)
    application = b.apply(round, [b.section_data([c.hall], [b.suitable(0, "17:00", "19:00")])])
    assert _client(f.user()).get(f"/en/seasons/applications/{application.pk}/").status_code == 404
    assert _client().get(f"/en/seasons/applications/{application.pk}/").status_code == 302  # sign in first


def test_the_applicant_sees_the_decision_once_the_results_are_sent():
    c = b.city()
    round = b.open_round(c)
    application = b.apply(round, [b.section_data([c.half_a], [b.suitable(0, "17:00", "19:00")])])
    b.to_allocation(c, round)
    decisions.allocation_add(
        actor=c.handler,
        section=application.sections.get(),
        resource="hall-a",
        weekday=0,
        begin=dt.time(17),
        end=dt.time(18),
    )
    decisions.round_accept(actor=c.handler, round=round)
    client = _client(application.user)
    assert 'id="results"' not in client.get(f"/en/seasons/applications/{application.pk}/").text
    decisions.round_results_send(actor=c.handler, round=round)
    page = client.get(f"/en/seasons/applications/{application.pk}/")
    assert 'id="results"' in page.text and "data-decision=" in page.text


# -- Staff -------------------------------------------------------------------------------------


def test_residents_and_strangers_do_not_enter_the_staff_pages():
    c = b.city()
    round = b.open_round(c)
    assert _client().get("/en/seasons/staff/").status_code == 302
    assert _client(f.user()).get("/en/seasons/staff/").status_code == 403
    other = f.staff(f.unit(hours=b.EVENINGS))
    assert _client(other).get(f"/en/seasons/staff/{round.pk}/").status_code == 404


def test_staff_create_and_open_a_round_with_the_form():
    c = b.city()
    client = _client(c.admin)
    now = timezone.localtime()
    first = b.season_start()
    form = {
        "name_fi": "Kevät",
        "season_begin": first.isoformat(),
        "season_end": (first - dt.timedelta(days=1)).isoformat(),
        "application_begin": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "application_end": (now + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "slot_minutes": "30",
        "resources": ["hall", "hall-a"],
    }
    bad = client.post("/en/seasons/staff/new/", form)
    assert bad.status_code == 400 and 'data-code="invalid_range"' in bad.text
    form["season_end"] = (first + dt.timedelta(weeks=10)).isoformat()
    response = client.post("/en/seasons/staff/new/", form)
    assert response.status_code == 302
    round = c.unit.resources.get(pk="hall").application_rounds.get()
    assert client.post(f"/en/seasons/staff/{round.pk}/", {"to": "open"}).status_code == 302
    round.refresh_from_db()
    assert round.state == RoundState.OPEN
    page = client.get(f"/en/seasons/staff/{round.pk}/")
    assert "Spaces and their typical week" in page.text and 'id="round-allocate"' in page.text


def test_staff_review_an_application_rejecting_one_option():
    c = b.city()
    round = b.open_round(c)
    application = b.apply(round, [b.section_data([c.half_a, c.hall], [b.suitable(0, "17:00", "19:00")])])
    option = application.sections.get().options.get(resource="hall")
    client = _client(c.handler)
    assert client.get(f"/en/seasons/staff/{round.pk}/applications/").status_code == 200
    response = client.post(
        f"/en/seasons/staff/applications/{application.pk}/", {"action": "reject_option", "option": option.pk}
    )
    assert response.status_code == 302
    option.refresh_from_db()
    assert option.rejected
    page = client.get(f"/en/seasons/staff/applications/{application.pk}/")
    assert "<del>" in page.text


def test_staff_run_follow_adjust_accept_and_send(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    c = b.city()
    round = b.open_round(c)
    for n in range(3):
        b.apply(
            round, [b.section_data([c.half_a, c.half_b, c.hall], [b.suitable(0, "17:00", "20:00")], name=f"Team {n}")]
        )
    b.to_allocation(c, round)
    client = _client(c.handler)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            f"/en/seasons/staff/{round.pk}/runs/", {"solver": "cpsat", "time_limit": "5", "seed": "0"}
        )
    run = AllocationRun.objects.get()
    assert started.status_code == 302 and started["Location"].endswith(f"/staff/runs/{run.pk}/")
    assert run.status == RunStatus.DONE
    fragment = client.get(f"/en/seasons/staff/runs/{run.pk}/progress/?poll=1", HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and 'data-status="done"' in fragment.text

    result = client.get(f"/en/seasons/staff/{round.pk}/result/")
    assert result.status_code == 200 and 'class="timetable"' in result.text and 'id="figure-served"' in result.text
    assert client.get(f"/en/seasons/staff/{round.pk}/result/?view=applicants").status_code == 200

    first, second = Allocation.objects.order_by("pk")[:2]
    clash = {"action": "change", "resource": second.resource_id, "weekday": second.weekday,
             "begin": second.begin.strftime("%H:%M"), "end": second.end.strftime("%H:%M")}  # fmt: skip
    if first.resource_id != second.resource_id or first.begin != second.begin:
        refused = client.post(f"/en/seasons/staff/decisions/{first.pk}/", clash)
        assert refused.status_code == 400 and 'data-code="overlap"' in refused.text
    locked = client.post(f"/en/seasons/staff/decisions/{first.pk}/", {"action": "locked"})
    assert locked.status_code == 302

    assert client.get(f"/en/seasons/staff/{round.pk}/accept/").status_code == 200
    accepted = client.post(f"/en/seasons/staff/{round.pk}/accept/")
    assert accepted.status_code == 302
    round.refresh_from_db()
    assert round.state == RoundState.HANDLED
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/en/seasons/staff/{round.pk}/send/").status_code == 302
    round.refresh_from_db()
    assert round.state == RoundState.RESULTS_SENT


def test_the_progress_fragment_polls_while_a_run_is_active_and_offers_cancel():
    c = b.city()
    round = b.open_round(c)
    b.apply(round, [b.section_data([c.hall], [b.suitable(0, "17:00", "19:00")])])
    b.to_allocation(c, round)
    run = runs.allocation_run_start(actor=c.handler, round=round, parameters=runs.RunParameters(time_limit=5))
    client = _client(c.handler)
    fragment = client.get(f"/en/seasons/staff/runs/{run.pk}/progress/?poll=1", HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in fragment.text and 'id="run-cancel"' in fragment.text
    assert "HX-Refresh" not in fragment
    assert client.post(f"/en/seasons/staff/runs/{run.pk}/cancel/").status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    viewer_page = client.get(f"/en/seasons/staff/runs/{run.pk}/")
    assert "hx-trigger" not in viewer_page.text
