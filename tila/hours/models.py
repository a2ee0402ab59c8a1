"""Opening hours.

An OpeningPeriod belongs to a unit or to one resource and has weekly rules. For a given resource
and date the effective period is chosen as follows: the resource's own periods covering the date
win over its unit's; among several covering periods the shortest (most specific) wins, so that a
holiday exception or a summer closure is simply a short period. Open-ended periods count as the
longest. A period marked `closed` closes every day it covers.

The result is materialised into `OpeningInterval` rows (per resource, merged across midnight)
by `tila.hours.services.hours_materialise`, so availability queries are plain range joins.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tila.core.i18n import TranslatedField
from tila.core.models import TimeStampedModel


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningPeriod(TimeStampedModel):
    unit = models.ForeignKey(
        "catalogue.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opening_periods",
    )
    resource = models.ForeignKey(
        "catalogue.Resource",
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="opening_periods",
    )
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    description = TranslatedField(models.TextField, verbose_name=_("description"))
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"), null=True, blank=True, help_text=_("Empty: until further notice."))
    closed = models.BooleanField(_("closed for the whole period"), default=False)

    class Meta:
        verbose_name = _("opening period")
        verbose_name_plural = _("opening periods")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False, resource__isnull=True) | Q(unit__isnull=True, resource__isnull=False)),
                name="openingperiod_unit_xor_resource",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="openingperiod_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or _('Opening hours')} {self.start}–{self.end or ''}"


class WeeklyRule(models.Model):
    """Open from `opens` to `closes` on `weekday`. A closing time at or before the opening time
    runs past midnight into the next day (opens 00:00, closes 00:00 is open all day)."""

    period = models.ForeignKey(OpeningPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="rules")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("weekly rule")
        verbose_name_plural = _("weekly rules")
        ordering = ["period_id", "weekday", "opens"]
        constraints = [models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="weeklyrule_weekday")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningInterval(models.Model):
    """Materialised: the resource is open during [begin, end). Derived from periods and rules."""

    resource = models.ForeignKey("catalogue.Resource", on_delete=models.CASCADE, related_name="opening_intervals")
    begin = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["resource", "begin"]), models.Index(fields=["begin", "end"])]
        constraints = [models.CheckConstraint(condition=Q(begin__lt=F("end")), name="openinginterval_nonempty")]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.begin:%Y-%m-%d %H:%M}–{self.end:%H:%M}"
