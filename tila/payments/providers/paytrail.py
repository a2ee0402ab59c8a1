"""Paytrail Payment API (https://services.paytrail.com): a signing HTTP client and the provider.

The protocol, as Paytrail documents it (see docs/payments.md for the summary):

* Every request carries ``checkout-account``, ``checkout-algorithm`` (``sha256`` or
  ``sha512``), ``checkout-method``, ``checkout-nonce``, ``checkout-timestamp`` and, for calls
  about one transaction, ``checkout-transaction-id`` headers, plus a ``signature`` header: the
  hex HMAC, keyed with the merchant secret, of the ``checkout-*`` headers sorted by name, each
  written ``name:value``, joined by ``\\n``, then ``\\n`` and the exact body ("" without one).
* Responses are signed the same way (their ``checkout-*`` headers and raw body).
* The customer's return to ``redirectUrls`` and the server-to-server call to
  ``callbackUrls`` carry ``checkout-*`` query parameters signed the same way with an empty
  body. All ``checkout-*`` parameters present are signed, so new ones never break checking.

Only the standard library is used for HTTP (``urllib``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .base import (
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
    RefundOutcome,
    RefundRequest,
    ReturnUrls,
    from_cents,
    register,
    to_cents,
)

__all__ = [
    "DEFAULT_API_URL",
    "TEST_MERCHANT_ID",
    "TEST_SECRET_KEY",
    "CreatedPayment",
    "PaytrailApiError",
    "PaytrailCallback",
    "PaytrailClient",
    "PaytrailPayment",
    "PaytrailProvider",
    "PaytrailRefund",
    "PaytrailUnavailable",
    "compute_signature",
    "payment_body",
    "refund_body",
]

logger = logging.getLogger("tila.payments.paytrail")

DEFAULT_API_URL = "https://services.paytrail.com"
# Paytrail's published test account. Documentation and tests only: never a default.
TEST_MERCHANT_ID = "375917"
TEST_SECRET_KEY = "SAIPPUAKAUPPIAS"  # noqa: S105

ALGORITHMS: dict[str, Callable[..., Any]] = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
LANGUAGES = frozenset({"FI", "SV", "EN"})
CALLBACK_STATUSES = frozenset({PaymentStatus.OK, PaymentStatus.PENDING, PaymentStatus.DELAYED, PaymentStatus.FAIL})
_REQUIRED_CALLBACK_PARAMS = (
    "checkout-account",
    "checkout-algorithm",
    "checkout-amount",
    "checkout-stamp",
    "checkout-reference",
    "checkout-status",
)
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


# --- signatures ---------------------------------------------------------------------------


def signature_payload(params: Mapping[str, str], body: str = "") -> str:
    """The text that is signed: sorted ``checkout-*`` entries as ``name:value``, then the body."""
    lines = [f"{key}:{params[key]}" for key in sorted(k for k in params if k.startswith("checkout-"))]
    lines.append(body)
    return "\n".join(lines)


def compute_signature(secret: str, params: Mapping[str, str], body: str = "", *, algorithm: str = "sha256") -> str:
    """Paytrail's HMAC signature (lower-case hex) of ``checkout-*`` params or headers and a body.

    Header names must already be lower case (HTTP names are case-insensitive; Paytrail signs
    them in lower case); query parameter names are used as received.
    """
    try:
        digestmod = ALGORITHMS[algorithm]
    except KeyError:
        raise ValueError(f"Unsupported signature algorithm {algorithm!r}.") from None
    payload = signature_payload(params, body)
    return hmac.new(secret.encode(), payload.encode(), digestmod).hexdigest()


def signatures_match(expected: str, given: str | None) -> bool:
    """Constant-time comparison that tolerates junk (non-ASCII, upper-case hex, None)."""
    if not given or not given.isascii():
        return False
    return hmac.compare_digest(expected.encode(), given.strip().lower().encode())


# --- errors -------------------------------------------------------------------------------


class PaytrailApiError(PaymentProviderError):
    """Paytrail answered with an error: ``{"status": "error", "message": ..., "meta": [...]}``."""

    def __init__(self, status_code: int, message: str, meta: Sequence[str] = (), request_id: str = "") -> None:
        super().__init__(
            "payment_provider_error",
            _("The payment service refused the request."),
            status_code=status_code,
        )
        self.status_code = status_code
        self.api_message = message
        self.meta = list(meta)
        self.request_id = request_id

    def __str__(self) -> str:
        return f"{self.code}: Paytrail HTTP {self.status_code}: {self.api_message} {self.meta}".rstrip()


class PaytrailUnavailable(PaymentProviderError):
    """Paytrail could not be reached (network error or time-out)."""

    def __init__(self) -> None:
        super().__init__("payment_provider_unavailable", _("The payment service cannot be reached. Try again soon."))


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CreatedPayment:
    transaction_id: str
    href: str
    reference: str
    providers: tuple[Mapping[str, Any], ...] = ()
    groups: tuple[Mapping[str, Any], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class PaytrailPayment:
    transaction_id: str
    status: PaymentStatus
    amount_cents: int
    currency: str
    stamp: str
    reference: str
    created_at: str = ""
    href: str = ""
    provider: str = ""
    paid_at: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def amount(self) -> Decimal:
        return from_cents(self.amount_cents)


@dataclass(frozen=True, slots=True)
class PaytrailRefund:
    transaction_id: str
    status: PaymentStatus
    provider: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class PaytrailCallback:
    """A verified redirect or callback. Equal inputs give equal (==) results."""

    account: str
    algorithm: str
    transaction_id: str | None
    stamp: str
    reference: str
    amount_cents: int
    status: PaymentStatus
    provider: str = ""
    settlement_reference: str = ""

    @property
    def amount(self) -> Decimal:
        return from_cents(self.amount_cents)

    def to_outcome(self) -> PaymentOutcome:
        return PaymentOutcome(
            provider=PaytrailProvider.identifier,
            transaction_id=self.transaction_id,
            stamp=self.stamp,
            reference=self.reference,
            amount=self.amount,
            status=self.status,
            method=self.provider,
        )


# --- request bodies -----------------------------------------------------------------------


def _vat_percentage(vat: Decimal) -> int | float:
    """Paytrail takes 0–100 with at most one decimal, as a JSON number."""
    if not isinstance(vat, Decimal) or not vat.is_finite() or not 0 <= vat <= 100:
        raise PaymentProviderError("payment_invalid_vat", _("Invalid VAT percentage."))
    if vat != vat.quantize(Decimal("0.1")):
        raise PaymentProviderError("payment_invalid_vat", _("Invalid VAT percentage."))
    return int(vat) if vat == vat.to_integral_value() else float(vat)


def _cents(amount: Decimal) -> int:
    try:
        return to_cents(amount)
    except ValueError:
        raise PaymentProviderError("payment_invalid_amount", _("The amount must be whole cents.")) from None


def _item_body(item: LineItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unitPrice": _cents(item.unit_price),
        "units": item.units,
        "vatPercentage": _vat_percentage(item.vat_percentage),
        "productCode": item.product_code,
    }
    if item.description:
        body["description"] = item.description
    if item.stamp:
        body["stamp"] = item.stamp
    return body


def _urls(urls: ReturnUrls) -> dict[str, str]:
    return {"success": urls.success, "cancel": urls.cancel}


def _language(language: str) -> str:
    code = language.split("-")[0].split("_")[0].upper()
    return code if code in LANGUAGES else "EN"


def payment_body(payment: PaymentRequest) -> dict[str, Any]:
    """The JSON body of ``POST /payments`` for ``payment``, checked the way Paytrail checks it."""
    amount = _cents(payment.amount)
    if amount <= 0:
        raise PaymentProviderError("payment_invalid_amount", _("The amount to pay must be more than zero."))
    if payment.currency.upper() != "EUR":
        raise PaymentProviderError("payment_currency_not_supported", _("Only euros can be paid online."))
    items = [_item_body(item) for item in payment.items]
    if items and sum(i["unitPrice"] * i["units"] for i in items) != amount:
        raise PaymentProviderError("payment_items_mismatch", _("The order lines do not add up to the total."))
    body: dict[str, Any] = {
        "stamp": payment.stamp,
        "reference": payment.reference,
        "amount": amount,
        "currency": "EUR",
        "language": _language(payment.language),
    }
    if items:
        body["items"] = items
    body["customer"] = {"email": payment.customer_email}
    body["redirectUrls"] = _urls(payment.redirect_urls)
    if payment.callback_urls is not None:
        body["callbackUrls"] = _urls(payment.callback_urls)
    if payment.description:
        body["description"] = payment.description
    return body


def refund_body(
    *,
    amount_cents: int,
    refund_stamp: str,
    refund_reference: str,
    callback_urls: ReturnUrls,
    items: Sequence[tuple[str, int]] = (),
    email: str = "",
) -> dict[str, Any]:
    """The JSON body of ``POST /payments/{transactionId}/refund``."""
    if amount_cents <= 0:
        raise PaymentProviderError("payment_invalid_amount", _("The amount to refund must be more than zero."))
    body: dict[str, Any] = {
        "amount": amount_cents,
        "refundStamp": refund_stamp,
        "refundReference": refund_reference,
        "callbackUrls": _urls(callback_urls),
    }
    if items:
        body["items"] = [{"amount": cents, "stamp": stamp} for stamp, cents in items]
    if email:
        body["email"] = email
    return body


# --- the client ---------------------------------------------------------------------------


def _utc_timestamp() -> str:
    now = dt.datetime.now(dt.UTC)
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _check_api_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK_HOSTS):
        return url.rstrip("/")
    raise ValueError("PAYTRAIL_API_URL must be an https:// URL (plain http only to this machine).")


def _request_id(lowered_headers: Mapping[str, str]) -> str:
    """Paytrail's id for a request, worth logging (documented as ``request-id``)."""
    return lowered_headers.get("request-id") or lowered_headers.get("cof-request-id") or ""


