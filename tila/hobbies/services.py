"""Writes of hobby groups: create (by staff, or by an association for staff to publish), create from
a recurring reservation series, publish and unpublish.

Codes: invalid_season, invalid_ages, invalid_price, invalid_times, no_times, permission_denied,
series_cancelled."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action, can
from tila.booking.models import ACTIVE_STATES, ReservationSeries, SeriesState
from tila.catalogue.models import Resource, Unit
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, PermissionDenied
from tila.core.i18n import translated_kwargs
from tila.hobbies.models import HobbyCategory, HobbyGroup, HobbyLanguage, HobbyTime

WeeklyTime = tuple[int, dt.time, dt.time]  # weekday (0 = Monday), begins, ends


@dataclass
class HobbyDetails:
    """What describes a group; translated texts are {"fi": …, "sv": …, "en": …} or one Finnish string."""

    name: dict[str, str] | str
    category: HobbyCategory
    organiser: str
    season_start: dt.date
    season_end: dt.date
    description: dict[str, str] | str = ""
    organiser_email: str = ""
    min_age: int | None = None
    max_age: int | None = None
    language: str = HobbyLanguage.FI
    is_free: bool = False
    price: Decimal | None = None
    price_info: dict[str, str] | str = ""
    registration_url: str = ""
    times: Sequence[WeeklyTime] = field(default_factory=list)


def _validate_ages(details: HobbyDetails) -> None:
    ages = [a for a in (details.min_age, details.max_age) if a is not None]
    if any(not 0 <= a <= 120 for a in ages) or (
        details.min_age is not None and details.max_age is not None and details.min_age > details.max_age
    ):
        raise DomainError(
            "invalid_ages", _("Check the age range: the youngest age cannot be above the oldest."), field="max_age"
        )


def _validate_price(details: HobbyDetails) -> None:
    if details.is_free and details.price:
        raise DomainError("invalid_price", _("A free group has no price."), field="price")
    if not details.is_free and (details.price is None or details.price < 0):
        raise DomainError("invalid_price", _("Give the price, or mark the group free of charge."), field="price")


def _validate(details: HobbyDetails) -> None:
    names = details.name if isinstance(details.name, dict) else {"fi": details.name}
    if not any((value or "").strip() for value in names.values()):
        raise DomainError("invalid", _("Give the group a name."), field="name")
    if details.season_start > details.season_end:
        raise DomainError("invalid_season", _("The season must end on or after the day it begins."), field="season_end")
    _validate_ages(details)
    _validate_price(details)
    if not details.times:
        raise DomainError("no_times", _("Give at least one weekly time."), field="times")
    for weekday, begins, ends in details.times:
        if not 0 <= weekday <= 6 or begins >= ends:
            raise DomainError("invalid_times", _("Each weekly time must end after it begins."), field="times")


def _may_publish(actor: Any, unit: Unit) -> bool:
    return actor is None or can(actor, Action.HANDLE, unit.pk)


def _fields(details: HobbyDetails) -> dict[str, Any]:
    return {
        **translated_kwargs("name", details.name),
        **translated_kwargs("description", details.description or ""),
        **translated_kwargs("price_info", details.price_info or ""),
        "category": details.category,
        "organiser": details.organiser.strip(),
        "organiser_email": details.organiser_email,
        "min_age": details.min_age,
        "max_age": details.max_age,
        "language": details.language,
        "is_free": details.is_free,
        "price": None if details.is_free else details.price,
        "season_start": details.season_start,
        "season_end": details.season_end,
        "registration_url": details.registration_url,
    }


@transaction.atomic
def hobby_group_create(
    *,
    actor: Any,
    unit: Unit,
    details: HobbyDetails,
    resource: Resource | None = None,
    series: ReservationSeries | None = None,
    publish: bool = True,
) -> HobbyGroup:
    """A new group. Staff who may handle the unit's bookings publish at once; anyone else (an
    association) leaves it for staff to publish. `actor=None` is the system (imports, demo)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    _validate(details)
    if resource is not None and resource.unit_id != unit.pk:
        resource = None
    group = HobbyGroup.objects.create(
        unit=unit,
        resource=resource,
        series=series,
        published=publish and _may_publish(actor, unit),
        created_by=actor,
        **_fields(details),
    )
    HobbyTime.objects.bulk_create(
        [HobbyTime(group=group, weekday=w, begins=b, ends=e) for w, b, e in sorted(set(details.times))]
    )
    if actor is not None:
        audit_log(actor=actor, action="hobby.created", obj=group, unit_id=unit.pk, after=snapshot(group))
    return group


