"""Response and request schemas (they generate the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, FiniteFloat, field_validator

I18n = dict[str, str]


class Location(Schema):
    type: Literal["Point"] = "Point"
    coordinates: list[float]


class ErrorOut(Schema):
    model_config = ConfigDict(extra="allow")
    code: str
    non_field_errors: list[str]


class PurposeOut(Schema):
    id: str
    parent: str | None
    name: I18n


class TypeOut(Schema):
    id: str
    main_type: str
    name: I18n


class EquipmentOut(Schema):
    id: str
    name: I18n
    category: I18n


class OpeningToday(Schema):
    date: dt.date
    opening_hours: list[dict[str, str]]


class UnitOut(Schema):
    id: str
    name: I18n
    description: str = Field(description="In the request's language (the 6Aika draft's type).")
    description_i18n: I18n
    street_address: I18n
    address_zip: str
    address_postal_full: str
    municipality: str
    district: str | None
    district_name: I18n
    phone: str
    email: str
    www_url: I18n
    time_zone: str
    location: Location | None
    opening_hours_today: OpeningToday
    picture_url: str | None = None
    picture_caption: str | None = None
    created_at: dt.datetime
    modified_at: dt.datetime


class Interval(Schema):
    starts: str
    ends: str


class OpeningHours(Schema):
    opens: str
    closes: str


class ImageOut(Schema):
    url: str
    caption: I18n
    is_main: bool


class AccessibilityOut(Schema):
    group: I18n
    sentence: I18n


class ReservationBrief(Schema):
    id: int
    begin: str
    end: str
    state: str
    is_own: bool
    # only to the owner and to staff who may view the unit's reservations
    user: str | None = None
    event_subject: str | None = None
    reserver_name: str | None = None


class ResourceOut(Schema):
    id: str
    url: str
    unit: str
    name: I18n
    description: I18n
    type: TypeOut
    main_type: str
    purposes: list[PurposeOut]
    equipment: list[EquipmentOut]
    people_capacity: int | None
    area: int | None
    need_manual_confirmation: bool
    authentication: str
    min_period: str
    max_period: str | None
    slot_size: str
    reservable_min_days_in_advance: int
    reservable_max_days_in_advance: int | None
    buffer_before: str
    buffer_after: str
    max_reservations_per_user: int | None
    cancel_cutoff: str | None
    reservable: bool
    public: bool
    parent: str | None
    children: list[str]
    photo: str | None
    images: list[ImageOut]
    accessibility: list[AccessibilityOut]
    reservation_info: I18n
    terms: I18n
    location: Location | None
    district: str | None
    created_at: dt.datetime
    modified_at: dt.datetime
    opening_hours: list[OpeningHours] | None = None
    available_hours: list[Interval] | None = None
    reservations: list[ReservationBrief] | None = None


class ReservationOut(Schema):
    id: int
    url: str
    resource: str
    user: str | None
    begin: str
    end: str
    state: str
    type: str
    event_subject: str
    event_description: str
    number_of_participants: int | None
    reserver_name: str | None = None
    reserver_email: str | None = None
    reserver_phone: str | None = None
    is_own: bool
    need_manual_confirmation: bool
    created_at: dt.datetime
    modified_at: dt.datetime


def envelope(item: type[Any], name: str) -> type[Schema]:
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "count": int,
                "next": str | None,
                "previous": str | None,
                "prev": str | None,
                "results": list[item],  # type: ignore[valid-type]
            }
        },
    )


UnitList = envelope(UnitOut, "UnitList")
ResourceList = envelope(ResourceOut, "ResourceList")
ReservationList = envelope(ReservationOut, "ReservationList")
PurposeList = envelope(PurposeOut, "PurposeList")
TypeList = envelope(TypeOut, "TypeList")
EquipmentList = envelope(EquipmentOut, "EquipmentList")


# --- Inputs ----------------------------------------------------------------------------------


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class ReservationReadOnly(StrictIn):
    """Fields that GET returns. A client may send back what it read (the 6Aika specification's PUT takes
    the whole reservation object): `id`, `url`, `is_own`, `need_manual_confirmation`, `created_at`,
    `modified_at` and `state_interaction` are ignored; `state` and `type` may not be changed here (approve,
    deny and DELETE change the state)."""

    id: int | None = None
    url: str | None = Field(None, max_length=2000)
    state: str | None = Field(None, max_length=32)
    state_interaction: str | None = Field(None, max_length=2000)
    is_own: bool | None = None
    need_manual_confirmation: bool | None = None
    created_at: str | None = Field(None, max_length=64)
    modified_at: str | None = Field(None, max_length=64)


class ReservationIn(ReservationReadOnly):
    resource: str = Field(min_length=1, max_length=100)
    begin: dt.datetime
    end: dt.datetime
    event_subject: str = Field("", max_length=200)
    event_description: str = Field("", max_length=5000)
    number_of_participants: int | None = Field(None, ge=1, le=100000)
    reserver_name: str = Field("", max_length=200)
    reserver_email: str = Field("", max_length=254)
    reserver_phone: str = Field("", max_length=40)
    # staff only
    user: str | None = Field(None, max_length=64, description="Staff: the customer's uuid (book on their behalf).")
    type: Literal["normal", "blocked"] = "normal"
    staff_override: bool = False
    staff_comment: str = Field("", max_length=5000)


class ReservationPatch(ReservationReadOnly):
    resource: str | None = Field(None, min_length=1, max_length=100)
    begin: dt.datetime | None = None
    end: dt.datetime | None = None
    event_subject: str | None = Field(None, max_length=200)
    event_description: str | None = Field(None, max_length=5000)
    number_of_participants: int | None = Field(None, ge=1, le=100000)
    reserver_name: str | None = Field(None, max_length=200)
    reserver_email: str | None = Field(None, max_length=254)
    reserver_phone: str | None = Field(None, max_length=40)
    staff_override: bool = False
    staff_comment: str | None = Field(None, max_length=5000)
    user: str | None = Field(None, max_length=64, description="Read-only here: the customer cannot be changed.")
    type: Literal["normal", "blocked"] | None = Field(None, description="Read-only here.")


class DenyIn(StrictIn):
    reason: str = Field("", max_length=2000)


class RegisterIn(StrictIn):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)
    name: str = Field("", max_length=200)
    preferred_language: Literal["fi", "sv", "en"] = "fi"


class RegisterOut(Schema):
    id: str
    email: str
    name: str
    preferred_language: str


class TokenIn(StrictIn):
    email: str = Field(max_length=254)
    password: str = Field(max_length=200)


class TokenOut(Schema):
    token: str
    expires_at: dt.datetime | None


class I18nIn(StrictIn):
    fi: str | None = Field(None, max_length=5000)
    sv: str | None = Field(None, max_length=5000)
    en: str | None = Field(None, max_length=5000)


class LocationIn(StrictIn):
    type: Literal["Point"] = "Point"
    coordinates: list[FiniteFloat] = Field(min_length=2, max_length=2, description="[longitude, latitude]")


class UnitIn(StrictIn):
    id: str | None = Field(None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9:._-]+$")
    name: I18nIn | None = None
    description: I18nIn | None = None
    street_address: I18nIn | None = None
    www_url: I18nIn | None = None
    address_zip: str | None = Field(None, max_length=10)
    municipality: str | None = Field(None, max_length=100)
    district: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=40)
    email: str | None = Field(None, max_length=254)
    time_zone: str | None = Field(None, max_length=64)
    location: LocationIn | None = None


class ResourceIn(StrictIn):
    id: str | None = Field(None, min_length=1, max_length=100, pattern=r"^[A-Za-z0-9:._-]+$")
    unit: str | None = Field(None, max_length=100)
    parent: str | None = Field(None, max_length=100)
    type: str | None = Field(None, max_length=100)
    purposes: list[str] | None = Field(None, max_length=100)
    equipment: list[str] | None = Field(None, max_length=200)
    name: I18nIn | None = None
    description: I18nIn | None = None
    reservation_info: I18nIn | None = None
    terms: I18nIn | None = None
    people_capacity: int | None = Field(None, ge=1, le=100000)
    area: int | None = Field(None, ge=0, le=10_000_000)
    reservable: bool | None = None
    public: bool | None = None
    need_manual_confirmation: bool | None = None
    authentication: Literal["none", "weak", "strong", ""] | None = None
    min_period: str | None = Field(None, pattern=r"^\d{1,3}:[0-5]\d:[0-5]\d$")
    max_period: str | None = Field(None, pattern=r"^\d{1,3}:[0-5]\d:[0-5]\d$")
    slot_size: str | None = Field(None, pattern=r"^\d{1,3}:[0-5]\d:[0-5]\d$")
    buffer_before: str | None = Field(None, pattern=r"^\d{1,3}:[0-5]\d:[0-5]\d$")
    buffer_after: str | None = Field(None, pattern=r"^\d{1,3}:[0-5]\d:[0-5]\d$")
    cancel_cutoff: str | None = Field(None, pattern=r"^\d{1,4}:[0-5]\d:[0-5]\d$")
    reservable_min_days_in_advance: int | None = Field(None, ge=0, le=3650)
    reservable_max_days_in_advance: int | None = Field(None, ge=0, le=3650)
    max_reservations_per_user: int | None = Field(None, ge=1, le=10000)


class VocabularyIn(StrictIn):
    id: str | None = Field(None, min_length=1, max_length=100, pattern=r"^[a-z0-9_-]+$")
    name: I18nIn | None = None
    parent: str | None = Field(None, max_length=100)
    main_type: Literal["space", "item"] | None = None
    category: I18nIn | None = None


FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


class RuleIn(StrictIn):
    weekday: int = Field(ge=0, le=6, description="0 = Monday … 6 = Sunday.")
    opens: dt.time = Field(description="Wall-clock time in the unit's time zone, without an offset.")
    closes: dt.time = Field(description="At or before `opens`: the day's hours run past midnight.")

    @field_validator("opens", "closes")
    @classmethod
    def _wall_clock(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError("give a wall-clock time without a UTC offset")
        return value


class OpeningPeriodIn(StrictIn):
    unit: str | None = Field(None, max_length=100)
    resource: str | None = Field(None, max_length=100)
    name: I18nIn | None = None
    description: I18nIn | None = None
    start: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    end: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY)
    closed: bool | None = None
    rules: list[RuleIn] | None = Field(None, max_length=70)


class OpeningPeriodOut(Schema):
    id: int
    unit: str | None
    resource: str | None
    name: I18n
    description: I18n
    start: dt.date
    end: dt.date | None
    closed: bool
    rules: list[dict[str, Any]]
    created_at: dt.datetime
    modified_at: dt.datetime


OpeningPeriodList = envelope(OpeningPeriodOut, "OpeningPeriodList")


class ResourceHit(Schema):
    id: str
    name: I18n
    unit: str


class UnitHit(Schema):
    id: str
    name: I18n


class SearchOut(Schema):
    """Short hits by default; whole objects with `full=true`."""

    resource: list[ResourceOut] | list[ResourceHit]
    unit: list[UnitOut] | list[UnitHit]
