import datetime as dt

import pytest

from tila.insight.models import ManagementAccess

HOURS_8_TO_20 = [(d, dt.time(8), dt.time(20)) for d in range(7)]


@pytest.fixture(autouse=True)
def _fast_setup(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TILA_HOURS_PAST_DAYS = 40
    settings.TILA_HOURS_AHEAD_DAYS = 10


@pytest.fixture
def manager(f):
    person = f.user("johtaja@example.org", preferred_language="en")
    ManagementAccess.objects.create(user=person)
    return person
