"""OpenID Connect: sign-in through the city's provider, and the people its tokens name.

Sign-in uses Authlib's Django client: discovery from `OIDC_ISSUER`, the authorisation code flow
with PKCE (S256), `state` and `nonce` kept in the session, and the ID token verified by Authlib
(RS256 signature against the provider's JWKS, `iss`, `aud`, `exp`, `nonce`). The `loa` claim
(low, substantial, high) becomes the session's identification level (tila.accounts.assurance).

A provider identity (`iss`, `sub`) is linked to one Tila user (`ExternalIdentity`). On first
sign-in the user is found by a *verified* email address or created; a `sub` that is a UUID
becomes the new user's `uuid`, so the Helsinki profile's GDPR calls name the same person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.assurance import level_from_loa
from tila.accounts.models import ExternalIdentity, Language, User
from tila.core.errors import DomainError

NEXT_SESSION_KEY = "tila_oidc_next"
_clients: dict[tuple[str, ...], Any] = {}


def configured() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", "") and getattr(settings, "OIDC_CLIENT_ID", ""))


def provider_name() -> str:
    return str(getattr(settings, "OIDC_PROVIDER_NAME", "") or "OpenID Connect")


def discovery_url(issuer: str | None = None) -> str:
    return f"{(issuer or settings.OIDC_ISSUER).rstrip('/')}/.well-known/openid-configuration"


def _client() -> Any:
    """Authlib's client for the configured provider (one per configuration, metadata cached)."""
    from authlib.integrations.django_client import OAuth

    key = (settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET, settings.OIDC_SCOPES)
    if key not in _clients:
        oauth = OAuth()
        oauth.register(
            name="tila",
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET or None,
            server_metadata_url=discovery_url(),
            client_kwargs={
                "scope": settings.OIDC_SCOPES,
                "code_challenge_method": "S256",
                "default_timeout": settings.OIDC_HTTP_TIMEOUT,
            },
        )
        _clients[key] = oauth.create_client("tila")
    return _clients[key]


def _unavailable() -> DomainError:
    return DomainError("oidc_unavailable", _("Signing in through the identity service is not available."))


def sign_in_redirect(request: HttpRequest, *, strong: bool, next_url: str) -> HttpResponse:
    """Send the browser to the provider. `strong` adds `OIDC_STRONG_AUTH_PARAMS` to the request."""
    if not configured():
        raise _unavailable()
    request.session[NEXT_SESSION_KEY] = next_url
    extra = dict(parse_qsl(settings.OIDC_STRONG_AUTH_PARAMS)) if strong else {}
    language = (getattr(request, "LANGUAGE_CODE", "") or settings.LANGUAGE_CODE)[:2]
    redirect_uri = request.build_absolute_uri(reverse("oidc:callback"))
    try:
        return _client().authorize_redirect(request, redirect_uri, ui_locales=language, **extra)
    except (OSError, ValueError, RuntimeError) as exc:
        raise _unavailable() from exc


@dataclass(frozen=True)
class SignIn:
    user: User
    level: str
    next_url: str


def complete_sign_in(request: HttpRequest) -> SignIn:
    """Exchange the code for tokens, verify the ID token and find or create the user."""
    from authlib.integrations.base_client import OAuthError

    if not configured():
        raise _unavailable()
    client = _client()
    try:
        token = client.authorize_access_token(request)
    except (OAuthError, OSError, ValueError, KeyError, RuntimeError) as exc:
        raise DomainError("oidc_failed", _("Signing in did not succeed. Please try again.")) from exc
    claims = dict(token.get("userinfo") or {})
    if not claims.get("sub"):
        raise DomainError("oidc_failed", _("Signing in did not succeed. Please try again."))
    if "email" not in claims and token.get("access_token"):
        try:
            claims = {**dict(client.userinfo(token=token)), **claims}
        except (OAuthError, OSError, ValueError) as exc:
            raise DomainError("oidc_failed", _("Signing in did not succeed. Please try again.")) from exc
    issuer = str(claims.get("iss") or settings.OIDC_ISSUER)
    level = level_from_loa(claims.get(settings.OIDC_LOA_CLAIM))
    user = identity_user(issuer=issuer, claims=claims, level=level)
    return SignIn(user=user, level=level, next_url=str(request.session.pop(NEXT_SESSION_KEY, "") or ""))


def _name(claims: dict[str, Any]) -> str:
    name = str(claims.get("name") or "").strip()
    if not name:
        name = " ".join(str(claims.get(k) or "").strip() for k in ("given_name", "family_name")).strip()
    return name[:200]


def _placeholder_email(issuer: str, subject: str) -> str:
    return f"oidc-{uuid.uuid5(uuid.NAMESPACE_URL, f'{issuer}#{subject}').hex}@users.invalid"


def _uuid_from_subject(subject: str) -> uuid.UUID | None:
    try:
        value = uuid.UUID(subject)
    except ValueError:
        return None
    return None if User.objects.filter(uuid=value).exists() else value


def _language(claims: dict[str, Any]) -> str:
    locale = str(claims.get("locale") or "")[:2].lower()
    return locale if locale in Language.values else Language.FI


def _find_or_create(issuer: str, subject: str, claims: dict[str, Any]) -> User:
    email = str(claims.get("email") or "").strip().lower()
    verified = bool(claims.get("email_verified")) and bool(email)
    if verified:
        existing = User.objects.filter(email__iexact=email).first()
        # Never link a privileged account automatically: staff link theirs by signing in first.
        if existing is not None and not (existing.is_staff or existing.is_superuser or existing.unit_roles.exists()):
            return existing
    if not email or User.objects.filter(email__iexact=email).exists():
        email = _placeholder_email(issuer, subject)
    user = User(email=email, name=_name(claims), preferred_language=_language(claims))
    user.set_unusable_password()
    new_uuid = _uuid_from_subject(subject)
    if new_uuid is not None:
        user.uuid = new_uuid
    if verified:
        user.email_verified_at = timezone.now()
    user.save()
    return user


@transaction.atomic
def identity_user(*, issuer: str, claims: dict[str, Any], level: str = "") -> User:
    """The user linked to the provider identity (`iss`, `sub`), linking or creating one if needed."""
    subject = str(claims.get("sub") or "")
    if not subject or len(subject) > 255:
        raise DomainError("oidc_failed", _("Signing in did not succeed. Please try again."))
    link = ExternalIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if link is None:
        user = _find_or_create(issuer, subject, claims)
        try:
            with transaction.atomic():
                link = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        except IntegrityError:
            link = ExternalIdentity.objects.select_related("user").get(issuer=issuer, subject=subject)
    user = link.user
    if not user.is_active or user.anonymised_at is not None:
        raise DomainError("account_inactive", _("This account is no longer in use."))
    ExternalIdentity.objects.filter(pk=link.pk).update(last_login_at=timezone.now(), last_level=level)
    if not user.name and _name(claims):
        user.name = _name(claims)
        user.save(update_fields=["name"])
    return user
