"""`tila hours_roll_forward`: extend every resource's materialised opening hours to the horizon (daily)."""

from django.core.management.base import BaseCommand

from tila.core.db import refresh_statistics
from tila.hours.services import hours_roll_forward


class Command(BaseCommand):
    help = "Extend the materialised opening hours of every resource to the end of the horizon."

    def handle(self, *args: object, **options: object) -> None:
        written = hours_roll_forward()
        refresh_statistics()  # the daily job: the planner's row counts follow the growing tables
        self.stdout.write(f"{written} opening intervals written.")
