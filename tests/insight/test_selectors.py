"""Each indicator against a small city whose numbers are worked out by hand in the comments."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tila.booking.models import Reservation, ReservationType, State
from tila.catalogue.models import Resource
from tila.feedback.models import BookerProfile
from tila.hobbies.models import HobbyCategory, HobbyGroup
from tila.hours.models import OpeningInterval
from tila.insight import selectors as s
from tila.insight.models import AnnouncedResource, Indicator
from tila.insight.services import indicator_values_import, population_import

pytestmark = pytest.mark.django_db
HKI = ZoneInfo("Europe/Helsinki")
Y = 2025


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HKI)


def book(resource, user, day, begin, end, state=State.CONFIRMED):
    return Reservation.objects.create(
        resource=resource, user=user, begin=at(day, begin), end=at(day, end), state=state, type=ReservationType.NORMAL
    )


@pytest.fixture
def city(f):
    kallio, malmi = f.district("kallio", "Kallio"), f.district("malmi", "Malmi")
    population_import(
        actor=None,
        text="""district,year,age_group,population
kallio,2025,total,20000
kallio,2025,0-6,1000
kallio,2025,7-12,600
kallio,2025,13-17,400
malmi,2025,total,10000
malmi,2025,7-12,500
""",
    )
    a, b = f.unit("tprek:1", district=kallio), f.unit("tprek:2", district=malmi)
    r1 = f.resource(a, rid="r1")
    r2 = f.resource(b, rid="r2")
    hall = f.resource(a, rid="hall")
    h1, h2 = f.resource(a, rid="h1", parent=hall), f.resource(a, rid="h2", parent=hall)
    u1, u2, u3 = f.user(), f.user(), f.user()
    BookerProfile.objects.create(user=u1, birth_year=1990)  # 35 during 2025 → 30–64
    BookerProfile.objects.create(user=u2, birth_year=2008)  # 17 during 2025 → 13–17
    # 2025: r1 three times (2 h, 3 h, 1 h) by u1; r2 once (2 h) by u2; the whole hall once (2 h) by u3
    book(r1, u1, dt.date(Y, 1, 10), 10, 12)
    book(r1, u1, dt.date(Y, 1, 11), 10, 13)
    book(r1, u1, dt.date(Y, 2, 1), 10, 11)
    book(r2, u2, dt.date(Y, 3, 1), 10, 12)
    book(hall, u3, dt.date(Y, 1, 20), 10, 12)
    book(r1, u2, dt.date(Y, 1, 12), 10, 12, state=State.CANCELLED)  # never counts
    book(r1, u1, dt.date(Y - 1, 3, 3), 10, 11)  # the previous year: u1 is not new in 2025
    return {"r1": r1, "r2": r2, "hall": hall, "h1": h1, "h2": h2, "u1": u1, "u2": u2, "u3": u3}


def rows_by_key(table):
    return {row["key"]: row for row in table.rows}


def test_reservations_per_1000_residents_by_district(city):
    # Kallio: 4 reservations (r1 × 3 + the hall), 2 + 3 + 1 + 2 = 8 h, 20,000 residents
    #   → 4 / 20,000 × 1,000 = 0.2 reservations and 8 / 20,000 × 1,000 = 0.4 hours per 1,000
    # Malmi: 1 reservation, 2 h, 10,000 residents → 0.1 and 0.2 per 1,000
    # Previous year Kallio: 1 reservation; no 2024 figure, so the nearest (2025) population → 0.05
    rows = rows_by_key(s.reservations_by_district_table(Y))
    kallio = rows["kallio"]
    assert (kallio["reservations"], kallio["hours"], kallio["population"]) == (4, 8.0, 20000)
    assert rows["kallio"]["reservations_per_1000"] == 0.2 and rows["kallio"]["hours_per_1000"] == 0.4
    assert rows["malmi"]["reservations_per_1000"] == 0.1 and rows["malmi"]["hours_per_1000"] == 0.2
    assert rows["kallio"]["previous_per_1000"] == 0.05


def test_reservations_by_age_group(city):
    # known ages: u1 (35) 3 reservations 6 h, u2 (17) 1 reservation 2 h → shares 75 % and 25 %; u3 unknown
    rows = rows_by_key(s.reservations_by_age_table(Y))
    assert (rows["30-64"]["reservations"], rows["30-64"]["hours"], rows["30-64"]["share"]) == (3, 6.0, 75.0)
    assert (rows["13-17"]["reservations"], rows["13-17"]["share"]) == (1, 25.0)
    assert (rows["unknown"]["reservations"], rows["unknown"]["share"]) == (1, None)
    assert rows["65-"]["reservations"] == 0


def test_utilisation_counts_leaf_spaces(city):
    # Open 8–18 (10 h) on 10, 11 and 20 January for the four leaf spaces r1, r2, h1, h2 → 120 open hours
    # (the hall itself is not a leaf: its hours would count its parts twice)
    for rid in ("r1", "r2", "h1", "h2", "hall"):
        for day in (10, 11, 20):
            OpeningInterval.objects.create(
                resource_id=rid, begin=at(dt.date(Y, 1, day), 8), end=at(dt.date(Y, 1, day), 18)
            )
    # booked in January: r1 2 h + 3 h, and the hall 2 h on each of its two parts = 9 leaf-hours → 9 / 120 = 7.5 %
    rows = rows_by_key(s.utilisation_table(Y))
    january = rows[dt.date(Y, 1, 1)]
    assert (january["open_hours"], january["booked_hours"], january["utilisation"]) == (120.0, 9.0, 7.5)
    # February: 1 h booked but no opening hours stored → no utilisation figure
    assert rows[dt.date(Y, 2, 1)]["utilisation"] is None
    units = rows_by_key(s.utilisation_by_unit_table(Y))
    # unit 1: r1, h1, h2 open 3 × 3 × 10 = 90 h; booked 5 h + 4 h in January, 1 h in February = 10 h → 11.1 %
    assert (units["tprek:1"]["open_hours"], units["tprek:1"]["booked_hours"]) == (90.0, 10.0)
    assert units["tprek:1"]["utilisation"] == 11.1
    assert len(s.utilisation_table(Y).rows) == 12


def test_share_of_first_time_bookers(city):
    # January: u1 (booked already in 2024) and u3 (first ever) → 1 of 2 = 50 %
    # February: u1 only → 0 %; March: u2, whose first booking this is → 100 %
    rows = rows_by_key(s.first_time_table(Y))
    assert [
        (rows[dt.date(Y, m, 1)]["bookers"], rows[dt.date(Y, m, 1)]["first_time"], rows[dt.date(Y, m, 1)]["share"])
        for m in (1, 2, 3)
    ] == [(2, 1, 50.0), (1, 0, 0.0), (1, 1, 100.0)]
    assert rows[dt.date(Y, 4, 1)]["share"] is None


def test_the_current_year_has_no_future_months():
    today = timezone.localdate()
    assert s.months_of(today.year)[-1] == dt.date(today.year, today.month, 1)


def test_hobby_groups_per_district(city, f):
    sports = HobbyCategory.objects.get(pk="sports")
    season = {"season_start": dt.date(Y, 8, 20), "season_end": dt.date(Y + 1, 5, 31), "published": True}
    unit_a, unit_b = city["r1"].unit, city["r2"].unit
    HobbyGroup.objects.create(
        name_fi="Lapset", category=sports, organiser="o", unit=unit_a, min_age=7, max_age=12, **season
    )
    HobbyGroup.objects.create(name_fi="Aikuiset", category=sports, organiser="o", unit=unit_a, min_age=18, **season)
    HobbyGroup.objects.create(name_fi="Kaikki", category=sports, organiser="o", unit=unit_b, **season)
    HobbyGroup.objects.create(
        name_fi="Luonnos", category=sports, organiser="o", unit=unit_b, **{**season, "published": False}
    )
    HobbyGroup.objects.create(
        name_fi="Vanha",
        category=sports,
        organiser="o",
        unit=unit_b,
        published=True,
        season_start=dt.date(Y - 2, 1, 1),
        season_end=dt.date(Y - 2, 5, 1),
    )
    # Kallio: 2 groups, 1 for under-18s; 2,000 residents under 18 → 0.5 per 1,000
    # Malmi: 1 group open to all ages (so to under-18s too); 500 under 18 → 2.0 per 1,000
    rows = rows_by_key(s.hobby_groups_table(Y))
    assert (rows["kallio"]["groups"], rows["kallio"]["children_groups"], rows["kallio"]["residents_under_18"]) == (
        2,
        1,
        2000,
    )
    assert rows["kallio"]["per_1000_children"] == 0.5
    assert (rows["malmi"]["groups"], rows["malmi"]["per_1000_children"]) == (1, 2.0)


def test_resources_open_for_booking_and_announced(city):
    Resource.objects.update(created_at=at(dt.date(Y, 6, 1), 9))  # the hall and its parts: after the period
    Resource.objects.filter(pk="r1").update(created_at=at(dt.date(2024, 2, 15), 9))
    Resource.objects.filter(pk="r2").update(
        created_at=at(dt.date(2024, 1, 10), 9), publish_begin=at(dt.date(2024, 5, 10), 9)
    )
    AnnouncedResource.objects.create(name_fi="r1 tulossa", announced_on=dt.date(2023, 12, 1), resource_id="r1")
    AnnouncedResource.objects.create(name_fi="Uusi sali", announced_on=dt.date(2024, 3, 20))
    table = s.resource_growth_table(since=dt.date(2024, 1, 1), until=dt.date(2024, 12, 31), step=1)
    got = {row["date"]: (row["bookable"], row["announced"]) for row in table.rows}
    # 1 Feb: r2 added but published only in May, r1 announced and not yet open → 0 open, 2 announced
    assert got[dt.date(2024, 2, 1)] == (0, 2)
    assert got[dt.date(2024, 3, 1)] == (1, 1)  # r1 open; r2 still coming
    assert got[dt.date(2024, 4, 1)] == (1, 2)  # + the new hall announced on 20 March
    assert got[dt.date(2024, 6, 1)] == (2, 1)  # r2 open in May
    assert got[dt.date(2024, 12, 31)] == (2, 1)


def test_city_indicator_table_and_totals(city):
    Indicator.objects.create(id="library-visits", name_en="Library visits")
    indicator_values_import(
        actor=None,
        text="""indicator,period,unit,district,segment,value
