"""The no-double-booking invariant, enforced by the database itself.

PostgreSQL: an exclusion constraint over (space, [begin, end)) with btree_gist.
SQLite: BEFORE INSERT / BEFORE UPDATE triggers that abort when a row would overlap another row of
the same space. (The engine also runs every write in an IMMEDIATE transaction; see settings.)
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE booking_occupancy ADD CONSTRAINT occupancy_no_overlap
       EXCLUDE USING gist (space_id WITH =, tstzrange(begin, "end", '[)') WITH &&)""",
]
PG_BACKWARD = ["ALTER TABLE booking_occupancy DROP CONSTRAINT IF EXISTS occupancy_no_overlap"]

SQLITE_CHECK = """
    WHEN EXISTS (
        SELECT 1 FROM booking_occupancy o
        WHERE o.space_id = NEW.space_id AND o.id IS NOT NEW.id
          AND o.begin < NEW."end" AND NEW.begin < o."end"
    )
    BEGIN SELECT RAISE(ABORT, 'occupancy_overlap'); END
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER occupancy_no_overlap_insert BEFORE INSERT ON booking_occupancy FOR EACH ROW {SQLITE_CHECK}",
    f"CREATE TRIGGER occupancy_no_overlap_update BEFORE UPDATE ON booking_occupancy FOR EACH ROW {SQLITE_CHECK}",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS occupancy_no_overlap_insert",
    "DROP TRIGGER IF EXISTS occupancy_no_overlap_update",
]


def forward(apps, schema_editor):
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(schema_editor.connection.vendor)
    if statements is None:
        raise RuntimeError("Tila supports PostgreSQL and SQLite only.")
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    for sql in {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
