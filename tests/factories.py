"""Test data builders. They go through the services where a rule is involved."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from tila.accounts.models import Role, UnitRole, User
from tila.catalogue.models import District, Resource, ResourceType, Unit
from tila.catalogue.services import resource_create
from tila.hours.services import opening_period_create

_seq = itertools.count(1)
ALL_WEEK = [(d, dt.time(0), dt.time(0)) for d in range(7)]  # open around the clock


def user(email: str | None = None, **extra: Any) -> User:
    n = next(_seq)
    return User.objects.create_user(email or f"user{n}@example.org", "correct horse battery", name=f"User {n}", **extra)


def district(did: str = "keskusta", name: str = "Keskusta") -> District:
    return District.objects.get_or_create(id=did, defaults={"name_fi": name, "name_en": name})[0]


def unit(uid: str | None = None, *, hours: list[tuple[int, dt.time, dt.time]] | None = None, **extra: Any) -> Unit:
    n = next(_seq)
    obj = Unit.objects.create(
        id=uid or f"tprek:{1000 + n}",
        name_fi=extra.pop("name_fi", f"Toimipiste {n}"),
        name_en=extra.pop("name_en", f"Unit {n}"),
        **extra,
    )
    if hours is not None:
        opening_period_create(actor=None, unit=obj, start=dt.date(2020, 1, 1), rules=hours, name="Normal")
    return obj


def space_type() -> ResourceType:
    return ResourceType.objects.get_or_create(id="meeting-room", defaults={"name_fi": "Kokoustila"})[0]


def resource(unit_obj: Unit | None = None, *, parent: Resource | None = None, **fields: Any) -> Resource:
    n = next(_seq)
    unit_obj = unit_obj or (parent.unit if parent else unit(hours=ALL_WEEK))
    fields.setdefault("name_fi", f"Tila {n}")
    fields.setdefault("name_en", f"Space {n}")
    fields.setdefault("type", space_type())
    return resource_create(actor=None, unit=unit_obj, parent=parent, resource_id=fields.pop("rid", None), **fields)


def staff(unit_obj: Unit, role: str = Role.HANDLER, **extra: Any) -> User:
    person = user(**extra)
    UnitRole.objects.create(user=person, role=role, unit=unit_obj)
    return person


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    """An aware Helsinki wall-clock time."""
    from zoneinfo import ZoneInfo

    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZoneInfo("Europe/Helsinki"))
