"""The payment provider plugin interface, its plain data, money helpers and the registry.

A provider is a class with a stable ``identifier`` and a translated ``verbose_name`` that
turns a :class:`PaymentRequest` into a :class:`ProviderResult` (a redirect or instructions),
checks what comes back from the payment service (:meth:`PaymentProvider.confirm` for the
customer's return, :meth:`PaymentProvider.handle_callback` for the server-to-server call)
and refunds. Providers know nothing of orders or reservations: the order services build the
plain dataclasses below, call a provider and record what it reports. Verification is pure —
the same callback checked twice gives the same :class:`PaymentOutcome` — so idempotency is
the caller's job (look the payment up by ``transaction_id``/``stamp`` and apply each state
change once).

Registering a provider::

    @register
    class InvoiceProvider(PaymentProvider):
        identifier = "invoice"
        verbose_name = _("Invoice")
        ...

and using one: ``get_provider("invoice").create(request)``.
"""

from __future__ import annotations

import abc
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, ClassVar, Literal, TypeVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tila.core.errors import DomainError

__all__ = [
    "AmountMismatch",
    "BadSignature",
    "LineItem",
    "MissingParameter",
    "PaymentOutcome",
    "PaymentProvider",
    "PaymentProviderError",
    "PaymentRequest",
    "PaymentStatus",
    "ProviderNotConfigured",
    "ProviderResult",
    "RefundOutcome",
    "RefundRequest",
    "ReturnUrls",
    "UnknownProvider",
    "enabled_providers",
    "from_cents",
    "get_provider",
    "providers",
    "register",
    "to_cents",
    "unregister",
]

CENT = Decimal("0.01")


# --- errors -------------------------------------------------------------------------------


class PaymentProviderError(DomainError):
    """Anything a payment provider refuses or fails at; ``code`` says what."""

    def __init__(
        self, code: str = "payment_provider_error", message: str | Promise | None = None, **params: Any
    ) -> None:
        super().__init__(code, message or _("The payment service could not handle the request."), **params)


class BadSignature(PaymentProviderError):
    """What came back was not signed with our key (or not signed at all): never trust it."""

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        super().__init__("payment_bad_signature", message or _("The payment data has an invalid signature."), **params)


class AmountMismatch(PaymentProviderError):
    """A correctly signed message reports another amount than the one we expected."""

    def __init__(self, *, expected: int, actual: int) -> None:
        super().__init__(
            "payment_amount_mismatch",
            _("The paid amount (%(actual)s cents) differs from the amount due (%(expected)s cents)."),
            expected=expected,
            actual=actual,
        )


class MissingParameter(PaymentProviderError):
    """A required parameter is missing or malformed in what came back."""

    def __init__(self, name: str) -> None:
        super().__init__(
            "payment_missing_parameter",
            _("The payment data lacks a valid value for %(name)s."),
            name=name,
        )


class ProviderNotConfigured(PaymentProviderError):
    def __init__(self, identifier: str) -> None:
        super().__init__(
            "payment_provider_not_configured",
            _("This payment method is not available right now."),
            provider=identifier,
        )


class UnknownProvider(PaymentProviderError):
    def __init__(self, identifier: str) -> None:
        super().__init__("unknown_payment_provider", _("Unknown payment method."), provider=identifier)


# --- money --------------------------------------------------------------------------------


def to_cents(amount: Decimal, *, allow_sub_cent: bool = False) -> int:
    """Exact integer cents of a Decimal amount.

    Sub-cent amounts (``Decimal("1.005")``) are refused unless ``allow_sub_cent`` is given,
    in which case they are rounded half up to the cent. Floats are refused: money is Decimal.
    """
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"Money must be a finite Decimal, not {amount!r}.")
    try:
        rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:  # too many digits for the context
        raise ValueError(f"Amount out of range: {amount!r}.") from exc
    if rounded != amount and not allow_sub_cent:
        raise ValueError(f"Amount {amount} has fractions of a cent.")
    return int(rounded * 100)


def from_cents(cents: int) -> Decimal:
    """The Decimal amount of integer cents, with exactly two decimals."""
    return (Decimal(cents) / 100).quantize(CENT)


# --- plain data ---------------------------------------------------------------------------


class PaymentStatus(enum.StrEnum):
    """The states a provider reports for a payment (Paytrail's vocabulary, which fits all)."""

    NEW = "new"
    OK = "ok"
    PENDING = "pending"
    DELAYED = "delayed"
    FAIL = "fail"


@dataclass(frozen=True, slots=True)
class ReturnUrls:
    success: str
    cancel: str


