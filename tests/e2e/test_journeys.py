"""A resident's journeys in a real browser, with axe-core on every page they pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import PASSWORD, add_bookings, next_weekday, sign_in_cookie
from tila.accounts.models import User
from tila.booking.models import Reservation, State
from tila.booking.services import reservation_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector` (the keyboard is the only input)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def focus_is_visible(page) -> bool:
    return page.evaluate(
        """() => {
            const s = getComputedStyle(document.activeElement);
            return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none';
        }"""
    )


def test_search_book_see_change_and_cancel(page, city, resident, axe):
    day = next_weekday(timezone.localdate())
    add_bookings(city, day)

    page.goto("/fi/accounts/login/?next=/fi/")
    axe(page, "sign in")
    page.fill("#id_email", resident.email)
    page.fill("#id_password", PASSWORD)
    page.click("#signin-submit")
    page.wait_for_url("**/fi/")
    axe(page, "home")

    page.fill("#id_date", day.isoformat())
    page.select_option("#id_time_from", "12:00")
    page.select_option("#id_time_to", "16:00")
    page.select_option("#id_duration", "60")
    page.select_option("#id_purpose", "meeting")
    page.click("#search-submit")
    expect(page.locator("#results")).to_be_visible()
    axe(page, "search results")
    card = page.locator(".result").filter(has_text="Kokoushuone Kaisla")
    expect(card).to_have_count(1)
    expect(page.locator(".result").filter(has_text="Musiikkihuone")).to_have_count(0)  # another purpose
    card.locator(".slot-link").first.click()

    page.wait_for_url("**/fi/resources/kallio-meeting/book/**")
    axe(page, "booking form")
    expect(page.locator("#id_begin_time")).to_have_value("12:00")
    expect(page.locator("#id_end_time")).to_have_value("13:00")
    page.fill("#id_event_subject", "Kuoroharjoitus")
    page.fill("#id_number_of_participants", "8")
    page.check("#id_accept_terms")
    page.click("#book-submit")

    page.wait_for_url("**/fi/reservations/*/")
    axe(page, "confirmation")
    expect(page.locator("[data-state='confirmed']")).to_be_visible()
    reservation = Reservation.objects.get(user=resident)
    assert (reservation.begin, reservation.end) == (f.at(day, 12), f.at(day, 13))
    expect(page.locator(".details")).to_contain_text(f"{day.day}.{day.month}.{day.year} 12.00–13.00")
    with page.expect_download() as download:
        page.click("a[href$='reservation.ics']")
    (event,) = Calendar.from_ical(Path(download.value.path()).read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART") == reservation.begin

    page.click("nav.main-nav a[href='/fi/reservations/']")
    axe(page, "my bookings")
    item = page.locator(f"[data-reservation='{reservation.pk}']")
    expect(item).to_contain_text("Kokoushuone Kaisla")
    item.locator("a[href$='/change/']").click()

    page.wait_for_url(f"**/fi/reservations/{reservation.pk}/change/")
    axe(page, "change form")
    page.select_option("#id_begin_time", "16:00")
    page.select_option("#id_end_time", "18:00")
    page.click("#change-submit")
    page.wait_for_url(f"**/fi/reservations/{reservation.pk}/")
    axe(page, "changed booking")
    reservation.refresh_from_db()
    assert (reservation.begin, reservation.end) == (f.at(day, 16), f.at(day, 18))
    expect(page.locator(".details")).to_contain_text("16.00–18.00")

    page.click(f"a[href='/fi/reservations/{reservation.pk}/cancel/']")
    axe(page, "cancel")
    page.click("#cancel-submit")
    page.wait_for_url("**/fi/reservations/")
    axe(page, "my bookings after cancelling")
    reservation.refresh_from_db()
    assert reservation.state == State.CANCELLED
    expect(page.locator(f".reservation-list--past [data-reservation='{reservation.pk}']")).to_be_visible()


def test_a_slot_taken_meanwhile_is_explained_and_another_time_offered(page, live_server, city, resident, axe):
    day = next_weekday(timezone.localdate())
    sign_in_cookie(page.context, live_server, resident)
    page.goto(f"/en/resources/kallio-meeting/book/?begin={day}T12:00&end={day}T13:00")
    page.check("#id_accept_terms")
    # Someone else books the same hour while the form is open.
    reservation_create(actor=city["neighbour"], resource=city["room"], begin=f.at(day, 12), end=f.at(day, 13))
    page.click("#book-submit")

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("The time overlaps another reservation.")
    expect(page.locator("#id_begin_time_error")).to_contain_text("The time overlaps another reservation.")
    expect(page.locator("#id_begin_time")).to_have_attribute("aria-invalid", "true")
    axe(page, "booking conflict")
    summary.locator("a[href='#id_begin_time']").click()
    expect(page.locator("#id_begin_time")).to_be_focused()

    page.locator(".offers a").first.click()
    expect(page.locator("#id_begin_time")).to_have_value("13:00")
    page.check("#id_accept_terms")
    page.click("#book-submit")
    page.wait_for_url("**/en/reservations/*/")
    assert Reservation.objects.get(user=resident).begin == f.at(day, 13)


def test_booking_with_the_keyboard_only(page, live_server, city, resident, axe):
    day = next_weekday(timezone.localdate())
    sign_in_cookie(page.context, live_server, resident)
    page.goto(f"/en/resources/kallio-meeting/?week={day}")
    axe(page, "resource page")

    tab_to(page, "[data-week-grid] a.slot")
    assert focus_is_visible(page)
    assert page.evaluate("() => document.activeElement.dataset.begin") == f"{day}T08:00"
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.dataset.begin") == f"{day}T10:00"
    page.keyboard.press("Enter")  # the first slot
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # the last slot: 11.30–12.00
    expect(page.locator("[data-selection-text]")).to_contain_text("10:00–12:00")
    expect(page.locator("[data-selection-status]")).to_contain_text("10:00–12:00")
    axe(page, "resource page with a chosen time")

    tab_to(page, "[data-selection-link]")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/resources/kallio-meeting/book/**")
    expect(page.locator("#id_begin_time")).to_have_value("10:00")
    expect(page.locator("#id_end_time")).to_have_value("12:00")

    tab_to(page, "#id_event_subject")
    page.keyboard.type("Board games evening")
    tab_to(page, "#id_accept_terms")
    page.keyboard.press("Space")
    tab_to(page, "#book-submit")
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/reservations/*/")
    axe(page, "confirmation after keyboard booking")
    reservation = Reservation.objects.get(user=resident)
    assert (reservation.begin, reservation.end) == (f.at(day, 10), f.at(day, 12))
    assert reservation.event_subject == "Board games evening"


def test_the_whole_flow_in_swedish(page, city, axe):
    day = next_weekday(timezone.localdate(), weekday=3)
    page.goto("/sv/accounts/signup/")
    axe(page, "sign up (sv)")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.locator("#id_preferred_language")).to_have_value("sv")
    page.fill("#id_email", "elsa@example.org")
    page.fill("#id_name", "Elsa Lindqvist")
    page.fill("#id_password", "ett långt lösenord")
    page.fill("#id_password_again", "ett långt lösenord")
    page.click("#signup-submit")
    page.wait_for_url("**/sv/")
    axe(page, "home (sv)")
    user = User.objects.get(email="elsa@example.org")
    assert user.preferred_language == "sv"
    assert any("/sv/accounts/verify/" in m.body for m in mail.outbox)

    page.fill("#id_date", day.isoformat())
    page.select_option("#id_time_from", "17:00")
    page.select_option("#id_time_to", "20:00")
    page.select_option("#id_area", "unit:tprek:8215")
    page.click("#search-submit")
    axe(page, "search results (sv)")
    card = page.locator(".result").filter(has_text="Mötesrummet Kaisla")
    expect(card).to_contain_text("Berghälls bibliotek")
    card.locator(".slot-link").first.click()

    page.wait_for_url("**/sv/resources/kallio-meeting/book/**")
    axe(page, "booking form (sv)")
    page.check("#id_accept_terms")
    page.click("#book-submit")
    page.wait_for_url("**/sv/reservations/*/")
    axe(page, "confirmation (sv)")
    expect(page.locator(".details")).to_contain_text(f"{day.day}.{day.month}.{day.year} 17.00–18.00")
    expect(page.locator(".details")).to_contain_text("Europe/Helsinki")

    page.goto("/sv/reservations/")
    axe(page, "my bookings (sv)")
    reservation = Reservation.objects.get(user=user)
    page.locator(f"[data-reservation='{reservation.pk}'] a[href$='/cancel/']").click()
    axe(page, "cancel (sv)")
    page.click("#cancel-submit")
    page.wait_for_url("**/sv/reservations/")
    reservation.refresh_from_db()
    assert reservation.state == State.CANCELLED

    # The language switch keeps the page.
    page.click(".lang-nav a[lang='fi']")
    page.wait_for_url("**/fi/reservations/")
    expect(page.locator("html")).to_have_attribute("lang", "fi")


def test_week_paging_and_favourites_work_with_htmx(page, live_server, city, resident, axe):
    sign_in_cookie(page.context, live_server, resident)
    today = timezone.localdate()
    page.goto("/en/resources/oodi-kuutio/")
    first = page.locator("[data-week-grid] a.slot").first
    page.click("#week-next")
    expect(page).to_have_url(f"{live_server.url}/en/resources/oodi-kuutio/?week={today + dt.timedelta(days=7)}")
    expect(page.locator("#week-prev")).to_be_visible()
    expect(page.locator("#week-status")).to_contain_text(f"{(today + dt.timedelta(days=7)).day}.")
    assert first.count() == 1
    axe(page, "next week (htmx)")
    button = page.locator("#favourite-button-oodi-kuutio")
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(page.locator("#favourite-button-oodi-kuutio")).to_have_attribute("aria-pressed", "true")
    page.goto("/en/favourites/")
    axe(page, "favourites")
    expect(page.locator("main")).to_contain_text("The Cube")


def test_a_request_says_staff_will_confirm(page, live_server, city, resident, axe):
    day = next_weekday(timezone.localdate())
    sign_in_cookie(page.context, live_server, resident)
    page.goto(f"/en/resources/kallio-music/book/?begin={day}T18:00&end={day}T19:00")
    page.check("#id_accept_terms")
    page.click("#book-submit")
    page.wait_for_url("**/en/reservations/*/")
    expect(page.locator("[data-state='requested']")).to_contain_text("Staff will confirm it")
    axe(page, "requested booking")
    assert Reservation.objects.get(user=resident).state == State.REQUESTED
