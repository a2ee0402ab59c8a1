"""Writes of customer feedback: answering a survey, public-link answers, invitations, the inbox.

Every rule lives here; the pages and the demo loader call these functions. Errors are
`DomainError`s with stable codes:

  survey_closed, survey_not_ended, already_answered, already_answered_today, throttled,
  invalid_score, invalid_birth_year, comment_too_long, permission_denied.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Language
from tila.accounts.permissions import Action, can
from tila.booking.models import Reservation
from tila.catalogue.models import Resource, Unit
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, PermissionDenied
from tila.feedback.models import (
    BookerProfile,
    CustomerGroup,
    PublicAnswerMark,
    QuestionAnswer,
    Response,
    Source,
    SurveyInvitation,
    Theme,
    UnitQuestion,
)
from tila.feedback.selectors import survey_state, survey_token, surveyable_q

logger = logging.getLogger(__name__)

MAX_COMMENT = 4000
MAX_EXTRA = 1000
# Public links: at most this many answers from one client (hashed address) per hour, all units.
PUBLIC_RATE_LIMIT = 20
PUBLIC_RATE_WINDOW = dt.timedelta(hours=1)
# Invitations go out for reservations that ended at most this long ago (a missed run catches up).
INVITE_WITHIN = dt.timedelta(days=3)


def _language(value: str | None) -> str:
    return value if value in Language.values else Language.FI


def _check_answer(score: int, comment: str, birth_year: int | None, now: dt.datetime) -> None:
    if not isinstance(score, int) or not 0 <= score <= 10:
        raise DomainError("invalid_score", _("Choose a number from 0 to 10."), field="score")
    if len(comment) > MAX_COMMENT:
        raise DomainError(
            "comment_too_long", _("Keep the comment under %(max)s characters."), field="comment", max=MAX_COMMENT
        )
    if birth_year is not None and not 1900 <= birth_year <= now.year:
        raise DomainError("invalid_birth_year", _("Enter a year of birth such as 1985."), field="birth_year")


def _save_extra(response: Response, unit: Unit, extra: Mapping[int, str]) -> None:
    """Answers to the unit's own (active) questions; blank answers and unknown questions are ignored."""
    questions = {q.pk: q for q in UnitQuestion.objects.filter(unit=unit, active=True, pk__in=list(extra))}
    rows = [
        QuestionAnswer(response=response, question=questions[qid], value=str(value).strip()[:MAX_EXTRA])
        for qid, value in extra.items()
        if qid in questions and str(value).strip()
    ]
    QuestionAnswer.objects.bulk_create(rows)


def _remember_profile(user: Any, birth_year: int | None, customer_group: str) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    updates: dict[str, Any] = {}
    if birth_year is not None:
        updates["birth_year"] = birth_year
    if customer_group and customer_group != CustomerGroup.UNKNOWN:
        updates["customer_group"] = customer_group
    if updates:
        BookerProfile.objects.update_or_create(user=user, defaults=updates)


def _customer_group(value: str, user: Any) -> str:
    if value in CustomerGroup.values and value != CustomerGroup.UNKNOWN:
        return value
    pk = getattr(user, "pk", None)
    profile = BookerProfile.objects.filter(user_id=pk).first() if pk is not None else None
    return profile.customer_group if profile else CustomerGroup.UNKNOWN


def feedback_submit(
    *,
    reservation: Reservation,
    score: int,
    comment: str = "",
    customer_group: str = "",
    birth_year: int | None = None,
    extra: Mapping[int, str] | None = None,
    language: str = Language.FI,
    now: dt.datetime | None = None,
) -> Response:
    """The booker's one answer to the survey of an ended reservation."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    _check_answer(score, comment, birth_year, now)
    state = survey_state(reservation, now)
    if state == "answered":
        raise DomainError("already_answered", _("This reservation already has an answer. Thank you!"))
    if state == "not_ended":
        raise DomainError("survey_not_ended", _("You can answer once the reservation has ended."))
    if state == "closed":
        raise DomainError("survey_closed", _("This survey is no longer open."))
    resource = reservation.resource
    try:
        with transaction.atomic():
            response = Response.objects.create(
                source=Source.RESERVATION,
                reservation=reservation,
                unit_id=resource.unit_id,
                resource=resource,
                score=score,
                comment=comment,
                language=_language(language),
                customer_group=_customer_group(customer_group, reservation.user),
                created_at=now,
            )
            _save_extra(response, resource.unit, extra or {})
            _remember_profile(reservation.user, birth_year, customer_group)
    except IntegrityError as exc:  # a second tab or a double click won the race
        raise DomainError("already_answered", _("This reservation already has an answer. Thank you!")) from exc
    return response


# --- Public link ---------------------------------------------------------------------------------


def _digest(*parts: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, "\x1f".join(("tila.feedback", *parts)).encode(), hashlib.sha256).hexdigest()


def public_feedback_submit(
    *,
    unit: Unit,
    browser_id: str,
    client_key: str,
    score: int,
    resource: Resource | None = None,
    comment: str = "",
    customer_group: str = "",
    extra: Mapping[int, str] | None = None,
    language: str = Language.FI,
    now: dt.datetime | None = None,
) -> Response:
    """An answer through a unit's public link or QR code: one per browser, unit and day, and at
    most PUBLIC_RATE_LIMIT an hour from one client. Only salted hashes are stored."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    _check_answer(score, comment, None, now)
    if resource is not None and resource.unit_id != unit.pk:
        resource = None
    day = timezone.localdate(now)
    client = _digest("client", client_key, day.isoformat())
    recent = PublicAnswerMark.objects.filter(client_digest=client, created_at__gt=now - PUBLIC_RATE_WINDOW).count()
    if recent >= PUBLIC_RATE_LIMIT:
        raise DomainError("throttled", _("Too many answers from this connection. Please try again later."))
    try:
        with transaction.atomic():
            PublicAnswerMark.objects.create(
                unit=unit, day=day, browser_digest=_digest("browser", browser_id), client_digest=client, created_at=now
            )
            response = Response.objects.create(
                source=Source.PUBLIC_LINK,
                unit=unit,
                resource=resource,
                score=score,
                comment=comment,
                language=_language(language),
                customer_group=customer_group if customer_group in CustomerGroup.values else CustomerGroup.UNKNOWN,
                created_at=now,
            )
            _save_extra(response, unit, extra or {})
    except IntegrityError as exc:
        raise DomainError(
            "already_answered_today", _("You have already answered for this place today. Thank you!")
        ) from exc
    return response


