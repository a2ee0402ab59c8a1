"""Forgetting what Tila no longer needs (run daily: `tila retention`, or the task `retention_run`).

1. An account unused for `TILA_RETENTION_INACTIVE_DAYS` (no sign-in, no API use, no reservation
   ending within that time) gets an email notice. Staff accounts are left alone.
2. Signing in (or any other activity) after the notice cancels it.
3. `TILA_RETENTION_NOTICE_DAYS` after the notice, a still-inactive account is anonymised exactly as
   if the person had deleted it (tila.accounts.gdpr), unless deletion must wait.
4. Reservations that ended more than `TILA_RETENTION_RESERVATION_DAYS` ago lose the reserver's
   name, email, phone and the subject and description (their audit snapshots too); resource,
   times, state and the number of participants stay for statistics.
5. Emails older than `TILA_RETENTION_EMAIL_DAYS` keep only their event, state and times.
6. Expired rate-limit counters are purged.

docs/privacy.md has the data map.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import DateTimeField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tila.accounts.gdpr import DeletionBlocked, account_anonymise
from tila.accounts.gdpr_providers import RESERVATION_PERSONAL_FIELDS, scrub_audit_snapshots
from tila.accounts.models import AuthToken, ExternalIdentity, User
from tila.security import ratelimit

logger = logging.getLogger(__name__)
BATCH = 500


@dataclass
class RetentionReport:
    notices_sent: int = 0
    notices_cancelled: int = 0
    accounts_anonymised: int = 0
    accounts_waiting: int = 0
    reservations_scrubbed: int = 0
    emails_scrubbed: int = 0
    counters_purged: int = 0


def _days(name: str, default: int) -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, name, default)))


def _latest(model_qs: QuerySet[Any], field: str) -> Subquery:
    return Subquery(model_qs.values("user").annotate(latest=Max(field)).values("latest")[:1])


def with_last_activity(users: QuerySet[User]) -> QuerySet[Any]:
    """Annotate `last_active`: the latest sign-in, API use, provider sign-in or reservation end."""
    Reservation = apps.get_model("booking", "Reservation")
    joined = F("date_joined")
    tokens = AuthToken.objects.filter(user=OuterRef("pk"))
    identities = ExternalIdentity.objects.filter(user=OuterRef("pk"))
    reservations = Reservation.objects.filter(user=OuterRef("pk"))
    return users.annotate(
        last_active=Greatest(
            Coalesce(F("last_login"), joined),
            Coalesce(_latest(tokens, "last_used_at"), joined, output_field=DateTimeField()),
            Coalesce(_latest(identities, "last_login_at"), joined, output_field=DateTimeField()),
            Coalesce(_latest(reservations, "end"), joined, output_field=DateTimeField()),
            output_field=DateTimeField(),
        )
    )


def _residents() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, anonymised_at__isnull=True, is_staff=False, is_superuser=False, unit_roles__isnull=True
    )


def _send_notice(user: User, deadline: dt.datetime) -> bool:
    """Email the notice; an account without a real address (`….invalid`) counts as noticed."""
    if user.email.endswith(".invalid"):
        return True
    context = {"user": user, "deadline": deadline, "site_url": settings.SITE_URL}
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = render_to_string("accounts/email/inactivity_notice_subject.txt", context).strip()
        body = render_to_string("accounts/email/inactivity_notice.txt", context)
    try:
        EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except OSError:
        logger.exception("Inactivity notice to user %s could not be sent", user.pk)
        return False
    return True


def _cancel_notices_of_returned(report: RetentionReport) -> None:
    noticed = with_last_activity(_residents().filter(retention_notice_sent_at__isnull=False))
    returned = noticed.filter(last_active__gt=F("retention_notice_sent_at")).values_list("pk", flat=True)
    report.notices_cancelled = User.objects.filter(pk__in=list(returned)).update(retention_notice_sent_at=None)


def _anonymise_expired(report: RetentionReport, now: dt.datetime, dry_run: bool) -> None:
    deadline = now - _days("TILA_RETENTION_NOTICE_DAYS", 30)
    due = with_last_activity(_residents().filter(retention_notice_sent_at__lte=deadline))
    for user in due.filter(last_active__lte=F("retention_notice_sent_at")):
        if dry_run:
            report.accounts_anonymised += 1
            continue
        try:
            account_anonymise(user=user, now=now, reason="retention")
        except DeletionBlocked:
            report.accounts_waiting += 1
        else:
            report.accounts_anonymised += 1


def _send_notices(report: RetentionReport, now: dt.datetime, dry_run: bool) -> None:
    cutoff = now - _days("TILA_RETENTION_INACTIVE_DAYS", 1095)
    candidates = with_last_activity(_residents().filter(retention_notice_sent_at__isnull=True))
    deadline = now + _days("TILA_RETENTION_NOTICE_DAYS", 30)
    for user in candidates.filter(last_active__lt=cutoff).order_by("pk"):
        if dry_run or _send_notice(user, deadline):
            report.notices_sent += 1
            if not dry_run:
                User.objects.filter(pk=user.pk).update(retention_notice_sent_at=now)


def _scrub_old_reservations(report: RetentionReport, now: dt.datetime, dry_run: bool) -> None:
    Reservation = apps.get_model("booking", "Reservation")
    cutoff = now - _days("TILA_RETENTION_RESERVATION_DAYS", 730)
    has_details = Q()
    for name in RESERVATION_PERSONAL_FIELDS:
        has_details |= ~Q(**{name: ""})
    old = Reservation.objects.filter(has_details, end__lt=cutoff)
    ids = list(old.values_list("pk", flat=True))
    report.reservations_scrubbed = len(ids)
    if dry_run:
        return
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        Reservation.objects.filter(pk__in=chunk).update(**{name: "" for name in RESERVATION_PERSONAL_FIELDS})
        scrub_audit_snapshots("booking.reservation", [str(pk) for pk in chunk], RESERVATION_PERSONAL_FIELDS)


def _scrub_old_emails(report: RetentionReport, now: dt.datetime, dry_run: bool) -> None:
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    cutoff = now - _days("TILA_RETENTION_EMAIL_DAYS", 180)
    old = OutboundEmail.objects.filter(created_at__lt=cutoff).exclude(to="", body_text="", body_html="", ics="")
    if dry_run:
        report.emails_scrubbed = old.count()
        return
    report.emails_scrubbed = old.update(
        to="", subject="", body_text="", body_html="", ics="", context={}, last_error=""
    )


def retention_run(*, now: dt.datetime | None = None, dry_run: bool = False) -> RetentionReport:
    """One pass of every retention rule (idempotent)."""
    moment = now or timezone.now()
    report = RetentionReport()
    if not dry_run:
        _cancel_notices_of_returned(report)
    _anonymise_expired(report, moment, dry_run)
    _send_notices(report, moment, dry_run)
    _scrub_old_reservations(report, moment, dry_run)
    _scrub_old_emails(report, moment, dry_run)
    if not dry_run:
        report.counters_purged = ratelimit.purge(now=moment.timestamp())
    return report