@dataclass(frozen=True, slots=True)
class _Response:
    status: int
    headers: Mapping[str, str]
    text: str


class PaytrailClient:
    """Signs requests to Paytrail, checks the signatures of everything that comes back."""

    def __init__(
        self,
        *,
        merchant_id: str,
        secret_key: str,
        api_url: str = DEFAULT_API_URL,
        algorithm: str = "sha256",
        timeout: float = 15.0,
        platform_name: str = "tila",
    ) -> None:
        if algorithm not in ALGORITHMS:
            raise ValueError(f"Unsupported signature algorithm {algorithm!r}.")
        if not merchant_id or not secret_key:
            raise ValueError("A Paytrail merchant id and secret key are needed.")
        self.merchant_id = str(merchant_id)
        self.secret_key = secret_key
        self.api_url = _check_api_url(api_url)
        self.algorithm = algorithm
        self.timeout = timeout
        self.platform_name = platform_name

    @classmethod
    def from_settings(cls) -> PaytrailClient:
        """A client configured from PAYTRAIL_MERCHANT_ID, PAYTRAIL_SECRET_KEY, PAYTRAIL_API_URL."""
        merchant_id = str(getattr(settings, "PAYTRAIL_MERCHANT_ID", "") or "")
        secret_key = str(getattr(settings, "PAYTRAIL_SECRET_KEY", "") or "")
        if not merchant_id or not secret_key:
            raise ProviderNotConfigured(PaytrailProvider.identifier)
        return cls(
            merchant_id=merchant_id,
            secret_key=secret_key,
            api_url=str(getattr(settings, "PAYTRAIL_API_URL", "") or DEFAULT_API_URL),
            algorithm=str(getattr(settings, "PAYTRAIL_ALGORITHM", "") or "sha256"),
        )

    # signing

    def sign(self, params: Mapping[str, str], body: str = "", *, algorithm: str | None = None) -> str:
        return compute_signature(self.secret_key, params, body, algorithm=algorithm or self.algorithm)

    def request_headers(self, method: str, body: str = "", *, transaction_id: str | None = None) -> dict[str, str]:
        """All headers of a signed request, ``signature`` included."""
        headers = {
            "checkout-account": self.merchant_id,
            "checkout-algorithm": self.algorithm,
            "checkout-method": method,
            "checkout-nonce": str(uuid.uuid4()),
            "checkout-timestamp": _utc_timestamp(),
        }
        if transaction_id:
            headers["checkout-transaction-id"] = transaction_id
        headers["signature"] = self.sign(headers, body)
        if body:
            headers["content-type"] = "application/json; charset=utf-8"
        if self.platform_name:
            headers["platform-name"] = self.platform_name
        return headers

    def verify_response(self, headers: Mapping[str, str], body: str) -> None:
        """Raise :class:`BadSignature` unless the response is signed with our key."""
        lowered = {k.lower(): v for k, v in headers.items()}
        # Paytrail echoes the algorithm; if a response lacks it, the request's is used.
        algorithm = lowered.get("checkout-algorithm") or self.algorithm
        if algorithm not in ALGORITHMS:
            raise BadSignature()
        if not signatures_match(self.sign(lowered, body, algorithm=algorithm), lowered.get("signature")):
            logger.warning("Paytrail response with a bad signature (request-id %s)", _request_id(lowered))
            raise BadSignature()

    # HTTP

    def _send(self, method: str, path: str, body: Mapping[str, Any] | None, transaction_id: str | None) -> _Response:
        # Compact JSON, non-ASCII escaped: the signed text and the bytes sent are then identical.
        text = json.dumps(body, separators=(",", ":")) if body is not None else ""
        request = urllib.request.Request(  # noqa: S310 - the URL scheme is checked in _check_api_url
            f"{self.api_url}{path}",
            data=text.encode() if body is not None else None,
            headers=self.request_headers(method, text, transaction_id=transaction_id),
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                text = response.read().decode(errors="replace")
                return _Response(response.status, dict(response.headers.items()), text)
        except urllib.error.HTTPError as error:
            with error:
                return _Response(error.code, dict(error.headers.items()), error.read().decode(errors="replace"))
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            logger.warning("Paytrail unreachable: %s %s: %s", method, path, error)
            raise PaytrailUnavailable() from error

    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        transaction_id: str | None = None,
    ) -> Any:
        response = self._send(method, path, body, transaction_id)
        if 200 <= response.status < 300:
            self.verify_response(response.headers, response.text)
            try:
                return json.loads(response.text) if response.text else {}
            except ValueError:
                raise PaytrailApiError(response.status, "Response is not JSON") from None
        raise self._api_error(response)

    @staticmethod
    def _api_error(response: _Response) -> PaytrailApiError:
        try:
            data = json.loads(response.text)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        lowered = {k.lower(): v for k, v in response.headers.items()}
        error = PaytrailApiError(
            response.status,
            str(data.get("message", response.text[:200])),
            [str(m) for m in meta] if isinstance(meta := data.get("meta"), list) else [],
            request_id=_request_id(lowered),
        )
        logger.warning("Paytrail error: %s", error)
        return error

    # API calls

    def create_payment(self, payment: PaymentRequest) -> CreatedPayment:
        """``POST /payments``: open a payment; the customer pays at ``href``."""
        data = self._call("POST", "/payments", payment_body(payment))
        try:
            return CreatedPayment(
                transaction_id=str(data["transactionId"]),
                href=str(data["href"]),
                reference=str(data.get("reference", "")),
                providers=tuple(data.get("providers", ())),
                groups=tuple(data.get("groups", ())),
                raw=data,
            )
        except (KeyError, TypeError) as exc:
            raise MissingParameter("transactionId") from exc

    def get_payment(self, transaction_id: str) -> PaytrailPayment:
        """``GET /payments/{transactionId}``."""
        path = f"/payments/{urllib.parse.quote(transaction_id, safe='')}"
        data = self._call("GET", path, transaction_id=transaction_id)
        try:
            return PaytrailPayment(
                transaction_id=str(data["transactionId"]),
                status=PaymentStatus(data["status"]),
                amount_cents=int(data["amount"]),
                currency=str(data.get("currency", "")),
                stamp=str(data.get("stamp", "")),
                reference=str(data.get("reference", "")),
                created_at=str(data.get("createdAt", "")),
                href=str(data.get("href", "") or ""),
                provider=str(data.get("provider", "") or ""),
                paid_at=str(data.get("paidAt", "") or ""),
                raw=data,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise MissingParameter("status") from exc

    def refund(
        self,
        transaction_id: str,
        amount_cents: int,
        refund_stamp: str,
        refund_reference: str,
        callback_urls: ReturnUrls,
        items: Sequence[tuple[str, int]] = (),
        *,
        email: str = "",
    ) -> PaytrailRefund:
        """``POST /payments/{transactionId}/refund``. The outcome also arrives by callback."""
        body = refund_body(
            amount_cents=amount_cents,
            refund_stamp=refund_stamp,
            refund_reference=refund_reference,
            callback_urls=callback_urls,
            items=items,
            email=email,
        )
        path = f"/payments/{urllib.parse.quote(transaction_id, safe='')}/refund"
        data = self._call("POST", path, body, transaction_id=transaction_id)
        try:
            return PaytrailRefund(
                transaction_id=str(data["transactionId"]),
                status=PaymentStatus(data["status"]),
                provider=str(data.get("provider", "") or ""),
                raw=data,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise MissingParameter("status") from exc

    # redirects and callbacks

    def _signed_params(self, params: Mapping[str, str]) -> dict[str, str]:
        """The ``checkout-*`` parameters, once their signature is proven to be ours."""
        values = {key: str(params[key]) for key in params if key.startswith("checkout-")}
        algorithm = values.get("checkout-algorithm", "")
        if algorithm not in ALGORITHMS:
            logger.warning("Paytrail callback with unsupported algorithm %r", algorithm[:20])
            raise BadSignature()
        if not signatures_match(self.sign(values, "", algorithm=algorithm), params.get("signature")):
            logger.warning("Paytrail callback with a bad signature: stamp %r", values.get("checkout-stamp"))
            raise BadSignature()
        if values.get("checkout-account") != self.merchant_id:
            logger.warning("Paytrail callback for another account %r", values.get("checkout-account"))
            raise BadSignature()
        return values

    @staticmethod
    def _parse(values: Mapping[str, str], *, require_transaction_id: bool) -> PaytrailCallback:
        required = (
            (*_REQUIRED_CALLBACK_PARAMS, "checkout-transaction-id")
            if require_transaction_id
            else _REQUIRED_CALLBACK_PARAMS
        )
        for name in required:
            if not values.get(name):
                raise MissingParameter(name)
        amount = values["checkout-amount"]
        if not (amount.isascii() and amount.isdigit()):
            raise MissingParameter("checkout-amount")
        try:
            status = PaymentStatus(values["checkout-status"])
        except ValueError:
            raise MissingParameter("checkout-status") from None
        if status not in CALLBACK_STATUSES:
            raise MissingParameter("checkout-status")
        return PaytrailCallback(
            account=values["checkout-account"],
            algorithm=values["checkout-algorithm"],
            transaction_id=values.get("checkout-transaction-id") or None,
            stamp=values["checkout-stamp"],
            reference=values["checkout-reference"],
            amount_cents=int(amount),
            status=status,
            provider=values.get("checkout-provider", ""),
            settlement_reference=values.get("checkout-settlement-reference", ""),
        )

    def _verify(
        self,
        params: Mapping[str, str],
        expected_amount: Decimal | None,
        *,
        require_transaction_id: bool = True,
    ) -> PaytrailCallback:
        callback = self._parse(self._signed_params(params), require_transaction_id=require_transaction_id)
        if expected_amount is not None:
            expected = to_cents(expected_amount)
            if callback.amount_cents != expected:
                logger.warning(
                    "Paytrail amount mismatch for stamp %r: expected %s, got %s",
                    callback.stamp,
                    expected,
                    callback.amount_cents,
                )
                raise AmountMismatch(expected=expected, actual=callback.amount_cents)
        return callback

    def verify_redirect(
        self, query_params: Mapping[str, str], *, expected_amount: Decimal | None = None
    ) -> PaytrailCallback:
        """Check the query of the customer's return to a ``redirectUrls`` address.

        Raises :class:`BadSignature`, :class:`MissingParameter` or :class:`AmountMismatch`.
        Pure: the same parameters always give an equal result or the same error.
        """
        return self._verify(query_params, expected_amount)

    def verify_callback(
        self, query_params: Mapping[str, str], *, expected_amount: Decimal | None = None
    ) -> PaytrailCallback:
        """Check the query of Paytrail's server-to-server call to a ``callbackUrls`` address.

        Paytrail may call more than once and in any order: the result is pure, and applying
        it once per transaction is the caller's job.
        """
        return self._verify(query_params, expected_amount)

    def verify_refund_callback(
        self, query_params: Mapping[str, str], *, expected_amount: Decimal | None = None
    ) -> PaytrailCallback:
        """Check a refund's callback (``checkout-stamp`` is the refund stamp).

        A refund that failed validation at Paytrail has no transaction of its own, so
        ``checkout-transaction-id`` may be missing here.
        """
        return self._verify(query_params, expected_amount, require_transaction_id=False)


# --- the provider -------------------------------------------------------------------------


@register
class PaytrailProvider(PaymentProvider):
    identifier = "paytrail"
    verbose_name = _("Online payment (Paytrail)")
    refunds_supported = True

    def __init__(self, client: PaytrailClient | None = None) -> None:
        self._client = client

    @property
    def client(self) -> PaytrailClient:
        if self._client is None:
            self._client = PaytrailClient.from_settings()
        return self._client

    def is_configured(self) -> bool:
        if self._client is not None:
            return True
        return bool(getattr(settings, "PAYTRAIL_MERCHANT_ID", "") and getattr(settings, "PAYTRAIL_SECRET_KEY", ""))

    def create(self, payment: PaymentRequest) -> ProviderResult:
        created = self.client.create_payment(payment)
        return ProviderResult.redirect(
            created.href,
            transaction_id=created.transaction_id,
            reference=created.reference,
            providers=created.providers,
        )

    def confirm(self, params: Mapping[str, str], *, expected_amount: Decimal | None = None) -> PaymentOutcome:
        return self.client.verify_redirect(params, expected_amount=expected_amount).to_outcome()

    def handle_callback(self, params: Mapping[str, str], *, expected_amount: Decimal | None = None) -> PaymentOutcome:
        return self.client.verify_callback(params, expected_amount=expected_amount).to_outcome()

    def handle_refund_callback(self, params: Mapping[str, str]) -> PaymentOutcome:
        return self.client.verify_refund_callback(params).to_outcome()

    def refund(self, request: RefundRequest) -> RefundOutcome:
        result = self.client.refund(
            request.transaction_id,
            _cents(request.amount),
            request.refund_stamp,
            request.refund_reference,
            request.callback_urls,
            [(stamp, _cents(amount)) for stamp, amount in request.items],
            email=request.email,
        )
        return RefundOutcome(
            provider=self.identifier,
            transaction_id=result.transaction_id,
            status=result.status,
            method=result.provider,
        )
