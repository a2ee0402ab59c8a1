"""A local stand-in for Paytrail's Payment API, for tests (the real service is out of reach).

It follows the published protocol: requests must carry ``checkout-*`` headers signed with the
merchant secret (HMAC-SHA256 or -SHA512 over the sorted ``name:value`` lines and the body) or
get ``401 {"status": "error", "message": ...}``; responses are signed the same way.

Endpoints:

* ``POST /payments`` — validates the body like Paytrail (amount = sum of items, EUR, FI/SV/EN,
  customer email, redirect URLs, unique stamp), answers 201 with ``transactionId``, ``href``
  (a payment page on this server), ``reference``, ``groups`` and ``providers``.
* ``GET /payments/{id}`` — the payment's status (``checkout-transaction-id`` header required).
* ``POST /payments/{id}/refund`` — refunds a paid payment (not more than what is left), answers
  201 and calls the refund ``callbackUrls`` with signed parameters.
* ``GET /pay/{id}`` — a tiny payment page; ``GET /pay/{id}?status=ok|fail|pending|delayed``
  "pays": it calls the merchant's callback URL server-to-server and redirects (302) the browser
  to the success or cancel redirect URL, both with signed ``checkout-*`` query parameters.

Test controls: ``callback_mode`` (``"immediate"``, ``"queue"`` to hold callbacks until
:meth:`FakePaytrail.deliver_pending` — in any order —, or ``"off"``), ``callback_repeat``
(deliver each callback N times, as Paytrail may), ``refund_response_status`` and
``refund_outcome``, ``break_response_signatures``. Every API request is logged in
``requests``; every callback attempt in ``callbacks``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

from tila.payments.providers.paytrail import TEST_MERCHANT_ID, TEST_SECRET_KEY, compute_signature

__all__ = [
    "CallbackRecorder",
    "FakePaytrail",
    "callback_recorder",
    "paytrail_server",
    "paytrail_settings",
]

ALGORITHMS = ("sha256", "sha512")
PAY_STATUSES = ("ok", "fail", "pending", "delayed")
_PAYMENT_PATH = re.compile(r"^/payments/([^/]+)$")
_REFUND_PATH = re.compile(r"^/payments/([^/]+)/refund$")
_PAY_PATH = re.compile(r"^/pay/([^/]+)$")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _with_query(url: str, params: Mapping[str, str]) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}{urllib.parse.urlencode(params)}"


class ApiError(Exception):
    def __init__(self, status: int, message: str, meta: list[str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.meta = meta or []


@dataclass
class LoggedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: str
    status: int = 0

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class CallbackDelivery:
    url: str
    params: dict[str, str]
    status: int | None = None
    error: str = ""


@dataclass
class FakeRefund:
    transaction_id: str
    amount: int
    stamp: str
    reference: str
    callback_urls: dict[str, str]
    status: str


@dataclass
class FakePayment:
    transaction_id: str
    body: dict[str, Any]
    algorithm: str
    status: str = "new"
    provider: str = ""
    created_at: str = field(default_factory=_now)
    paid_at: str = ""
    refunds: list[FakeRefund] = field(default_factory=list)

    @property
    def amount(self) -> int:
        return int(self.body["amount"])

    @property
    def refundable(self) -> int:
        return self.amount - sum(r.amount for r in self.refunds if r.status != "fail")


# --- request validation -------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_urls(value: Any, name: str, errors: list[str]) -> None:
    if not isinstance(value, dict):
        errors.append(f"{name} is required")
        return
    for key in ("success", "cancel"):
        url = value.get(key)
        if not isinstance(url, str) or urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            errors.append(f"{name}.{key} must be a URL")


def _check_vat(value: Any) -> bool:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 <= value <= 100:
        return False
    return Decimal(str(value)) == Decimal(str(value)).quantize(Decimal("0.1"))


def _check_item(index: int, item: Any, errors: list[str]) -> int:
    if not isinstance(item, dict):
        errors.append(f"items[{index}] must be an object")
        return 0
    if not _is_int(item.get("unitPrice")):
        errors.append(f"items[{index}].unitPrice must be an integer")
    if not _is_int(item.get("units")) or item["units"] < 0:
        errors.append(f"items[{index}].units must be a non-negative integer")
    if not _check_vat(item.get("vatPercentage")):
        errors.append(f"items[{index}].vatPercentage must be 0-100 with at most one decimal")
    if not isinstance(item.get("productCode"), str) or not item["productCode"]:
        errors.append(f"items[{index}].productCode is required")
    if _is_int(item.get("unitPrice")) and _is_int(item.get("units")):
        return int(item["unitPrice"]) * int(item["units"])
    return 0


def _check_items(body: dict[str, Any], errors: list[str]) -> None:
    items = body.get("items")
    if items is None:
        return
    if not isinstance(items, list):
        errors.append("items must be an array")
        return
    total = sum(_check_item(i, item, errors) for i, item in enumerate(items))
    if _is_int(body.get("amount")) and total != body["amount"]:
        errors.append("amount does not match the total of items")


def validate_payment(body: Any) -> list[str]:
    """Paytrail's input validation of a create-payment body, as documented; [] if fine."""
    if not isinstance(body, dict):
        return ["body must be a JSON object"]
    errors: list[str] = [
        f"{name} is required"
        for name in ("stamp", "reference")
        if not isinstance(body.get(name), str) or not body[name]
    ]
    if not _is_int(body.get("amount")) or not 0 < body["amount"] <= 99999998:
        errors.append("amount must be an integer between 1 and 99999998")
    if body.get("currency") != "EUR":
        errors.append("currency must be EUR")
    if body.get("language") not in ("FI", "SV", "EN"):
        errors.append("language must be FI, SV or EN")
    customer = body.get("customer")
    if not isinstance(customer, dict) or not isinstance(customer.get("email"), str) or "@" not in customer["email"]:
        errors.append("customer.email is required")
    _check_urls(body.get("redirectUrls"), "redirectUrls", errors)
    if "callbackUrls" in body:
        _check_urls(body["callbackUrls"], "callbackUrls", errors)
    _check_items(body, errors)
    return errors


