"""Resident search: by age, district, category, weekday, price, language and words."""

import datetime as dt
from decimal import Decimal

import pytest

from tila.hobbies.models import HobbyCategory
from tila.hobbies.selectors import HobbyCriteria, hobby_search, hobby_visible
from tila.hobbies.services import hobby_group_create

pytestmark = pytest.mark.django_db
TODAY = dt.date(2030, 9, 1)


@pytest.fixture
def groups(f, place, details):
    other = f.unit("tprek:1", district=f.district("malmi", "Malmi"))
    music = HobbyCategory.objects.get(pk="music")
    made = {
        "floorball": hobby_group_create(actor=None, unit=place, details=details()),
        "band": hobby_group_create(
            actor=None,
            unit=other,
            details=details(
                name="Bändikoulu",
                category=music,
                organiser="Nuorisotalo",
                min_age=13,
                max_age=17,
                is_free=True,
                price=None,
                language="sv",
                times=[(3, dt.time(18), dt.time(20))],
            ),
        ),
        "choir": hobby_group_create(
            actor=None,
            unit=other,
            details=details(
                name="Kuoro",
                category=music,
                min_age=None,
                max_age=None,
                price=Decimal("150"),
                times=[(0, dt.time(18), dt.time(19))],
            ),
        ),
        "old": hobby_group_create(
            actor=None,
            unit=other,
            details=details(name="Vanha", season_start=dt.date(2029, 1, 1), season_end=dt.date(2029, 5, 1)),
        ),
        "draft": hobby_group_create(actor=f.user(), unit=other, details=details(name="Luonnos")),
    }
    return made


def names(criteria):
    return sorted(str(g.name_fi) for g in hobby_search(criteria, today=TODAY))


def test_only_published_current_groups(groups):
    assert names(HobbyCriteria()) == ["Bändikoulu", "Kuoro", "Sählykerho"]
    assert "Vanha" in names(HobbyCriteria(include_past=True))


def test_by_age(groups):
    assert names(HobbyCriteria(age=8)) == ["Kuoro", "Sählykerho"]  # the choir has no age limits
    assert names(HobbyCriteria(age=15)) == ["Bändikoulu", "Kuoro"]
    assert names(HobbyCriteria(age=40)) == ["Kuoro"]


def test_by_district_category_weekday_language_and_words(groups):
    assert names(HobbyCriteria(district="vuosaari")) == ["Sählykerho"]
    assert names(HobbyCriteria(category="music")) == ["Bändikoulu", "Kuoro"]
    assert names(HobbyCriteria(weekday=3)) == ["Bändikoulu"]
    assert names(HobbyCriteria(language="sv")) == ["Bändikoulu"]
    assert names(HobbyCriteria(text="floorball")) == ["Sählykerho"]  # any language
    assert names(HobbyCriteria(text="urheilijat")) == ["Kuoro", "Sählykerho"]  # the organiser


def test_by_price(groups):
    assert names(HobbyCriteria(free_only=True)) == ["Bändikoulu"]
    assert names(HobbyCriteria(max_price=Decimal("100"))) == ["Bändikoulu", "Sählykerho"]


def test_drafts_are_visible_to_their_author_and_the_units_staff(f, groups):
    draft = groups["draft"]
    assert hobby_visible(None, draft.pk) is None
    assert hobby_visible(f.user(), draft.pk) is None
    assert hobby_visible(draft.created_by, draft.pk) == draft
    assert hobby_visible(f.staff(draft.unit), draft.pk) == draft
