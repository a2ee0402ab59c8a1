"""The one error type that domain services raise.

A `DomainError` carries a stable machine-readable `code` (part of the public API: clients
branch on it), a human message already translated into the active language, and optionally
the field at fault. The API turns it into HTTP 400 `{"code", "non_field_errors"}` (or a
per-field list), the pages into form errors.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise


class DomainError(Exception):
    def __init__(self, code: str, message: str | Promise, *, field: str | None = None, **params: Any) -> None:
        self.code = code
        self.field = field
        self.params = params
        self._message = message
        super().__init__(code)

    @property
    def message(self) -> str:
        text = str(self._message)
        if self.params:
            try:
                return text % self.params
            except (KeyError, TypeError, ValueError):
                return text
        return text

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class PermissionDenied(DomainError):
    """The actor may not do this (HTTP 403 in the API)."""

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__("permission_denied", message or _("You do not have permission to do this."), **params)


class NotFound(DomainError):
    """The object does not exist or is not visible to the actor (HTTP 404 in the API)."""

    def __init__(self, message: str | Promise | None = None, **params: Any) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__("not_found", message or _("Not found."), **params)
