"""NPS by dimension and period, survey states, and the inbox's filters — counted in SQL."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tila.feedback.models import CustomerGroup, Response, Source, Theme
from tila.feedback.selectors import (
    InboxFilter,
    NpsFilter,
    inbox,
    nps_by,
    nps_overall,
    nps_trend,
    nps_year_change,
    open_surveys,
    survey_states,
)
from tila.feedback.services import feedback_submit

pytestmark = pytest.mark.django_db
HKI = ZoneInfo("Europe/Helsinki")


def answer(unit, score, when, *, group=CustomerGroup.PRIVATE, resource=None, comment=""):
    return Response.objects.create(
        source=Source.PUBLIC_LINK,
        unit=unit,
        resource=resource,
        score=score,
        customer_group=group,
        created_at=when,
        comment=comment,
    )


def test_nps_by_district_and_unit_from_sql_counts(f, room):
    other = f.unit("tprek:8200", district=f.district("malmi", "Malmi"))
    when = timezone.now() - dt.timedelta(days=1)
    for score in (10, 9, 9, 8, 3):  # Kallio: P 3, D 1, n 5 → NPS 40
        answer(room.unit, score, when)
    for score in (10, 6, 6, 0):  # Malmi: P 1, D 3, n 4 → NPS −50
        answer(other, score, when)
    rows = {r.key: r for r in nps_by("district")}
    assert rows["kallio"].nps.score == pytest.approx(40.0) and rows["kallio"].nps.n == 5
    assert rows["malmi"].nps.score == pytest.approx(-50.0) and rows["malmi"].nps.n == 4
    assert rows["kallio"].label == "Kallio"
    assert all(r.nps.too_small for r in rows.values())
    assert {r.key for r in nps_by("unit")} == {room.unit_id, other.pk}
    overall = nps_overall()  # P 4, D 4, n 9 → 0
    assert overall.score == pytest.approx(0.0) and overall.n == 9


def test_nps_by_customer_group_and_filters(room):
    when = timezone.now() - dt.timedelta(days=1)
    answer(room.unit, 10, when, group=CustomerGroup.ASSOCIATION)
    answer(room.unit, 2, when, group=CustomerGroup.COMPANY)
    rows = {r.key: r.nps.score for r in nps_by("customer_group")}
    assert rows == {"association": 100.0, "company": -100.0}
    only = nps_overall(NpsFilter(customer_groups=(CustomerGroup.ASSOCIATION,)))
    assert only.n == 1 and only.score == 100.0


def test_trend_by_quarter_uses_the_city_time_zone(room):
    # 23:30 on 31 March in Helsinki is 20:30 UTC: it belongs to the first quarter
    answer(room.unit, 10, dt.datetime(2025, 3, 31, 23, 30, tzinfo=HKI))
    # 00:30 on 1 April in Helsinki is still 31 March in UTC: it belongs to the second quarter
    answer(room.unit, 0, dt.datetime(2025, 4, 1, 0, 30, tzinfo=HKI))
    rows = nps_trend("quarter", NpsFilter(begin=dt.datetime(2025, 1, 1, tzinfo=HKI)))
    assert [(r.key, r.label, r.nps.score) for r in rows] == [
        ("2025-01-01", "2025 Q1", 100.0),
        ("2025-04-01", "2025 Q2", -100.0),
    ]


def test_year_change_compares_the_same_part_of_both_years(room):
    answer(room.unit, 10, dt.datetime(2024, 2, 1, 12, tzinfo=HKI))
    answer(room.unit, 0, dt.datetime(2024, 9, 1, 12, tzinfo=HKI))  # after the cut: left out
    answer(room.unit, 0, dt.datetime(2025, 2, 1, 12, tzinfo=HKI))
    whole = nps_year_change(2025)
    assert (whole.before.n, whole.after.n) == (2, 1)
    cut = nps_year_change(2025, until=dt.date(2025, 6, 1))
    assert (cut.before.n, cut.after.n) == (1, 1)
    assert cut.change == pytest.approx(-200.0)


def test_open_surveys_and_states(room, booker, past_booking, f):
    first = past_booking(room, booker, days_ago=2, hour=8)
    second = past_booking(room, booker, days_ago=1, hour=8)
    feedback_submit(reservation=first, score=9)
    assert list(open_surveys(booker)) == [second]
    assert list(open_surveys(f.user())) == []
    states = survey_states([first, second])
    assert states.open_ids == {second.pk} and states.answered_ids == {first.pk}


def test_inbox_shows_comments_of_the_viewers_units_only(f, room):
    when = timezone.now() - dt.timedelta(days=1)
    mine = answer(room.unit, 3, when, comment="Cold")
    answer(room.unit, 9, when)  # no comment: not in the inbox
    answer(f.unit(), 2, when, comment="Elsewhere")
    viewer = f.staff(room.unit, role="viewer")
    assert list(inbox(viewer)) == [mine]
    assert list(inbox(f.user())) == []


def test_inbox_filters(f, room):
    now = timezone.now()
    cold = answer(room.unit, 3, now - dt.timedelta(days=10), comment="Cold room")
    nice = answer(room.unit, 10, now - dt.timedelta(days=1), comment="Lovely")
    theme = Theme.objects.create(id="conditions-test", name_en="Conditions")
    cold.themes.add(theme)
    admin = f.user(is_superuser=True, is_staff=True)
    assert list(inbox(admin, InboxFilter(category="detractor"))) == [cold]
    assert list(inbox(admin, InboxFilter(category="promoter"))) == [nice]
    assert list(inbox(admin, InboxFilter(theme="conditions-test"))) == [cold]
    assert list(inbox(admin, InboxFilter(text="lovely"))) == [nice]
    assert list(inbox(admin, InboxFilter(since=timezone.localdate() - dt.timedelta(days=3)))) == [nice]
    assert list(inbox(admin, InboxFilter(handled="yes"))) == []
    assert len(inbox(admin, InboxFilter(handled="no"))) == 2
