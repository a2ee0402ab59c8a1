"""Rendering and sending notification emails, reminders and the retry of failed sends.

`outbound_send` is what the send task runs. It claims the outbox row with a conditional update
(a short lease, so two workers never send the same row and no database lock is held while talking
to the mail server), renders it once in the recipient's language, sends it, and records the
result. A failure keeps the row with its error and schedules another attempt with exponential
backoff; after `MAX_ATTEMPTS` the row stays `failed`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template import Context, Engine, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tila.booking.models import Reservation, ReservationType, State
from tila.notifications import render as render_context
from tila.notifications.defaults import default_template
from tila.notifications.events import enqueue_email, reservation_event
from tila.notifications.models import EmailTemplate, Event, OutboundEmail, SendState

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
LEASE = dt.timedelta(minutes=5)
FIRST_RETRY = dt.timedelta(minutes=1)
ICS_EVENTS = {Event.CONFIRMED, Event.CHANGED, Event.SERIES_CREATED, Event.SERIES_CHANGED}

_engine = Engine(autoescape=True)


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 4, 16, 64 minutes… after the 1st, 2nd, 3rd, 4th failure."""
    return FIRST_RETRY * (4 ** max(0, attempts - 1))


# --- Rendering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _sources(event: str, language: str) -> list[tuple[str, str, str]]:
    """The admin's template first (if any), then the built-in default as a fallback."""
    sources = []
    custom = EmailTemplate.objects.filter(event=event, language=language).first()
    if custom is not None:
        sources.append((custom.subject, custom.body_text, custom.body_html))
    sources.append(default_template(event, language))
    return sources


def _render_one(source: tuple[str, str, str], context: dict[str, Any]) -> Rendered:
    subject, text, html = source
    plain = Context(context, autoescape=False)
    subject_out = " ".join(_engine.from_string(subject).render(plain).split())[:300]
    text_out = _engine.from_string(text).render(plain).strip() + "\n"
    html_body = _engine.from_string(html).render(Context(context, autoescape=True)) if html.strip() else ""
    html_out = (
        render_to_string(
            "notifications/email.html",
            {"body": html_body, "subject": subject_out, "language": translation.get_language()},
        )
        if html_body
        else ""
    )
    return Rendered(subject_out, text_out, html_out)


def email_render(*, event: str, language: str, context: dict[str, Any]) -> Rendered:
    """Render `event` in `language`; a broken custom template falls back to the default."""
    sources = _sources(event, language)
    with translation.override(language):
        for index, source in enumerate(sources):
            try:
                return _render_one(source, context)
            except (TemplateSyntaxError, KeyError, TypeError, ValueError) as exc:
                if index == len(sources) - 1:
                    raise
                logger.warning("Email template %s/%s is broken (%s); using the default", event, language, exc)
    raise AssertionError("unreachable")  # pragma: no cover


def email_preview(*, event: str, language: str) -> Rendered:
    """A rendering with sample data, for administrators editing templates."""
    return email_render(event=event, language=language, context=render_context.sample_context(language))


def _render_outbound(outbound: OutboundEmail) -> None:
    context, ics = render_context.outbound_context(outbound)
    rendered = email_render(event=outbound.event, language=outbound.language, context=context)
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        subject=rendered.subject,
        body_text=rendered.text,
        body_html=rendered.html,
        ics=ics if outbound.event in ICS_EVENTS else "",
        rendered=True,
    )
    outbound.refresh_from_db()


# --- Sending -----------------------------------------------------------------------------------


def _claim(outbound_id: int, now: dt.datetime) -> OutboundEmail | None:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = OutboundEmail.objects.filter(due, pk=outbound_id, state=SendState.PENDING).update(
        next_attempt_at=now + LEASE, attempts=F("attempts") + 1
    )
    return OutboundEmail.objects.get(pk=outbound_id) if claimed else None


def _message(outbound: OutboundEmail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=outbound.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[outbound.to],
        headers={"Content-Language": outbound.language, "Auto-Submitted": "auto-generated"},
    )
    if outbound.body_html:
        message.attach_alternative(outbound.body_html, "text/html")
    if outbound.ics:
        message.attach("reservation.ics", outbound.ics, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


def _failed(outbound: OutboundEmail, error: Exception, now: dt.datetime) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    if outbound.attempts >= MAX_ATTEMPTS:
        OutboundEmail.objects.filter(pk=outbound.pk).update(
            state=SendState.FAILED, last_error=text, next_attempt_at=None
        )
        logger.error("Giving up on email %s after %s attempts: %s", outbound.pk, outbound.attempts, text)
        return SendState.FAILED
    retry_at = now + retry_delay(outbound.attempts)
    OutboundEmail.objects.filter(pk=outbound.pk).update(last_error=text, next_attempt_at=retry_at)
    from tila.notifications.tasks import send_email

    pk = outbound.pk
    transaction.on_commit(lambda: send_email.using(run_after=retry_at).enqueue(pk))
    logger.warning("Email %s failed (attempt %s), retrying at %s: %s", pk, outbound.attempts, retry_at, text)
    return "retry"


def outbound_send(*, outbound_id: int, now: dt.datetime | None = None) -> str:
    """Send one outbox row if it is due. Returns "sent", "retry", "failed" or "not_due"."""
    now = now or timezone.now()
    outbound = _claim(outbound_id, now)
    if outbound is None:
        return "not_due"
    try:
        if not outbound.rendered:
            _render_outbound(outbound)
        _message(outbound).send(fail_silently=False)
    except Exception as exc:  # any failure of rendering or of the mail server is retried
        return _failed(outbound, exc, now)
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        state=SendState.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return SendState.SENT


def outbound_retry_due(*, now: dt.datetime | None = None, limit: int = 500) -> int:
    """Queue every pending row that is due (a safety net for rows whose task was lost)."""
    from tila.notifications.tasks import send_email

    now = now or timezone.now()
    due = (
        OutboundEmail.objects.filter(state=SendState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(created_at__lte=now - dt.timedelta(seconds=30))
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(due)
    for pk in ids:
        send_email.enqueue(pk)
    return len(ids)


# --- Reminders and staff messages --------------------------------------------------------------


def reminder_lead() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "TILA_REMINDER_HOURS", 24)))


def _reminder_key(reservation: Reservation) -> str:
    return f"reminder:{reservation.pk}:{reservation.begin.isoformat()}"


@transaction.atomic
def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Queue one reminder for each confirmed reservation that begins within the reminder lead time.

    Idempotent: a reminder is keyed by the reservation and its start (a moved reservation gets a
    new one), and the key is unique in the outbox."""
    now = now or timezone.now()
    upcoming = (
        Reservation.objects.filter(
            state=State.CONFIRMED, type=ReservationType.NORMAL, begin__gt=now, begin__lte=now + reminder_lead()
        )
        .select_related("user")
        .order_by("begin", "id")
    )
    queued = 0
    for reservation in upcoming:
        key = _reminder_key(reservation)
        if OutboundEmail.objects.filter(dedupe_key=key).exists():
            continue
        try:
            with transaction.atomic():
                row = reservation_event(Event.REMINDER, reservation, dedupe_key=key)
        except IntegrityError:  # another run queued it in the meantime
            continue
        queued += row is not None
    return queued


def message_to_customer(*, event: str, reservation: Reservation, **context: Any) -> OutboundEmail | None:
    """Queue a message about `reservation` (used by staff actions that are not engine events)."""
    return reservation_event(event, reservation, **context)


__all__ = ["email_render", "enqueue_email", "outbound_send", "reminders_send", "retry_delay"]
