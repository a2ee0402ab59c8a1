"""Screenshots of the management dashboard with the demo city's history (docs/screenshots/dashboard-*.png).

Loads the demo city and its indicator history (tila.core.demo_insight) on a frozen day, so the
pictures change only when the dashboard does. Slow: about a minute on SQLite."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.e2e.conftest import DESKTOP, PHONE, shoot, sign_in_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.django_db(transaction=True, reset_sequences=True)]

FROZEN = dt.datetime(2030, 11, 18, 9, 0, tzinfo=ZoneInfo("Europe/Helsinki"))


def test_screenshots_of_the_dashboard(page, live_server, axe):
    from tila.accounts.models import User
    from tila.core import demo, demo_insight

    with time_machine.travel(FROZEN, tick=False):
        demo.load_demo()
        demo_insight.load(None)
        manager = User.objects.get(email=demo_insight.MANAGER_EMAIL)
        sign_in_cookie(page.context, live_server, manager)
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            page.goto("/fi/insight/")
            axe(page, f"dashboard with the demo history ({width})")
            shoot(page, f"dashboard-{width}")
        page.set_viewport_size(DESKTOP)
        page.goto("/en/insight/")
        shoot(page, "dashboard-en-desktop")
