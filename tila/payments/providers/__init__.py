"""Payment providers: one interface (:mod:`.base`), plugins registered by identifier.

Built-in providers are imported here so that they register themselves; another app adds a
provider by decorating its class with :func:`register` in a module its ``AppConfig.ready``
imports.
"""

from . import invoice, onsite, paytrail  # noqa: F401 - registers the built-in providers
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
    UnknownProvider,
    enabled_providers,
    from_cents,
    get_provider,
    providers,
    register,
    to_cents,
    unregister,
)

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
