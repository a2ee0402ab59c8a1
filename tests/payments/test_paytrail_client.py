"""Paytrail: signatures against Paytrail's own published examples, and the client end to end
against the local fake Paytrail (tests/fakes/paytrail.py). No database needed."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import urllib.parse
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from django.test import override_settings
from django.utils import translation

from tila.payments.providers import (
    AmountMismatch,
    BadSignature,
    LineItem,
    MissingParameter,
    PaymentOutcome,
    PaymentProvider,
    PaymentProviderError,
    PaymentRequest,
    PaymentStatus,
    ProviderNotConfigured,
    ProviderResult,
    RefundRequest,
    ReturnUrls,
    UnknownProvider,
    enabled_providers,
    from_cents,
    get_provider,
    providers,
    register,
    to_cents,
    unregister,
)
from tila.payments.providers.paytrail import (
    TEST_MERCHANT_ID,
    TEST_SECRET_KEY,
    PaytrailApiError,
    PaytrailCallback,
    PaytrailClient,
    PaytrailProvider,
    PaytrailUnavailable,
    compute_signature,
    payment_body,
    signature_payload,
)

if TYPE_CHECKING:
    from tests.fakes.paytrail import CallbackRecorder, FakePaytrail

pytest_plugins = ["tests.fakes.paytrail"]  # paytrail_server, paytrail_settings, callback_recorder

# --- helpers ------------------------------------------------------------------------------


def _client(fake: FakePaytrail, **kwargs: object) -> PaytrailClient:
    options: dict[str, object] = {
        "merchant_id": fake.merchant_id,
        "secret_key": fake.secret_key,
        "api_url": fake.url,
    }
    options.update(kwargs)
    return PaytrailClient(**options)  # type: ignore[arg-type]


def _request(base: CallbackRecorder | str, *, stamp: str = "order-1-attempt-1", **overrides: object) -> PaymentRequest:
    """A 31.80 EUR payment whose return and callback URLs point at ``base``."""
    root = base if isinstance(base, str) else base.url("")
    fields: dict[str, object] = {
        "stamp": stamp,
        "reference": "1232",
        "amount": Decimal("31.80"),
        "customer_email": "asiakas@example.org",
        "redirect_urls": ReturnUrls(success=f"{root}/return/ok", cancel=f"{root}/return/cancel"),
        "callback_urls": ReturnUrls(success=f"{root}/callback/ok", cancel=f"{root}/callback/cancel"),
        "items": (
            LineItem(
                unit_price=Decimal("15.90"),
                units=2,
                vat_percentage=Decimal("25.5"),
                product_code="room-12",
                description="Kokoushuone 2 h, Töölö",
            ),
        ),
        "language": "fi",
    }
    fields.update(overrides)
    return PaymentRequest(**fields)  # type: ignore[arg-type]


def _browser_get(url: str) -> tuple[int, str]:
    """GET without following redirects, as a browser's first hop: (status, Location)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        connection.request("GET", f"{parts.path}?{parts.query}" if parts.query else parts.path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def _query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def _paid(fake: FakePaytrail, client: PaytrailClient, recorder: CallbackRecorder, status: str = "ok"):
    created = client.create_payment(_request(recorder))
    code, location = _browser_get(f"{created.href}?status={status}")
    assert code == 302
    return created, location


def _signed(params: dict[str, str], secret: str = TEST_SECRET_KEY, algorithm: str = "sha256") -> dict[str, str]:
    return {**params, "signature": compute_signature(secret, params, "", algorithm=algorithm)}


REDIRECT_PARAMS = {
    "checkout-account": TEST_MERCHANT_ID,
    "checkout-algorithm": "sha256",
    "checkout-amount": "2964",
    "checkout-stamp": "15336332710015",
    "checkout-reference": "192387192837195",
    "checkout-transaction-id": "4b300af6-9a22-11e8-9184-abb6de7fd2d0",
    "checkout-status": "ok",
    "checkout-provider": "nordea",
}