def series_times(series: ReservationSeries) -> list[WeeklyTime]:
    return [(int(day), series.begin_time, series.end_time) for day in sorted(set(series.weekdays))]


def series_season(series: ReservationSeries) -> tuple[dt.date, dt.date]:
    """First and last day of the series: its own end date, else the last active occurrence."""
    from django.utils import timezone

    from tila.core.timeutil import get_zone

    if series.until_date is not None:
        return series.start_date, series.until_date
    last = series.occurrences.filter(state__in=ACTIVE_STATES).order_by("-begin").values_list("begin", flat=True).first()
    zone = get_zone(series.resource.unit.time_zone)
    end = timezone.localtime(last, zone).date() if last else series.start_date
    return series.start_date, max(end, series.start_date)


def hobby_group_from_series(
    *, actor: Any, series: ReservationSeries, details: HobbyDetails, publish: bool = True
) -> HobbyGroup:
    """A group for a club's recurring booking: place, weekly times and season come from the series."""
    unit = series.resource.unit
    if actor is not None and not can(actor, Action.HANDLE, unit.pk):
        raise PermissionDenied()
    if series.state != SeriesState.ACTIVE:
        raise DomainError("series_cancelled", _("The recurring reservation has been cancelled."))
    start, end = series_season(series)
    details.times = series_times(series)
    details.season_start, details.season_end = start, end
    return hobby_group_create(
        actor=actor, unit=unit, resource=series.resource, series=series, details=details, publish=publish
    )


@transaction.atomic
def hobby_group_publish(*, actor: Any, group: HobbyGroup, published: bool = True) -> HobbyGroup:
    if not can(actor, Action.HANDLE, group.unit_id):
        raise PermissionDenied()
    if group.published != published:
        group.published = published
        group.save(update_fields=["published", "modified_at"])
        audit_log(
            actor=actor,
            action="hobby.published" if published else "hobby.unpublished",
            obj=group,
            unit_id=group.unit_id,
            before={"published": not published},
            after={"published": published},
        )
    return group


DEFAULT_CATEGORIES = (
    ("sports", "Liikunta ja urheilu", "Motion och idrott", "Sports and exercise"),
    ("music", "Musiikki", "Musik", "Music"),
    ("dance-theatre", "Tanssi ja teatteri", "Dans och teater", "Dance and theatre"),
    ("arts-crafts", "Kuvataide ja käsityöt", "Bildkonst och hantverk", "Arts and crafts"),
    ("games-tech", "Pelit, media ja teknologia", "Spel, media och teknik", "Games, media and technology"),
    (
        "languages-reading",
        "Kielet, lukeminen ja kirjoittaminen",
        "Språk, läsning och skrivande",
        "Languages, reading and writing",
    ),
    ("nature-food", "Luonto, ruoka ja retkeily", "Natur, mat och friluftsliv", "Nature, food and the outdoors"),
    ("community", "Yhteisöt ja vapaaehtoistoiminta", "Gemenskap och frivilligarbete", "Community and volunteering"),
)


def hobby_categories_ensure() -> None:
    """The default categories (migration 0002 adds them; a database flushed by tests may lack them)."""
    from tila.hobbies.models import HobbyCategory

    for order, (slug, fi, sv, en) in enumerate(DEFAULT_CATEGORIES):
        HobbyCategory.objects.get_or_create(
            id=slug, defaults={"name_fi": fi, "name_sv": sv, "name_en": en, "order": order}
        )
