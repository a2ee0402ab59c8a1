"""Accounts: registration, API tokens and their verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import AuthToken, Language, User
from tila.core.errors import DomainError

TOKEN_TTL = dt.timedelta(days=30)
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def _check_email(email: str) -> str:
    email = normalise_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError("invalid_email", _("Enter a valid email address."), field="email") from exc
    return email


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("weak_password", " ".join(str(m) for m in exc.messages), field="password") from exc


@transaction.atomic
def user_register(*, email: str, password: str, name: str = "", preferred_language: str = Language.FI) -> User:
    """Create a resident account with an email login."""
    email = _check_email(email)
    if preferred_language not in Language.values:
        raise DomainError("invalid", _("Choose Finnish, Swedish or English."), field="preferred_language")
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError("email_taken", _("An account with this email address already exists."), field="email")
    user = User(email=email, name=(name or "").strip()[:200], preferred_language=preferred_language)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        raise DomainError(
            "email_taken", _("An account with this email address already exists."), field="email"
        ) from exc
    return user


def user_authenticate(*, email: str, password: str, request: Any = None) -> User | None:
    user = authenticate(request, username=normalise_email(email), password=password)
    return user if isinstance(user, User) and user.is_active else None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(*, user: User, ttl: dt.timedelta | None = TOKEN_TTL) -> str:
    """Issue a bearer token; only its digest is stored. Returns the token itself (shown once)."""
    token = secrets.token_urlsafe(32)
    AuthToken.objects.create(
        user=user, digest=_digest(token), expires_at=timezone.now() + ttl if ttl is not None else None
    )
    return token


def token_authenticate(*, token: str) -> User | None:
    """The active user owning a valid, unexpired token, else None."""
    if not token or len(token) > 200:
        return None
    row = AuthToken.objects.select_related("user").filter(digest=_digest(token)).first()
    now = timezone.now()
    if row is None or not row.user.is_active or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_INTERVAL:
        AuthToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def token_revoke(*, token: str) -> None:
    AuthToken.objects.filter(digest=_digest(token)).delete()
