"""Where the domain says "this happened, tell the customer".

`reservation_event` and `series_event` are called by the booking services inside their
transaction. They write an `OutboundEmail` row there, so the message and the change commit or roll
back together (a new reservation's row is built by `reservation_email` and written by the booking's
own INSERT statement, tila.booking.services), and that row is all: the outbox is the queue, and the
relay (`tila send_emails`, tila.notifications.services.outbox_relay) sends it once it is committed.
A booking pays for one row, not a row and a task. Closures and reservations without an address make
no row.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from tila.accounts.models import Language
from tila.booking.models import Reservation, ReservationSeries, ReservationType, State
from tila.core.db import CompiledInsert
from tila.notifications.models import Event, OutboundEmail

_LANGUAGES = frozenset(Language.values)


def _recipient(user: Any, reserver_email: str) -> tuple[str, str, Any]:
    """(address, language, user) of whom to tell: the reserver's address given for the booking
    (it defaults to the account's), in the account holder's language."""
    default = settings.LANGUAGE_CODE[:2]
    language = getattr(user, "preferred_language", "") or default
    if language not in _LANGUAGES:
        language = Language.FI
    return reserver_email or getattr(user, "email", "") or "", language, user


_NEW_EMAIL = CompiledInsert.of(OutboundEmail)  # one per booking: the INSERT compiled once (tila.core.db)


def enqueue_email(
    *,
    event: str,
    to: str,
    language: str,
    recipient: Any = None,
    reservation: Reservation | None = None,
    series: ReservationSeries | None = None,
    context: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> OutboundEmail | None:
    """Write one outbox row; the relay sends it once the surrounding transaction has committed."""
    if not to:
        return None
    return _NEW_EMAIL.insert(
        OutboundEmail(
            event=event,
            to=to,
            language=language,
            recipient=recipient,
            reservation=reservation,
            series=series,
            context=context or {},
            dedupe_key=dedupe_key,
        )
    )


def reservation_event(
    event: str, reservation: Reservation, *, dedupe_key: str | None = None, **context: Any
) -> OutboundEmail | None:
    """Tell the customer of `reservation` about `event` (an `Event` value)."""
    row = reservation_email(event, reservation, dedupe_key=dedupe_key, **context)
    return _NEW_EMAIL.insert(row) if row is not None else None


def reservation_email(
    event: str, reservation: Reservation, *, dedupe_key: str | None = None, **context: Any
) -> OutboundEmail | None:
    """The unsaved outbox row of `reservation_event`, or None when no one is to be told: the booking
    engine writes a new reservation's row in the statement that inserts the reservation
    (`CompiledInsert.insert_with`)."""
    if reservation.type != ReservationType.NORMAL:
        return None
    to, language, user = _recipient(reservation.user, reservation.reserver_email)
    if not to:
        return None
    return OutboundEmail(
        event=event,
        to=to,
        language=language,
        recipient=user,
        reservation=reservation,
        context=context,
        dedupe_key=dedupe_key,
    )


def created_event(reservation: Reservation) -> str | None:
    """The event a new reservation reports: a request was received, or it is confirmed."""
    if reservation.state == State.REQUESTED:
        return Event.REQUEST_RECEIVED
    if reservation.state == State.CONFIRMED:
        return Event.CONFIRMED
    return None


def series_event(event: str, series: ReservationSeries, **context: Any) -> OutboundEmail | None:
    """One message for a whole series (never one per occurrence)."""
    if series.type != ReservationType.NORMAL:
        return None
    to, language, user = _recipient(series.user, series.reserver_email)
    return enqueue_email(event=event, to=to, language=language, recipient=user, series=series, context=context)
