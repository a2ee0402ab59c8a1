"""The resource's `authentication` rule is enforced by the booking engine (rule 1a)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.accounts.oidc_provider.fixtures import sign_in_at_provider
from tila.accounts.assurance import STRONG, WEAK, level_from_loa, satisfies
from tila.booking.models import Reservation
from tila.booking.services import reservation_create
from tila.core.errors import DomainError


@pytest.fixture
def strong_room(f):
    return f.resource(authentication="strong", min_period=dt.timedelta(hours=1))


def _slot(f, future_day, hour=10):
    return f.at(future_day, hour), f.at(future_day, hour + 1)


@pytest.mark.parametrize(
    ("loa", "level"),
    [("low", WEAK), ("substantial", STRONG), ("high", STRONG), ("HIGH", STRONG), (None, WEAK), ("", WEAK), (3, WEAK)],
)
def test_loa_maps_to_levels(loa, level):
    assert level_from_loa(loa) == level


@pytest.mark.django_db
def test_weakly_signed_in_resident_is_refused_a_strong_resource(f, future_day, strong_room):
    begin, end = _slot(f, future_day)
    with pytest.raises(DomainError) as caught:
        reservation_create(actor=f.user(), resource=strong_room, begin=begin, end=end)
    assert caught.value.code == "strong_authentication_required"
    assert not Reservation.objects.exists()


@pytest.mark.django_db
def test_strongly_identified_resident_books_a_strong_resource(f, future_day, strong_room):
    person = f.user()
    person.authentication_level = STRONG
    begin, end = _slot(f, future_day)
    assert reservation_create(actor=person, resource=strong_room, begin=begin, end=end).state == "confirmed"


@pytest.mark.django_db
def test_not_signed_in_is_authentication_required_for_every_rule(f, future_day):
    from django.contrib.auth.models import AnonymousUser

    for rule in ("", "none", "weak", "strong"):
        resource = f.resource(authentication=rule)
        begin, end = _slot(f, future_day)
        with pytest.raises(DomainError) as caught:
            reservation_create(actor=AnonymousUser(), resource=resource, begin=begin, end=end)
        assert caught.value.code == "authentication_required"


@pytest.mark.django_db
def test_rule_order_not_reservable_comes_before_authentication(f, future_day):
    resource = f.resource(authentication="strong", reservable=False)
    begin, end = _slot(f, future_day)
    with pytest.raises(DomainError) as caught:
        reservation_create(actor=f.user(), resource=resource, begin=begin, end=end)
    assert caught.value.code == "not_reservable"


@pytest.mark.django_db
def test_rule_order_authentication_comes_before_the_time_rules(f, future_day, strong_room):
    past = f.at(future_day - dt.timedelta(days=30), 10)
    with pytest.raises(DomainError) as caught:
        reservation_create(actor=f.user(), resource=strong_room, begin=past, end=past + dt.timedelta(hours=1))
    assert caught.value.code == "strong_authentication_required"


@pytest.mark.django_db
def test_unit_staff_book_a_strong_resource_for_a_customer(f, future_day, strong_room):
    handler = f.staff(strong_room.unit)
    begin, end = _slot(f, future_day)
    reservation = reservation_create(actor=handler, user=f.user(), resource=strong_room, begin=begin, end=end)
    assert reservation.pk


@pytest.mark.django_db
def test_weak_rule_accepts_any_signed_in_person(f, future_day):
    resource = f.resource(authentication="weak")
    begin, end = _slot(f, future_day)
    assert reservation_create(actor=f.user(), resource=resource, begin=begin, end=end).pk


def test_satisfies_orders_the_levels():
    class Person:
        is_authenticated = True

    weak, strong = Person(), Person()
    strong.authentication_level = STRONG  # type: ignore[attr-defined]
    assert satisfies(weak, "weak") and not satisfies(weak, "strong")
    assert satisfies(strong, "strong") and satisfies(strong, "none")


# --- The pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_booking_page_explains_and_links_to_strong_sign_in(f, strong_room, settings, client):
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "https://id.example", "tila"
    client.force_login(f.user())
    page = client.get(f"/en/resources/{strong_room.pk}/book/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="strong-auth-required"' in text
    assert f"/auth/oidc/login/?strong=1&amp;next=/en/resources/{strong_room.pk}/book/" in text


@pytest.mark.django_db
def test_booking_page_without_a_provider_says_to_contact_the_unit(f, strong_room, settings, client):
    settings.OIDC_ISSUER = ""
    client.force_login(f.user())
    text = client.get(f"/en/resources/{strong_room.pk}/book/").content.decode()
    assert "contact the unit" in text
    assert "oidc/login" not in text


@pytest.mark.django_db
def test_booking_form_shows_the_engine_refusal(f, strong_room, future_day, client):
    client.force_login(f.user())
    response = client.post(
        f"/en/resources/{strong_room.pk}/book/",
        {
            "begin_date": future_day.isoformat(),
            "begin_time": "10:00",
            "end_date": future_day.isoformat(),
            "end_time": "11:00",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 200
    assert "needs strong identification" in response.content.decode()
    assert not Reservation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_strong_sign_in_through_the_provider_then_book(oidc, f, strong_room, future_day):
    client = Client()
    book = f"/en/resources/{strong_room.pk}/book/"
    start = client.get(f"/auth/oidc/login/?strong=1&next={book}")
    callback = sign_in_at_provider(start["Location"], "aino")
    parts = urlsplit(callback)
    back = client.get(f"{parts.path}?{parts.query}")
    assert back["Location"].endswith(book)
    page = client.get(book)
    assert 'id="strong-auth-required"' not in page.content.decode()
    response = client.post(
        book,
        {
            "begin_date": future_day.isoformat(),
            "begin_time": "10:00",
            "end_date": future_day.isoformat(),
            "end_time": "11:00",
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Reservation.objects.get().user.email == "aino.strong@example.org"
