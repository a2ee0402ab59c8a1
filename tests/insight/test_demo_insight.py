"""The demo city's indicator history tells the city's story and keeps every invariant."""

import pytest
from django.utils import timezone

from tila.booking.models import Reservation
from tila.core import demo, demo_insight
from tila.hobbies.models import HobbyGroup
from tila.insight import selectors
from tila.insight.access import has_management_access
from tila.insight.models import Indicator

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture
def _production_horizon(settings):
    settings.TILA_HOURS_PAST_DAYS = 400
    settings.TILA_HOURS_AHEAD_DAYS = 60


@pytest.mark.usefixtures("_production_horizon")
def test_the_history_tells_the_story_and_loads_once():
    demo.load_demo()
    lines = dict(demo_insight.load(None))
    assert lines["past reservations"] > 10000 and lines["feedback answers"] > 2000
    year = timezone.localdate().year
    scores = [round(selectors.nps_of_year(y).score or 0) for y in (year - 2, year - 1)]
    assert scores == [38, 40]
    assert 41 <= (selectors.nps_of_year(year).score or 0) <= 43  # a year in progress: 42 by its end
    assert Indicator.objects.count() == 3 and HobbyGroup.objects.filter(series__isnull=False).exists()
    from tila.accounts.models import User

    assert has_management_access(User.objects.get(email=demo_insight.MANAGER_EMAIL))
    # utilisation and growth have something to show
    assert any(row["utilisation"] for row in selectors.utilisation_table(year - 1).rows)
    assert selectors.resource_growth_table().rows[-1]["bookable"] > 50
    count = Reservation.objects.count()
    assert demo_insight.load(None) == [] and Reservation.objects.count() == count
