"""Change indicators: who may see the management dashboard, population figures, city-entered
indicator values and resources announced as coming.

Most indicators are computed from live data by `tila.insight.selectors` (NPS from feedback,
reservations, opening hours, hobby groups). What Tila cannot know by itself is stored here:

* `ManagementAccess` — the dashboard's own role. A general administrator (superuser) always has it;
  anyone else needs a row (granted in the admin site). Unit roles do not grant it.
* `PopulationFigure` — residents per district, year and age group, imported from CSV, so that
  reservations can be shown per 1,000 residents.
* `Indicator` / `IndicatorValue` — figures the city enters or imports itself (library visits per
  unit per month, hobby participation by school grade …). The CSV format is in docs/indicators.md.
* `AnnouncedResource` — a space announced as coming to the booking service before it can be
  booked, for the "open for booking vs announced" growth chart.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.core.i18n import TranslatedField


class ManagementAccess(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="management_access"
    )
    note = models.CharField(_("note"), max_length=200, blank=True, default="")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("management dashboard access")
        verbose_name_plural = _("management dashboard access")

    def __str__(self) -> str:
        return str(self.user)


class AgeGroup(models.TextChoices):
    TOTAL = "total", _("All ages")
    AGE_0_6 = "0-6", _("0–6 years")
    AGE_7_12 = "7-12", _("7–12 years")
    AGE_13_17 = "13-17", _("13–17 years")
    AGE_18_29 = "18-29", _("18–29 years")
    AGE_30_64 = "30-64", _("30–64 years")
    AGE_65 = "65-", _("65 years and over")


def age_bounds(group: str) -> tuple[int, int | None]:
    """(first age, last age or None) of an age group value such as "13-17" or "65-"."""
    first, _sep, last = group.partition("-")
    return int(first), (int(last) if last else None)


def age_group_of(age: int) -> str:
    for group in AgeGroup:
        if group == AgeGroup.TOTAL:
            continue
        first, last = age_bounds(group.value)
        if age >= first and (last is None or age <= last):
            return group.value
    return AgeGroup.AGE_0_6.value


class PopulationFigure(models.Model):
    district = models.ForeignKey(
        "catalogue.District", verbose_name=_("district"), on_delete=models.CASCADE, related_name="population"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, default=AgeGroup.TOTAL)
    population = models.PositiveIntegerField(_("residents"))

    class Meta:
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        ordering = ["district_id", "year", "age_group"]
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "age_group"], name="populationfigure_unique"),
            models.CheckConstraint(condition=Q(year__gte=1900, year__lte=2100), name="populationfigure_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year} {self.age_group}: {self.population}"


class Granularity(models.TextChoices):
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Indicator(models.Model):
    """A figure the city enters itself. Values belong to the city, a district or a unit."""

    id = models.SlugField(_("id"), max_length=64, primary_key=True)
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    description = TranslatedField(models.TextField, verbose_name=_("description"))
    measure = TranslatedField(
        models.CharField, max_length=100, verbose_name=_("unit of measure"), help_text=_("e.g. visits, %")
    )
    granularity = models.CharField(_("period"), max_length=8, choices=Granularity.choices, default=Granularity.MONTH)
    source = models.CharField(_("source"), max_length=300, blank=True, default="")
    public = models.BooleanField(_("published as open data"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("city indicator")
        verbose_name_plural = _("city indicators")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.name)


class IndicatorValue(models.Model):
    """One value: an indicator, a period (its first day), a scope (city, district or unit) and an
    optional segment (e.g. "grade 4–5")."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="values"
    )
    period = models.DateField(_("period begins"))
    unit = models.ForeignKey(
        "catalogue.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        "catalogue.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    segment = models.CharField(_("segment"), max_length=100, blank=True, default="")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator_id", "period", "segment"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(district__isnull=True), name="indicatorvalue_one_scope"
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "segment", "unit"],
                condition=Q(unit__isnull=False),
                name="indicatorvalue_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "segment", "district"],
                condition=Q(district__isnull=False),
                name="indicatorvalue_unique_district",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "segment"],
                condition=Q(unit__isnull=True, district__isnull=True),
                name="indicatorvalue_unique_city",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.unit_id or self.district_id or ''} {self.value}"


class AnnouncedResource(models.Model):
    """A space announced as coming to the booking service. When it opens, `resource` names it."""

    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    unit = models.ForeignKey(
        "catalogue.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    announced_on = models.DateField(_("announced on"))
    expected_on = models.DateField(_("expected to open"), null=True, blank=True)
    resource = models.ForeignKey(
        "catalogue.Resource",
        verbose_name=_("opened as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        verbose_name = _("announced resource")
        verbose_name_plural = _("announced resources")
        ordering = ["announced_on", "id"]

    def __str__(self) -> str:
        return str(self.name)
