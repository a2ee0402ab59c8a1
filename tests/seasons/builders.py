"""A small sports city and rounds in the database for the tests of rounds, runs and decisions.

Kisahalli has a hall that splits into halves A and B, and a studio; all are open on weekday
evenings 16–22. The season runs eight weeks from the Monday three weeks ahead; the application
window is open now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests import factories as f
from tila.accounts.models import Role
from tila.seasons import services
from tila.seasons.models import Application, ApplicationRound, RoundState

EVENINGS = [(d, dt.time(16), dt.time(22)) for d in range(5)]
BUSINESS_IDS = ("1572860-0", "0737546-2", "2213063-1", "1917453-7", "0201256-6", "2403929-2", "1111112-8")


@dataclass
class City:
    unit: Any
    hall: Any
    half_a: Any
    half_b: Any
    studio: Any
    admin: Any
    handler: Any


def city() -> City:
    unit = f.unit(hours=EVENINGS, name_fi="Kisahalli", name_sv="Idrottshallen", name_en="Kisahalli")
    hall = f.resource(unit, rid="hall", name_fi="Pääsali", name_en="Main hall", people_capacity=60)
    half_a = f.resource(unit, parent=hall, rid="hall-a", name_fi="A-puoli", name_en="Half A", people_capacity=30)
    half_b = f.resource(unit, parent=hall, rid="hall-b", name_fi="B-puoli", name_en="Half B", people_capacity=30)
    studio = f.resource(unit, rid="studio", name_fi="Studio", name_en="Studio", people_capacity=15)
    admin = f.staff(unit, Role.ADMIN)
    handler = f.staff(unit, Role.HANDLER)
    return City(unit, hall, half_a, half_b, studio, admin, handler)


def season_start() -> dt.date:
    today = timezone.localdate()
    return today + dt.timedelta(days=21 - today.weekday())


def round_data(resources: list[Any], **changes: Any) -> services.RoundData:
    now = timezone.now()
    first = season_start()
    values: dict[str, Any] = {
        "name": {"fi": "Syyskausi", "sv": "Hösten", "en": "Autumn season"},
        "season_begin": first,
        "season_end": first + dt.timedelta(weeks=8, days=-1),
        "application_begin": now - dt.timedelta(days=1),
        "application_end": now + dt.timedelta(days=7),
        "resources": resources,
    }
    values.update(changes)
    return services.RoundData(**values)


def open_round(c: City, resources: list[Any] | None = None, **changes: Any) -> ApplicationRound:
    round = services.round_create(
        actor=c.admin, data=round_data(resources or [c.hall, c.half_a, c.half_b, c.studio], **changes)
    )
    return services.round_transition(actor=c.admin, round=round, to=RoundState.OPEN)


def suitable(day: int, begin: str, end: str, priority: str = "primary") -> services.SuitableData:
    return services.SuitableData(day, dt.time.fromisoformat(begin), dt.time.fromisoformat(end), priority)


def section_data(
    resources: list[Any],
    times: list[services.SuitableData],
    *,
    name: str = "Juniors",
    per_week: int = 1,
    minimum: int = 60,
    maximum: int | None = None,
    participants: int = 12,
    age_group: Any = None,
) -> services.SectionData:
    return services.SectionData(
        name=name,
        participants=participants,
        times_per_week=per_week,
        min_minutes=minimum,
        max_minutes=maximum or minimum,
        resources=resources,
        suitable=times,
        age_group=age_group,
    )


def apply(
    round: ApplicationRound,
    sections: list[services.SectionData],
    *,
    user: Any = None,
    name: str | None = None,
    business_id: str | None = None,
    district: Any = None,
    person: bool = False,
    language: str = "fi",
) -> Application:
    """A submitted application (an association unless `person`)."""
    user = user or f.user(preferred_language=language)
    application = services.application_start(user=user, round=round)
    n = application.pk
    services.application_save(
        user=user,
        application=application,
        data=services.ApplicantData(
            applicant_type="person" if person else "association",
            organisation_name="" if person else (name or f"Seura {n}"),
            business_id="" if person else (business_id or BUSINESS_IDS[n % len(BUSINESS_IDS)]),
            contact_name=f"Contact {n}",
            contact_email=f"contact{n}@example.org",
            home_district=district,
            language=language,
        ),
    )
    for data in sections:
        services.section_save(user=user, application=application, data=data)
    return services.application_submit(user=user, application=application)


def to_allocation(c: City, round: ApplicationRound) -> ApplicationRound:
    return services.round_transition(actor=c.handler, round=round, to=RoundState.IN_ALLOCATION)
