"""Screenshots of the main pages at phone and desktop widths, for docs/screenshots/ and the README.

The clock is frozen on a fixed day, so a screenshot changes only when the page does."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tests import factories as f
from tests.e2e.conftest import DESKTOP, PHONE, add_bookings, build_city, next_weekday, shoot, sign_in_cookie
from tila.booking.services import reservation_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, reset_sequences=True)]

FROZEN = dt.datetime(2030, 3, 4, 9, 5, tzinfo=ZoneInfo("Europe/Helsinki"))  # a Monday morning
WIDTHS = {"phone": PHONE, "desktop": DESKTOP}


def test_screenshots_of_the_main_pages(page, live_server, axe):
    with time_machine.travel(FROZEN, tick=False):
        city = build_city()
        day = next_weekday(timezone.localdate())
        add_bookings(city, day)
        resident = f.user("aino@example.org", preferred_language="fi")
        resident.name = "Aino Virtanen"
        resident.save(update_fields=["name"])
        booked = reservation_create(
            actor=resident,
            resource=city["room"],
            begin=f.at(day, 12),
            end=f.at(day, 14),
            event_subject="Kuoroharjoitus",
            number_of_participants=8,
        )
        later = day + dt.timedelta(days=2)
        reservation_create(actor=resident, resource=city["studio"], begin=f.at(later, 18), end=f.at(later, 19))
        sign_in_cookie(page.context, live_server, resident)
        search = f"/fi/?date={day}&time_from=12:00&time_to=16:00&duration=60&purpose=meeting"
        conflict = f"/fi/resources/kallio-meeting/book/?begin={day}T09:00&end={day}T10:00"
        pages = [
            ("home", "/fi/"),
            ("search-results", search),
            ("resource", f"/fi/resources/kallio-meeting/?week={day}"),
            ("booking-form", f"/fi/resources/kallio-meeting/book/?begin={day}T16:00&end={day}T17:00"),
            ("confirmation", f"/fi/reservations/{booked.pk}/"),
            ("my-bookings", "/fi/reservations/"),
            ("resource-sv", f"/sv/resources/kallio-meeting/?week={day}"),
        ]
        for name, url in pages:
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                page.goto(url)
                axe(page, f"{name} ({width})")
                shoot(page, f"{name}-{width}")
        for width, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            page.goto(conflict)
            page.check("#id_accept_terms")
            page.click("#book-submit")
            page.wait_for_selector("[data-error-summary]")
            axe(page, f"booking error ({width})")
            shoot(page, f"booking-error-{width}")
