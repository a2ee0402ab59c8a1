"""Notification emails: written with the change, in its transaction (the outbox is the queue), sent by
the relay, rendered in the recipient's language from editable templates, sent with an .ics on
confirmations, retried when sending fails."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from tila.booking.models import Reservation
from tila.booking.services import (
    reservation_approve,
    reservation_cancel,
    reservation_create,
    reservation_deny,
    reservation_modify,
)
from tila.notifications.models import EmailTemplate, Event, OutboundEmail, SendState
from tila.notifications.services import (
    LEASE,
    MAX_ATTEMPTS,
    email_render,
    outbound_send,
    outbox_relay,
    reminders_send,
    retry_delay,
)

pytestmark = pytest.mark.django_db


def book(f, day, *, customer=None, **kw):
    res = kw.pop("resource", None) or f.resource(**kw)
    return reservation_create(actor=customer or f.user(), resource=res, begin=f.at(day, 10), end=f.at(day, 11))


def events():
    return list(OutboundEmail.objects.order_by("id").values_list("event", flat=True))


def send_all():
    outbox_relay()


def test_every_engine_event_writes_one_outbox_row(f, future_day):
    res = f.resource(need_manual_confirmation=True)
    handler = f.staff(res.unit)
    customer = f.user()
    r = book(f, future_day, customer=customer, resource=res)
    reservation_approve(actor=handler, reservation=r)
    reservation_modify(actor=handler, reservation=r, begin=f.at(future_day, 12), end=f.at(future_day, 13))
    reservation_cancel(actor=handler, reservation=r, reason="Water damage")
    r2 = book(f, future_day, customer=customer, resource=res)
    reservation_deny(actor=handler, reservation=r2, reason="No")
    assert events() == ["request_received", "confirmed", "changed", "cancelled", "request_received", "denied"]
    assert set(OutboundEmail.objects.values_list("to", flat=True)) == {customer.email}


def test_closures_tell_no_one(f, future_day):
    res = f.resource()
    reservation_create(
        actor=f.staff(res.unit), resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11), type="blocked"
    )
    assert events() == []


def test_a_booking_writes_one_outbox_row_and_nothing_else_and_the_relay_sends_it(
    f, future_day, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        book(f, future_day)
        assert OutboundEmail.objects.count() == 1
    assert callbacks == [] and not DBTaskResult.objects.exists()  # no task, no after-commit step
    assert mail.outbox == []
    assert outbox_relay() == 1
    assert len(mail.outbox) == 1 and OutboundEmail.objects.get().state == SendState.SENT
    assert outbox_relay() == 0


def test_the_relay_sends_only_what_is_due_oldest_first(f, future_day):
    now = timezone.now()
    rows = [book(f, future_day) and OutboundEmail.objects.latest("pk") for _ in range(5)]
    later, leased, sent, failed, due = rows
    OutboundEmail.objects.filter(pk=later.pk).update(next_attempt_at=now + dt.timedelta(minutes=5))
    OutboundEmail.objects.filter(pk=leased.pk).update(next_attempt_at=now + LEASE)  # another relay has it
    OutboundEmail.objects.filter(pk=sent.pk).update(state=SendState.SENT)
    OutboundEmail.objects.filter(pk=failed.pk).update(state=SendState.FAILED)
    OutboundEmail.objects.filter(pk=due.pk).update(next_attempt_at=now - dt.timedelta(seconds=1))
    book(f, future_day)  # a new row, never tried (next_attempt_at empty)
    assert outbox_relay() == 2
    assert [m.to for m in mail.outbox] == [[due.to], [OutboundEmail.objects.latest("pk").to]]
    assert set(OutboundEmail.objects.filter(state=SendState.PENDING).values_list("pk", flat=True)) == {
        later.pk,
        leased.pk,
    }


def test_the_relay_takes_at_most_its_limit_per_pass(f, future_day):
    for _ in range(3):
        book(f, future_day)
    assert outbox_relay(limit=2) == 2 and outbox_relay(limit=2) == 1 and len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)  # the command refreshes its connections, as the worker does
def test_send_emails_once_sends_what_is_due_and_exits(f, future_day):
    from io import StringIO

    from django.core.management import call_command

    book(f, future_day)
    book(f, future_day)
    out = StringIO()
    call_command("send_emails", "--once", stdout=out)
    assert out.getvalue().strip() == "2 emails tried" and len(mail.outbox) == 2


def test_a_rolled_back_change_leaves_no_email(f, future_day):
    from django.db import transaction

    res = f.resource()

    def book_then_fail():
        with transaction.atomic():
            book(f, future_day, resource=res)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        book_then_fail()
    assert not OutboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("language", "subject_start"),
    [("fi", "Varaus vahvistettu"), ("sv", "Bokningen är bekräftad"), ("en", "Reservation confirmed")],
)
def test_confirmation_is_in_the_recipients_language_with_an_ics(f, future_day, language, subject_start):
    customer = f.user(preferred_language=language)
    r = book(f, future_day, customer=customer)
    send_all()
    (message,) = mail.outbox
    assert message.subject.startswith(subject_start)
    assert message.to == [customer.email]
    assert message.extra_headers["Content-Language"] == language
    assert customer.name in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html" and f'lang="{language}"' in html
    name, ics, ics_type = message.attachments[0]
    assert name == "reservation.ics" and ics_type.startswith("text/calendar")
    (event,) = Calendar.from_ical(ics).walk("VEVENT")
    assert event.decoded("dtstart") == r.begin
    row = OutboundEmail.objects.get()
    assert row.state == SendState.SENT and row.attempts == 1 and row.sent_at is not None


def test_denial_names_the_reason_and_has_no_ics(f, future_day):
    res = f.resource(need_manual_confirmation=True)
    r = book(f, future_day, resource=res, customer=f.user(preferred_language="en"))
    reservation_deny(actor=f.staff(res.unit), reservation=r, reason="The hall is being painted.")
    OutboundEmail.objects.filter(event=Event.REQUEST_RECEIVED).delete()
    send_all()
    (message,) = mail.outbox
    assert message.subject.startswith("Request denied") and "The hall is being painted." in message.body
    assert message.attachments == []


def test_an_admins_template_replaces_the_default_and_html_is_escaped(f, future_day):
    EmailTemplate.objects.create(
        event=Event.CONFIRMED,
        language="fi",
        subject="Vahvistus {{ resource }}",
        body_text="Moi {{ name }}! {{ when }}",
        body_html="<p>Moi <b>{{ name }}</b></p>",
    )
    customer = f.user()
    customer.name = "<Aino>"
    customer.save()
    book(f, future_day, customer=customer)
    send_all()
    (message,) = mail.outbox
    assert message.subject.startswith("Vahvistus ")
    assert message.body.startswith("Moi <Aino>!")
    assert "<b>&lt;Aino&gt;</b>" in message.alternatives[0][0]


def test_a_broken_custom_template_falls_back_to_the_default(f):
    EmailTemplate.objects.create(event=Event.REMINDER, language="en", subject="{% if %}", body_text="x")
    rendered = email_render(event=Event.REMINDER, language="en", context={"resource": "Hall", "date": "1.1."})
    assert rendered.subject == "Reminder: Hall 1.1."


@pytest.mark.parametrize("event", [e for e, _ in Event.choices])
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_event_has_a_default_in_every_language(event, language):
    from tila.notifications.render import sample_context

    rendered = email_render(event=event, language=language, context=sample_context(language))
    assert rendered.subject and "Aino Virtanen" in rendered.text and "<p>" in rendered.html
    assert "{{" not in rendered.text and "{%" not in rendered.html


@override_settings(EMAIL_BACKEND="tests.notifications.backends.DownBackend")
def test_a_failed_send_is_kept_and_retried_with_backoff_then_given_up(f, future_day):
    book(f, future_day)
    row = OutboundEmail.objects.get()
    now = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
    assert outbound_send(outbound_id=row.pk, now=now) == "retry"
    row.refresh_from_db()
    assert row.state == SendState.PENDING and row.attempts == 1 and "mail server is down" in row.last_error
    assert row.next_attempt_at == now + retry_delay(1)
    assert not DBTaskResult.objects.exists()  # the row's next attempt is all the relay needs
    assert outbound_send(outbound_id=row.pk, now=now) == "not_due"  # not before its time
    for attempt in range(2, MAX_ATTEMPTS + 1):
        now = row.next_attempt_at
        outcome = outbound_send(outbound_id=row.pk, now=now)
        row.refresh_from_db()
        assert row.attempts == attempt
        if attempt > 1 and attempt < MAX_ATTEMPTS:
            assert row.next_attempt_at - now == retry_delay(attempt)
    assert outcome == "failed" and row.state == SendState.FAILED
    assert retry_delay(1) < retry_delay(2) < retry_delay(3)


def test_a_sent_email_is_not_sent_twice(f, future_day):
    book(f, future_day)
    row = OutboundEmail.objects.get()
    assert outbound_send(outbound_id=row.pk) == "sent"
    assert outbound_send(outbound_id=row.pk) == "not_due"
    assert len(mail.outbox) == 1


def test_reminders_go_once_per_reservation_and_again_after_a_move(f, future_day):
    customer = f.user(preferred_language="sv")
    r = book(f, future_day, customer=customer)
    book(f, future_day + dt.timedelta(days=3))  # later than the lead time
    OutboundEmail.objects.all().delete()
    day_before = r.begin - dt.timedelta(hours=20)
    assert reminders_send(now=day_before) == 1
    assert reminders_send(now=day_before + dt.timedelta(hours=1)) == 0
    reservation_modify(actor=customer, reservation=r, begin=f.at(future_day, 12), end=f.at(future_day, 13))
    assert reminders_send(now=day_before) == 1
    assert events().count(Event.REMINDER) == 2
    outbound_send(outbound_id=OutboundEmail.objects.filter(event=Event.REMINDER).first().pk)
    assert mail.outbox[0].subject.startswith("Påminnelse")


def test_cancelled_reservations_get_no_reminder(f, future_day):
    customer = f.user()
    r = book(f, future_day, customer=customer)
    reservation_cancel(actor=customer, reservation=r)
    assert reminders_send(now=r.begin - dt.timedelta(hours=2)) == 0


def test_reminder_command_runs(f, future_day):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "reminders queued" in out.getvalue()


def test_reservation_without_account_uses_the_reservers_address(f, future_day):
    r = book(f, future_day)
    Reservation.objects.filter(pk=r.pk).update(user=None, reserver_email="guest@example.org")
    r.refresh_from_db()
    reservation_cancel(actor=f.staff(r.resource.unit), reservation=r)
    assert OutboundEmail.objects.filter(event=Event.CANCELLED).get().to == "guest@example.org"


def test_send_again_now_in_the_admin_makes_a_failed_email_due_for_the_relay(f, future_day, client):
    book(f, future_day)
    row = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=row.pk).update(state=SendState.FAILED, attempts=MAX_ATTEMPTS, next_attempt_at=None)
    admin = f.user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    with translation.override("en"):
        changelist = reverse("admin:notifications_outboundemail_changelist")
        response = client.post(changelist, {"action": "retry_now", "_selected_action": [row.pk]}, follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Emails queued: 1."]
    row.refresh_from_db()
    assert row.state == SendState.PENDING and row.attempts == 0 and row.next_attempt_at <= timezone.now()
    assert outbox_relay() == 1 and len(mail.outbox) == 1
