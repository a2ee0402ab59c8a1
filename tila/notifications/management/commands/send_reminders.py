"""`tila send_reminders`: queue one reminder email per upcoming confirmed reservation (idempotent).

Run it from cron every few minutes (or hourly); the lead time is TILA_REMINDER_HOURS (default 24).
Also re-queues pending emails whose send task was lost. The worker (`tila db_worker`) sends them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tila.notifications.services import outbound_retry_due, reminders_send


class Command(BaseCommand):
    help = "Queue reminder emails for upcoming reservations and re-queue pending emails."

    def handle(self, *args: Any, **options: Any) -> None:
        reminders = reminders_send()
        retried = outbound_retry_due()
        self.stdout.write(f"{reminders} reminders queued, {retried} pending emails re-queued")