@pytest.fixture
def client(paytrail_server: FakePaytrail) -> PaytrailClient:
    return _client(paytrail_server)


@pytest.fixture
def offline_client() -> PaytrailClient:
    """A client for pure verification: it never sends anything."""
    return PaytrailClient(merchant_id=TEST_MERCHANT_ID, secret_key=TEST_SECRET_KEY)


# --- signatures against Paytrail's published examples -------------------------------------


def test_signature_matches_paytrail_documented_post_example():
    # Paytrail's API documentation ("HMAC calculation (node.js)" and "(PHP)" examples) signs
    # these headers and this body with the test secret and states the expected HMAC.
    headers = {
        "checkout-account": "375917",
        "checkout-algorithm": "sha256",
        "checkout-method": "POST",
        "checkout-nonce": "564635208570151",
        "checkout-timestamp": "2018-07-06T10:01:31.904Z",
        "content-type": "application/json; charset=utf-8",  # not a checkout- header: not signed
    }
    body = {
        "stamp": "unique-identifier-for-merchant",
        "reference": "3759170",
        "amount": 1525,
        "currency": "EUR",
        "language": "FI",
        "items": [
            {
                "unitPrice": 1525,
                "units": 1,
                "vatPercentage": 24,
                "productCode": "#1234",
                "deliveryDate": "2018-09-01",
            }
        ],
        "customer": {"email": "test.customer@example.com"},
        "redirectUrls": {
            "success": "https://ecom.example.com/cart/success",
            "cancel": "https://ecom.example.com/cart/cancel",
        },
    }
    text = json.dumps(body, separators=(",", ":"))  # JSON.stringify / json_encode: compact

    assert (
        compute_signature("SAIPPUAKAUPPIAS", headers, text)
        == "3708f6497ae7cc55a2e6009fc90aa10c3ad0ef125260ee91b19168750f6d74f6"
    )


def test_signature_matches_paytrail_documented_get_example():
    # The documented "GET /payments/{id}" example request, headers only and an empty body.
    headers = {
        "checkout-account": "375917",
        "checkout-algorithm": "sha256",
        "checkout-method": "GET",
        "checkout-timestamp": "2019-11-01T08:48:50.832Z",
        "checkout-transaction-id": "681538c4-fc84-11e9-83bc-2ffcef4c3453",
        "checkout-nonce": "87ac41e1-e6e6-4789-b8e0-c83930cfc447",
    }

    assert (
        compute_signature("SAIPPUAKAUPPIAS", headers)
        == "4d84e3aedaa847b23e672ff3bc9c57ae5d1c1e84aec251ce39914eaf250bb8b2"
    )


def test_documented_redirect_example_verifies(offline_client):
    # The example success redirect in Paytrail's documentation, signature included.
    params = {
        **REDIRECT_PARAMS,
        "signature": "b2d3ecdda2c04563a4638fcade3d4e77dfdc58829b429ad2c2cb422d0fc64080",
    }

    result = offline_client.verify_redirect(params, expected_amount=Decimal("29.64"))

    assert result == PaytrailCallback(
        account="375917",
        algorithm="sha256",
        transaction_id="4b300af6-9a22-11e8-9184-abb6de7fd2d0",
        stamp="15336332710015",
        reference="192387192837195",
        amount_cents=2964,
        status=PaymentStatus.OK,
        provider="nordea",
    )
    assert result.amount == Decimal("29.64")


def test_signature_payload_is_sorted_checkout_lines_then_body():
    params = {"checkout-b": "2", "signature": "x", "other": "y", "checkout-a": "1"}

    assert signature_payload(params, "BODY") == "checkout-a:1\ncheckout-b:2\nBODY"
    assert signature_payload(params) == "checkout-a:1\ncheckout-b:2\n"


