"""`tila demo`: a realistic three-language city that loads once and never crashes on a second run.

The city is loaded once for this module, inside a transaction that is rolled back at the end, and
every test below checks one property of it.
"""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tila.accounts.models import Role, UnitRole, User
from tila.booking.models import Reservation, ReservationType, State
from tila.catalogue.models import MainType, Purpose, Resource, ResourceLeaf, Unit
from tila.hours.selectors import is_open

HEL = ZoneInfo("Europe/Helsinki")
LANGS = ("fi", "sv", "en")
OODI = "tprek:51342"

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def counts():
    return (Unit.objects.count(), Resource.objects.count(), Reservation.objects.count(), User.objects.count())


def at(day, hour):
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HEL)


def test_demo_loads_a_city_and_prints_a_summary_and_the_accounts(demo_output):
    assert Unit.objects.filter(municipality="Helsinki").count() >= 12
    assert Resource.objects.count() >= 60
    assert "Loaded the demo city" in demo_output
    assert "admin@tila.example" in demo_output and "tila-demo-2026" in demo_output


def test_every_unit_has_its_texts_address_and_place_in_three_languages(demo_output):
    for unit in Unit.objects.all():
        for lang in LANGS:
            for field in ("name", "description", "street_address", "www_url"):
                assert getattr(unit, f"{field}_{lang}"), (unit.pk, field, lang)
        assert unit.district is not None and unit.district.name_sv and unit.postal_code
        assert unit.phone and unit.email and unit.time_zone == "Europe/Helsinki"
        assert 59.9 < unit.latitude < 60.4 and 24.7 < unit.longitude < 25.3


def test_every_resource_has_its_texts_in_three_languages(demo_output):
    for resource in Resource.objects.all():
        for lang in LANGS:
            for field in ("name", "description", "reservation_info", "terms"):
                assert getattr(resource, f"{field}_{lang}"), (resource.pk, field, lang)
        assert "{" not in resource.description_fi  # every template placeholder was filled


def test_spaces_have_accessibility_purposes_and_items_exist(demo_output):
    spaces = Resource.objects.filter(type__main_type=MainType.SPACE).prefetch_related("accessibility_sentences")
    for space in spaces:
        sentences = list(space.accessibility_sentences.all())
        assert 2 <= len(sentences) <= 5, space.pk
        assert all(s.group_fi and s.group_sv and s.sentence_en for s in sentences)
    assert not Resource.objects.filter(purposes=None).exists()
    assert Resource.objects.filter(type__main_type=MainType.ITEM).count() >= 5
    floorball = Purpose.objects.get(name_en="Floorball")
    assert floorball.parent.parent.name_en == "Sports"  # a purpose tree, three levels deep


def test_the_divisible_sports_hall_has_three_levels_with_the_right_leaves(demo_output):
    hall = (
        Resource.objects.filter(unit__name_fi="Kisahalli", parent=None, children__children__isnull=False)
        .distinct()
        .get()
    )
    halves = list(hall.children.all())
    courts = {half.pk: {c.pk for c in half.children.all()} for half in halves}
    assert len(halves) == 2 and all(len(c) == 2 for c in courts.values())

    def leaves(resource_id):
        return set(ResourceLeaf.objects.filter(resource_id=resource_id).values_list("leaf_id", flat=True))

    all_courts = set().union(*courts.values())
    assert leaves(hall.pk) == all_courts
    for half_id, its_courts in courts.items():
        assert leaves(half_id) == its_courts
        assert all(leaves(court) == {court} for court in its_courts)


def test_oodi_is_closed_on_christmas_day_and_open_on_an_ordinary_weekday(demo_output):
    room = Resource.objects.filter(unit_id=OODI, type__main_type=MainType.SPACE, opening_periods=None).first()
    year = timezone.localdate().year
    christmas = at(dt.date(year, 12, 25), 12)
    october = dt.date(year, 10, 8)
    wednesday = october + dt.timedelta(days=(2 - october.weekday()) % 7)
    assert not is_open(resource_id=room.pk, begin=christmas, end=christmas + dt.timedelta(hours=1))
    assert is_open(resource_id=room.pk, begin=at(wednesday, 12), end=at(wednesday, 13))


