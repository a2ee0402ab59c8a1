"""`tila send_reminders`: queue one reminder email per upcoming confirmed reservation (idempotent).

Run it from cron every few minutes (or hourly); the lead time is TILA_REMINDER_HOURS (default 24).
The relay (`tila send_emails`) sends them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tila.notifications.services import reminders_send


class Command(BaseCommand):
    help = "Queue reminder emails for upcoming reservations."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{reminders_send()} reminders queued")
