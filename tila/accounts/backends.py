"""The password backend with lockout (tila.accounts.lockout)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from tila.accounts import lockout


class LockoutBackend(ModelBackend):
    """ModelBackend that refuses a locked address and counts failures.

    It raises PermissionDenied instead of returning None, so that Django does not go on to the plain
    ModelBackend (kept in AUTHENTICATION_BACKENDS only so that existing sessions still load)."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        email = username if username is not None else kwargs.get("email")
        if email is None or password is None:
            return None
        if lockout.is_locked(email):
            raise PermissionDenied("locked")
        user = super().authenticate(request, username=email, password=password, **kwargs)
        if user is None:
            lockout.record_failure(email)
            raise PermissionDenied("invalid")
        lockout.clear(email)
        return user
