"""Hobby pages: search, detail, entering a group, staff moderation, a group from a series."""

import datetime as dt

import pytest

from tila.booking.series import series_create
from tila.hobbies.models import HobbyGroup

pytestmark = pytest.mark.django_db


def test_search_page_filters_and_shows_times(client, group, time_machine):
    time_machine.move_to(dt.datetime(2030, 9, 1, 12, tzinfo=dt.UTC))
    response = client.get("/en/hobbies/?age=8&weekday=1&price=max&max_price=100")
    html = response.content.decode()
    assert response.status_code == 200 and "Floorball club" in html
    assert "Tuesday 17:00–18:00" in html and "7–10 years" in html
    assert "Floorball club" not in client.get("/en/hobbies/?age=40").content.decode()
    assert client.get("/fi/hobbies/?age=-5&weekday=x").status_code == 200  # bad input: no filter, no error


def test_detail_page(client, group):
    html = client.get(f"/sv/hobbies/{group.pk}/").content.decode()
    assert "Innebandyklubb" in html and "Vuosaaren Urheilijat ry" in html
    assert client.get("/en/hobbies/999999/").status_code == 404


def test_drafts_are_hidden_from_others(client, f, place, details):
    from tila.hobbies.services import hobby_group_create

    draft = hobby_group_create(actor=f.user(), unit=place, details=details())
    assert client.get(f"/en/hobbies/{draft.pk}/").status_code == 404
    client.force_login(draft.created_by)
    assert "Not published yet" in client.get(f"/en/hobbies/{draft.pk}/").content.decode()


def form_data(unit, **changes):
    data = {
        "name_fi": "Shakkikerho",
        "category": "games-tech",
        "organiser": "Shakkiseura",
        "unit": unit.pk,
        "language": "fi",
        "price": "20",
        "season_start": "2030-09-01",
        "season_end": "2030-12-01",
        "day1": "2",
        "begins1": "17:00",
        "ends1": "18:30",
    }
    data.update(changes)
    return data


def test_association_enters_a_group_for_staff_to_publish(client, f, place):
    assert client.get("/en/hobbies/new/").status_code == 302
    client.force_login(f.user())
    response = client.post("/en/hobbies/new/", form_data(place))
    group = HobbyGroup.objects.get()
    assert response.status_code == 302 and not group.published
    staff = f.staff(place)
    client.force_login(staff)
    assert "Shakkikerho" in client.get("/en/hobbies/manage/").content.decode()
    client.post(f"/en/hobbies/manage/{group.pk}/publish/", {"published": "1"})
    group.refresh_from_db()
    assert group.published


def test_form_errors_come_back_on_the_form(client, f, place):
    client.force_login(f.staff(place))
    response = client.post("/en/hobbies/new/", form_data(place, ends1="16:00"))
    assert response.status_code == 400 and "Each weekly time must end after it begins." in response.content.decode()
    response = client.post("/en/hobbies/new/", form_data(place, price=""))
    assert response.status_code == 400 and "Give the price" in response.content.decode()


def test_staff_make_a_group_from_a_recurring_reservation(client, f, future_day):
    hall = f.resource(rid="hall")
    handler = f.staff(hall.unit)
    result = series_create(
        actor=handler,
        resource=hall,
        user=f.user(),
        weekdays=[future_day.weekday()],
        start_date=future_day,
        begin_time=dt.time(18),
        end_time=dt.time(19),
        count=3,
        event_subject="Sählyharjoitus",
        reserver_name="Töölön Sähly",
    )
    client.force_login(handler)
    page = client.get(f"/en/hobbies/manage/from-series/{result.series.pk}/")
    assert page.status_code == 200 and 'value="Sählyharjoitus"' in page.content.decode()
    data = {
        k: v
        for k, v in form_data(hall.unit).items()
        if k not in {"unit", "season_start", "season_end", "day1", "begins1", "ends1"}
    }
    response = client.post(f"/en/hobbies/manage/from-series/{result.series.pk}/", data)
    assert response.status_code == 302
    group = HobbyGroup.objects.get()
    assert group.series_id == result.series.pk and group.published
    assert group.season_end == future_day + dt.timedelta(weeks=2)


def test_manage_needs_staff(client, f):
    client.force_login(f.user())
    assert client.get("/en/hobbies/manage/").status_code == 403
