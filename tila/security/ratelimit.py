"""Fixed-window rate limits kept in the database, so several app servers share one count.

A hit is one atomic statement — `INSERT … ON CONFLICT (key) DO UPDATE SET count = count + 1
RETURNING count` — on PostgreSQL and on SQLite alike: no read-then-write race, no cache server.
Keys hold a digest of the client (address, user id or email), never the value itself.

Which requests are limited is a table of rules (`DEFAULT_RULES`, extended or overridden by the
`TILA_RATE_LIMITS` setting) applied by `tila.security.middleware.RateLimitMiddleware`; code that
needs a limit of its own (the sign-in lockout) calls `hit` / `peek` / `reset` directly.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest

from tila.security.models import RateLimitCounter

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    """`count` hits per `seconds`; written "10/5m", "100/h", "3/30s"."""

    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _sep, period = text.strip().partition("/")
        digits = period.rstrip("smhd")
        unit = period[len(digits) :] or "s"
        return cls(int(count), int(digits or "1") * UNITS[unit])


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    limit: int
    retry_after: int


@dataclass(frozen=True)
class Rule:
    """Limit `methods` on the views named `views` (Django view names) or on the API `paths`
    (compared without the trailing slash), counted per `key`: "ip", "user" or "user_or_ip"."""

    scope: str
    rate: str
    methods: tuple[str, ...] = ("POST",)
    views: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    key: str = "ip"
    extra: dict[str, Any] = field(default_factory=dict)

    def matches(self, request: HttpRequest, view_name: str) -> bool:
        if request.method not in self.methods:
            return False
        return view_name in self.views or request.path_info.rstrip("/") in self.paths


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("signin", "20/5m", views=("web:login", "admin:login")),
    Rule("signin-api", "20/5m", paths=("/v1/auth/token",)),
    Rule("register", "10/h", views=("web:signup",), paths=("/v1/auth/register",)),
    Rule("password-reset", "5/h", views=("web:password_reset", "web:verify_resend")),
    Rule("oidc", "30/5m", methods=("GET",), views=("oidc:login", "oidc:callback")),
    Rule("booking", "30/h", views=("web:book",), paths=("/v1/reservation",), key="user_or_ip"),
    Rule("survey", "20/h", views=("feedback:survey", "feedback:public"), key="ip"),
    Rule("gdpr", "60/m", methods=("GET", "DELETE"), views=("gdpr:profile", "gdpr:profile_slash")),
)


def _rules_from_settings() -> list[Rule]:
    """`TILA_RATE_LIMITS = {"scope": {"rate": "5/m", "views": [...], "paths": [...], "methods": [...],
    "key": "ip"}}` adds a rule or replaces the default with the same scope; `{"scope": None}` removes it."""
    configured: dict[str, Any] = getattr(settings, "TILA_RATE_LIMITS", {}) or {}
    rules = {rule.scope: rule for rule in DEFAULT_RULES}
    for scope, spec in configured.items():
        if spec is None:
            rules.pop(scope, None)
            continue
        base = rules.get(scope, Rule(scope, spec.get("rate", "60/m")))
        rules[scope] = Rule(
            scope,
            spec.get("rate", base.rate),
            methods=tuple(m.upper() for m in spec.get("methods", base.methods)),
            views=tuple(spec.get("views", base.views)),
            paths=tuple(p.rstrip("/") for p in spec.get("paths", base.paths)),
            key=spec.get("key", base.key),
        )
    return list(rules.values())


def rules() -> list[Rule]:
    return _rules_from_settings()


def enabled() -> bool:
    return bool(getattr(settings, "TILA_RATE_LIMITS_ENABLED", True))


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _key(scope: str, ident: str, window: int) -> str:
    return f"{scope}:{_digest(ident)}:{window}"


def _window(rate: Rate, now: float) -> tuple[int, int]:
    """(window number, its end in Unix seconds)."""
    index = int(now // rate.seconds)
    return index, (index + 1) * rate.seconds


def hit(scope: str, ident: str, rate: Rate, *, now: float | None = None) -> Decision:
    """Count one hit; `allowed` is False once the window holds more than `rate.count` hits."""
    moment = time.time() if now is None else now
    index, ends = _window(rate, moment)
    table = connection.ops.quote_name(RateLimitCounter._meta.db_table)
    sql = (
        f"INSERT INTO {table} (key, expires, count) VALUES (%s, %s, 1) "  # noqa: S608 - table name is ours
        f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [_key(scope, ident, index), ends])
        row = cursor.fetchone()
    count = int(row[0]) if row else 1
    retry = max(1, math.ceil(ends - moment))
    return Decision(allowed=count <= rate.count, count=count, limit=rate.count, retry_after=retry)


def peek(scope: str, ident: str, rate: Rate, *, now: float | None = None) -> Decision:
    """The current window's count without adding to it."""
    moment = time.time() if now is None else now
    index, ends = _window(rate, moment)
    count = RateLimitCounter.objects.filter(key=_key(scope, ident, index)).values_list("count", flat=True).first()
    count = count or 0
    return Decision(
        allowed=count < rate.count, count=count, limit=rate.count, retry_after=max(1, math.ceil(ends - moment))
    )


def reset(scope: str, ident: str, rate: Rate, *, now: float | None = None) -> None:
    index, _ends = _window(rate, time.time() if now is None else now)
    RateLimitCounter.objects.filter(key=_key(scope, ident, index)).delete()


def purge(*, now: float | None = None) -> int:
    """Delete the counters of windows that have ended."""
    moment = time.time() if now is None else now
    deleted, _ = RateLimitCounter.objects.filter(expires__lt=int(moment)).delete()
    return deleted


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind `TILA_TRUSTED_PROXIES` proxies, the address that the nearest
    trusted proxy saw (the right-most untrusted entry of X-Forwarded-For)."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = int(getattr(settings, "TILA_TRUSTED_PROXIES", 0) or 0)
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain = [*forwarded, remote]
    candidate = chain[-(hops + 1)] if len(chain) > hops else chain[0]
    return candidate if _is_ip(candidate) else remote


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def identity(request: HttpRequest, key: str) -> str:
    user = getattr(request, "user", None)
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    if key in {"user", "user_or_ip"} and signed_in:
        return f"user:{user.pk}"  # type: ignore[union-attr]
    return f"ip:{client_ip(request)}"


def first_refusal(request: HttpRequest, view_name: str, candidates: Iterable[Rule]) -> Decision | None:
    """Count the request against every matching rule; the first refusal, or None."""
    for rule in candidates:
        if not rule.matches(request, view_name):
            continue
        decision = hit(rule.scope, identity(request, rule.key), Rate.parse(rule.rate))
        if not decision.allowed:
            return decision
    return None
