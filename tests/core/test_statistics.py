"""PostgreSQL's planner gets row counts after bulk loads and the daily job; SQLite keeps its
heuristics (tila.core.db.refresh_statistics)."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from tila.core.db import refresh_statistics

pytestmark = pytest.mark.django_db


def planner_rows(table: str) -> float | None:
    """The row count the query planner believes `table` has (None: never analysed)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return None
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            row = cursor.fetchone()
            return float(row[0].split()[0]) if row else None
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        value = cursor.fetchone()[0]
        return None if value < 0 else float(value)


def actual_rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def expected(table: str) -> float | None:
    """PostgreSQL is analysed; SQLite is left to its heuristic planner (see refresh_statistics)."""
    return float(actual_rows(table)) if connection.vendor == "postgresql" else None


def test_refresh_statistics_tells_postgresqls_planner_the_row_counts(f):
    f.resource(f.unit(hours=f.ALL_WEEK))  # materialises opening intervals
    assert actual_rows("hours_openinginterval") > 0
    refresh_statistics()
    assert planner_rows("hours_openinginterval") == expected("hours_openinginterval")


def test_the_daily_roll_forward_refreshes_them(f):
    for _ in range(3):
        f.resource(f.unit(hours=f.ALL_WEEK))
    call_command("hours_roll_forward", stdout=io.StringIO())
    assert planner_rows("hours_openinginterval") == expected("hours_openinginterval")
