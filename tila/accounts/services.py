"""Accounts: registration, API tokens and their verification, email verification, password reset, profile."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import authenticate
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from tila.accounts import lockout
from tila.accounts.models import AuthToken, Language, TrustedApplication, User
from tila.accounts.selectors import is_first_party, trusted_applications
from tila.core.db import CompiledQuery
from tila.core.errors import DomainError, PermissionDenied

TOKEN_TTL = dt.timedelta(days=30)
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=5)
MAX_TRUSTED_APPLICATIONS = 50
CLIENT_ID_MAX_LENGTH = 200


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
    """The active user with this email and password, or None. Raises `account_locked` while the
    address is locked after too many wrong passwords (tila.accounts.lockout)."""
    user = authenticate(request, username=normalise_email(email), password=password)
    if user is None and lockout.is_locked(normalise_email(email)):
        minutes = max(1, -(-lockout.status(normalise_email(email)).retry_after // 60))
        raise DomainError(
            "account_locked",
            _("Too many failed sign-in attempts with this email address. Try again in %(minutes)s minutes."),
            field="email",
            minutes=minutes,
        )
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


# Every API request with a token reads it; compiled once (tila.core.db.CompiledQuery). The digest is unique.
_TOKEN_WITH_USER = CompiledQuery(
    lambda digest: AuthToken.objects.select_related("user").filter(digest=digest).order_by()
)


def token_authenticate(*, token: str) -> User | None:
    """The active user owning a valid, unexpired token, else None."""
    if not token or len(token) > 200:
        return None
    row = _TOKEN_WITH_USER.first(_digest(token))
    now = timezone.now()
    if row is None or not row.user.is_active or (row.expires_at is not None and row.expires_at <= now):
        return None
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_INTERVAL:
        AuthToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def token_revoke(*, token: str) -> None:
    AuthToken.objects.filter(digest=_digest(token)).delete()


# --- Email verification, password reset and profile (the resident pages call these) ----------


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Signed, expiring (PASSWORD_RESET_TIMEOUT) tokens that prove control of the account's email.

    The hash covers the address and the verification time, so a token dies once it has been used
    or when the address changes."""

    key_salt = "tila.accounts.services.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user: AbstractBaseUser, timestamp: int) -> str:
        verified = getattr(user, "email_verified_at", None)
        stamp = "" if verified is None else verified.replace(microsecond=0, tzinfo=None).isoformat()
        return f"{user.pk}{getattr(user, 'email', '')}{stamp}{timestamp}"


email_verification_tokens = EmailVerificationTokenGenerator()


def _invalid_link() -> DomainError:
    return DomainError("invalid_token", _("This link is not valid or has expired."), field="token")


def user_uid(user: User) -> str:
    """The user's id as it travels in emailed links."""
    return urlsafe_base64_encode(force_bytes(user.pk))


