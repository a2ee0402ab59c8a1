"""Email notifications: editable templates, the outbox (which is also the log) and calendar feed tokens.

An event (a request received, a confirmation, …) becomes one `OutboundEmail` row, written in the
same transaction as the change it reports (`tila.notifications.events`); the outbox is the queue,
and the relay (`tila send_emails`) sends a row once it is committed. The row is rendered once, in
the recipient's language, from the admin-edited `EmailTemplate` for the event and language or else
the built-in default (`tila.notifications.defaults`). A failed send keeps the row, its error and its
attempt count, and is retried by the relay with a growing delay up to `MAX_ATTEMPTS`; then it stays
`failed` for staff to see.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Language


class Event(models.TextChoices):
    REQUEST_RECEIVED = "request_received", _("Request received")
    CONFIRMED = "confirmed", _("Reservation confirmed")
    DENIED = "denied", _("Request denied")
    CANCELLED = "cancelled", _("Reservation cancelled")
    CHANGED = "changed", _("Reservation changed")
    REMINDER = "reminder", _("Reminder before the start")
    INFO_REQUESTED = "info_requested", _("More information requested")
    SERIES_CREATED = "series_created", _("Recurring reservation created")
    SERIES_CANCELLED = "series_cancelled", _("Recurring reservation cancelled")
    SERIES_CHANGED = "series_changed", _("Recurring reservation changed")


class EmailTemplate(models.Model):
    """An administrator's version of one event's email in one language (Django template syntax).

    Without a row the built-in default is used; deleting the row restores the default."""

    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain text body"))
    body_html = models.TextField(_("HTML body"), blank=True, default="")
    modified_at = models.DateTimeField(_("modified at"), auto_now=True)

    class Meta:
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")
        ordering = ["event", "language"]
        constraints = [models.UniqueConstraint(fields=["event", "language"], name="emailtemplate_event_language")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} ({self.language})"


class SendState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


class OutboundEmail(models.Model):
    """One email to one recipient: the outbox while pending, the log once sent or failed."""

    # No index of its own: one of ten values, filtered on only in the admin; every email pays for an
    # index on insert (two on PostgreSQL, with the text-pattern twin).
    event = models.CharField(_("event"), max_length=32, choices=Event.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FI)
    to = models.EmailField(_("to"), blank=True, default="")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), null=True, blank=True, on_delete=models.SET_NULL
    )
    reservation = models.ForeignKey(
        "booking.Reservation", verbose_name=_("reservation"), null=True, blank=True, on_delete=models.SET_NULL
    )
    series = models.ForeignKey(
        "booking.ReservationSeries", verbose_name=_("series"), null=True, blank=True, on_delete=models.SET_NULL
    )
    context = models.JSONField(_("extra data"), default=dict, blank=True)
    # NULL, not "", for "no key": the unique constraint covers keyed rows only.
    dedupe_key = models.CharField(_("deduplication key"), max_length=200, null=True, blank=True)  # noqa: DJ001
    state = models.CharField(_("state"), max_length=16, choices=SendState.choices, default=SendState.PENDING)
    subject = models.CharField(_("subject"), max_length=300, blank=True, default="")
    body_text = models.TextField(_("plain text body"), blank=True, default="")
    body_html = models.TextField(_("HTML body"), blank=True, default="")
    ics = models.TextField(_("calendar attachment"), blank=True, default="")
    rendered = models.BooleanField(_("rendered"), default=False)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True, default="")
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"], condition=Q(dedupe_key__isnull=False), name="outboundemail_dedupe_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.to} ({self.state})"


class CalendarFeedToken(models.Model):
    """A secret that opens a person's calendar feeds (their own reservations; staff also resources').

    Only a SHA-256 digest is stored: the feed address is shown once when created; creating a new one
    revokes the old, and revoking deletes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
