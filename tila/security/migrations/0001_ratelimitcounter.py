from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="RateLimitCounter",
            fields=[
                ("key", models.CharField(max_length=200, primary_key=True, serialize=False)),
                (
                    "expires",
                    models.BigIntegerField(db_index=True, help_text="End of the window, Unix seconds."),
                ),
                ("count", models.PositiveIntegerField(default=0)),
            ],
        ),
    ]
