"""The staff workspace pages: each renders for the right people, acts through the services and
shows the engine's refusals in place."""

import datetime as dt

import pytest
from django.urls import reverse

from tila.accounts.models import Role, UnitRole
from tila.booking.models import DenyReason, Reservation, ReservationSeries, State
from tila.booking.services import reservation_create
from tila.core.models import AuditEntry
from tila.hours.models import OpeningPeriod
from tila.notifications.models import Event, OutboundEmail

pytestmark = pytest.mark.django_db
T = dt.time


def url(name, *args, lang="en"):
    from django.utils import translation

    with translation.override(lang):
        return reverse(f"staff:{name}", args=args)


@pytest.fixture
def setup(f):
    unit = f.unit(hours=f.ALL_WEEK, name_en="Library")
    res = f.resource(unit, need_manual_confirmation=True, name_en="Hall")
    handler = f.staff(unit, Role.HANDLER)
    admin = f.staff(unit, Role.ADMIN)
    viewer = f.staff(unit, Role.VIEWER)
    return {"unit": unit, "res": res, "handler": handler, "admin": admin, "viewer": viewer}


def request_for(f, res, day, hour=10, **kw):
    return reservation_create(
        actor=kw.pop("customer", None) or f.user(), resource=res, begin=f.at(day, hour), end=f.at(day, hour + 1), **kw
    )