def test_the_sauna_keeps_its_own_evening_hours(demo_output):
    sauna = Resource.objects.get(type_id="sauna")
    assert sauna.opening_periods.exists()
    monday = timezone.localdate() + dt.timedelta(days=14)
    monday -= dt.timedelta(days=monday.weekday())
    tuesday = monday + dt.timedelta(days=1)
    assert is_open(resource_id=sauna.pk, begin=at(tuesday, 18), end=at(tuesday, 20))
    assert not is_open(resource_id=sauna.pk, begin=at(monday, 18), end=at(monday, 20))  # its unit is open


def test_booking_rules_vary_between_resources(demo_output):
    assert Resource.objects.filter(need_manual_confirmation=True, type_id="event-hall").exists()
    assert Resource.objects.filter(authentication="strong", type_id="sauna").exists()
    assert Resource.objects.filter(authentication="strong", type__main_type=MainType.ITEM).count() >= 5
    assert Resource.objects.filter(buffer_after__isnull=False, type_id="sports-hall").exists()
    assert Resource.objects.filter(max_reservations_per_user__isnull=False).exists()
    assert Resource.objects.filter(cancel_cutoff__isnull=False).exists()
    assert set(Resource.objects.values_list("slot_size", flat=True)) >= {
        dt.timedelta(minutes=15),
        dt.timedelta(minutes=30),
        dt.timedelta(minutes=60),
    }
    assert Resource.objects.filter(reservable=False).exists() and Resource.objects.filter(public=False).exists()


def test_accounts_have_roles_languages_and_the_demo_password(demo_output):
    admin = User.objects.get(email="admin@tila.example")
    assert admin.is_superuser and admin.check_password("tila-demo-2026")
    assert UnitRole.objects.filter(role=Role.HANDLER, unit_group__name_fi="Kirjastot").exists()
    assert UnitRole.objects.filter(role=Role.ADMIN, unit__name_fi="Kisahalli").exists()
    assert UnitRole.objects.filter(role=Role.VIEWER).exists()
    residents = User.objects.filter(is_staff=False, unit_roles=None)
    assert residents.count() >= 8
    assert set(residents.values_list("preferred_language", flat=True)) == set(LANGS)


def test_reservations_span_past_and_future_in_several_states(demo_output):
    now = timezone.now()
    # the hand-made bookings of the demo accounts; the insight extension adds a bulk history of
    # synthetic residents (@demo.tila.example) on top, checked in tests/insight
    # (and the seasonal extension books its rounds' decisions as recurring series)
    reservations = Reservation.objects.exclude(user__email__endswith="@demo.tila.example").filter(series__isnull=True)
    assert 60 <= reservations.count() <= 120
    states = set(reservations.values_list("state", flat=True))
    assert {State.CONFIRMED, State.REQUESTED, State.CANCELLED, State.DENIED} <= states
    assert reservations.filter(type=ReservationType.BLOCKED).count() == 1
    assert reservations.filter(begin__lt=now - dt.timedelta(days=7)).count() >= 10
    assert reservations.filter(begin__gt=now + dt.timedelta(days=7)).count() >= 10
    awaiting = reservations.filter(state=State.REQUESTED)
    assert awaiting.count() >= 3 and not awaiting.filter(begin__lt=now).exists()
    assert not awaiting.filter(resource__need_manual_confirmation=None).exists()


def test_if_empty_skips_a_loaded_database(demo_output):
    before = counts()
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert counts() == before
    assert "not loaded" in out.getvalue()


def test_a_second_plain_load_changes_nothing(demo_output):
    before = counts()
    out = StringIO()
    call_command("demo", stdout=out)
    assert counts() == before
    assert "already loaded" in out.getvalue()
