"""Navigation context: which workspaces the signed-in person may open (links only; every view checks again)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)

    def staff() -> bool:
        from tila.accounts.permissions import is_staff_anywhere

        return bool(user is not None and user.is_authenticated and is_staff_anywhere(user))

    def management() -> bool:
        from tila.insight.access import has_management_access

        return bool(user is not None and user.is_authenticated and has_management_access(user))

    return {"nav_staff": SimpleLazyObject(staff), "nav_management": SimpleLazyObject(management)}