def test_sha512_signature_is_hmac_sha512_of_the_same_payload():
    params = {"checkout-account": "375917", "checkout-algorithm": "sha512"}
    expected = hmac.new(
        b"SAIPPUAKAUPPIAS", b"checkout-account:375917\ncheckout-algorithm:sha512\n{}", hashlib.sha512
    ).hexdigest()

    assert compute_signature("SAIPPUAKAUPPIAS", params, "{}", algorithm="sha512") == expected


def test_unknown_signature_algorithm_is_refused():
    with pytest.raises(ValueError, match="algorithm"):
        compute_signature("secret", {}, algorithm="md5")


# --- verification of redirects and callbacks ----------------------------------------------


def test_tampered_amount_is_rejected(offline_client):
    params = _signed(REDIRECT_PARAMS)
    params["checkout-amount"] = "1"

    with pytest.raises(BadSignature) as excinfo:
        offline_client.verify_callback(params)
    assert excinfo.value.code == "payment_bad_signature"


def test_correctly_signed_other_amount_is_an_amount_mismatch(offline_client):
    with pytest.raises(AmountMismatch) as excinfo:
        offline_client.verify_callback(_signed(REDIRECT_PARAMS), expected_amount=Decimal("29.65"))

    assert excinfo.value.code == "payment_amount_mismatch"
    assert excinfo.value.params == {"expected": 2965, "actual": 2964}


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({**REDIRECT_PARAMS, "signature": "0" * 64}, id="wrong-signature"),
        pytest.param(dict(REDIRECT_PARAMS), id="no-signature"),
        pytest.param(_signed(REDIRECT_PARAMS, secret="another-secret"), id="other-secret"),
        pytest.param({**_signed(REDIRECT_PARAMS), "signature": "ä" * 64}, id="non-ascii-signature"),
        pytest.param(
            {**REDIRECT_PARAMS, "checkout-algorithm": "md5", "signature": "0" * 32},
            id="unsupported-algorithm",
        ),
        pytest.param(_signed({**REDIRECT_PARAMS, "checkout-account": "123456"}), id="other-account"),
        pytest.param({**_signed(REDIRECT_PARAMS), "checkout-extra": "added later"}, id="added-parameter"),
    ],
)
def test_bad_signature_is_rejected(offline_client, params):
    with pytest.raises(BadSignature):
        offline_client.verify_redirect(params)


def test_signature_check_includes_new_checkout_parameters_and_ignores_others(offline_client):
    params = _signed({**REDIRECT_PARAMS, "checkout-new-field": "x"})
    params["utm_source"] = "not signed, not checked"

    assert offline_client.verify_redirect(params).stamp == "15336332710015"


def test_sha512_signed_callback_verifies(offline_client):
    params = _signed({**REDIRECT_PARAMS, "checkout-algorithm": "sha512"}, algorithm="sha512")

    assert offline_client.verify_callback(params).algorithm == "sha512"


def test_upper_case_hex_signature_is_accepted(offline_client):
    params = _signed(REDIRECT_PARAMS)
    params["signature"] = params["signature"].upper()

    assert offline_client.verify_callback(params).amount_cents == 2964


@pytest.mark.parametrize(
    "missing",
    [
        "checkout-amount",
        "checkout-stamp",
        "checkout-reference",
        "checkout-status",
        "checkout-transaction-id",
    ],
)
def test_missing_parameter_is_rejected_even_when_signed(offline_client, missing):
    params = {k: v for k, v in REDIRECT_PARAMS.items() if k != missing}

    with pytest.raises(MissingParameter) as excinfo:
        offline_client.verify_callback(_signed(params))
    assert excinfo.value.params == {"name": missing}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("checkout-amount", "29.64"),
        ("checkout-amount", "-1"),
        ("checkout-status", "paid"),
        ("checkout-status", "new"),
    ],
)
def test_malformed_parameter_is_rejected(offline_client, name, value):
    with pytest.raises(MissingParameter):
        offline_client.verify_callback(_signed({**REDIRECT_PARAMS, name: value}))