def validate_refund(body: Any, payment: FakePayment) -> list[str]:
    if not isinstance(body, dict):
        return ["body must be a JSON object"]
    errors: list[str] = []
    amount: Any = body.get("amount")
    if not _is_int(amount) or amount <= 0:
        errors.append("amount must be a positive integer")
    elif amount > payment.refundable:
        errors.append("amount exceeds the refundable amount")
    _check_urls(body.get("callbackUrls"), "callbackUrls", errors)
    if payment.status != "ok":
        errors.append("only paid payments can be refunded")
    return errors


# --- the fake service ---------------------------------------------------------------------


class FakePaytrail:
    """The fake Paytrail service. ``start()`` it (or use the ``paytrail_server`` fixture)."""

    def __init__(self, merchant_id: str = TEST_MERCHANT_ID, secret_key: str = TEST_SECRET_KEY) -> None:
        self.merchant_id = merchant_id
        self.secret_key = secret_key
        self.payments: dict[str, FakePayment] = {}
        self.requests: list[LoggedRequest] = []
        self.callbacks: list[CallbackDelivery] = []
        self.pending_callbacks: list[CallbackDelivery] = []
        self.callback_mode = "immediate"  # or "queue" or "off"
        self.callback_repeat = 1
        self.refund_response_status = "ok"
        self.refund_outcome = "ok"
        self.break_response_signatures = False
        self.provider_id = "osuuspankki"
        self._nonces: set[str] = set()
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # lifecycle

    def start(self) -> FakePaytrail:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-paytrail", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakePaytrail:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        assert self._server is not None, "FakePaytrail is not running"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # signing

    def sign(self, params: Mapping[str, str], body: str = "", algorithm: str = "sha256") -> str:
        return compute_signature(self.secret_key, params, body, algorithm=algorithm)

    def signed_params(self, params: Mapping[str, str], algorithm: str = "sha256") -> dict[str, str]:
        """``params`` plus their ``signature``, as Paytrail puts them on a redirect or callback."""
        return {**params, "signature": self.sign(params, "", algorithm)}

    def authenticate(
        self, method: str, headers: Mapping[str, str], body: str, transaction_id: str | None = None
    ) -> None:
        """Check a request's signed headers the way Paytrail does; raise ApiError(401) if not."""
        algorithm = headers.get("checkout-algorithm", "")
        if algorithm not in ALGORITHMS:
            raise ApiError(401, "Unsupported or missing checkout-algorithm")
        missing = [
            h
            for h in ("checkout-account", "checkout-method", "checkout-nonce", "checkout-timestamp")
            if not headers.get(h)
        ]
        if missing or "signature" not in headers:
            raise ApiError(401, "Missing required headers", missing)
        if headers["checkout-account"] != self.merchant_id or headers["checkout-method"] != method:
            raise ApiError(401, "Merchant authentication failed")
        if transaction_id is not None and headers.get("checkout-transaction-id") != transaction_id:
            raise ApiError(401, "checkout-transaction-id does not match the transaction")
        if self.sign(headers, body, algorithm) != headers["signature"].lower():
            raise ApiError(401, "Invalid signature")
        with self._lock:
            if headers["checkout-nonce"] in self._nonces:
                raise ApiError(401, "Duplicate nonce")
            self._nonces.add(headers["checkout-nonce"])

    def response_headers(self, body: str, algorithm: str, transaction_id: str | None = None) -> dict[str, str]:
        headers = {"checkout-account": self.merchant_id, "checkout-algorithm": algorithm}
        if transaction_id:
            headers["checkout-transaction-id"] = transaction_id
        signature = self.sign(headers, body, algorithm)
        if self.break_response_signatures:
            signature = signature[::-1]
        return {**headers, "signature": signature, "request-id": str(uuid.uuid4())}

    # API operations (called by the handler with an authenticated request)

    def create_payment(self, body: Any, algorithm: str) -> tuple[int, dict[str, Any]]:
        errors = validate_payment(body)
        with self._lock:
            if not errors and any(p.body["stamp"] == body["stamp"] for p in self.payments.values()):
                errors.append("stamp has already been used")
            if errors:
                raise ApiError(400, "Request validation failed", errors)
            payment = FakePayment(transaction_id=str(uuid.uuid4()), body=body, algorithm=algorithm)
            self.payments[payment.transaction_id] = payment
        href = f"{self.url}/pay/{payment.transaction_id}"
        return 201, {
            "transactionId": payment.transaction_id,
            "href": href,
            "reference": body["reference"],
            "terms": "By continuing with your payment, you agree to the fake payment terms.",
            "groups": [{"id": "bank", "name": "Bank payment methods", "icon": "", "svg": ""}],
            "providers": [
                {
                    "url": f"{href}?status=ok",
                    "icon": "",
                    "svg": "",
                    "name": "Fake bank",
                    "group": "bank",
                    "id": self.provider_id,
                    "parameters": [{"name": "transaction", "value": payment.transaction_id}],
                }
            ],
        }

    def payment(self, transaction_id: str) -> FakePayment:
        try:
            return self.payments[transaction_id]
        except KeyError:
            raise ApiError(404, "Payment not found") from None

    def get_payment(self, transaction_id: str) -> tuple[int, dict[str, Any]]:
        payment = self.payment(transaction_id)
        data: dict[str, Any] = {
            "transactionId": payment.transaction_id,
            "status": payment.status,
            "amount": payment.amount,
            "currency": payment.body["currency"],
            "stamp": payment.body["stamp"],
            "reference": payment.body["reference"],
            "createdAt": payment.created_at,
        }
        if payment.status == "new":
            data["href"] = f"{self.url}/pay/{payment.transaction_id}"
        if payment.provider:
            data["provider"] = payment.provider
        if payment.paid_at:
            data["paidAt"] = payment.paid_at
        return 200, data

    def refund(self, transaction_id: str, body: Any) -> tuple[int, dict[str, Any]]:
        with self._lock:
            payment = self.payment(transaction_id)
            errors = validate_refund(body, payment)
            if errors:
                raise ApiError(400, "Refund validation failed", errors)
            refund = FakeRefund(
                transaction_id=str(uuid.uuid4()),
                amount=body["amount"],
                stamp=str(body.get("refundStamp") or ""),
                reference=str(body.get("refundReference") or ""),
                callback_urls=body["callbackUrls"],
                status=self.refund_outcome,
            )
            payment.refunds.append(refund)
        params = {
            "checkout-account": self.merchant_id,
            "checkout-algorithm": payment.algorithm,
            "checkout-amount": str(refund.amount),
            "checkout-stamp": refund.stamp or refund.transaction_id,
            "checkout-reference": refund.reference or payment.body["reference"],
            "checkout-transaction-id": refund.transaction_id,
            "checkout-status": refund.status,
            "checkout-provider": payment.provider,
        }
        url = refund.callback_urls["success" if refund.status == "ok" else "cancel"]
        self._emit_callback(url, self.signed_params(params, payment.algorithm))
        status = self.refund_response_status
        return 201, {"provider": payment.provider, "status": status, "transactionId": refund.transaction_id}

    # the payment page

    def result_params(self, payment: FakePayment) -> dict[str, str]:
        """Signed ``checkout-*`` parameters describing ``payment`` now."""
        params = {
            "checkout-account": self.merchant_id,
            "checkout-algorithm": payment.algorithm,
            "checkout-amount": str(payment.amount),
            "checkout-stamp": payment.body["stamp"],
            "checkout-reference": payment.body["reference"],
            "checkout-transaction-id": payment.transaction_id,
            "checkout-status": payment.status,
            "checkout-provider": payment.provider,
        }
        return self.signed_params(params, payment.algorithm)

    def pay(self, transaction_id: str, status: str = "ok") -> str:
        """Finish paying (as the customer would); return the URL the browser is sent to.

        A payment that is already ``ok`` or ``fail`` keeps its status: paying again replays
        the same signed result, as Paytrail does when a customer comes back twice.
        """
        if status not in PAY_STATUSES:
            raise ApiError(400, f"status must be one of {', '.join(PAY_STATUSES)}")
        with self._lock:
            payment = self.payment(transaction_id)
            if payment.status not in ("ok", "fail"):
                payment.status = status
                payment.provider = self.provider_id
                payment.paid_at = _now() if status == "ok" else ""
            params = self.result_params(payment)
        which = "cancel" if payment.status == "fail" else "success"
        callback_urls = payment.body.get("callbackUrls")
        if callback_urls:
            self._emit_callback(callback_urls[which], params)
        return _with_query(payment.body["redirectUrls"][which], params)

    # callbacks

    def _emit_callback(self, url: str, params: dict[str, str]) -> None:
        for _ in range(self.callback_repeat):
            delivery = CallbackDelivery(url=_with_query(url, params), params=dict(params))
            if self.callback_mode == "immediate":
                self.deliver(delivery)
            elif self.callback_mode == "queue":
                with self._lock:
                    self.pending_callbacks.append(delivery)

    def deliver(self, delivery: CallbackDelivery) -> CallbackDelivery:
        """Call the merchant's callback URL (HTTP GET) and record the answer."""
        try:
            with urllib.request.urlopen(delivery.url, timeout=10) as response:  # noqa: S310 - test URLs
                delivery.status = response.status
        except urllib.error.HTTPError as error:
            delivery.status = error.code
            error.close()
        except (urllib.error.URLError, OSError) as error:
            delivery.error = str(error)
        with self._lock:
            self.callbacks.append(delivery)
        return delivery

    def deliver_pending(self, *, reverse: bool = False) -> list[CallbackDelivery]:
        """Deliver the queued callbacks (newest first with ``reverse``) and empty the queue."""
        with self._lock:
            pending, self.pending_callbacks = self.pending_callbacks, []
        return [self.deliver(d) for d in (reversed(pending) if reverse else pending)]

    def requests_to(self, method: str, path_prefix: str) -> list[LoggedRequest]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_prefix)]


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakePaytrail/1"
    protocol_version = "HTTP/1.1"

    @property
    def fake(self) -> FakePaytrail:
        fake: FakePaytrail = self.server.fake  # type: ignore[attr-defined]
        return fake

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _headers(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.headers.items()}

    def _body(self) -> str:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length).decode() if length else ""

    def _send(self, status: int, body: str, headers: Mapping[str, str], content_type: str) -> None:
        data = body.encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _api(self, method: str) -> None:
        path = urllib.parse.urlsplit(self.path).path
        headers, body = self._headers(), self._body()
        logged = LoggedRequest(method=method, path=path, headers=headers, body=body)
        with self.fake._lock:
            self.fake.requests.append(logged)
        algorithm = headers.get("checkout-algorithm") if headers.get("checkout-algorithm") in ALGORITHMS else "sha256"
        transaction_id = None
        try:
            status, data, transaction_id = self._route(method, path, headers, body)
        except ApiError as error:
            status, data = error.status, {"status": "error", "message": error.message}
            if error.meta:
                data["meta"] = error.meta
        text = json.dumps(data, separators=(",", ":"))
        logged.status = status
        response_headers = self.fake.response_headers(text, algorithm or "sha256", transaction_id)
        self._send(status, text, response_headers, "application/json; charset=utf-8")

    def _route(
        self, method: str, path: str, headers: dict[str, str], body: str
    ) -> tuple[int, dict[str, Any], str | None]:
        refund = _REFUND_PATH.match(path)
        single = _PAYMENT_PATH.match(path)
        if method == "POST" and path == "/payments":
            self.fake.authenticate(method, headers, body)
            return (*self.fake.create_payment(_json(body), headers["checkout-algorithm"]), None)
        if method == "POST" and refund:
            self.fake.authenticate(method, headers, body, refund.group(1))
            return (*self.fake.refund(refund.group(1), _json(body)), refund.group(1))
        if method == "GET" and single:
            self.fake.authenticate(method, headers, body, single.group(1))
            return (*self.fake.get_payment(single.group(1)), single.group(1))
        raise ApiError(404, "Not found")

    def _pay_page(self, transaction_id: str, query: dict[str, str]) -> None:
        try:
            if "status" in query:
                location = self.fake.pay(transaction_id, query["status"])
                self._send(302, "", {"Location": location}, "text/plain; charset=utf-8")
                return
            payment = self.fake.payment(transaction_id)
        except ApiError as error:
            self._send(error.status, html.escape(error.message), {}, "text/plain; charset=utf-8")
            return
        tid = html.escape(transaction_id)
        page = (
            "<!doctype html><html lang='en'><title>Fake Paytrail</title><main>"
            f"<h1>Pay {payment.amount / 100:.2f} EUR</h1>"
            f"<p><a id='pay-ok' href='/pay/{tid}?status=ok'>Pay</a></p>"
            f"<p><a id='pay-fail' href='/pay/{tid}?status=fail'>Cancel</a></p></main></html>"
        )
        self._send(200, page, {}, "text/html; charset=utf-8")

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        pay = _PAY_PATH.match(parts.path)
        if pay:
            self._pay_page(pay.group(1), dict(urllib.parse.parse_qsl(parts.query)))
        else:
            self._api("GET")

    def do_POST(self) -> None:
        self._api("POST")


