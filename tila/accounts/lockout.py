"""Account lockout against password guessing.

Failed sign-ins are counted per email address (a digest of it, in the shared rate-limit table) in
a fixed window; after `TILA_LOCKOUT_ATTEMPTS` failures the address is locked until the window ends
— even the right password is refused meanwhile, and the answer is the same whether or not an
account has that address. A successful sign-in clears the count. Every password path goes through
`tila.accounts.backends.LockoutBackend`: the sign-in page, the API token endpoint and the admin.
"""

from __future__ import annotations

from django.conf import settings

from tila.security.ratelimit import Decision, Rate, hit, peek, reset

SCOPE = "login-failures"


def _rate() -> Rate:
    attempts = int(getattr(settings, "TILA_LOCKOUT_ATTEMPTS", 10))
    minutes = int(getattr(settings, "TILA_LOCKOUT_MINUTES", 15))
    return Rate(attempts, minutes * 60)


def _ident(email: str) -> str:
    return (email or "").strip().lower()


def status(email: str) -> Decision:
    return peek(SCOPE, _ident(email), _rate())


def is_locked(email: str) -> bool:
    return not status(email).allowed


def record_failure(email: str) -> Decision:
    return hit(SCOPE, _ident(email), _rate())


def clear(email: str) -> None:
    reset(SCOPE, _ident(email), _rate())