def test_refund_callback_may_lack_a_transaction_id(offline_client):
    params = {k: v for k, v in REDIRECT_PARAMS.items() if k != "checkout-transaction-id"}
    params["checkout-status"] = "fail"

    result = offline_client.verify_refund_callback(_signed(params))

    assert result.transaction_id is None
    assert result.status is PaymentStatus.FAIL


def test_duplicate_callback_verifies_to_the_same_result(offline_client):
    params = _signed(REDIRECT_PARAMS)

    first = offline_client.verify_callback(params, expected_amount=Decimal("29.64"))
    second = offline_client.verify_callback(dict(params), expected_amount=Decimal("29.64"))

    assert first == second
    assert first.to_outcome() == second.to_outcome()


def test_verification_reads_a_django_querydict(offline_client):
    from django.http import QueryDict

    query = QueryDict(urllib.parse.urlencode(_signed(REDIRECT_PARAMS)))

    assert offline_client.verify_redirect(query).transaction_id == REDIRECT_PARAMS["checkout-transaction-id"]


# --- request bodies and money -------------------------------------------------------------


def test_payment_body_has_amounts_in_cents_and_vat_as_a_number():
    recorder_urls = ReturnUrls(success="https://tila.example/ok", cancel="https://tila.example/cancel")
    request = PaymentRequest(
        stamp="s-1",
        reference="1232",
        amount=Decimal("55.40"),
        customer_email="a@example.org",
        redirect_urls=recorder_urls,
        items=(
            LineItem(Decimal("15.90"), 2, Decimal("25.5"), "room"),
            LineItem(Decimal("23.60"), 1, Decimal("10"), "coffee"),
        ),
        language="sv",
    )

    body = payment_body(request)

    assert body["amount"] == 5540
    assert body["language"] == "SV"
    assert body["currency"] == "EUR"
    assert [(i["unitPrice"], i["units"], i["vatPercentage"]) for i in body["items"]] == [
        (1590, 2, 25.5),
        (2360, 1, 10),
    ]
    assert isinstance(body["items"][1]["vatPercentage"], int)
    assert "callbackUrls" not in body
    assert body["redirectUrls"] == {
        "success": "https://tila.example/ok",
        "cancel": "https://tila.example/cancel",
    }


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"amount": Decimal("31.81")}, "payment_items_mismatch"),
        ({"amount": Decimal("0")}, "payment_invalid_amount"),
        ({"amount": Decimal("31.805")}, "payment_invalid_amount"),
        ({"currency": "SEK"}, "payment_currency_not_supported"),
        ({"items": (LineItem(Decimal("31.80"), 1, Decimal("25.55"), "x"),)}, "payment_invalid_vat"),
        ({"items": (LineItem(Decimal("31.80"), 1, Decimal("101"), "x"),)}, "payment_invalid_vat"),
    ],
)
def test_payment_body_refuses_what_paytrail_would(overrides, code):
    request = _request("https://tila.example", **overrides)

    with pytest.raises(PaymentProviderError) as excinfo:
        payment_body(request)
    assert excinfo.value.code == code


@pytest.mark.parametrize(("language", "expected"), [("fi", "FI"), ("sv-fi", "SV"), ("en_GB", "EN"), ("de", "EN")])
def test_language_maps_to_paytrail_codes(language, expected):
    urls = ReturnUrls(success="https://tila.example/ok", cancel="https://tila.example/cancel")
    request = PaymentRequest("s", "1232", Decimal("1.00"), "a@example.org", urls, language=language)

    assert payment_body(request)["language"] == expected


@pytest.mark.parametrize(
    ("amount", "cents"),
    [(Decimal("15.90"), 1590), (Decimal("0.01"), 1), (Decimal("100"), 10000), (Decimal("-2.50"), -250)],
)
def test_to_cents_is_exact(amount, cents):
    assert to_cents(amount) == cents
    assert from_cents(cents) == amount


def test_to_cents_refuses_sub_cent_amounts_unless_rounding_is_asked_for():
    with pytest.raises(ValueError, match="fractions of a cent"):
        to_cents(Decimal("1.005"))
    assert to_cents(Decimal("1.005"), allow_sub_cent=True) == 101  # ROUND_HALF_UP
    assert to_cents(Decimal("1.004"), allow_sub_cent=True) == 100


