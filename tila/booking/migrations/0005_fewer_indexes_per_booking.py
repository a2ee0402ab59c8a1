"""Drop the single-column indexes that composite ones already serve: each was one more write per booking.

reservation.resource_id and reservation.user_id lead (resource, begin) and (user, begin);
occupancy.space_id leads (space, begin) and the exclusion constraint's index. PostgreSQL also had a
`_like` (varchar_pattern_ops) twin for the two text keys, which no query uses.

Only the indexes go, by name: Django's AlterField would rebuild the occupancy table on SQLite and
lose the triggers that keep the no-overlap invariant there (0002).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

INDEXES = [  # (table, column, text key: PostgreSQL has a _like twin)
    ("booking_occupancy", "space_id", True),
    ("booking_reservation", "resource_id", True),
    ("booking_reservation", "user_id", False),
]


def _names(schema_editor, table, column, text):
    name = schema_editor._create_index_name(table, [column], suffix="")
    out = [(name, "")]
    if text and schema_editor.connection.vendor == "postgresql":
        out.append((schema_editor._create_index_name(table, [column], suffix="_like"), " varchar_pattern_ops"))
    return out


def drop(apps, schema_editor):
    for table, column, text in INDEXES:
        for name, _ops in _names(schema_editor, table, column, text):
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


def create(apps, schema_editor):
    for table, column, text in INDEXES:
        for name, ops in _names(schema_editor, table, column, text):
            q = schema_editor.quote_name
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {q(name)} ON {q(table)} ({q(column)}{ops})")


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0004_default_deny_reasons"),
        ("catalogue", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="occupancy",
                    name="space",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="occupancies",
                        to="catalogue.resource",
                    ),
                ),
                migrations.AlterField(
                    model_name="reservation",
                    name="resource",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reservations",
                        to="catalogue.resource",
                        verbose_name="resource",
                    ),
                ),
                migrations.AlterField(
                    model_name="reservation",
                    name="user",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="reservations",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="customer",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop, create)],
        )
    ]
