"""Signing in through the city's OpenID Connect provider in a real browser, and booking a space that
needs strong identification. The provider is a real one (django-oauth-toolkit, started on loopback
by tests.accounts.oidc_provider); the pages keep working under the Content-Security-Policy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.accounts.oidc_provider.fixtures import PASSWORD as PROVIDER_PASSWORD
from tests.accounts.oidc_provider.fixtures import oidc, oidc_provider  # noqa: F401 - fixtures
from tests.e2e.conftest import next_weekday
from tila.accounts.models import User
from tila.booking.models import Reservation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def strong_room(city):
    room = city["cube"]
    room.authentication = "strong"
    room.save(update_fields=["authentication"])
    return room


def _csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def _sign_in_at_provider(page, username: str) -> None:
    page.wait_for_selector("#op-login")
    page.fill("#id_username", username)
    page.fill("#id_password", PROVIDER_PASSWORD)
    page.click("#op-login")


def test_strong_sign_in_through_the_provider_then_book(oidc, page, strong_room, axe):  # noqa: F811
    errors = _csp_errors(page)
    day = next_weekday(timezone.localdate())
    page.goto(f"/en/resources/{strong_room.pk}/book/")
    page.wait_for_url("**/accounts/login/**")
    expect(page.locator("#oidc-signin-button")).to_contain_text("Suomi.fi")
    axe(page, "sign in with the provider offered")
    page.click("#oidc-signin-button")
    _sign_in_at_provider(page, "aino")
    page.wait_for_url(f"**/resources/{strong_room.pk}/book/")
    expect(page.locator("#strong-auth-required")).to_have_count(0)
    page.fill("#id_begin_date", day.isoformat())
    page.select_option("#id_begin_time", "10:00")
    page.fill("#id_end_date", day.isoformat())
    page.select_option("#id_end_time", "11:00")
    page.check("#id_accept_terms")
    page.click("#book-submit")
    page.wait_for_url("**/reservations/*/")
    axe(page, "booked with strong identification")
    booked = Reservation.objects.get()
    assert booked.user.email == "aino.strong@example.org"
    assert booked.begin.astimezone(dt.UTC).hour == f.at(day, 10).astimezone(dt.UTC).hour
    assert errors == [], errors


def test_a_weak_sign_in_is_told_to_identify_strongly(oidc, page, strong_room, axe):  # noqa: F811
    errors = _csp_errors(page)
    page.goto("/en/accounts/login/")
    page.click("#oidc-signin-button")
    _sign_in_at_provider(page, "bertta")
    page.wait_for_url(re.compile(r"/(fi|sv|en)/$"))
    assert User.objects.filter(email="bertta.weak@example.org").exists()
    page.goto(f"/en/resources/{strong_room.pk}/book/")
    notice = page.locator("#strong-auth-required")
    expect(notice).to_contain_text("strong identification")
    axe(page, "booking needs strong identification")
    page.click("#strong-signin")
    _sign_in_at_provider(page, "cecilia")
    page.wait_for_url(f"**/resources/{strong_room.pk}/book/")
    expect(page.locator("#strong-auth-required")).to_have_count(0)
    assert errors == [], errors