@pytest.mark.parametrize("amount", [1.5, Decimal("NaN"), Decimal("Infinity"), 15])
def test_to_cents_refuses_non_decimal_money(amount):
    with pytest.raises(ValueError, match="Decimal"):
        to_cents(amount)


def test_from_cents_has_two_decimals():
    assert str(from_cents(1590)) == "15.90"
    assert str(from_cents(0)) == "0.00"


# --- client against the fake Paytrail -----------------------------------------------------


def test_create_pay_verify_get_and_refund_end_to_end(client, paytrail_server, callback_recorder):
    created = client.create_payment(_request(callback_recorder))

    assert created.href == f"{paytrail_server.url}/pay/{created.transaction_id}"
    assert created.reference == "1232"
    assert created.providers
    assert created.providers[0]["id"] == "osuuspankki"
    assert client.get_payment(created.transaction_id).status is PaymentStatus.NEW

    status, location = _browser_get(f"{created.href}?status=ok")

    assert status == 302
    assert location.startswith(callback_recorder.url("/return/ok") + "?")
    redirect = client.verify_redirect(_query(location), expected_amount=Decimal("31.80"))
    assert (redirect.status, redirect.amount, redirect.stamp) == (
        PaymentStatus.OK,
        Decimal("31.80"),
        "order-1-attempt-1",
    )
    assert redirect.transaction_id == created.transaction_id

    # Paytrail called the merchant server to server with the same signed parameters.
    assert callback_recorder.paths == ["/callback/ok"]
    assert client.verify_callback(callback_recorder.received[0], expected_amount=Decimal("31.80")) == redirect

    payment = client.get_payment(created.transaction_id)
    assert (payment.status, payment.amount, payment.provider) == (
        PaymentStatus.OK,
        Decimal("31.80"),
        "osuuspankki",
    )
    assert payment.paid_at

    refund_urls = ReturnUrls(success=callback_recorder.url("/refund/ok"), cancel=callback_recorder.url("/refund/no"))
    refund = client.refund(created.transaction_id, 1590, "refund-1", "1232", refund_urls)

    assert refund.status is PaymentStatus.OK
    assert refund.transaction_id != created.transaction_id
    assert callback_recorder.paths[-1] == "/refund/ok"
    refunded = client.verify_refund_callback(callback_recorder.received[-1], expected_amount=Decimal("15.90"))
    assert (refunded.stamp, refunded.transaction_id, refunded.status) == (
        "refund-1",
        refund.transaction_id,
        "ok",
    )


def test_requests_are_signed_as_documented(client, paytrail_server, callback_recorder):
    client.create_payment(_request(callback_recorder))

    (logged,) = paytrail_server.requests_to("POST", "/payments")
    headers = logged.headers
    assert headers["checkout-account"] == TEST_MERCHANT_ID
    assert headers["checkout-algorithm"] == "sha256"
    assert headers["checkout-method"] == "POST"
    assert headers["checkout-nonce"]
    assert headers["checkout-timestamp"].endswith("Z")
    assert headers["content-type"] == "application/json; charset=utf-8"
    signed = {k: v for k, v in headers.items() if k.startswith("checkout-")}
    assert headers["signature"] == compute_signature(TEST_SECRET_KEY, signed, logged.body)
    assert logged.json()["amount"] == 3180
    assert logged.status == 201


def test_single_transaction_calls_carry_the_transaction_id_header(client, paytrail_server, callback_recorder):
    created = client.create_payment(_request(callback_recorder))

    client.get_payment(created.transaction_id)

    (logged,) = paytrail_server.requests_to("GET", "/payments/")
    assert logged.headers["checkout-transaction-id"] == created.transaction_id
    assert logged.body == ""


