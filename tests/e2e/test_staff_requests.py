"""Staff handle requests in a real browser: approve one, deny one with a ready-made reason and a
message, and see a refusal explained in place. axe-core checks each page they pass."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import next_weekday, sign_in_cookie
from tila.accounts.models import Role
from tila.booking.models import DenyReason, Reservation, State
from tila.booking.services import reservation_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office():
    unit = f.unit(hours=f.ALL_WEEK, name_fi="Kallion kirjasto", name_sv="Berghälls bibliotek", name_en="Kallio Library")
    hall = f.resource(unit, name_fi="Sali", name_sv="Salen", name_en="Hall", need_manual_confirmation=True)
    handler = f.staff(unit, Role.HANDLER)
    day = next_weekday(timezone.localdate())
    first = reservation_create(
        actor=f.user(preferred_language="fi"),
        resource=hall,
        begin=f.at(day, 10),
        end=f.at(day, 12),
        event_subject="Lukupiiri",
    )
    second = reservation_create(
        actor=f.user(preferred_language="sv"),
        resource=hall,
        begin=f.at(day, 14),
        end=f.at(day, 16),
        event_subject="Bokcirkel",
    )
    reason = DenyReason.objects.filter(active=True).first() or DenyReason.objects.create(
        text_fi="Tila on varattu.", text_sv="Lokalen är bokad.", text_en="The space is booked."
    )
    return {"unit": unit, "hall": hall, "handler": handler, "first": first, "second": second, "reason": reason}


def test_handler_approves_one_request_and_denies_another_with_a_reason(page, live_server, axe, office):
    sign_in_cookie(page.context, live_server, office["handler"])
    page.goto("/en/staff/requests/")
    expect(page.locator(f'tr[data-reservation="{office["first"].pk}"]')).to_be_visible()
    axe(page, "staff: request queue")

    page.locator(f'tr[data-reservation="{office["first"].pk}"] a').first.click()
    expect(page.locator("h1")).to_contain_text("Hall")  # the resource's name is data, not a translated text
    axe(page, "staff: request")
    page.locator("#approve").click()
    expect(page.locator(".message--success")).to_be_visible()
    expect(page.locator(f'tr[data-reservation="{office["first"].pk}"]')).to_have_count(0)

    page.locator(f'tr[data-reservation="{office["second"].pk}"] a').first.click()
    page.locator("#deny").click()  # no reason yet: refused in place
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator('[data-code="reason_required"]')).to_have_count(1)
    axe(page, "staff: request with an error")
    page.select_option("#id_deny-reason", str(office["reason"].pk))
    page.fill("#id_deny-text", "Prova gärna tisdag.")
    page.locator("#deny").click()
    expect(page.locator(".message--success")).to_be_visible()

    first = Reservation.objects.get(pk=office["first"].pk)
    second = Reservation.objects.get(pk=office["second"].pk)
    assert first.state == State.CONFIRMED and first.handled_by == office["handler"]
    assert second.state == State.DENIED
    assert second.deny_reason == f"{office['reason'].text_sv}\n\nProva gärna tisdag."


def test_handler_approves_requests_in_bulk_from_the_queue(page, live_server, axe, office):
    sign_in_cookie(page.context, live_server, office["handler"])
    page.goto("/fi/staff/requests/")
    page.check(f"#pick-{office['first'].pk}")
    page.check(f"#pick-{office['second'].pk}")
    page.locator("#bulk-approve").click()
    expect(page.locator(".message--success")).to_be_visible()
    axe(page, "staff: request queue after bulk approval")
    states = set(
        Reservation.objects.filter(pk__in=[office["first"].pk, office["second"].pk]).values_list("state", flat=True)
    )
    assert states == {State.CONFIRMED}
