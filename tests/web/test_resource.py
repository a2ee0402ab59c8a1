"""The resource page: what it is, its rules in words, and a week of free and reserved time."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from tila.booking.services import reservation_create
from tila.web.models import Favourite

pytestmark = pytest.mark.django_db


def page(client, room, lang="en", **params):
    return client.get(f"/{lang}/resources/{room.pk}/", params)


def cells(response, state):
    return [cell for row in response.context["rows"] for cell in row["cells"] if cell["state"] == state]


def test_resource_page_shows_description_rules_equipment_accessibility_terms_and_map(client, room):
    response = page(client, room)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Meeting room</h1>" in html
    assert "A bright room for twelve." in html
    assert "A booking lasts at least 1 hour and at most 4 hours." in html
    assert "Bookings start and end every 30 minutes." in html
    assert "You can book at most 60 days ahead." in html
    assert "You can change or cancel a booking yourself until 1 day before it begins." in html
    assert "Projection screen" in html and "AV equipment" in html
    # accessibility sentences grouped under their group, in order
    assert re.search(r"<dt>Entrance</dt><dd><ul><li>Step-free entrance.</li><li>Automatic doors.</li>", html)
    assert "<dt>Toilets</dt>" in html
    assert "Leave the room tidy." in html
    assert "https://www.openstreetmap.org/?mlat=60.18400&amp;mlon=24.95000#map=17/60.18400/24.95000" in html
    assert "Viides linja 11" in html


def test_images_are_shown_with_their_captions_as_alternative_text(client, room):
    from tila.catalogue.models import ResourceImage

    ResourceImage.objects.create(
        resource=room, url="https://images.example/room.jpg", caption_en="The table", is_main=True
    )
    html = page(client, room).content.decode()
    assert '<img src="https://images.example/room.jpg" alt="The table"' in html


def test_week_grid_is_a_table_with_day_and_time_headers(client, room, future_day):
    response = page(client, room, week=future_day.isoformat())
    html = response.content.decode()
    assert "<caption" in html
    assert html.count('<th scope="col"') == 8
    assert '<th scope="row">08:00</th>' in html
    assert response.context["grid"].days[0] == future_day
    assert len(response.context["rows"]) == 28  # 08:00–22:00 in half hours


def test_free_slots_link_to_the_booking_form_and_reserved_time_is_marked(client, f, room, future_day):
    reservation_create(actor=f.user(), resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    response = page(client, room, week=future_day.isoformat())
    reserved = cells(response, "reserved")
    assert [c["begin"] for c in reserved] == [f"{future_day}T10:00", f"{future_day}T10:30"]
    free = cells(response, "free")
    first = free[0]
    assert first["begin"] == f"{future_day}T08:00"
    assert first["href"] == f"/en/resources/{room.pk}/book/?begin={future_day}T08%3A00&end={future_day}T09%3A00"
    html = response.content.decode()
    assert "Reserved: " in html  # screen readers hear the state and the time of each cell


def test_past_days_are_never_shown_and_paging_moves_a_week(client, room):
    today = timezone.localdate()
    response = page(client, room, week=(today - dt.timedelta(days=30)).isoformat())
    assert response.context["grid"].days[0] == today
    assert response.context["prev_week"] is None
    assert response.context["next_week"] == today + dt.timedelta(days=7)
    response = page(client, room, week=(today + dt.timedelta(days=7)).isoformat())
    assert response.context["prev_week"] == today
    assert 'id="week-next"' in response.content.decode()


def test_a_malformed_week_shows_this_week(client, room):
    response = page(client, room, week="next tuesday")
    assert response.status_code == 200
    assert response.context["grid"].days[0] == timezone.localdate()


def test_week_paging_answers_htmx_with_the_same_page(client, room, future_day):
    response = client.get(f"/en/resources/{room.pk}/", {"week": future_day.isoformat()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="week"' in response.content.decode()
    assert 'id="week-status"' in response.content.decode()


def test_days_outside_the_advance_window_are_marked_not_bookable(client, f, unit):
    res = f.resource(unit, reservable_min_days_in_advance=3)
    with time_machine.travel(timezone.localtime().replace(hour=7, minute=0), tick=False):
        response = client.get(f"/en/resources/{res.pk}/")
        grid = response.context["grid"]
        today = timezone.localdate()
    assert today in grid.day_notes and "at least 3 days ahead" in grid.day_notes[today]
    assert today + dt.timedelta(days=3) not in grid.day_notes
    first_column = [row["cells"][0]["state"] for row in response.context["rows"]]
    assert set(first_column) == {"unavailable"}


def test_whole_day_resources_get_one_row_per_day(client, f, unit, future_day):
    kit = f.resource(unit, slot_size=dt.timedelta(days=1), name_en="Tent")
    from tila.hours.services import opening_period_create

    opening_period_create(
        actor=None, resource=kit, start=dt.date(2020, 1, 1), rules=[(d, dt.time(0), dt.time(0)) for d in range(7)]
    )
    response = client.get(f"/en/resources/{kit.pk}/", {"week": future_day.isoformat()})
    assert len(response.context["rows"]) == 1
    assert "Whole day" in response.content.decode()
    assert "Bookings run in whole days." in response.content.decode()


def test_closed_resource_week_says_so(client, f, future_day):
    res = f.resource(f.unit(hours=[]))
    response = client.get(f"/en/resources/{res.pk}/", {"week": future_day.isoformat()})
    assert "Closed all week." in response.content.decode()


def test_unpublished_or_unknown_resources_are_404(client, f, unit):
    hidden = f.resource(unit, public=False)
    assert client.get(f"/en/resources/{hidden.pk}/").status_code == 404
    assert client.get("/en/resources/no-such-thing/").status_code == 404


def test_a_public_but_unreservable_resource_is_shown_without_the_grid(client, f, unit):
    res = f.resource(unit, reservable=False)
    response = client.get(f"/en/resources/{res.pk}/")
    assert response.status_code == 200
    assert "cannot be booked online" in response.content.decode()
    assert 'id="week"' not in response.content.decode()


def test_manual_confirmation_and_strong_identification_are_said_in_words(client, f, unit):
    res = f.resource(
        unit, need_manual_confirmation=True, authentication="strong", buffer_after=dt.timedelta(minutes=30)
    )
    html = client.get(f"/en/resources/{res.pk}/").content.decode()
    assert "Staff confirm each booking" in html
    assert "strong identification" in html
    assert "kept free 30 minutes after each booking" in html


def test_user_text_is_escaped(client, f, unit):
    res = f.resource(unit, name_en="<script>alert(1)</script>", description_en="<img src=x onerror=alert(1)>")
    html = client.get(f"/en/resources/{res.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;" in html


# --- Favourites ---------------------------------------------------------------------------------


def test_favourite_toggle_adds_and_removes(signed_in, resident, room):
    url = f"/en/resources/{room.pk}/favourite/"
    response = signed_in.post(url, {"action": "add"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/resources/{room.pk}/"
    assert Favourite.objects.filter(user=resident, resource=room).exists()
    signed_in.post(url, {"action": "add"})  # idempotent
    assert Favourite.objects.filter(user=resident).count() == 1
    html = signed_in.get(f"/en/resources/{room.pk}/").content.decode()
    assert 'aria-pressed="true"' in html
    signed_in.post(url, {"action": "remove"})
    assert not Favourite.objects.filter(user=resident).exists()


def test_favourite_toggle_with_htmx_returns_the_button(signed_in, room):
    response = signed_in.post(f"/en/resources/{room.pk}/favourite/", {"action": "add"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert "Added to your favourites." in html


def test_favourites_need_sign_in_and_post(client, room):
    response = client.post(f"/en/resources/{room.pk}/favourite/", {"action": "add"})
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")
    assert client.get(f"/en/resources/{room.pk}/favourite/").status_code == 405
    assert client.get("/en/favourites/").status_code == 302


def test_favourites_page_lists_them(signed_in, resident, room):
    Favourite.objects.create(user=resident, resource=room)
    html = signed_in.get("/en/favourites/").content.decode()
    assert "Meeting room" in html
    assert "Kallio Library" in html


def test_a_hidden_resource_cannot_become_a_favourite(signed_in, f, unit):
    hidden = f.resource(unit, public=False)
    assert signed_in.post(f"/en/resources/{hidden.pk}/favourite/", {"action": "add"}).status_code == 404