def _json(body: str) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise ApiError(400, "Body is not valid JSON") from None


# --- a merchant stand-in that records callbacks -------------------------------------------


class CallbackRecorder:
    """A tiny HTTP server that records the query of every GET it receives (answers 200)."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.paths: list[str] = []
        self.status = 200
        self._lock = threading.Lock()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urllib.parse.urlsplit(self.path)
                with recorder._lock:
                    recorder.paths.append(parts.path)
                    recorder.received.append(dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True)))
                self.send_response(recorder.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="callback-recorder",
            daemon=True,
        )

    def start(self) -> CallbackRecorder:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def url(self, path: str = "/") -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture
def paytrail_server() -> Iterator[FakePaytrail]:
    """A running fake Paytrail with the published test credentials (375917 / SAIPPUAKAUPPIAS)."""
    fake = FakePaytrail().start()
    try:
        yield fake
    finally:
        fake.stop()


@pytest.fixture
def paytrail_settings(paytrail_server: FakePaytrail) -> Iterator[FakePaytrail]:
    """``paytrail_server`` with PAYTRAIL_* settings pointing at it."""
    with override_settings(
        PAYTRAIL_MERCHANT_ID=paytrail_server.merchant_id,
        PAYTRAIL_SECRET_KEY=paytrail_server.secret_key,
        PAYTRAIL_API_URL=paytrail_server.url,
    ):
        yield paytrail_server


@pytest.fixture
def callback_recorder() -> Iterator[CallbackRecorder]:
    recorder = CallbackRecorder().start()
    try:
        yield recorder
    finally:
        recorder.stop()
