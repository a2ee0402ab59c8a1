"""`tila retention [--dry-run]`: run the retention rules once (daily from cron or the worker)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tila.accounts.retention import retention_run


class Command(BaseCommand):
    help = "Send inactivity notices, anonymise expired accounts and remove old personal details."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would be done; change nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = retention_run(dry_run=options["dry_run"])
        for name, value in asdict(report).items():
            self.stdout.write(f"{name}: {value}")
