"""End to end through a real SMTP server: a booking commits, the outbox relay (`tila send_emails`)
sends the email over SMTP to aiosmtpd on loopback, and we read the message back (subject, language,
.ics)."""

import datetime as dt
import email
import io
import socket
import threading
import time
from email import policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.utils import timezone
from icalendar import Calendar

from tila.booking.series import series_create
from tila.booking.services import reservation_create
from tila.notifications.models import OutboundEmail, SendState

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_settings = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        "EMAIL_TIMEOUT": 5,
    }
    try:
        with override_settings(**smtp_settings):
            yield inbox
    finally:
        controller.stop()


def run_worker():
    call_command("send_emails", "--once", stdout=io.StringIO())


def ics_of(message):
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_content())


def test_confirmation_travels_through_the_outbox_relay_and_smtp(f, future_day, smtp):
    customer = f.user(preferred_language="sv")
    res = f.resource(name_sv="Musikrummet")
    reservation = reservation_create(actor=customer, resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    assert smtp.messages == []  # queued, not sent by the request
    run_worker()
    ((to, message),) = smtp.messages
    assert to == [customer.email]
    assert message["Subject"].strip().startswith("Bokningen är bekräftad: Musikrummet")
    assert message["Content-Language"] == "sv"
    assert "Hej" in message.get_body(preferencelist=("plain",)).get_content()
    assert 'lang="sv"' in message.get_body(preferencelist=("html",)).get_content()
    (event,) = ics_of(message).walk("VEVENT")
    assert event.decoded("dtstart") == reservation.begin and event.decoded("dtend") == reservation.end
    assert OutboundEmail.objects.get().state == SendState.SENT


def test_a_series_sends_one_message_with_every_occurrence(f, smtp):
    res = f.resource()
    customer = f.user(preferred_language="en")
    start = future = timezone.localdate() + dt.timedelta(days=14)
    series_create(
        actor=f.staff(res.unit),
        resource=res,
        user=customer,
        weekdays=[future.weekday()],
        start_date=start,
        count=3,
        begin_time=dt.time(17),
        end_time=dt.time(18),
    )
    run_worker()
    ((_, message),) = smtp.messages
    assert message["Subject"].strip().startswith("Recurring reservation confirmed")
    assert "Occurrences booked: 3" in message.get_body(preferencelist=("plain",)).get_content()
    assert len(ics_of(message).walk("VEVENT")) == 3


def test_a_send_that_fails_while_the_server_is_down_is_retried_later(f, future_day, smtp):
    customer = f.user(preferred_language="fi")
    dead_port = free_port()
    with override_settings(EMAIL_PORT=dead_port):
        reservation_create(actor=customer, resource=f.resource(), begin=f.at(future_day, 10), end=f.at(future_day, 11))
        run_worker()
    row = OutboundEmail.objects.get()
    assert row.state == SendState.PENDING and row.attempts == 1 and row.last_error
    assert smtp.messages == []
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1), tick=False):
        run_worker()
    ((_, message),) = smtp.messages
    assert message["Subject"].strip().startswith("Varaus vahvistettu")
    row.refresh_from_db()
    assert row.state == SendState.SENT and row.attempts == 2


def test_the_running_relay_sends_a_booking_made_while_it_watches_and_stops_when_told(f, future_day, smtp):
    from tila.notifications.management.commands.send_emails import relay

    stop = threading.Event()
    tried: list[int] = []

    def watch():
        try:
            tried.append(relay(stop, interval=0.05))
        finally:
            connections.close_all()  # the thread's own connection

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        customer = f.user(preferred_language="en")
        reservation_create(actor=customer, resource=f.resource(), begin=f.at(future_day, 10), end=f.at(future_day, 11))
        deadline = time.monotonic() + 30
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive() and tried == [1]
    ((to, message),) = smtp.messages
    assert to == [customer.email] and message["Subject"].strip().startswith("Reservation confirmed")
    assert OutboundEmail.objects.get().state == SendState.SENT
