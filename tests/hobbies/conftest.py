import datetime as dt

import pytest

from tila.hobbies.models import HobbyCategory
from tila.hobbies.services import HobbyDetails, hobby_group_create


@pytest.fixture(autouse=True)
def _fast_setup(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TILA_HOURS_PAST_DAYS = 7
    settings.TILA_HOURS_AHEAD_DAYS = 60


@pytest.fixture
def place(f):
    return f.unit(
        "tprek:8310",
        name_fi="Vuosaaren kirjasto",
        name_en="Vuosaari Library",
        district=f.district("vuosaari", "Vuosaari"),
    )


@pytest.fixture
def details():
    def make(**changes):
        values = {
            "name": {"fi": "Sählykerho", "sv": "Innebandyklubb", "en": "Floorball club"},
            "category": HobbyCategory.objects.get(pk="sports"),
            "organiser": "Vuosaaren Urheilijat ry",
            "season_start": dt.date(2030, 9, 2),
            "season_end": dt.date(2030, 12, 16),
            "min_age": 7,
            "max_age": 10,
            "is_free": False,
            "price": 80,
            "times": [(1, dt.time(17), dt.time(18))],
        }
        values.update(changes)
        return HobbyDetails(**values)

    return make


@pytest.fixture
def group(place, details):
    return hobby_group_create(actor=None, unit=place, details=details())
