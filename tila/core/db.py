"""Database aliases: the primary decides; a replica, when configured, serves heavy reads."""

from __future__ import annotations

from django.conf import settings
from django.db import connections


def read_alias() -> str:
    """The alias for heavy read-only selectors: "replica" if configured, else "default".

    Inside a transaction on the primary (e.g. within a booking service) reads stay on the primary so
    that a writer sees its own writes.
    """
    if "replica" in settings.DATABASES and not connections["default"].in_atomic_block:
        return "replica"
    return "default"


def on_primary() -> bool:
    return read_alias() == "default"
