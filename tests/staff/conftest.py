import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture(autouse=True)
def _fast_setup(settings):
    """Quick password hashing; opening hours materialised for a shorter horizon than production's."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TILA_HOURS_PAST_DAYS = 7
    settings.TILA_HOURS_AHEAD_DAYS = 90


@pytest.fixture
def next_monday():
    """Monday of the week after next: every weekday of that week is in the future."""
    today = timezone.localdate()
    return today + dt.timedelta(days=14 - today.weekday())