def test_sha512_client_round_trip(paytrail_server, callback_recorder):
    client = _client(paytrail_server, algorithm="sha512")

    created, location = _paid(paytrail_server, client, callback_recorder)

    assert _query(location)["checkout-algorithm"] == "sha512"
    assert client.verify_redirect(_query(location)).transaction_id == created.transaction_id


def test_cancelled_payment_returns_to_the_cancel_url(client, paytrail_server, callback_recorder):
    created, location = _paid(paytrail_server, client, callback_recorder, status="fail")

    assert location.startswith(callback_recorder.url("/return/cancel"))
    assert client.verify_redirect(_query(location)).status is PaymentStatus.FAIL
    assert callback_recorder.paths == ["/callback/cancel"]
    assert client.get_payment(created.transaction_id).status is PaymentStatus.FAIL


def test_customer_returning_twice_gets_the_same_verified_result(client, paytrail_server, callback_recorder):
    created, first = _paid(paytrail_server, client, callback_recorder)

    _, second = _browser_get(f"{created.href}?status=fail")  # too late: it is paid already

    assert client.verify_redirect(_query(first)) == client.verify_redirect(_query(second))


def test_duplicated_callbacks_verify_identically(client, paytrail_server, callback_recorder):
    paytrail_server.callback_repeat = 3

    _paid(paytrail_server, client, callback_recorder)

    assert len(callback_recorder.received) == 3
    results = {client.verify_callback(params) for params in callback_recorder.received}
    assert len(results) == 1


def test_callbacks_out_of_order_each_verify(client, paytrail_server, callback_recorder):
    paytrail_server.callback_mode = "queue"
    created, _ = _paid(paytrail_server, client, callback_recorder)
    refund_urls = ReturnUrls(success=callback_recorder.url("/refund/ok"), cancel=callback_recorder.url("/refund/no"))
    client.refund(created.transaction_id, 3180, "refund-1", "1232", refund_urls)
    assert callback_recorder.received == []

    deliveries = paytrail_server.deliver_pending(reverse=True)

    assert [d.status for d in deliveries] == [200, 200]
    assert callback_recorder.paths == ["/refund/ok", "/callback/ok"]
    refund = client.verify_refund_callback(callback_recorder.received[0])
    payment = client.verify_callback(callback_recorder.received[1])
    assert (refund.stamp, payment.stamp) == ("refund-1", "order-1-attempt-1")
    assert refund.amount == payment.amount == Decimal("31.80")


def test_pending_then_ok(client, paytrail_server, callback_recorder):
    created, location = _paid(paytrail_server, client, callback_recorder, status="pending")
    assert client.verify_redirect(_query(location)).status is PaymentStatus.PENDING

    paytrail_server.pay(created.transaction_id, "ok")

    assert [client.verify_callback(p).status for p in callback_recorder.received] == ["pending", "ok"]


def test_callbacks_can_be_switched_off(client, paytrail_server, callback_recorder):
    paytrail_server.callback_mode = "off"

    _paid(paytrail_server, client, callback_recorder)

    assert callback_recorder.received == []
    assert paytrail_server.callbacks == []


def test_wrong_secret_gets_paytrail_401_error(paytrail_server, callback_recorder):
    client = _client(paytrail_server, secret_key="not-the-secret")

    with pytest.raises(PaytrailApiError) as excinfo:
        client.create_payment(_request(callback_recorder))

    assert excinfo.value.status_code == 401
    assert excinfo.value.api_message == "Invalid signature"
    assert excinfo.value.code == "payment_provider_error"
    assert paytrail_server.payments == {}


def test_fake_rejects_a_replayed_nonce(client, paytrail_server, callback_recorder):
    created = client.create_payment(_request(callback_recorder))
    logged = paytrail_server.requests_to("POST", "/payments")[0]
    parts = urllib.parse.urlsplit(paytrail_server.url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)

    connection.request("POST", "/payments", body=logged.body, headers=logged.headers)
    replay = connection.getresponse()
    replay_body = json.loads(replay.read())
    connection.close()

    assert replay.status == 401
    assert replay_body == {"status": "error", "message": "Duplicate nonce"}
    assert list(paytrail_server.payments) == [created.transaction_id]


