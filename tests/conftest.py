import datetime as dt
import os

import pytest
from django.utils import timezone

os.environ.setdefault("TILA_TESTING", "1")

from tests import factories


def pytest_configure(config):
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture
def f():
    return factories


@pytest.fixture
def future_day():
    """A weekday comfortably in the future (next week's Wednesday)."""
    today = timezone.localdate()
    return today + dt.timedelta(days=7 + (2 - today.weekday()) % 7)


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    vendor = connection.vendor
    for item in items:
        if "postgres" in item.keywords and vendor != "postgresql":
            item.add_marker(pytest.mark.skip(reason="PostgreSQL-specific behaviour; runs in make test-postgres"))