library-visits,2025-01,tprek:1,,,100
library-visits,2025-01,tprek:2,,,50
library-visits,2025-02,tprek:1,,,120
""",
    )
    table = s.city_indicator_table(Indicator.objects.get(), first_year=Y, last_year=Y)
    assert [(r["label"], r["scope_id"], r["value"]) for r in table.rows] == [
        ("1/2025", "tprek:1", Decimal("100.00")),
        ("1/2025", "tprek:2", Decimal("50.00")),
        ("2/2025", "tprek:1", Decimal("120.00")),
    ]
    periods, series = s.city_indicator_totals(table)
    assert periods == ["1/2025", "2/2025"] and list(series.values()) == [[150.0, 120.0]]


def test_year_summary_compares_with_last_year(city):
    kpis, change = s.year_summary(Y, today=dt.date(Y + 1, 1, 10))
    got = {k.key: (k.this, k.last) for k in kpis}
    assert got["reservations"] == (5, 1) and got["hours"] == (10.0, 1.0) and got["bookers"] == (3, 1)
    assert change.before.n == 0 and change.too_small


def test_table_data_is_plain_json(city):
    data = s.reservations_by_district_table(Y).as_data()
    assert data["columns"][0]["key"] == "label" and data["columns"][0]["type"] == "text"
    assert data["rows"][0]["key"] in {"kallio", "malmi"}
    import json

    json.dumps(data)