# --- Invitations by email ------------------------------------------------------------------------


def survey_url(reservation_id: int, language: str) -> str:
    with translation.override(_language(language)):
        path = reverse("feedback:survey", kwargs={"token": survey_token(reservation_id)})
    return f"{settings.SITE_URL}{path}"


def survey_invitations_send(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Offer the survey of every reservation that ended lately and has neither an invitation nor an
    answer. Idempotent (one invitation per reservation, enforced by the database)."""
    from tila.feedback.tasks import deliver_survey_invitation

    now = now or timezone.now()
    due = (
        Reservation.objects.filter(surveyable_q(now), end__gt=now - INVITE_WITHIN)
        .filter(survey_invitation__isnull=True, feedback__isnull=True)
        .select_related("user")
        .order_by("end", "id")[:limit]
    )
    queued = 0
    for reservation in due:
        to = reservation.reserver_email or getattr(reservation.user, "email", "") or ""
        if not to:
            continue
        language = _language(getattr(reservation.user, "preferred_language", ""))
        try:
            with transaction.atomic():
                invitation = SurveyInvitation.objects.create(reservation=reservation, to=to, language=language)
        except IntegrityError:  # another run got there first
            continue
        pk = invitation.pk
        transaction.on_commit(lambda pk=pk: deliver_survey_invitation.enqueue(pk))  # type: ignore[misc]
        queued += 1
    return queued


def _invitation_message(invitation: SurveyInvitation) -> EmailMultiAlternatives:
    reservation = invitation.reservation
    with translation.override(invitation.language):
        context = {
            "name": reservation.reserver_name or getattr(reservation.user, "name", "") or "",
            "resource": str(reservation.resource.name),
            "unit": str(reservation.resource.unit.name),
            "url": survey_url(reservation.pk, invitation.language),
        }
        subject = " ".join(render_to_string("feedback/email/invitation_subject.txt", context).split())
        body = render_to_string("feedback/email/invitation.txt", context)
    return EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.to],
        headers={"Content-Language": invitation.language, "Auto-Submitted": "auto-generated"},
    )


def survey_invitation_deliver(*, invitation_id: int) -> str:
    """Send one invitation email (the task runs this). Returns "sent", "skipped" or "failed".

    The one place that talks to the mail server for feedback: switch it to the notification
    outbox (`tila.notifications.events.enqueue_email`) once that knows a feedback event."""
    invitation = SurveyInvitation.objects.select_related("reservation__resource__unit", "reservation__user").filter(
        pk=invitation_id
    )
    found = invitation.first()
    if found is None or found.sent_at is not None:
        return "skipped"
    if survey_state(found.reservation) != "open":
        return "skipped"
    try:
        _invitation_message(found).send(fail_silently=False)
    except Exception as exc:  # the mail server's failure is recorded, not raised into the worker
        logger.warning("Survey invitation %s failed: %s", invitation_id, exc)
        invitation.update(last_error=f"{type(exc).__name__}: {exc}"[:2000])
        return "failed"
    invitation.update(sent_at=timezone.now(), last_error="")
    return "sent"


# --- Staff inbox ---------------------------------------------------------------------------------


def _require_handle(actor: Any, response: Response) -> None:
    if not can(actor, Action.HANDLE, response.unit_id):
        raise PermissionDenied()


@transaction.atomic
def response_set_themes(*, actor: Any, response: Response, theme_ids: list[str]) -> Response:
    _require_handle(actor, response)
    before = sorted(response.themes.values_list("pk", flat=True))
    themes = list(Theme.objects.filter(pk__in=theme_ids))
    response.themes.set(themes)
    after = sorted(t.pk for t in themes)
    if before != after:
        audit_log(
            actor=actor,
            action="feedback.themes",
            obj=response,
            unit_id=response.unit_id,
            before={"themes": before},
            after={"themes": after},
        )
    return response


@transaction.atomic
def response_mark_handled(
    *, actor: Any, response: Response, handled: bool = True, now: dt.datetime | None = None
) -> Response:
    _require_handle(actor, response)
    if (response.handled_at is not None) == handled:
        return response
    before = snapshot(response, ["handled_at", "handled_by"])
    response.handled_at = (now or timezone.now()) if handled else None
    response.handled_by = actor if handled else None
    response.save(update_fields=["handled_at", "handled_by"])
    audit_log(
        actor=actor,
        action="feedback.handled" if handled else "feedback.reopened",
        obj=response,
        unit_id=response.unit_id,
        before=before,
        after=snapshot(response, ["handled_at", "handled_by"]),
    )
    return response
