"""Retention: inactive accounts are warned, then anonymised; old personal details are removed."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from tila.accounts.models import AuthToken, User
from tila.accounts.retention import retention_run
from tila.booking.models import Reservation
from tila.booking.services import reservation_create
from tila.notifications.models import OutboundEmail
from tila.security.models import RateLimitCounter

NOW = dt.datetime(2031, 6, 1, 9, 0, tzinfo=dt.UTC)
YEARS_AGO = NOW - dt.timedelta(days=4 * 365)


@pytest.fixture(autouse=True)
def periods(settings):
    settings.TILA_RETENTION_INACTIVE_DAYS = 1095
    settings.TILA_RETENTION_NOTICE_DAYS = 30
    settings.TILA_RETENTION_RESERVATION_DAYS = 730
    settings.TILA_RETENTION_EMAIL_DAYS = 180


def _idle(f, email: str, *, since: dt.datetime = YEARS_AGO, **extra) -> User:
    user = f.user(email, **extra)
    User.objects.filter(pk=user.pk).update(date_joined=since, last_login=since)
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
def test_an_inactive_resident_gets_a_notice_in_their_language(f):
    user = _idle(f, "unohtunut@example.org", preferred_language="sv")
    report = retention_run(now=NOW)
    assert report.notices_sent == 1
    assert User.objects.get(pk=user.pk).retention_notice_sent_at == NOW
    assert [m.to for m in mail.outbox] == [["unohtunut@example.org"]]
    assert mail.outbox[0].subject
    assert "1.7.2031" in mail.outbox[0].body, "the deadline is NOTICE_DAYS ahead"
    assert retention_run(now=NOW).notices_sent == 0, "one notice only"


@pytest.mark.django_db
def test_active_people_and_staff_get_no_notice(f):
    _idle(f, "aktiivinen@example.org", since=NOW - dt.timedelta(days=10))
    unit = f.unit()
    staff = f.staff(unit, email="henkilokunta@example.org")
    User.objects.filter(pk=staff.pk).update(date_joined=YEARS_AGO, last_login=YEARS_AGO)
    _idle(f, "admin@example.org", is_superuser=True, is_staff=True)
    token_user = _idle(f, "api@example.org")
    AuthToken.objects.create(user=token_user, digest="x" * 64, last_used_at=NOW - dt.timedelta(days=3))
    assert retention_run(now=NOW).notices_sent == 0, [m.to for m in mail.outbox]
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_upcoming_reservation_counts_as_activity(f, future_day):
    user = _idle(f, "varaaja@example.org")
    reservation_create(actor=user, resource=f.resource(), begin=f.at(future_day, 10), end=f.at(future_day, 11))
    assert retention_run(now=timezone.now() + dt.timedelta(days=400)).notices_sent == 0


@pytest.mark.django_db
def test_after_the_notice_period_the_account_is_anonymised(f):
    user = _idle(f, "unohtunut@example.org")
    retention_run(now=NOW)
    assert retention_run(now=NOW + dt.timedelta(days=29)).accounts_anonymised == 0
    report = retention_run(now=NOW + dt.timedelta(days=31))
    assert report.accounts_anonymised == 1
    anonymised = User.objects.get(pk=user.pk)
    assert anonymised.anonymised_at is not None and anonymised.email.endswith("@anonymised.invalid")


@pytest.mark.django_db
def test_signing_in_after_the_notice_keeps_the_account(f):
    user = _idle(f, "palasi@example.org")
    retention_run(now=NOW)
    User.objects.filter(pk=user.pk).update(last_login=NOW + dt.timedelta(days=5))
    report = retention_run(now=NOW + dt.timedelta(days=31))
    assert report.notices_cancelled == 1
    assert report.accounts_anonymised == 0
    assert User.objects.get(pk=user.pk).retention_notice_sent_at is None


@pytest.mark.django_db
def test_old_reservations_lose_personal_details_and_keep_the_rest(f, future_day):
    user = f.user("vanha@example.org")
    resource = f.resource()
    old = reservation_create(
        actor=user,
        resource=resource,
        begin=f.at(future_day, 10),
        end=f.at(future_day, 11),
        event_subject="Vanha juhla",
        reserver_phone="040 1",
        number_of_participants=5,
    )
    recent = reservation_create(
        actor=user, resource=resource, begin=f.at(future_day, 12), end=f.at(future_day, 13), event_subject="Uusi"
    )
    now = old.end + dt.timedelta(days=731)
    Reservation.objects.filter(pk=recent.pk).update(begin=now - dt.timedelta(days=10), end=now - dt.timedelta(days=9))
    report = retention_run(now=now)
    assert report.reservations_scrubbed == 1
    old = Reservation.objects.get(pk=old.pk)
    assert (old.reserver_email, old.reserver_name, old.reserver_phone, old.event_subject) == ("", "", "", "")
    assert (old.user_id, old.number_of_participants, old.state) == (user.pk, 5, "confirmed")
    assert Reservation.objects.get(pk=recent.pk).event_subject == "Uusi"


@pytest.mark.django_db
def test_old_emails_keep_only_event_and_times(f):
    row = OutboundEmail.objects.create(event="confirmed", to="a@example.org", subject="S", body_text="Hei A")
    OutboundEmail.objects.filter(pk=row.pk).update(created_at=NOW - dt.timedelta(days=200))
    fresh = OutboundEmail.objects.create(event="confirmed", to="b@example.org", subject="S", body_text="Hei B")
    OutboundEmail.objects.filter(pk=fresh.pk).update(created_at=NOW - dt.timedelta(days=10))
    assert retention_run(now=NOW).emails_scrubbed == 1
    row.refresh_from_db()
    assert (row.to, row.body_text, row.event) == ("", "", "confirmed")
    assert OutboundEmail.objects.get(pk=fresh.pk).to == "b@example.org"


@pytest.mark.django_db
def test_expired_rate_limit_counters_are_purged():
    RateLimitCounter.objects.create(key="old", expires=int(NOW.timestamp()) - 10, count=3)
    RateLimitCounter.objects.create(key="live", expires=int(NOW.timestamp()) + 10, count=3)
    assert retention_run(now=NOW).counters_purged == 1
    assert list(RateLimitCounter.objects.values_list("key", flat=True)) == ["live"]


@pytest.mark.django_db
def test_dry_run_changes_nothing(f):
    user = _idle(f, "unohtunut@example.org")
    report = retention_run(now=NOW, dry_run=True)
    assert report.notices_sent == 1
    assert User.objects.get(pk=user.pk).retention_notice_sent_at is None
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_command_reports_what_it_did(f):
    _idle(f, "unohtunut@example.org", since=timezone.now() - dt.timedelta(days=1500))
    out = StringIO()
    call_command("retention", stdout=out)
    assert "notices_sent: 1" in out.getvalue()


@pytest.mark.django_db
def test_the_task_runs_the_same_pass(f):
    from tila.accounts.tasks import run_retention

    _idle(f, "unohtunut@example.org", since=timezone.now() - dt.timedelta(days=1500))
    result = run_retention.call()
    assert result["notices_sent"] == 1
