"""A deterministic synthetic city at any scale, for benchmarks (`tila generate-city`).

Bulk inserts straight into the tables (the booking engine would take hours for a million rows);
every row still passes the database's own constraints, including the no-overlap invariant, so a
generated city is as valid as one built through the services. Reservations never overlap by
construction: each resource tree gets one sequential timeline whose slots are spread over the
tree's nodes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tila.accounts.models import User
from tila.booking.models import Occupancy, Reservation, State
from tila.catalogue.models import District, Equipment, Purpose, Resource, ResourceLeaf, ResourceType, Unit
from tila.catalogue.services import resource_tree_rebuild
from tila.core.db import refresh_statistics
from tila.core.timeutil import get_zone, local_datetime
from tila.hours.models import OpeningPeriod, WeeklyRule
from tila.hours.services import horizon, hours_materialise

PURPOSES = ["meetings", "music", "sports", "ball-games", "floorball", "events", "crafts", "gaming", "sauna", "study"]
TYPES = [
    ("meeting-room", "space"),
    ("studio", "space"),
    ("sports-hall", "space"),
    ("event-hall", "space"),
    ("equipment", "item"),
]
EQUIPMENT = ["projector", "whiteboard", "speakers", "piano", "3d-printer", "kitchen", "screen", "microphone"]
HOURS_VARIANTS = [
    [(d, dt.time(8), dt.time(20)) for d in range(5)] + [(5, dt.time(10), dt.time(16)), (6, dt.time(10), dt.time(16))],
    [(d, dt.time(7), dt.time(22)) for d in range(7)],
    [(d, dt.time(12), dt.time(21)) for d in range(6)],
    [(d, dt.time(0), dt.time(0)) for d in range(7)],  # around the clock
]


@dataclass
class Scale:
    units: int = 300
    resources: int = 3000
    reservations: int = 1_000_000
    users: int = 20_000
    days: int = 365
    divisible_share: float = 0.1
    seed: int = 1


def _reset() -> None:
    models: list[Any] = [Occupancy, Reservation, ResourceLeaf]
    for model in models:
        model.objects.all().delete()
    Resource.objects.filter(parent__isnull=False).delete()
    models = [Resource, OpeningPeriod, Unit, District, Purpose, Equipment, ResourceType]
    for model in models:
        model.objects.all().delete()
    User.objects.filter(email__endswith="@generated.invalid").delete()


def _vocabulary() -> None:
    Purpose.objects.bulk_create([Purpose(id=p, name_fi=p.title(), name_en=p.title()) for p in PURPOSES])
    ResourceType.objects.bulk_create([ResourceType(id=t, main_type=m, name_fi=t, name_en=t) for t, m in TYPES])
    Equipment.objects.bulk_create([Equipment(id=e, name_fi=e, name_en=e) for e in EQUIPMENT])


def _units(scale: Scale, rng: random.Random, start: dt.date) -> list[Unit]:
    districts = [
        District(
            id=f"d{i:03d}",
            name_fi=f"Kaupunginosa {i}",
            name_sv=f"Stadsdel {i}",
            name_en=f"District {i}",
            municipality=f"Kunta {i % 20}",
        )
        for i in range(max(1, scale.units // 10))
    ]
    District.objects.bulk_create(districts)
    units = [
        Unit(
            id=f"gen:{i:05d}",
            name_fi=f"Toimipiste {i}",
            name_sv=f"Verksamhetsställe {i}",
            name_en=f"Unit {i}",
            district=districts[i % len(districts)],
            municipality=districts[i % len(districts)].municipality,
            time_zone="Europe/Helsinki",
        )
        for i in range(scale.units)
    ]
    Unit.objects.bulk_create(units)
    periods = OpeningPeriod.objects.bulk_create(
        [OpeningPeriod(unit=u, start=start - dt.timedelta(days=7), name_fi="Normaali") for u in units]
    )
    rules = [
        WeeklyRule(period=p, weekday=w, opens=o, closes=c)
        for p in periods
        for w, o, c in HOURS_VARIANTS[rng.randrange(len(HOURS_VARIANTS))]
    ]
    WeeklyRule.objects.bulk_create(rules, batch_size=5000)
    return units


def _resources(scale: Scale, rng: random.Random, units: list[Unit]) -> list[list[Resource]]:
    """Resource trees: a tenth are divisible halls with 2–3 parts."""
    trees: list[list[Resource]] = []
    count = 0
    while count < scale.resources:
        unit = units[len(trees) % len(units)]
        n = len(trees)
        divisible = rng.random() < scale.divisible_share and count + 3 <= scale.resources
        kind = "sports-hall" if divisible else rng.choice([t for t, _ in TYPES])
        root = Resource(
            id=f"res-{n:06d}",
            unit=unit,
            type_id=kind,
            name_fi=f"Tila {n}",
            name_sv=f"Lokal {n}",
            name_en=f"Space {n}",
            people_capacity=rng.choice([4, 8, 12, 20, 40, 100]),
            description_fi=f"Tila {n}, toimipiste {unit.pk}.",
        )
        tree = [root]
        if divisible:
            parts = min(rng.choice([2, 3]), scale.resources - count - 1)
            tree += [
                Resource(
                    id=f"res-{n:06d}-{p}",
                    unit=unit,
                    type_id=kind,
                    parent=root,
                    name_fi=f"Tila {n} osa {p}",
                    name_en=f"Space {n} part {p}",
                    people_capacity=20,
                )
                for p in range(1, parts + 1)
            ]
        trees.append(tree)
        count += len(tree)
    Resource.objects.bulk_create([r for tree in trees for r in tree[:1]], batch_size=2000)
    Resource.objects.bulk_create([r for tree in trees for r in tree[1:]], batch_size=2000)
    through = Resource.purposes.through
    through.objects.bulk_create(
        [through(resource_id=r.id, purpose_id=p) for tree in trees for r in tree for p in rng.sample(PURPOSES, 2)],
        batch_size=5000,
    )
    eq = Resource.equipment.through
    eq.objects.bulk_create(
        [eq(resource_id=r.id, equipment_id=e) for tree in trees for r in tree for e in rng.sample(EQUIPMENT, 2)],
        batch_size=5000,
    )
    return trees


def _users(scale: Scale) -> list[int]:
    users = [
        User(email=f"user{i}@generated.invalid", name=f"User {i}", password="!")  # noqa: S106 — "!" is Django's unusable-password marker
        for i in range(scale.users)
    ]
    User.objects.bulk_create(users, batch_size=5000)
    return list(User.objects.filter(email__endswith="@generated.invalid").values_list("id", flat=True))


def _timeline(tree: list[Resource], per_day: float, scale: Scale, rng: random.Random, start: dt.date):
    """Yield (resource, begin, end) non-overlapping within the tree, 8:00–22:00 local."""
    zone = get_zone("Europe/Helsinki")
    carry = 0.0
    for day_n in range(scale.days):
        day = start + dt.timedelta(days=day_n)
        carry += per_day
        todo, carry = int(carry), carry - int(carry)
        cursor = local_datetime(day, dt.time(8), zone)
        close = local_datetime(day, dt.time(22), zone)
        for _ in range(todo):
            cursor += dt.timedelta(minutes=30 * rng.randrange(0, 3))
            end = cursor + dt.timedelta(minutes=30 * rng.randrange(1, 5))
            if end > close:
                break
            yield rng.choice(tree), cursor, end
            cursor = end


def _reservations(
    scale: Scale,
    rng: random.Random,
    trees: list[list[Resource]],
    user_ids: list[int],
    start: dt.date,
    progress: Callable[[str], None],
) -> int:
    leaves = {r.id: [r.id] for tree in trees for r in tree}
    for tree in trees:
        if len(tree) > 1:
            leaves[tree[0].id] = [r.id for r in tree[1:]]
    total_nodes = sum(len(t) for t in trees)
    made = 0
    batch: list[Reservation] = []

    def flush() -> None:
        created = Reservation.objects.bulk_create(batch, batch_size=5000)
        Occupancy.objects.bulk_create(
            [
                Occupancy(reservation_id=r.pk, space_id=leaf, begin=r.begin, end=r.end)
                for r in created
                for leaf in leaves[r.resource_id]
            ],
            batch_size=5000,
        )
        batch.clear()

    for tree in trees:
        per_day = scale.reservations * len(tree) / total_nodes / scale.days
        for resource, begin, end in _timeline(tree, per_day, scale, rng, start):
            batch.append(
                Reservation(
                    resource_id=resource.id,
                    user_id=rng.choice(user_ids),
                    begin=begin,
                    end=end,
                    state=State.CONFIRMED,
                    event_subject="Varaus",
                )
            )
            made += 1
            if len(batch) >= 20000:
                flush()
                progress(f"  {made:,} reservations")
    if batch:
        flush()
    return made


def generate_city(scale: Scale, progress: Callable[[str], None] = lambda _s: None) -> dict[str, int]:
    """Replace the catalogue and reservations with a synthetic city. Returns row counts."""
    rng = random.Random(scale.seed)
    start = timezone.localdate() - dt.timedelta(days=scale.days // 4)
    with transaction.atomic():
        _reset()
        _vocabulary()
        units = _units(scale, rng, start)
        trees = _resources(scale, rng, units)
        resource_tree_rebuild()
        progress("catalogue done")
        last = max(start + dt.timedelta(days=scale.days), horizon()[1])
        hours = hours_materialise(first=start - dt.timedelta(days=1), last=last, fresh=True)
        progress(f"{hours:,} opening intervals")
        user_ids = _users(scale)
    made = 0
    with transaction.atomic():
        made = _reservations(scale, rng, trees, user_ids, start, progress)
    refresh_statistics()
    return {
        "units": len(units),
        "resources": sum(len(t) for t in trees),
        "reservations": made,
        "opening_intervals": hours,
        "users": len(user_ids),
    }