@dataclass(frozen=True, slots=True)
class LineItem:
    """One line of a payment: a unit price including VAT, a count and the VAT rate."""

    unit_price: Decimal
    units: int
    vat_percentage: Decimal
    product_code: str
    description: str = ""
    stamp: str = ""

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.units


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """Everything a provider needs to start a payment; built by the order services.

    ``stamp`` is unique per payment attempt (a provider may refuse a stamp it has seen);
    ``reference`` is the order's reference (a Finnish reference number for invoices).
    ``language`` is ``fi``, ``sv`` or ``en`` (any case).
    """

    stamp: str
    reference: str
    amount: Decimal
    customer_email: str
    redirect_urls: ReturnUrls
    items: Sequence[LineItem] = ()
    callback_urls: ReturnUrls | None = None
    currency: str = "EUR"
    language: str = "fi"
    unit_id: int | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class ProviderResult:
    """What the customer does next: follow ``redirect_url`` or read ``instructions``."""

    kind: Literal["redirect", "instructions"]
    redirect_url: str | None = None
    instructions: str | Promise | None = None
    transaction_id: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def redirect(cls, url: str, *, transaction_id: str | None = None, **data: Any) -> ProviderResult:
        return cls(kind="redirect", redirect_url=url, transaction_id=transaction_id, data=data)

    @classmethod
    def show(cls, instructions: str | Promise, *, transaction_id: str | None = None, **data: Any) -> ProviderResult:
        return cls(kind="instructions", instructions=instructions, transaction_id=transaction_id, data=data)


@dataclass(frozen=True, slots=True)
class PaymentOutcome:
    """A verified report about a payment: the caller applies it once per transaction."""

    provider: str
    transaction_id: str | None
    stamp: str
    reference: str
    amount: Decimal
    status: PaymentStatus
    method: str = ""

    @property
    def is_paid(self) -> bool:
        return self.status is PaymentStatus.OK


@dataclass(frozen=True, slots=True)
class RefundRequest:
    transaction_id: str
    amount: Decimal
    refund_stamp: str
    refund_reference: str
    callback_urls: ReturnUrls
    items: Sequence[tuple[str, Decimal]] = ()  # (item stamp, amount) for item refunds
    email: str = ""


@dataclass(frozen=True, slots=True)
class RefundOutcome:
    provider: str
    transaction_id: str | None
    status: PaymentStatus
    method: str = ""


# --- the interface ------------------------------------------------------------------------


class PaymentProvider(abc.ABC):
    """One way to pay. Subclasses set ``identifier`` and ``verbose_name`` and implement
    :meth:`create`; online providers also :meth:`confirm`, :meth:`handle_callback` and
    :meth:`refund`. Instances are cheap and hold no per-payment state.
    """

    identifier: ClassVar[str]
    verbose_name: ClassVar[str | Promise]
    refunds_supported: ClassVar[bool] = False
    # True for "pay later" providers (invoice, at the place): choosing one settles the booking at
    # once and the money is recorded later by staff; False for online providers that redirect.
    deferred: ClassVar[bool] = False

    def is_configured(self) -> bool:
        """Whether the deployment has what this provider needs (keys, accounts)."""
        return True

    def is_enabled_for(self, unit_id: int | None) -> bool:
        """Whether customers of ``unit_id`` may pay this way.

        The base rule is "configured"; per-unit choices are layered on by the payments app
        once units record their providers.
        """
        return self.is_configured()

    @abc.abstractmethod
    def create(self, payment: PaymentRequest) -> ProviderResult:
        """Start a payment; return where to send the customer or what to tell them."""

    def confirm(self, params: Mapping[str, str], *, expected_amount: Decimal | None = None) -> PaymentOutcome:
        """Check what the customer's browser brought back from the payment service."""
        raise PaymentProviderError("payment_not_supported", _("This payment method has no online confirmation."))

    def handle_callback(self, params: Mapping[str, str], *, expected_amount: Decimal | None = None) -> PaymentOutcome:
        """Check a server-to-server notification. Defaults to :meth:`confirm`."""
        return self.confirm(params, expected_amount=expected_amount)

    def refund(self, request: RefundRequest) -> RefundOutcome:
        """Send money back through the provider."""
        raise PaymentProviderError("refund_not_supported", _("This payment method cannot refund automatically."))

    def handle_refund_callback(self, params: Mapping[str, str]) -> PaymentOutcome:
        """Check a server-to-server notification about a refund (``stamp`` is the refund's stamp)."""
        raise PaymentProviderError("refund_not_supported", _("This payment method cannot refund automatically."))


# --- the registry -------------------------------------------------------------------------

P = TypeVar("P", bound=type[PaymentProvider])

_registry: dict[str, type[PaymentProvider]] = {}


def register(provider_class: P) -> P:
    """Class decorator: make a provider available under its ``identifier``."""
    identifier = getattr(provider_class, "identifier", "")
    if not identifier:
        raise ValueError(f"{provider_class.__name__} has no identifier.")
    existing = _registry.get(identifier)
    if existing is not None and existing is not provider_class:
        raise ValueError(f"Payment provider {identifier!r} is already registered by {existing.__name__}.")
    _registry[identifier] = provider_class
    return provider_class


def unregister(identifier: str) -> None:
    """Remove a provider (for tests and plugins that replace a built-in)."""
    _registry.pop(identifier, None)


def get_provider(identifier: str) -> PaymentProvider:
    """A fresh instance of the provider registered as ``identifier``."""
    try:
        return _registry[identifier]()
    except KeyError:
        raise UnknownProvider(identifier) from None


def providers() -> list[type[PaymentProvider]]:
    """All registered provider classes, ordered by identifier."""
    return [_registry[key] for key in sorted(_registry)]


def enabled_providers(unit_id: int | None) -> list[PaymentProvider]:
    """Instances of the providers customers of ``unit_id`` may use, ordered by identifier."""
    return [p for p in (cls() for cls in providers()) if p.is_enabled_for(unit_id)]
