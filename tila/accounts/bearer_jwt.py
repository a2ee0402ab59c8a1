"""Bearer JWTs from the OpenID Connect provider, beside Tila's own API tokens.

A token is accepted only if it is signed with RS256 by a key from the provider's JWKS (found
through discovery, cached for `OIDC_JWKS_CACHE_SECONDS`; an unknown `kid` refetches the set, at
most once a minute), its `iss` is `OIDC_ISSUER`, its `aud` one of `OIDC_API_AUDIENCES`, and it
has not expired (`exp` required, 30 s leeway). The `loa` claim gives the request's identification
level; the scopes (`scope`, `scp` or Keycloak's `authorization.permissions[].scopes`) are used by
the GDPR API. The `azp` claim names the client the token was issued to: on /v1/ a client other than
Tila's own (`OIDC_CLIENT_ID`) acts for the person only if they trust it
(tila.accounts.selectors.application_allowed, checked by tila.api.middleware).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
import requests
from django.conf import settings
from django.utils import timezone

from tila.accounts.assurance import level_from_loa
from tila.accounts.models import ExternalIdentity, User

ALGORITHMS = ["RS256"]
LEEWAY_SECONDS = 30
REFETCH_MIN_SECONDS = 60
TOUCH_INTERVAL_SECONDS = 300
MAX_TOKEN_LENGTH = 16_000


class InvalidToken(Exception):
    """The token is not one Tila accepts (the reason is for logs, never for the client)."""


@dataclass
class _KeyCache:
    issuer: str = ""
    keys: dict[str, Any] = field(default_factory=dict)
    fetched_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


_cache = _KeyCache()


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and token.startswith("eyJ") and len(token) <= MAX_TOKEN_LENGTH


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", "") and getattr(settings, "OIDC_API_AUDIENCES", None))


def _get_json(url: str) -> dict[str, Any]:
    if not url.startswith("https://") and not getattr(settings, "OIDC_ALLOW_INSECURE_ISSUER", False):
        raise InvalidToken("the provider must be reached over HTTPS")
    response = requests.get(url, timeout=settings.OIDC_HTTP_TIMEOUT, headers={"Accept": "application/json"})
    response.raise_for_status()
    data = response.json()
    if not isinstance(data, dict):
        raise InvalidToken("not a JSON object")
    return data


def _fetch_keys(issuer: str) -> dict[str, Any]:
    metadata = _get_json(f"{issuer}/.well-known/openid-configuration")
    if str(metadata.get("issuer", "")).rstrip("/") != issuer:
        raise InvalidToken("discovery names another issuer")
    jwks = _get_json(str(metadata.get("jwks_uri", "")))
    keys: dict[str, Any] = {}
    for entry in jwks.get("keys", []):
        if entry.get("kty") != "RSA" or entry.get("use", "sig") != "sig":
            continue
        keys[str(entry.get("kid", ""))] = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(entry))
    return keys


def _key_for(kid: str) -> Any:
    issuer = settings.OIDC_ISSUER.rstrip("/")
    ttl = int(getattr(settings, "OIDC_JWKS_CACHE_SECONDS", 3600))
    with _cache.lock:
        now = time.monotonic()
        stale = _cache.issuer != issuer or now - _cache.fetched_at > ttl
        unknown = kid not in _cache.keys and now - _cache.fetched_at > REFETCH_MIN_SECONDS
        if stale or unknown:
            try:
                _cache.keys = _fetch_keys(issuer)
            except (requests.RequestException, ValueError) as exc:
                raise InvalidToken(f"keys unavailable: {exc}") from exc
            _cache.issuer, _cache.fetched_at = issuer, now
        key = _cache.keys.get(kid)
        if key is None and len(_cache.keys) == 1 and not kid:
            key = next(iter(_cache.keys.values()))
    if key is None:
        raise InvalidToken("unknown key")
    return key


def clear_key_cache() -> None:
    with _cache.lock:
        _cache.issuer, _cache.keys, _cache.fetched_at = "", {}, 0.0


def verify(token: str) -> dict[str, Any]:
    """The token's claims if it is valid, else InvalidToken."""
    if not enabled() or not looks_like_jwt(token):
        raise InvalidToken("not a JWT or no provider configured")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if header.get("alg") not in ALGORITHMS:
        raise InvalidToken("algorithm not allowed")
    key = _key_for(str(header.get("kid", "")))
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key=key,
            algorithms=ALGORITHMS,
            audience=list(settings.OIDC_API_AUDIENCES),
            issuer=settings.OIDC_ISSUER.rstrip("/"),
            leeway=LEEWAY_SECONDS,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    return claims


def scopes(claims: dict[str, Any]) -> set[str]:
    """Scopes from `scope` (space-separated), `scp` (a list) or `authorization.permissions`."""
    found: set[str] = set()
    if isinstance(claims.get("scope"), str):
        found.update(claims["scope"].split())
    if isinstance(claims.get("scp"), list):
        found.update(str(s) for s in claims["scp"])
    permissions = (
        (claims.get("authorization") or {}).get("permissions")
        if isinstance(claims.get("authorization"), dict)
        else None
    )
    for permission in permissions or []:
        if isinstance(permission, dict):
            found.update(str(s) for s in permission.get("scopes") or [])
    return found


def client_of(claims: dict[str, Any]) -> str | None:
    """The client the token was issued to (`azp`), or None when the token does not say."""
    azp = claims.get("azp")
    if azp is None:
        return None
    if not isinstance(azp, str):
        raise InvalidToken("azp is not a string")
    return azp


def user_for(claims: dict[str, Any], *, create: bool = False) -> User | None:
    """The active user the token names: a linked identity, else a user whose uuid is the `sub`;
    with `create`, a token that carries an email address links or creates one (tila.accounts.oidc)."""
    issuer, subject = str(claims.get("iss", "")).rstrip("/"), str(claims.get("sub", ""))
    link = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    user = link.user if link is not None else _user_by_uuid(subject)
    if user is None and create and claims.get("email"):
        user = _link_or_create(issuer, claims)
    if user is None or not user.is_active or user.anonymised_at is not None:
        return None
    if link is not None and (
        link.last_login_at is None or (timezone.now() - link.last_login_at).total_seconds() > TOUCH_INTERVAL_SECONDS
    ):
        ExternalIdentity.objects.filter(pk=link.pk).update(last_login_at=timezone.now())
    user.authentication_level = level_from_loa(claims.get(settings.OIDC_LOA_CLAIM))  # type: ignore[attr-defined]
    return user


def _link_or_create(issuer: str, claims: dict[str, Any]) -> User | None:
    from tila.accounts.oidc import identity_user
    from tila.core.errors import DomainError

    try:
        return identity_user(issuer=issuer, claims=claims)
    except DomainError:
        return None


def _user_by_uuid(subject: str) -> User | None:
    import uuid

    try:
        value = uuid.UUID(subject)
    except ValueError:
        return None
    return User.objects.filter(uuid=value).first()


def authenticate(token: str) -> User | None:
    """The user for a valid provider JWT, else None. The user's `api_client_id` is the token's
    `azp` (None without one), for the trusted-application check."""
    try:
        claims = verify(token)
        client_id = client_of(claims)
    except InvalidToken:
        return None
    user = user_for(claims, create=True)
    if user is not None:
        user.api_client_id = client_id  # type: ignore[attr-defined]
    return user
