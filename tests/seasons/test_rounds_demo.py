"""The demo city's seasonal rounds (tila/core/demo_seasons.py): one handled, one open, consistent."""

from io import StringIO

import pytest
from django.db import transaction

from tila.booking.models import ACTIVE_STATES, Reservation
from tila.core import demo, demo_seasons
from tila.seasons.models import Allocation, ApplicationRound, ApplicationState, DecisionState, RoundState
from tila.seasons.selectors import decisions_check, live_decisions, round_problem
from tila.seasons.services import accepting

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        demo.load_demo()
        lines = demo_seasons.load(StringIO())
        yield lines
        transaction.set_rollback(True)


def test_the_demo_has_a_handled_round_with_about_sixty_applications_and_an_open_one(loaded):
    handled = ApplicationRound.objects.get(state=RoundState.HANDLED)
    opened = ApplicationRound.objects.get(state=RoundState.OPEN)
    assert 50 <= handled.applications.filter(state=ApplicationState.SUBMITTED).count() <= 70
    assert accepting(opened)
    assert opened.applications.filter(state=ApplicationState.DRAFT, user__email="aino.virtanen@tila.example").exists()
    assert dict(loaded)["Application rounds"] == 2
    for round in (handled, opened):
        assert all(getattr(round, f"name_{lang}") for lang in ("fi", "sv", "en"))


def test_the_handled_rounds_decisions_keep_every_hard_rule_and_are_booked(loaded):
    handled = ApplicationRound.objects.get(state=RoundState.HANDLED)
    decisions = list(live_decisions(handled))
    assert len(decisions) >= 100 and all(d.state == DecisionState.ACCEPTED for d in decisions)
    assert decisions_check(round_problem(handled), decisions) == []
    booked = Reservation.objects.filter(series__in=[d.series_id for d in decisions], state__in=ACTIVE_STATES)
    assert booked.count() == dict(loaded)["Seasonal dates booked"] > 1000
    assert all(s["code"] in {"closed", "overlap"} for d in Allocation.objects.all() for s in d.skipped)


def test_loading_again_changes_nothing(loaded):
    before = (ApplicationRound.objects.count(), Allocation.objects.count())
    assert demo_seasons.load(StringIO()) == []
    assert (ApplicationRound.objects.count(), Allocation.objects.count()) == before
