"""`tila import_indicators FILE [--population] [--create-missing]`: import a CSV of indicator values
or of population figures (formats: docs/indicators.md). All or nothing; problems are listed by line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tila.insight.services import ImportFailed, indicator_values_import, population_import


class Command(BaseCommand):
    help = "Import indicator values (or, with --population, residents per district) from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--population", action="store_true", help="The file has population figures.")
        parser.add_argument("--create-missing", action="store_true", help="Create indicators that do not exist.")

    def handle(self, *args: Any, file: Path, population: bool, create_missing: bool, **options: Any) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            if population:
                result = population_import(actor=None, text=text)
            else:
                result = indicator_values_import(actor=None, text=text, create_missing=create_missing)
        except ImportFailed as exc:
            for line, message in exc.problems:
                self.stderr.write(f"line {line}: {message}")
            raise CommandError(exc.message) from exc
        self.stdout.write(f"{result.created} rows created, {result.updated} updated")
