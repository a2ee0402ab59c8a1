"""`tila expire_holds`: release unpaid holds whose time is up (run it every minute from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tila.payments import services


class Command(BaseCommand):
    help = (
        "Cancel reservations whose payment time ran out (their slots are free at once) and resend refunds "
        "that could not be sent. Safe to run at any time and as often as you like."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = services.order_expire_holds()
        retried = services.refunds_retry()
        self.stdout.write(f"Expired holds: {expired}; refunds resent: {retried}")
