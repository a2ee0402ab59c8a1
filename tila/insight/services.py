"""Writes of the change indicators: CSV imports of population figures and city-entered indicator
values, and granting the dashboard role. Formats are documented in docs/indicators.md.

An import is all or nothing: every row is checked first, and if any row is wrong nothing is
written and every problem is reported with its line number (`ImportFailed`). Importing the same
file again updates the same rows (the key of a row is its district/year/age group, or its
indicator/period/scope/segment).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tila.catalogue.models import District, Unit
from tila.core.audit import audit_log
from tila.core.errors import DomainError, PermissionDenied
from tila.insight.access import has_management_access
from tila.insight.models import (
    AgeGroup,
    Granularity,
    Indicator,
    IndicatorValue,
    ManagementAccess,
    PopulationFigure,
)

MAX_ROWS = 200_000
POPULATION_HEADER = ("district", "year", "age_group", "population")
INDICATOR_HEADER = ("indicator", "period", "unit", "district", "segment", "value")
PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


class ImportFailed(DomainError):
    """Some rows were wrong; nothing was written. `problems` are (line number, message)."""

    def __init__(self, problems: list[tuple[int, str]]) -> None:
        self.problems = problems
        super().__init__("import_failed", _("The file has errors; nothing was imported."))


def _rows(text: str, header: tuple[str, ...]) -> Iterable[tuple[int, dict[str, str]]]:
    text = text.lstrip("\ufeff")
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    names = [n.strip().lower() for n in (reader.fieldnames or [])]
    missing = [h for h in header if h not in names and h not in ("unit", "district", "segment")]
    if missing:
        raise ImportFailed([(1, str(_("Missing columns: %(cols)s")) % {"cols": ", ".join(missing)})])
    reader.fieldnames = names
    for index, row in enumerate(reader, start=2):
        if index > MAX_ROWS + 1:
            raise ImportFailed([(index, str(_("The file has too many rows.")))])
        yield index, {k: (v or "").strip() for k, v in row.items() if k}


def parse_number(text: str) -> Decimal:
    """12345, 12 345, 12345.6 or 12345,6 (Finnish decimal comma)."""
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return value


# --- Population ----------------------------------------------------------------------------------


def _district_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for district in District.objects.all():
        for name in (district.pk, *(getattr(district, f"name_{lang}", "") for lang in ("fi", "sv", "en"))):
            if name:
                lookup[name.strip().lower()] = district.pk
    return lookup


def _population_row(row: dict[str, str], districts: dict[str, str]) -> tuple[tuple[str, int, str], int]:
    district = districts.get(row.get("district", "").lower())
    if district is None:
        raise ValueError(str(_("Unknown district “%(d)s”.")) % {"d": row.get("district", "")})
    try:
        year = int(row.get("year", ""))
        population = int(parse_number(row.get("population", "")))
    except ValueError as exc:
        raise ValueError(str(_("The year and the population must be whole numbers."))) from exc
    if not 1900 <= year <= 2100 or population < 0:
        raise ValueError(str(_("The year or the population is out of range.")))
    group = row.get("age_group", "") or AgeGroup.TOTAL
    if group not in AgeGroup.values:
        raise ValueError(
            str(_("Unknown age group “%(g)s”; use one of %(all)s.")) % {"g": group, "all": ", ".join(AgeGroup.values)}
        )
    return (district, year, group), population


def population_import(*, actor: Any, text: str) -> ImportResult:
    """Residents per district, year and age group, from CSV (see docs/indicators.md)."""
    _require(actor)
    districts = _district_lookup()
    parsed: dict[tuple[str, int, str], int] = {}
    problems: list[tuple[int, str]] = []
    for line, row in _rows(text, POPULATION_HEADER):
        try:
            key, population = _population_row(row, districts)
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        parsed[key] = population
    if problems:
        raise ImportFailed(problems)
    result = ImportResult()
    with transaction.atomic():
        for (district, year, group), population in parsed.items():
            _obj, created = PopulationFigure.objects.update_or_create(
                district_id=district, year=year, age_group=group, defaults={"population": population}
            )
            result.created += created
            result.updated += not created
        _log(actor, "insight.population_import", result)
    return result


# --- City-entered indicators ---------------------------------------------------------------------


def parse_period(text: str, granularity: str) -> dt.date:
    match = PERIOD_RE.match(text)
    if match is None:
        raise ValueError(str(_("Write the period as YYYY-MM (a month) or YYYY (a year).")))
    year, month = int(match.group(1)), match.group(2)
    if granularity == Granularity.MONTH:
        if month is None or not 1 <= int(month) <= 12:
            raise ValueError(str(_("This indicator is monthly: write the period as YYYY-MM.")))
        return dt.date(year, int(month), 1)
    if month is not None:
        raise ValueError(str(_("This indicator is yearly: write the period as YYYY.")))
    return dt.date(year, 1, 1)


@dataclass(frozen=True)
class _ValueRow:
    indicator: str
    period: dt.date
    unit: str | None
    district: str | None
    segment: str
    value: Decimal


class _IndicatorContext:
    def __init__(self, create_missing: bool) -> None:
        self.indicators = {i.pk: i for i in Indicator.objects.all()}
        self.units = set(Unit.objects.values_list("pk", flat=True))
        self.districts = _district_lookup()
        self.create_missing = create_missing

    def indicator(self, slug: str) -> Indicator:
        if slug in self.indicators:
            return self.indicators[slug]
        if self.create_missing and re.fullmatch(r"[-a-z0-9_]{1,64}", slug):
            self.indicators[slug] = Indicator(id=slug, name_fi=slug, name_sv=slug, name_en=slug)
            return self.indicators[slug]
        raise ValueError(str(_("Unknown indicator “%(i)s”.")) % {"i": slug})


def _indicator_row(row: dict[str, str], ctx: _IndicatorContext) -> _ValueRow:
    indicator = ctx.indicator(row.get("indicator", ""))
    period = parse_period(row.get("period", ""), indicator.granularity)
    unit = row.get("unit") or None
    district_text = row.get("district") or ""
    district = ctx.districts.get(district_text.lower()) if district_text else None
    if unit is not None and unit not in ctx.units:
        raise ValueError(str(_("Unknown unit “%(u)s”.")) % {"u": unit})
    if district_text and district is None:
        raise ValueError(str(_("Unknown district “%(d)s”.")) % {"d": district_text})
    if unit and district:
        raise ValueError(str(_("Give a unit or a district, not both.")))
    try:
        value = parse_number(row.get("value", ""))
    except ValueError as exc:
        raise ValueError(str(_("The value “%(v)s” is not a number.")) % {"v": row.get("value", "")}) from exc
    return _ValueRow(indicator.pk, period, unit, district, row.get("segment", "")[:100], value)


def indicator_values_import(*, actor: Any, text: str, create_missing: bool = False) -> ImportResult:
    """Indicator values from CSV: indicator, period, unit, district, segment, value."""
    _require(actor)
    ctx = _IndicatorContext(create_missing)
    parsed: dict[tuple[str, dt.date, str | None, str | None, str], _ValueRow] = {}
    problems: list[tuple[int, str]] = []
    for line, row in _rows(text, INDICATOR_HEADER):
        try:
            value = _indicator_row(row, ctx)
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        parsed[(value.indicator, value.period, value.unit, value.district, value.segment)] = value
    if problems:
        raise ImportFailed(problems)
    result = ImportResult()
    with transaction.atomic():
        for indicator in ctx.indicators.values():
            if indicator._state.adding:
                indicator.save()
        for v in parsed.values():
            _obj, created = IndicatorValue.objects.update_or_create(
                indicator_id=v.indicator,
                period=v.period,
                unit_id=v.unit,
                district_id=v.district,
                segment=v.segment,
                defaults={"value": v.value},
            )
            result.created += created
            result.updated += not created
        _log(actor, "insight.indicator_import", result)
    return result


def _require(actor: Any) -> None:
    if actor is not None and not has_management_access(actor):
        raise PermissionDenied()


def _log(actor: Any, action: str, result: ImportResult) -> None:
    if actor is None:
        return
    access = ManagementAccess.objects.filter(user=actor).first()
    audit_log(
        actor=actor,
        action=action,
        obj=access or actor,
        after={"created": result.created, "updated": result.updated},
    )


@transaction.atomic
def management_access_grant(*, actor: Any, user: Any, note: str = "") -> ManagementAccess:
    """Give `user` the dashboard role (general administrators only)."""
    from tila.accounts.permissions import is_general_admin

    if not is_general_admin(actor):
        raise PermissionDenied()
    access, created = ManagementAccess.objects.get_or_create(user=user, defaults={"note": note})
    if created:
        audit_log(actor=actor, action="insight.access_granted", obj=access, after={"user": user.pk, "note": note})
    return access
