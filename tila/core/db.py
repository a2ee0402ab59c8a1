"""Database aliases: the primary decides; a replica, when configured, serves heavy reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

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


def fetch_rows(sql: str, params: Sequence[Any], *, using: str = "default") -> list[tuple[Any, ...]]:
    """Rows of one hand-written statement, for lookups on the booking path that run on every request.

    The ORM spends more time compiling a simple indexed lookup than the database spends answering
    it (a leaf-space lookup: 0.47 ms through the ORM, 0.11 ms as SQL; docs/performance.md). Datetime
    parameters must be passed through `db_datetime` first."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def db_datetime(value: dt.datetime, *, using: str = "default") -> Any:
    """An aware datetime as the database stores it (SQLite keeps UTC text)."""
    return connections[using].ops.adapt_datetimefield_value(value)


def refresh_statistics(*, using: str = "default") -> None:
    """PostgreSQL: ANALYZE, so the planner has row counts right after a bulk load (autovacuum would
    get there later) and after the daily roll-forward.

    SQLite is left to its heuristic planner on purpose: Tila's statements are written for it (an
    equality on the leading column of an index wins), and with ANALYZE statistics it chose worse
    plans for the availability statement (one district on a million reservations: 11 → 100 ms)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def db_date(value: dt.date, *, using: str = "default") -> Any:
    return connections[using].ops.adapt_datefield_value(value)
