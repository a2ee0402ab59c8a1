"""`tila demo`: load the demo city (see tila/core/demo.py)."""

from __future__ import annotations

import time
from importlib import import_module
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from tila.catalogue.models import Unit
from tila.core.db import refresh_statistics

EXTENSIONS = ("tila.core.demo_prices", "tila.core.demo_insight", "tila.core.demo_seasons")


class Command(BaseCommand):
    help = (
        "Load a sample city in Finnish, Swedish and English: units, resources, opening hours, accounts and "
        "a few weeks of reservations around today. Running it again when the demo is loaded changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only if the database has no units at all (used by `make run` on every start).",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        if if_empty and Unit.objects.exists():
            self.stdout.write("The database already has units; the demo city was not loaded.")
            return
        from tila.core import demo  # the data module is large: import it only when loading

        if demo.demo_loaded():
            self.stdout.write("The demo city is already loaded; nothing was changed.")
            return
        started = time.monotonic()
        with transaction.atomic():
            lines = demo.load_demo()
            for name in EXTENSIONS:  # capabilities add their own demo data: prices, feedback, indicators…
                extra = import_module(name).load(self.stdout)
                lines += list(extra.items()) if isinstance(extra, dict) else list(extra or [])
        refresh_statistics()
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo city in {time.monotonic() - started:.1f} s:"))
        for label, count in lines:
            self.stdout.write(f"  {label:<32}{count:>6}")
        self.stdout.write(f"\nDemo accounts (password: {demo.PASSWORD}):")
        for email, note in demo.accounts():
            self.stdout.write(f"  {email:<32}{note}")
