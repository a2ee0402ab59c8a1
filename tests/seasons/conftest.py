import pytest


@pytest.fixture(autouse=True)
def _fast_setup(settings):
    """Quick password hashing; opening hours materialised for a shorter horizon than production's."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TILA_HOURS_PAST_DAYS = 7
    settings.TILA_HOURS_AHEAD_DAYS = 150