def test_anonymous_is_sent_to_sign_in_and_residents_get_403(client, f):
    r = client.get(url("home"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    client.force_login(f.user())
    r = client.get(url("home"))
    assert r.status_code == 403
    assert b'id="staff-forbidden"' in r.content


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_home_lists_my_units_in_every_language(client, setup, lang):
    client.force_login(setup["handler"])
    r = client.get(url("home", lang=lang))
    assert r.status_code == 200
    assert f'lang="{lang}"' in r.content.decode()
    assert str(setup["unit"].name_fi if lang != "en" else "Library") in r.content.decode()


def test_queue_lists_only_requests_of_units_i_handle_and_filters(client, f, setup, future_day):
    mine = request_for(f, setup["res"], future_day)
    other = f.resource(f.unit(hours=f.ALL_WEEK), need_manual_confirmation=True)
    theirs = request_for(f, other, future_day)
    client.force_login(setup["handler"])
    body = client.get(url("requests")).content.decode()
    assert f'data-reservation="{mine.pk}"' in body and f'data-reservation="{theirs.pk}"' not in body
    body = client.get(url("requests"), {"q": "no such thing"}).content.decode()
    assert f'data-reservation="{mine.pk}"' not in body


def test_approve_from_the_request_page(client, f, setup, future_day):
    r = request_for(f, setup["res"], future_day)
    client.force_login(setup["handler"])
    assert client.get(url("request", r.pk)).status_code == 200
    resp = client.post(url("request", r.pk), {"action": "approve"})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.state == State.CONFIRMED and r.handled_by == setup["handler"]


def test_deny_with_a_ready_made_reason_in_the_customers_language_plus_free_text(client, f, setup, future_day):
    reason = DenyReason.objects.create(
        text_fi="Tila on varattu.", text_sv="Lokalen är bokad.", text_en="The space is booked."
    )
    r = request_for(f, setup["res"], future_day, customer=f.user(preferred_language="sv"))
    client.force_login(setup["handler"])
    resp = client.post(url("request", r.pk), {"action": "deny", "deny-reason": reason.pk, "deny-text": "Try Tuesday."})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.state == State.DENIED and r.deny_reason == "Lokalen är bokad.\n\nTry Tuesday."


def test_deny_without_any_reason_is_refused_in_place(client, f, setup, future_day):
    r = request_for(f, setup["res"], future_day)
    client.force_login(setup["handler"])
    resp = client.post(url("request", r.pk), {"action": "deny"})
    assert resp.status_code == 400
    assert b'data-code="reason_required"' in resp.content
    r.refresh_from_db()
    assert r.state == State.REQUESTED


def test_ask_for_more_information_sends_a_message_and_keeps_the_request(client, f, setup, future_day):
    r = request_for(f, setup["res"], future_day)
    client.force_login(setup["handler"])
    resp = client.post(url("request", r.pk), {"action": "ask", "ask-message": "How many people?"})
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.state == State.REQUESTED
    row = OutboundEmail.objects.get(event=Event.INFO_REQUESTED)
    assert row.context == {"message": "How many people?"}
    assert AuditEntry.objects.filter(action="reservation.ask_info", object_id=str(r.pk)).exists()


def test_a_viewer_sees_a_request_but_cannot_approve_it(client, f, setup, future_day):
    r = request_for(f, setup["res"], future_day)
    client.force_login(setup["viewer"])
    page = client.get(url("request", r.pk))
    assert page.status_code == 200 and b'id="approve"' not in page.content
    resp = client.post(url("request", r.pk), {"action": "approve"})
    assert resp.status_code == 400 and b'data-code="permission_denied"' in resp.content
    r.refresh_from_db()
    assert r.state == State.REQUESTED


def test_bulk_approve_and_deny_report_each_failure(client, f, setup, future_day):
    a = request_for(f, setup["res"], future_day, 9)
    b = request_for(f, setup["res"], future_day, 11)
    c = request_for(f, setup["res"], future_day, 13)
    other = request_for(f, f.resource(f.unit(hours=f.ALL_WEEK), need_manual_confirmation=True), future_day)
    client.force_login(setup["handler"])
    resp = client.post(url("requests_bulk"), {"ids": [a.pk, b.pk, other.pk], "action": "approve"}, follow=True)
    assert resp.status_code == 200
    states = dict(Reservation.objects.values_list("pk", "state"))
    assert states[a.pk] == states[b.pk] == State.CONFIRMED and states[other.pk] == State.REQUESTED
    assert b"message--error" in resp.content
    client.post(url("requests_bulk"), {"ids": [c.pk], "action": "deny", "bulk-text": "Closed for renovation"})
    c.refresh_from_db()
    assert c.state == State.DENIED and c.deny_reason == "Closed for renovation"


def test_calendar_day_and_week_show_blocks_with_state_text(client, f, setup, future_day):
    r = request_for(f, setup["res"], future_day)
    closure = reservation_create(
        actor=setup["handler"],
        resource=setup["res"],
        begin=f.at(future_day, 14),
        end=f.at(future_day, 15),
        type="blocked",
    )
    client.force_login(setup["viewer"])
    for view in ("day", "week"):
        resp = client.get(url("calendar", setup["unit"].pk), {"date": future_day.isoformat(), "view": view})
        body = resp.content.decode()
        assert resp.status_code == 200
        assert f'data-reservation="{r.pk}"' in body and "tl-block--requested" in body
        assert f'data-reservation="{closure.pk}"' in body and "tl-block--blocked" in body
        assert "Requested" in body and "Closure" in body
        assert 'id="book-form"' not in body  # viewers do not book


def test_calendar_unit_picker_redirects(client, setup, future_day):
    client.force_login(setup["viewer"])
    resp = client.get(url("calendar_index"), {"unit": setup["unit"].pk, "date": future_day.isoformat()})
    assert resp.status_code == 302 and resp["Location"].endswith(f"?date={future_day.isoformat()}")


def test_book_on_behalf_of_a_customer_from_the_calendar(client, f, setup, future_day):
    customer = f.user()
    client.force_login(setup["handler"])
    data = {
        "type": "normal",
        "resource": setup["res"].pk,
        "date": future_day.isoformat(),
        "begin": "10:00",
        "end": "12:00",
        "customer_email": customer.email.upper(),
        "event_subject": "Book club",
    }
    resp = client.post(url("calendar", setup["unit"].pk), data)
    assert resp.status_code == 302, resp.content.decode()
    r = Reservation.objects.get()
    assert r.user == customer and r.created_by == setup["handler"] and r.state == State.CONFIRMED
    assert r.begin == f.at(future_day, 10)


def test_closure_from_the_calendar_and_an_overlap_shown_in_place(client, f, setup, future_day):
    request_for(f, setup["res"], future_day, 10)
    client.force_login(setup["handler"])
    data = {
        "type": "blocked",
        "resource": setup["res"].pk,
        "date": future_day.isoformat(),
        "begin": "09:00",
        "end": "12:00",
    }
    resp = client.post(url("calendar", setup["unit"].pk), data)
    assert resp.status_code == 400 and b'data-code="overlap"' in resp.content
    data.update(begin="13:00", end="15:00")
    assert client.post(url("calendar", setup["unit"].pk), data).status_code == 302
    assert Reservation.objects.filter(type="blocked").count() == 1


def test_closed_hours_are_refused_unless_overridden(client, f, future_day):
    unit = f.unit(hours=[(d, T(8), T(16)) for d in range(7)])
    res = f.resource(unit)
    handler = f.staff(unit)
    client.force_login(handler)
    data = {
        "type": "normal",
        "resource": res.pk,
        "date": future_day.isoformat(),
        "begin": "17:00",
        "end": "18:00",
        "reserver_name": "Caller",
        "reserver_email": "caller@example.org",
    }
    resp = client.post(url("calendar", unit.pk), data)
    assert resp.status_code == 400 and b'data-code="closed"' in resp.content
    data["staff_override"] = "on"
    assert client.post(url("calendar", unit.pk), data).status_code == 302


def test_move_shorten_and_cancel_a_reservation(client, f, setup, future_day):
    res = f.resource(setup["unit"])
    r = reservation_create(actor=f.user(), resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 12))
    blocker = reservation_create(actor=f.user(), resource=res, begin=f.at(future_day, 14), end=f.at(future_day, 15))
    client.force_login(setup["handler"])
    assert client.get(url("reservation", r.pk)).status_code == 200
    resp = client.post(
        url("reservation", r.pk),
        {"action": "move", "move-date": future_day.isoformat(), "move-begin": "13:00", "move-end": "15:00"},
    )
    assert resp.status_code == 400 and b'data-code="overlap"' in resp.content
    resp = client.post(
        url("reservation", r.pk),
        {"action": "move", "move-date": future_day.isoformat(), "move-begin": "10:00", "move-end": "11:00"},
    )
    assert resp.status_code == 302
    r.refresh_from_db()
    assert r.end == f.at(future_day, 11)
    client.post(url("reservation", blocker.pk), {"action": "cancel", "cancel-reason": "Staff cancelled"})
    blocker.refresh_from_db()
    assert blocker.state == State.CANCELLED and blocker.cancel_reason == "Staff cancelled"


def test_series_pages_create_report_the_conflict_and_cancel_the_rest(client, f, setup, next_monday):
    res = f.resource(setup["unit"], name_en="Gym")
    tuesday = next_monday + dt.timedelta(days=1)
    reservation_create(
        actor=f.user(),
        resource=res,
        begin=f.at(tuesday + dt.timedelta(days=7), 17),
        end=f.at(tuesday + dt.timedelta(days=7), 18),
    )
    client.force_login(setup["handler"])
    assert client.get(url("series_new")).status_code == 200
    data = {
        "resource": res.pk,
        "type": "normal",
        "weekdays": ["1"],
        "interval_weeks": "1",
        "start_date": next_monday.isoformat(),
        "count": "3",
        "begin_time": "17:00",
        "end_time": "18:00",
        "reserver_name": "Floorball club",
        "reserver_email": "club@example.org",
    }
    resp = client.post(url("series_new"), data, follow=True)
    assert resp.status_code == 200
    series = ReservationSeries.objects.get()
    body = resp.content.decode()
    assert "message--success" in body and "message--warning" in body
    assert 'data-code="overlap"' in body
    assert series.occurrences.count() == 2
    resp = client.post(
        url("series_detail", series.pk), {"action": "cancel", "cancel-reason": "Season over"}, follow=True
    )
    assert b"message--success" in resp.content
    assert set(series.occurrences.values_list("state", flat=True)) == {"cancelled"}
    assert client.get(url("series")).status_code == 200


def test_series_that_cannot_book_anything_says_why(client, f, next_monday):
    unit = f.unit(hours=[(d, T(8), T(16)) for d in range(7)])
    res = f.resource(unit)
    client.force_login(f.staff(unit))
    data = {
        "resource": res.pk,
        "type": "blocked",
        "weekdays": ["0"],
        "interval_weeks": "1",
        "start_date": next_monday.isoformat(),
        "until_date": (next_monday + dt.timedelta(days=7)).isoformat(),
        "begin_time": "07:00",
        "end_time": "09:00",
    }
    reservation_create(actor=f.user(), resource=res, begin=f.at(next_monday, 8), end=f.at(next_monday, 9))
    reservation_create(
        actor=f.user(),
        resource=res,
        begin=f.at(next_monday + dt.timedelta(days=7), 8),
        end=f.at(next_monday + dt.timedelta(days=7), 9),
    )
    resp = client.post(url("series_new"), data)
    assert resp.status_code == 400 and b'data-code="series_empty"' in resp.content
    assert not ReservationSeries.objects.exists()


def test_series_move_page_reports_what_could_not_move(client, f, setup, next_monday):
    from tila.booking.series import series_create

    res = f.resource(setup["unit"])
    result = series_create(
        actor=setup["handler"],
        resource=res,
        weekdays=[2],
        start_date=next_monday,
        count=2,
        begin_time=T(9),
        end_time=T(10),
    )
    wed2 = next_monday + dt.timedelta(days=9)
    reservation_create(actor=f.user(), resource=res, begin=f.at(wed2, 11), end=f.at(wed2, 12))
    client.force_login(setup["handler"])
    resp = client.post(
        url("series_detail", result.series.pk),
        {"action": "move", "move-begin_time": "11:00", "move-end_time": "12:00", "move-day_shift": "0"},
    )
    assert resp.status_code == 200
    body = resp.content.decode()
    assert 'class="message message--success"' in body and 'data-code="overlap"' in body
    assert result.series.occurrences.filter(begin__time=f.at(next_monday, 11).astimezone(dt.UTC).time()).count() == 1


def test_unit_admin_manages_resources_hours_and_roles_with_audit(client, f, setup):
    client.force_login(setup["admin"])
    unit = setup["unit"]
    assert client.get(url("resources", unit.pk)).status_code == 200
    resp = client.post(
        url("resource_new", unit.pk),
        {
            "name_fi": "Sali",
            "name_en": "Hall B",
            "type": setup["res"].type_id,
            "reservable": "on",
            "public": "on",
            "need_manual_confirmation": "unknown",
        },
    )
    assert resp.status_code == 302, resp.content.decode()
    new = unit.resources.get(name_fi="Sali")
    resp = client.post(
        url("resource_edit", unit.pk, new.pk),
        {"name_fi": "Sali 2", "type": new.type_id, "people_capacity": "20", "need_manual_confirmation": "true"},
    )
    assert resp.status_code == 302
    new.refresh_from_db()
    assert (
        new.name_fi == "Sali 2"
        and new.people_capacity == 20
        and new.need_manual_confirmation is True
        and not new.public
    )
    resp = client.post(
        url("period_new", unit.pk),
        {"name_en": "Summer", "start": "2031-06-01", "end": "2031-08-31", "opens_0": "10:00", "closes_0": "14:00"},
    )
    assert resp.status_code == 302, resp.content.decode()
    period = OpeningPeriod.objects.get(name_en="Summer")
    assert list(period.rules.values_list("weekday", "opens", "closes")) == [(0, T(10), T(14))]
    resp = client.post(url("period_edit", unit.pk, period.pk), {"start": "2031-06-01", "end": "2031-05-01"})
    assert resp.status_code == 400 and b'data-code="invalid_range"' in resp.content
    resp = client.post(url("period_edit", unit.pk, period.pk), {"start": "2031-06-01", "opens_1": "10:00"})
    assert resp.status_code == 400
    assert client.get(url("hours", unit.pk)).status_code == 200
    client.post(url("period_edit", unit.pk, period.pk), {"action": "delete"})
    assert not OpeningPeriod.objects.filter(pk=period.pk).exists()
    person = f.user()
    resp = client.post(url("roles", unit.pk), {"email": person.email, "role": "viewer"})
    assert resp.status_code == 302
    role = UnitRole.objects.get(user=person)
    assert client.post(url("roles", unit.pk), {"email": person.email, "role": "viewer"}).status_code == 400
    client.post(url("role_remove", unit.pk, role.pk))
    assert not UnitRole.objects.filter(user=person).exists()
    actions = set(AuditEntry.objects.filter(actor=setup["admin"]).values_list("action", flat=True))
    assert {
        "resource.create",
        "resource.update",
        "opening_period.create",
        "opening_period.delete",
        "role.grant",
        "role.revoke",
    } <= actions


@pytest.mark.parametrize("name", ["resources", "hours", "roles"])
def test_handlers_and_viewers_cannot_manage(client, setup, name):
    for who in ("handler", "viewer"):
        client.force_login(setup[who])
        assert client.get(url(name, setup["unit"].pk)).status_code == 403


def test_other_units_are_not_found(client, f, setup):
    other = f.unit()
    client.force_login(setup["admin"])
    assert client.get(url("calendar", other.pk)).status_code == 404
    assert client.get(url("resources", other.pk)).status_code == 404


def test_reports_page_and_downloads(client, f, setup, future_day):
    from io import BytesIO

    from openpyxl import load_workbook

    reservation_create(
        actor=f.user(),
        resource=f.resource(setup["unit"], name_fi="Kuntosali", name_en="Gym"),
        begin=f.at(future_day, 10),
        end=f.at(future_day, 12),
    )
    client.force_login(setup["viewer"])
    params = {"start": future_day.isoformat(), "end": future_day.isoformat()}
    resp = client.get(url("reports"), params)
    assert resp.status_code == 200 and "Gym" in resp.content.decode()
    csv = client.get(url("reports"), {**params, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert "Gym,24.0,2.0,0.0,1,8.3" in text
    xlsx = client.get(url("reports"), {**params, "format": "xlsx"})
    book = load_workbook(BytesIO(xlsx.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "Unit" and any(r[1] == "Gym" and r[3] == 2.0 for r in rows)
    assert client.get(url("reports"), {"start": "2030-01-02", "end": "2030-01-01"}).status_code == 400


def test_audit_log_is_for_administrators_and_filters(client, f, setup, future_day):
    r = request_for(f, setup["res"], future_day)
    from tila.booking.services import reservation_approve

    reservation_approve(actor=setup["handler"], reservation=r)
    other_unit = f.unit()
    f.staff(other_unit, Role.ADMIN)
    client.force_login(setup["handler"])
    assert client.get(url("audit")).status_code == 403
    client.force_login(setup["admin"])
    body = client.get(url("audit"), {"action": "reservation."}).content.decode()
    assert 'data-action="reservation.approve"' in body and setup["handler"].email in body
    body = client.get(url("audit"), {"action": "role."}).content.decode()
    assert 'data-action="reservation.approve"' not in body


def test_feed_page_makes_a_secret_address_once_and_revokes_it(client, setup):
    from tila.notifications.models import CalendarFeedToken

    client.force_login(setup["viewer"])
    assert client.get(url("feed")).status_code == 200
    resp = client.post(url("feed"), {"action": "create"})
    assert resp.status_code == 200 and CalendarFeedToken.objects.filter(user=setup["viewer"]).exists()
    client.post(url("feed"), {"action": "revoke"})
    assert not CalendarFeedToken.objects.exists()


def test_resource_calendar_download_for_staff(client, f, setup, future_day):
    from icalendar import Calendar

    request_for(f, setup["res"], future_day)
    client.force_login(setup["viewer"])
    resp = client.get(url("resource_ics", setup["res"].pk))
    assert resp.status_code == 200
    assert len(Calendar.from_ical(resp.content).walk("VEVENT")) == 1
    client.force_login(f.staff(f.unit()))
    assert client.get(url("resource_ics", setup["res"].pk)).status_code == 404