def test_validation_errors_come_back_with_paytrail_error_shape(client, callback_recorder):
    client.create_payment(_request(callback_recorder))

    with pytest.raises(PaytrailApiError) as excinfo:
        client.create_payment(_request(callback_recorder))  # the same stamp again

    assert excinfo.value.status_code == 400
    assert excinfo.value.api_message == "Request validation failed"
    assert excinfo.value.meta == ["stamp has already been used"]
    assert excinfo.value.request_id


def test_unknown_transaction_is_404(client):
    with pytest.raises(PaytrailApiError) as excinfo:
        client.get_payment("5770642a-9a02-4ca2-8eaa-cc6260a78eb6")

    assert excinfo.value.status_code == 404


def test_refund_of_more_than_was_paid_is_refused(client, paytrail_server, callback_recorder):
    created, _ = _paid(paytrail_server, client, callback_recorder)
    urls = ReturnUrls(success=callback_recorder.url("/refund/ok"), cancel=callback_recorder.url("/refund/no"))
    client.refund(created.transaction_id, 3000, "refund-1", "1232", urls)

    with pytest.raises(PaytrailApiError) as excinfo:
        client.refund(created.transaction_id, 181, "refund-2", "1232", urls)

    assert excinfo.value.status_code == 400
    assert excinfo.value.meta == ["amount exceeds the refundable amount"]


def test_refund_of_an_unpaid_payment_is_refused(client, callback_recorder):
    created = client.create_payment(_request(callback_recorder))
    urls = ReturnUrls(success=callback_recorder.url("/refund/ok"), cancel=callback_recorder.url("/refund/no"))

    with pytest.raises(PaytrailApiError) as excinfo:
        client.refund(created.transaction_id, 100, "refund-1", "1232", urls)

    assert excinfo.value.meta == ["only paid payments can be refunded"]


def test_refund_body_carries_items_and_email(client, paytrail_server, callback_recorder):
    created, _ = _paid(paytrail_server, client, callback_recorder)
    urls = ReturnUrls(success=callback_recorder.url("/refund/ok"), cancel=callback_recorder.url("/refund/no"))

    client.refund(created.transaction_id, 1590, "r-1", "1232", urls, [("item-1", 1590)], email="a@example.org")

    body = paytrail_server.requests_to("POST", f"/payments/{created.transaction_id}/refund")[0].json()
    assert body == {
        "amount": 1590,
        "refundStamp": "r-1",
        "refundReference": "1232",
        "callbackUrls": {"success": urls.success, "cancel": urls.cancel},
        "items": [{"amount": 1590, "stamp": "item-1"}],
        "email": "a@example.org",
    }


def test_response_with_a_bad_signature_is_not_trusted(client, paytrail_server, callback_recorder):
    paytrail_server.break_response_signatures = True

    with pytest.raises(BadSignature):
        client.create_payment(_request(callback_recorder))


def test_unreachable_paytrail_is_a_polite_error():
    with socket.socket() as sock:  # a port that was free a moment ago and has no server
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = PaytrailClient(merchant_id="1", secret_key="s", api_url=f"http://127.0.0.1:{port}", timeout=2)

    with pytest.raises(PaytrailUnavailable) as excinfo:
        client.get_payment("x")
    assert excinfo.value.code == "payment_provider_unavailable"


@pytest.mark.parametrize("url", ["http://services.paytrail.com", "ftp://127.0.0.1", "file:///etc/passwd"])
def test_api_url_must_be_https_except_on_this_machine(url):
    with pytest.raises(ValueError, match="https"):
        PaytrailClient(merchant_id="1", secret_key="s", api_url=url)


def test_client_needs_credentials():
    with pytest.raises(ValueError, match="merchant"):
        PaytrailClient(merchant_id="", secret_key="s")


# --- the provider interface and registry --------------------------------------------------


