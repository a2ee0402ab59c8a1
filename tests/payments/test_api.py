"""/v1/order/ (a user's orders, 6Aika) and /v1/resource/{id}/price/ (the price check)."""

from __future__ import annotations

import pytest

from tests.payments.conftest import make_group
from tila.accounts.services import token_create
from tila.booking.services import reservation_create
from tila.payments.models import CustomerGroup

pytestmark = pytest.mark.django_db


def bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user)}"}


def local(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_the_price_check_breaks_out_vat(client, hall, slot):
    response = client.get("/v1/resource/hall/price/", {"begin": local(slot[0]), "end": local(slot[1])})
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "resource": "hall",
        "begin": slot[0].isoformat(),
        "end": slot[1].isoformat(),
        "customer_group": "resident",
        "priced": True,
        "payment_required": True,
        "price": "80.00",
        "currency": "EUR",
        "pricing": "per_hour",
        "unit_price": "40.00",
        "quantity": "2",
        "vat_percentage": "13.50",
        "vat": "9.52",
        "price_without_vat": "70.48",
        "subsidy_available": True,
        "subsidised_price": "20.00",
    }


@pytest.mark.parametrize(("group", "price"), [("association", "40.00"), ("company", "120.00"), ("youth", "0.00")])
def test_the_price_check_for_a_customer_group(client, hall, slot, group, price):
    query = {"begin": local(slot[0]), "end": local(slot[1]), "customer_group": group}
    body = client.get("/v1/resource/hall/price", query).json()
    assert body["price"] == price
    assert body["payment_required"] is (price != "0.00")


def test_the_price_check_uses_the_signed_in_users_own_group(f, client, hall, slot):
    club = f.user()
    make_group(club, CustomerGroup.ASSOCIATION)
    query = {"begin": local(slot[0]), "end": local(slot[1])}
    assert client.get("/v1/resource/hall/price/", query, **bearer(club)).json()["price"] == "40.00"


def test_a_free_resource_is_not_priced(f, client, slot, unit):
    f.resource(unit, rid="free-room")
    body = client.get("/v1/resource/free-room/price/", {"begin": local(slot[0]), "end": local(slot[1])}).json()
    assert (body["priced"], body["price"], body["pricing"]) == (False, "0.00", None)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"begin": "2026-13-01T10:00", "end": "2026-12-01T11:00"}, "begin"),
        ({"begin": "2030-01-01T12:00", "end": "2030-01-01T11:00"}, "end"),
        ({"begin": "2030-01-01T12:00", "end": "2030-03-01T11:00"}, "end"),
        ({"begin": "2030-01-01T10:00", "end": "2030-01-01T11:00", "customer_group": "x"}, "customer_group"),
    ],
)
def test_a_bad_price_query_is_400_with_the_field(client, hall, query, field):
    response = client.get("/v1/resource/hall/price/", query)
    assert response.status_code == 400
    assert field in response.json()


def test_a_missing_or_hidden_resource_has_no_price(client, hall, slot):
    query = {"begin": local(slot[0]), "end": local(slot[1])}
    assert client.get("/v1/resource/nope/price/", query).status_code == 404
    hall.public = False
    hall.save()
    assert client.get("/v1/resource/hall/price/", query).status_code == 404


def test_order_list_serves_only_the_users_own_orders(f, client, hall, customer, slot, future_day):
    reservation = reservation_create(actor=customer, resource=hall, begin=slot[0], end=slot[1])
    reservation_create(actor=f.user(), resource=hall, begin=f.at(future_day, 14), end=f.at(future_day, 15))

    assert client.get("/v1/order/").status_code == 401
    body = client.get("/v1/order/", **bearer(customer)).json()

    assert body["count"] == 1
    [order] = body["results"]
    assert order["id"] == str(reservation.order.uuid)
    assert order["reservation"] == reservation.pk and order["resource"] == "hall"
    assert order["state"] == "open" and order["price"] == "80.00" and order["currency"] == "EUR"
    assert order["payment_url"] == f"http://testserver/fi/pay/order/{reservation.order.uuid}/"
    assert order["order_lines"] == [
        {
            "product": {
                "id": "SALI",
                "type": "rent",
                "name": reservation.order.lines.get().description,
                "pricing": "per_hour",
                "tax_percentage": "13.50",
                "unit_price": "40.00",
            },
            "quantity": "2",
            "unit_price": "40.00",
            "price": "80.00",
            "vat": "9.52",
            "price_without_vat": "70.48",
        }
    ]
    assert order["payments"] == [] and order["refunds"] == []


def test_order_list_filters_by_state_and_one_order_is_found_by_its_id(client, hall, customer, slot):
    reservation = reservation_create(actor=customer, resource=hall, begin=slot[0], end=slot[1])
    auth = bearer(customer)
    assert client.get("/v1/order/", {"state": "paid"}, **auth).json()["count"] == 0
    assert client.get("/v1/order/", {"state": "open,paid"}, **auth).json()["count"] == 1
    assert client.get("/v1/order/", {"state": "nonsense"}, **auth).status_code == 400
    uuid = reservation.order.uuid
    assert client.get(f"/v1/order/{uuid}/", **auth).json()["id"] == str(uuid)
    assert client.get("/v1/order/not-a-uuid/", **auth).status_code == 404


def test_someone_elses_order_is_404(f, client, hall, customer, slot):
    reservation = reservation_create(actor=customer, resource=hall, begin=slot[0], end=slot[1])
    response = client.get(f"/v1/order/{reservation.order.uuid}/", **bearer(f.user()))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_openapi_document_describes_the_shop(client):
    paths = client.get("/v1/openapi.json").json()["paths"]
    assert "/v1/order/" in paths and "/v1/resource/{resource_id}/price/" in paths
