"""CSV imports: all or nothing, every problem by line, idempotent, in the documented format."""

import datetime as dt
from decimal import Decimal

import pytest

from tila.core.errors import DomainError
from tila.insight.models import Indicator, IndicatorValue, ManagementAccess, PopulationFigure
from tila.insight.services import (
    ImportFailed,
    indicator_values_import,
    management_access_grant,
    parse_number,
    population_import,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(f):
    f.district("kallio", "Kallio")
    f.district("malmi", "Malmi")
    f.unit("tprek:8215")
    Indicator.objects.create(id="library-visits", name_en="Library visits")
    Indicator.objects.create(id="hobby-participation", name_en="Hobbies", granularity="year")


def test_population_import_creates_then_updates(places):
    text = "district,year,age_group,population\nkallio,2025,total,30200\nMalmi,2025,0-6,2100\n"
    result = population_import(actor=None, text=text)
    assert (result.created, result.updated) == (2, 0)
    assert PopulationFigure.objects.get(district_id="malmi", age_group="0-6").population == 2100  # by name too
    again = population_import(actor=None, text=text.replace("30200", "30300"))
    assert (again.created, again.updated) == (0, 2)
    assert PopulationFigure.objects.get(district_id="kallio").population == 30300


def test_population_import_reports_every_bad_row_and_writes_nothing(places):
    text = (
        "district,year,age_group,population\n"
        "kallio,2025,total,100\nnowhere,2025,total,5\nkallio,20x5,total,1\nkallio,2025,kids,3\n"
    )
    with pytest.raises(ImportFailed) as exc:
        population_import(actor=None, text=text)
    assert [line for line, _message in exc.value.problems] == [3, 4, 5]
    assert "nowhere" in exc.value.problems[0][1]
    assert PopulationFigure.objects.count() == 0


def test_missing_columns_are_named(places):
    with pytest.raises(ImportFailed) as exc:
        population_import(actor=None, text="district,year\nkallio,2025\n")
    assert exc.value.problems[0][0] == 1 and "age_group" in exc.value.problems[0][1]


def test_indicator_import_with_semicolons_decimal_commas_and_scopes(places):
    text = (
        "indicator;period;unit;district;segment;value\n"
        "library-visits;2025-01;tprek:8215;;;41 234\n"
        "library-visits;2025-01;;kallio;;1234,5\n"
        "library-visits;2025-01;;;;99\n"
        "hobby-participation;2019;;;grade 4–5;91,3\n"
    )
    result = indicator_values_import(actor=None, text="\ufeff" + text)
    assert result.created == 4
    values = {(v.unit_id, v.district_id, v.segment): v.value for v in IndicatorValue.objects.all()}
    assert values[("tprek:8215", None, "")] == Decimal("41234")
    assert values[(None, "kallio", "")] == Decimal("1234.5")
    assert values[(None, None, "")] == Decimal("99")
    assert values[(None, None, "grade 4–5")] == Decimal("91.3")
    assert IndicatorValue.objects.get(segment="grade 4–5").period == dt.date(2019, 1, 1)
    assert indicator_values_import(actor=None, text=text).updated == 4


def test_indicator_import_checks_periods_scopes_and_numbers(places):
    text = (
        "indicator,period,unit,district,segment,value\n"
        "library-visits,2025,tprek:8215,,,1\n"  # monthly indicator needs YYYY-MM
        "hobby-participation,2019-05,,,x,1\n"  # yearly indicator needs YYYY
        "library-visits,2025-13,tprek:8215,,,1\n"
        "library-visits,2025-01,tprek:9999,,,1\n"
        "library-visits,2025-01,tprek:8215,kallio,,1\n"
        "library-visits,2025-01,tprek:8215,,,lots\n"
        "unknown,2025-01,,,,1\n"
    )
    with pytest.raises(ImportFailed) as exc:
        indicator_values_import(actor=None, text=text)
    assert [line for line, _m in exc.value.problems] == [2, 3, 4, 5, 6, 7, 8]
    assert IndicatorValue.objects.count() == 0


def test_missing_indicators_can_be_created_on_request(places):
    text = "indicator,period,unit,district,segment,value\nyouth-visits,2025-03,,,,12\n"
    with pytest.raises(ImportFailed):
        indicator_values_import(actor=None, text=text)
    indicator_values_import(actor=None, text=text, create_missing=True)
    assert Indicator.objects.get(pk="youth-visits").granularity == "month"


def test_the_database_keeps_one_value_per_scope():
    from django.db import IntegrityError

    indicator = Indicator.objects.create(id="x", name_en="x")
    IndicatorValue.objects.create(indicator=indicator, period=dt.date(2025, 1, 1), value=1)
    with pytest.raises(IntegrityError):
        IndicatorValue.objects.create(indicator=indicator, period=dt.date(2025, 1, 1), value=2)


def test_numbers():
    assert parse_number("12 345,5") == Decimal("12345.5")
    assert parse_number("1234.5") == Decimal("1234.5")
    for bad in ("NaN", "Infinity", "abc", ""):
        with pytest.raises(ValueError, match="not a number"):
            parse_number(bad)


def test_imports_need_the_dashboard_role(places, f, manager):
    text = "district,year,age_group,population\nkallio,2025,total,1\n"
    with pytest.raises(DomainError) as exc:
        population_import(actor=f.user(), text=text)
    assert exc.value.code == "permission_denied"
    assert population_import(actor=manager, text=text).created == 1


def test_only_general_administrators_grant_the_role(f):
    person = f.user()
    with pytest.raises(DomainError):
        management_access_grant(actor=f.user(), user=person)
    management_access_grant(actor=f.user(is_superuser=True), user=person, note="Director")
    assert ManagementAccess.objects.get(user=person).note == "Director"
