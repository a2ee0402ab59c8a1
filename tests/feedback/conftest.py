import datetime as dt

import pytest
from django.utils import timezone

from tila.booking.services import reservation_create


@pytest.fixture(autouse=True)
def _fast_setup(settings):
    """Cheap password hashing, and opening hours materialised only as far as these tests look."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TILA_HOURS_PAST_DAYS = 70
    settings.TILA_HOURS_AHEAD_DAYS = 30


@pytest.fixture
def room(f):
    unit = f.unit(
        "tprek:8100",
        hours=f.ALL_WEEK,
        name_fi="Kallion kirjasto",
        name_en="Kallio Library",
        district=f.district("kallio", "Kallio"),
    )
    return f.resource(unit, rid="kallio-room", name_fi="Kokoushuone", name_en="Meeting room")


@pytest.fixture
def booker(f):
    return f.user("booker@example.org", preferred_language="en")


@pytest.fixture
def past_booking(f):
    """Book `resource` for `who` a number of days ago (the engine thinks it is two days earlier)."""

    def make(resource, who, days_ago=1, hour=10):
        day = timezone.localdate() - dt.timedelta(days=days_ago)
        begin = f.at(day, hour)
        return reservation_create(
            actor=who,
            resource=resource,
            begin=begin,
            end=begin + dt.timedelta(hours=1),
            now=begin - dt.timedelta(days=2),
        )

    return make


@pytest.fixture
def ended(room, booker, past_booking):
    return past_booking(room, booker)
