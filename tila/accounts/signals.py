"""A new sign-in starts at the weak level; the OpenID Connect callback raises it afterwards."""

from __future__ import annotations

from typing import Any

from tila.accounts.assurance import SESSION_KEY


def reset_level_on_login(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session.pop(SESSION_KEY, None)
    if user is not None and hasattr(user, "authentication_level"):
        del user.authentication_level
