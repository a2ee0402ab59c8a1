"""`tila generate-city --units N --resources M --reservations R --seed S`: a synthetic city for benchmarks."""

import time

from django.core.management.base import BaseCommand, CommandParser

from tila.core.generate import Scale, generate_city


class Command(BaseCommand):
    help = "Replace the catalogue and reservations with a deterministic synthetic city (for benchmarks)."

    def add_arguments(self, parser: CommandParser) -> None:
        d = Scale()
        parser.add_argument("--units", type=int, default=d.units)
        parser.add_argument("--resources", type=int, default=d.resources)
        parser.add_argument("--reservations", type=int, default=d.reservations)
        parser.add_argument("--users", type=int, default=d.users)
        parser.add_argument("--days", type=int, default=d.days)
        parser.add_argument("--divisible-share", type=float, default=d.divisible_share)
        parser.add_argument("--seed", type=int, default=d.seed)

    def handle(self, *args: object, **opts: int | float) -> None:
        scale = Scale(
            units=int(opts["units"]),
            resources=int(opts["resources"]),
            reservations=int(opts["reservations"]),
            users=int(opts["users"]),
            days=int(opts["days"]),
            divisible_share=float(opts["divisible_share"]),
            seed=int(opts["seed"]),
        )
        if scale.units < 1 or scale.resources < scale.units or scale.days < 1 or scale.reservations < 0:
            self.stderr.write("Need units >= 1, resources >= units, days >= 1 and reservations >= 0.")
            raise SystemExit(2)
        started = time.monotonic()
        counts = generate_city(scale, progress=lambda s: self.stdout.write(s))
        took = time.monotonic() - started
        self.stdout.write(", ".join(f"{k}: {v:,}" for k, v in counts.items()) + f" — {took:.1f} s")
