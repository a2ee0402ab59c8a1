"""Calendar feeds behind a secret address: a resident's own reservations, a resource's for staff.
The answers are valid iCalendar, read back with the icalendar parser."""

import pytest
from icalendar import Calendar

from tila.booking.services import reservation_cancel, reservation_create
from tila.notifications.feeds import feed_token_create, feed_token_revoke, feed_user
from tila.notifications.models import CalendarFeedToken

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.notifications.urls")]


def events_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_personal_feed_lists_my_active_reservations_only(client, f, future_day):
    me, someone = f.user(), f.user()
    res = f.resource()
    mine = reservation_create(actor=me, resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    gone = reservation_create(actor=me, resource=res, begin=f.at(future_day, 12), end=f.at(future_day, 13))
    reservation_cancel(actor=me, reservation=gone)
    reservation_create(actor=someone, resource=res, begin=f.at(future_day, 14), end=f.at(future_day, 15))
    token = feed_token_create(user=me)
    (event,) = events_of(client.get(f"/feeds/{token}/reservations.ics"))
    assert event.decoded("dtstart") == mine.begin
    assert str(event["uid"]).startswith(f"reservation-{mine.pk}@")


def test_only_a_digest_is_stored_and_a_new_token_revokes_the_old(client, f):
    me = f.user()
    old = feed_token_create(user=me)
    assert not CalendarFeedToken.objects.filter(digest=old).exists()
    new = feed_token_create(user=me)
    assert client.get(f"/feeds/{old}/reservations.ics").status_code == 404
    assert client.get(f"/feeds/{new}/reservations.ics").status_code == 200
    assert feed_token_revoke(user=me) is True
    assert client.get(f"/feeds/{new}/reservations.ics").status_code == 404
    assert feed_user(token="") is None and feed_user(token="x" * 500) is None


def test_an_inactive_account_has_no_feed(client, f):
    me = f.user()
    token = feed_token_create(user=me)
    me.is_active = False
    me.save()
    assert client.get(f"/feeds/{token}/reservations.ics").status_code == 404


def test_resource_feed_for_staff_of_the_unit_only(client, f, future_day):
    res = f.resource()
    reservation_create(actor=f.user(), resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    reservation_create(
        actor=f.staff(res.unit), resource=res, begin=f.at(future_day, 12), end=f.at(future_day, 14), type="blocked"
    )
    viewer = f.staff(res.unit, "viewer")
    events = events_of(client.get(f"/feeds/{feed_token_create(user=viewer)}/resource/{res.pk}.ics"))
    assert len(events) == 2
    outsider = feed_token_create(user=f.staff(f.unit(), "admin"))
    assert client.get(f"/feeds/{outsider}/resource/{res.pk}.ics").status_code == 404
    resident = feed_token_create(user=f.user())
    assert client.get(f"/feeds/{resident}/resource/{res.pk}.ics").status_code == 404
    assert client.get(f"/feeds/{outsider}/resource/no-such.ics").status_code == 404


def test_feeds_are_not_cached_and_refuse_posts(client, f):
    token = feed_token_create(user=f.user())
    response = client.get(f"/feeds/{token}/reservations.ics")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert client.post(f"/feeds/{token}/reservations.ics").status_code == 405
