"""Rendering and sending notification emails, reminders and the retry of failed sends.

The outbox table is the queue: a change that tells someone writes one `OutboundEmail` row in its
own transaction (tila.notifications.events), and the relay (`outbox_relay`, run in a loop by
`tila send_emails`) sends every due row. `outbound_send` claims a row with a conditional update
(a short lease, so two relays never send the same row and no database lock is held while talking
to the mail server), renders it once in the recipient's language, sends it, and records the
result. A failure keeps the row with its error and sets its next attempt with exponential
backoff, when the relay picks it up again; after `MAX_ATTEMPTS` the row stays `failed`.
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
    claimed = OutboundEmail.objects.filter(_due(now), pk=outbound_id).update(
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
    logger.warning("Email %s failed (attempt %s), retrying at %s: %s", outbound.pk, outbound.attempts, retry_at, text)
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


def _due(now: dt.datetime) -> Q:
    return Q(state=SendState.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def outbox_relay(*, limit: int = 100) -> int:
    """Send the due pending rows, oldest first, at most `limit`; returns how many were tried.

    Several relays may run at once (on several hosts): each row is claimed before it is sent, so a
    row another relay took meanwhile is skipped. A row claimed by a relay that died is due again
    when its lease runs out."""
    due = OutboundEmail.objects.filter(_due(timezone.now())).order_by("pk").values_list("pk", flat=True)
    ids = list(due[:limit])
    for pk in ids:
        outbound_send(outbound_id=pk)
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


__all__ = ["email_render", "enqueue_email", "outbound_send", "outbox_relay", "reminders_send", "retry_delay"]