def test_paytrail_provider_is_registered():
    assert PaytrailProvider in providers()
    assert isinstance(get_provider("paytrail"), PaytrailProvider)
    with translation.override("en"):
        assert str(PaytrailProvider.verbose_name) == "Online payment (Paytrail)"


def test_unknown_provider_is_a_domain_error():
    with pytest.raises(UnknownProvider) as excinfo:
        get_provider("bitcoin")
    assert excinfo.value.code == "unknown_payment_provider"


@override_settings(PAYTRAIL_MERCHANT_ID="", PAYTRAIL_SECRET_KEY="")
def test_unconfigured_paytrail_is_disabled_and_refuses_to_start():
    provider = get_provider("paytrail")

    assert not provider.is_enabled_for(unit_id=1)
    assert provider not in enabled_providers(1)
    with pytest.raises(ProviderNotConfigured):
        provider.create(_request("https://tila.example"))


def test_provider_create_confirm_callback_and_refund(paytrail_settings, callback_recorder):
    provider = get_provider("paytrail")
    assert provider.is_enabled_for(unit_id=7)

    result = provider.create(_request(callback_recorder))

    assert result.kind == "redirect"
    assert result.redirect_url
    assert result.transaction_id
    _, location = _browser_get(f"{result.redirect_url}?status=ok")
    outcome = provider.confirm(_query(location), expected_amount=Decimal("31.80"))
    assert outcome == PaymentOutcome(
        provider="paytrail",
        transaction_id=result.transaction_id,
        stamp="order-1-attempt-1",
        reference="1232",
        amount=Decimal("31.80"),
        status=PaymentStatus.OK,
        method="osuuspankki",
    )
    assert outcome.is_paid
    assert provider.handle_callback(callback_recorder.received[0], expected_amount=Decimal("31.80")) == outcome

    urls = ReturnUrls(success=callback_recorder.url("/refund/ok"), cancel=callback_recorder.url("/refund/no"))
    refund = provider.refund(RefundRequest(result.transaction_id, Decimal("31.80"), "refund-1", "1232", urls))
    assert (refund.provider, refund.status) == ("paytrail", PaymentStatus.OK)


def test_provider_rejects_a_tampered_callback(paytrail_settings, callback_recorder):
    provider = get_provider("paytrail")
    result = provider.create(_request(callback_recorder))
    _browser_get(f"{result.redirect_url}?status=ok")
    params = {**callback_recorder.received[0], "checkout-amount": "1"}

    with pytest.raises(BadSignature):
        provider.handle_callback(params)
    with pytest.raises(AmountMismatch):
        provider.handle_callback(callback_recorder.received[0], expected_amount=Decimal("99.00"))


class _CashProvider(PaymentProvider):
    identifier = "test-cash"
    verbose_name = "Cash"

    def create(self, payment: PaymentRequest) -> ProviderResult:
        return ProviderResult.show("Pay at the desk", transaction_id=payment.stamp)


def test_registering_a_provider_plugin():
    register(_CashProvider)
    try:
        provider = get_provider("test-cash")
        assert _CashProvider in providers()
        assert isinstance(provider, _CashProvider)
        result = provider.create(_request("https://tila.example"))
        assert (result.kind, result.instructions) == ("instructions", "Pay at the desk")
        assert register(_CashProvider) is _CashProvider  # registering twice is harmless
        with pytest.raises(PaymentProviderError) as excinfo:
            provider.confirm({})
        assert excinfo.value.code == "payment_not_supported"
        with pytest.raises(PaymentProviderError) as excinfo:
            provider.refund(RefundRequest("t", Decimal(1), "s", "r", ReturnUrls("a", "b")))
        assert excinfo.value.code == "refund_not_supported"
    finally:
        unregister("test-cash")
    assert _CashProvider not in providers()


def test_two_providers_cannot_share_an_identifier():
    class Impostor(_CashProvider):
        identifier = "paytrail"

    with pytest.raises(ValueError, match="already registered"):
        register(Impostor)
