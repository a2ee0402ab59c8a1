"""Hobby groups: recurring activities in the city's spaces, for residents to find.

A `HobbyGroup` is entered by staff or by an association (unpublished until staff publish it), or
created from a recurring reservation series (`tila.hobbies.services.hobby_group_from_series`). Its
weekly times are `HobbyTime` rows; its sessions are the weekly times between the season dates (or,
for a group made from a series, that series' active occurrences). Published groups are searchable
on /hobbies/ and served at /v1/hobby/, also in the Linked Events course form.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tila.core.i18n import TranslatedField
from tila.core.models import TimeStampedModel


class HobbyCategory(models.Model):
    id = models.SlugField(_("id"), max_length=64, primary_key=True)
    name = TranslatedField(models.CharField, max_length=100, verbose_name=_("name"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("hobby category")
        verbose_name_plural = _("hobby categories")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.name)


class HobbyLanguage(models.TextChoices):
    FI = "fi", _("Finnish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")
    MULTI = "multi", _("Several languages")


class HobbyGroup(TimeStampedModel):
    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    description = TranslatedField(models.TextField, verbose_name=_("description"))
    category = models.ForeignKey(
        HobbyCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="groups"
    )
    organiser = models.CharField(_("organiser"), max_length=200)
    organiser_email = models.EmailField(_("organiser's email"), blank=True, default="")
    unit = models.ForeignKey(
        "catalogue.Unit", verbose_name=_("place"), on_delete=models.PROTECT, related_name="hobby_groups"
    )
    resource = models.ForeignKey(
        "catalogue.Resource",
        verbose_name=_("space"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hobby_groups",
    )
    series = models.ForeignKey(
        "booking.ReservationSeries",
        verbose_name=_("recurring reservation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hobby_groups",
    )
    min_age = models.PositiveSmallIntegerField(
        _("youngest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("oldest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    language = models.CharField(_("language"), max_length=8, choices=HobbyLanguage.choices, default=HobbyLanguage.FI)
    is_free = models.BooleanField(_("free of charge"), default=False)
    price = models.DecimalField(_("price (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    price_info = TranslatedField(models.CharField, max_length=300, verbose_name=_("price information"))
    season_start = models.DateField(_("season begins"))
    season_end = models.DateField(_("season ends"))
    registration_url = models.URLField(_("registration link"), max_length=400, blank=True, default="")
    published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hobby group")
        verbose_name_plural = _("hobby groups")
        ordering = ["name_fi", "id"]
        indexes = [models.Index(fields=["published", "season_end"])]
        constraints = [
            models.CheckConstraint(condition=Q(season_start__lte=F("season_end")), name="hobbygroup_season_valid"),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(max_age__isnull=True) | Q(min_age__lte=F("max_age")),
                name="hobbygroup_age_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_free=True, price__isnull=True) | Q(is_free=False, price__gte=0),
                name="hobbygroup_free_or_priced",
            ),
        ]

    def __str__(self) -> str:
        return str(self.name)


class HobbyTime(models.Model):
    """Weekly: on `weekday` (0 = Monday) from `begins` to `ends`, local time of the place."""

    group = models.ForeignKey(HobbyGroup, verbose_name=_("hobby group"), on_delete=models.CASCADE, related_name="times")
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    begins = models.TimeField(_("begins"))
    ends = models.TimeField(_("ends"))

    class Meta:
        verbose_name = _("weekly time")
        verbose_name_plural = _("weekly times")
        ordering = ["group_id", "weekday", "begins"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="hobbytime_weekday"),
            models.CheckConstraint(condition=Q(begins__lt=F("ends")), name="hobbytime_begins_before_ends"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.begins:%H:%M}–{self.ends:%H:%M}"