def _user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(urlsafe_base64_decode(uidb64 or "").decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def email_verification_token(*, user: User) -> tuple[str, str]:
    """(uid, token) for the link that verifies the user's email address."""
    return user_uid(user), email_verification_tokens.make_token(user)


@transaction.atomic
def email_verify(*, uidb64: str, token: str, now: dt.datetime | None = None) -> User:
    """Mark the address verified. A verified user's old link is answered with the user, not an error."""
    user = _user_from_uid(uidb64)
    if user is None:
        raise _invalid_link()
    if user.email_verified_at is not None:
        return user
    if not email_verification_tokens.check_token(user, token):
        raise _invalid_link()
    user.email_verified_at = now or timezone.now()
    user.save(update_fields=["email_verified_at"])
    return user


def password_reset_request(*, email: str) -> tuple[User, str, str] | None:
    """(user, uid, token) for a reset link, or None when no active account has that address.

    Callers must answer the same either way, so that the form does not reveal who has an account."""
    user = User.objects.filter(email__iexact=normalise_email(email), is_active=True).first()
    if user is None:
        return None
    return user, user_uid(user), default_token_generator.make_token(user)


def password_reset_user(*, uidb64: str, token: str) -> User | None:
    """The user a reset link belongs to while the link is valid, else None."""
    user = _user_from_uid(uidb64)
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def password_reset_confirm(*, uidb64: str, token: str, password: str) -> User:
    """Set a new password through an emailed link. The link also proves control of the address."""
    user = password_reset_user(uidb64=uidb64, token=token)
    if user is None:
        raise _invalid_link()
    _check_password(password, user)
    user.set_password(password)
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
    user.save(update_fields=["password", "email_verified_at"])
    return user


@transaction.atomic
def profile_update(*, user: User, name: str, preferred_language: str) -> User:
    """A resident's own name and preferred language."""
    if preferred_language not in Language.values:
        raise DomainError("invalid", _("Choose Finnish, Swedish or English."), field="preferred_language")
    user.name = (name or "").strip()[:200]
    user.preferred_language = preferred_language
    user.save(update_fields=["name", "preferred_language"])
    return user


# --- Trusted applications: third-party clients a person lets use the API for them -----------------


def require_first_party(acting_client_id: str | None) -> None:
    """Only the person, through Tila's own credentials, changes the list: an application cannot
    trust itself (or others) on the person's behalf."""
    if not is_first_party(acting_client_id):
        raise PermissionDenied(
            _(
                "Only you can change your trusted applications, signed in to Tila itself, "
                "not through another application."
            )
        )


def _valid_client_id(value: object) -> bool:
    return (
        isinstance(value, str)
        and 0 < len(value) <= CLIENT_ID_MAX_LENGTH
        and value.isprintable()
        and not any(ch.isspace() for ch in value)
    )


def _check_client_ids(values: Iterable[object], *, field: str) -> list[str]:
    """The client ids in order, duplicates collapsed; `invalid_client_id` if any is not one."""
    if isinstance(values, str | bytes) or not isinstance(values, list | tuple | set | frozenset):
        raise DomainError("invalid", _("Give a list of client ids."), field=field)
    unique: dict[str, None] = {}
    for value in values:
        if not _valid_client_id(value):
            raise DomainError(
                "invalid_client_id",
                _("A client id is 1–%(max)s printable characters without spaces."),
                field=field,
                max=CLIENT_ID_MAX_LENGTH,
            )
        unique[str(value)] = None
    return list(unique)


def _check_count(count: int, *, field: str) -> None:
    if count > MAX_TRUSTED_APPLICATIONS:
        raise DomainError(
            "too_many_trusted_applications",
            _("You can trust at most %(max)s applications."),
            field=field,
            max=MAX_TRUSTED_APPLICATIONS,
        )


def _store_trusted(user: User, wanted: list[str]) -> list[TrustedApplication]:
    """Make the person's list exactly `wanted`; rows that stay keep their `created_at`."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    existing = set(TrustedApplication.objects.filter(user=user).values_list("client_id", flat=True))
    TrustedApplication.objects.filter(user=user).exclude(client_id__in=wanted).delete()
    TrustedApplication.objects.bulk_create(
        [TrustedApplication(user=user, client_id=client_id) for client_id in wanted if client_id not in existing],
        ignore_conflicts=True,
    )
    return list(trusted_applications(user=user))


@transaction.atomic
def trusted_applications_set(
    *, user: User, client_ids: Iterable[object], acting_client_id: str | None = None
) -> list[TrustedApplication]:
    """Replace the person's trusted applications with `client_ids` (at most
    MAX_TRUSTED_APPLICATIONS, duplicates collapsed). `acting_client_id` is the `azp` of the bearer
    JWT the change arrives with, if any: a third-party application may not change the list."""
    require_first_party(acting_client_id)
    wanted = _check_client_ids(client_ids, field="trusted_applications")
    _check_count(len(wanted), field="trusted_applications")
    return _store_trusted(user, wanted)


@transaction.atomic
def trusted_applications_change(
    *,
    user: User,
    add: Iterable[object] = (),
    remove: Iterable[object] = (),
    acting_client_id: str | None = None,
) -> list[TrustedApplication]:
    """Add and remove trusted applications; removing one that is not trusted is no error, naming the
    same client id in both is (`conflicting_change`)."""
    require_first_party(acting_client_id)
    adding = _check_client_ids(add, field="add")
    removing = set(_check_client_ids(remove, field="remove"))
    if removing.intersection(adding):
        raise DomainError(
            "conflicting_change", _("The same client id cannot be both added and removed."), field="remove"
        )
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    current = [app.client_id for app in trusted_applications(user=user)]
    wanted = [c for c in current if c not in removing] + [c for c in adding if c not in current]
    _check_count(len(wanted), field="add")
    return _store_trusted(user, wanted)
