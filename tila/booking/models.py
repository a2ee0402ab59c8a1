"""Reservations and their occupancy rows.

A Reservation is what a person (or staff) booked. An Occupancy row says "this leaf space is
taken during [begin, end)" — buffers included — and exists exactly while its reservation is
active (requested, confirmed, waiting for payment; blocked closures are confirmed reservations
of type `blocked`). The no-double-booking invariant is a property of the occupancy table alone:

* PostgreSQL: `EXCLUDE USING gist (space_id WITH =, tstzrange(begin, "end", '[)') WITH &&)`;
* SQLite: triggers that abort an overlapping insert or update, on top of IMMEDIATE write
  transactions in which the engine checks before it writes.

See migrations/0002_occupancy_no_overlap.py and docs/architecture.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tila.core.i18n import TranslatedField
from tila.core.models import TimeStampedModel


class State(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    DENIED = "denied", _("Denied")
    CANCELLED = "cancelled", _("Cancelled")
    WAITING_FOR_PAYMENT = "waiting_for_payment", _("Waiting for payment")


ACTIVE_STATES: tuple[str, ...] = (State.REQUESTED, State.CONFIRMED, State.WAITING_FOR_PAYMENT)


class ReservationType(models.TextChoices):
    NORMAL = "normal", _("Normal")
    BLOCKED = "blocked", _("Closure")


class SeriesState(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class ReservationSeries(TimeStampedModel):
    """A recurring reservation: weekly, or every n weeks, on chosen weekdays, until a date or for a count.

    Each occurrence is an ordinary Reservation pointing here (one row per occurrence, as in Indico),
    so every engine rule and the no-overlap invariant apply to each one. The series keeps the
    recurrence as asked, and what could not be booked and why (`skipped`, engine codes).
    See tila/booking/series.py.
    """

    resource = models.ForeignKey(
        "catalogue.Resource", verbose_name=_("resource"), on_delete=models.PROTECT, related_name="series"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reservation_series",
    )
    type = models.CharField(_("type"), max_length=16, choices=ReservationType.choices, default=ReservationType.NORMAL)
    state = models.CharField(_("state"), max_length=16, choices=SeriesState.choices, default=SeriesState.ACTIVE)
    weekdays = models.JSONField(_("weekdays"), default=list, help_text=_("0 is Monday, 6 is Sunday."))
    interval_weeks = models.PositiveSmallIntegerField(_("every n weeks"), default=1)
    start_date = models.DateField(_("first day"))
    until_date = models.DateField(_("last day"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(_("number of occurrences"), null=True, blank=True)
    begin_time = models.TimeField(_("begins (local time)"))
    end_time = models.TimeField(_("ends (local time)"))
    event_subject = models.CharField(_("subject"), max_length=200, blank=True, default="")
    reserver_name = models.CharField(_("reserver's name"), max_length=200, blank=True, default="")
    reserver_email = models.EmailField(_("reserver's email"), blank=True, default="")
    staff_comment = models.TextField(_("staff comment"), blank=True, default="")
    skipped = models.JSONField(_("occurrences not booked"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reservation series")
        verbose_name_plural = _("reservation series")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(interval_weeks__gte=1), name="series_interval_positive"),
            models.CheckConstraint(
                condition=Q(until_date__isnull=False) | Q(count__isnull=False), name="series_has_an_end"
            ),
            models.CheckConstraint(condition=Q(begin_time__lt=F("end_time")), name="series_begin_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.start_date} {self.begin_time:%H:%M}–{self.end_time:%H:%M}"


class DenyReason(models.Model):
    """A ready-made reason for denying a request, in three languages; staff add free text to it."""

    text = TranslatedField(models.CharField, max_length=300, verbose_name=_("text"))
    active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("reason for denial")
        verbose_name_plural = _("reasons for denial")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.text)


class Reservation(TimeStampedModel):
    # No single-column indexes on resource and user: (resource, begin) and (user, begin) below serve
    # every lookup by either, and each index is one more write per booking.
    resource = models.ForeignKey(
        "catalogue.Resource",
        verbose_name=_("resource"),
        on_delete=models.PROTECT,
        related_name="reservations",
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reservations",
        db_index=False,
    )
    begin = models.DateTimeField(_("begins"))
    end = models.DateTimeField(_("ends"))
    state = models.CharField(_("state"), max_length=32, choices=State.choices, default=State.CONFIRMED)
    type = models.CharField(_("type"), max_length=16, choices=ReservationType.choices, default=ReservationType.NORMAL)
    event_subject = models.CharField(_("subject"), max_length=200, blank=True, default="")
    event_description = models.TextField(_("description"), blank=True, default="")
    number_of_participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)
    reserver_name = models.CharField(_("reserver's name"), max_length=200, blank=True, default="")
    reserver_email = models.EmailField(_("reserver's email"), blank=True, default="")
    reserver_phone = models.CharField(_("reserver's phone"), max_length=40, blank=True, default="")
    staff_comment = models.TextField(_("staff comment"), blank=True, default="")
    deny_reason = models.TextField(_("reason for denial"), blank=True, default="")
    cancel_reason = models.TextField(_("reason for cancellation"), blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    series = models.ForeignKey(
        ReservationSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="occurrences",
    )

    class Meta:
        verbose_name = _("reservation")
        verbose_name_plural = _("reservations")
        ordering = ["begin", "id"]
        indexes = [
            models.Index(fields=["resource", "begin"]),
            models.Index(fields=["user", "begin"]),
            models.Index(fields=["state", "begin"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(begin__lt=F("end")), name="reservation_begin_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.begin:%Y-%m-%d %H:%M}–{self.end:%H:%M} ({self.state})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES


class Occupancy(models.Model):
    """One leaf space taken by one active reservation during [begin, end), buffers included."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="occupancies")
    # (space, begin) and the exclusion constraint's index serve lookups by space (see Reservation).
    space = models.ForeignKey(
        "catalogue.Resource", on_delete=models.PROTECT, related_name="occupancies", db_index=False
    )
    begin = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["space", "begin"]), models.Index(fields=["begin"])]
        constraints = [models.CheckConstraint(condition=Q(begin__lt=F("end")), name="occupancy_begin_before_end")]

    def __str__(self) -> str:
        return f"{self.space_id} {self.begin:%Y-%m-%d %H:%M}–{self.end:%H:%M}"
