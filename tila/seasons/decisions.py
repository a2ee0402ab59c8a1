"""Decisions: adjusting the proposal by hand, accepting it as recurring series, and telling applicants.

* **Adjusting** (`allocation_add`, `allocation_change`, `allocation_remove`, `allocation_mark`):
  every change is checked with the independent checker (`allocation.allocation_check`) against the
  round built from the database, together with all other live decisions; a change that breaks a
  hard rule is refused with the checker's code (`overlap`, `closed`, `unsuitable`, …). Locked
  decisions survive the next run; rejected ones are kept for the record.
* **Accepting** (`round_accept`, in allocation → handled): the whole set is checked once more, then
  every live decision becomes a weekly series through `tila.booking.series.series_create` for the
  season (from today if the season has begun), in the applicant's name. Dates on which the space is
  closed (holidays, from opening hours) are skipped and reported as `closed`; dates the booking engine
  refuses (an existing booking: `overlap`, …) are skipped and reported with its code.
* **Sending results** (`round_results_send`, handled → results sent): one decision email per
  application, in the application's language, through the notification outbox (sent after commit,
  retried on failure).

Codes: the checker's rule codes, `invalid_state`, `run_active`, `invalid`, `permission_denied`, `not_found`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import linebreaks
from django.utils.translation import gettext_lazy as _

from tila.accounts.permissions import Action
from tila.booking.series import SeriesEmpty, SeriesResult, series_create
from tila.catalogue.models import Resource
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, NotFound, PermissionDenied
from tila.core.timeutil import get_zone
from tila.notifications.events import enqueue_email
from tila.notifications.models import OutboundEmail
from tila.seasons.access import require_round
from tila.seasons.allocation.checker import Violation
from tila.seasons.models import (
    ACTIVE_RUN_STATES,
    Allocation,
    Application,
    ApplicationRound,
    ApplicationSection,
    ApplicationState,
    DecisionState,
    RoundState,
)
from tila.seasons.selectors import decisions_check, live_decisions, round_problem
from tila.seasons.weekly import closed_dates

DECISION_EVENT = "season_decision"
"""The outbox event of a decision email (rendered here, in the application's language)."""

RULE_MESSAGES: dict[str, Any] = {
    "unknown_section": _("This group is not part of the allocation (rejected, withdrawn or without a space to use)."),
    "unknown_resource": _("This space is not part of the round."),
    "invalid_range": _("The time must end after it begins, within one day."),
    "resource_not_requested": _("The group did not ask for this space, or that option was rejected."),
    "capacity_exceeded": _("The group does not fit in this space."),
    "duration_too_short": _("This is shorter than the group's shortest duration."),
    "duration_too_long": _("This is longer than the group's longest duration."),
    "not_aligned": _("Times must be on the round's time grid."),
    "closed": _("The space is not open then in a typical week of the season."),
    "unsuitable": _("The time is outside the times that suit the group."),
    "blocked": _("Existing bookings or closures take this time."),
    "too_many_per_week": _("The group would get more times a week than it asked for."),
    "same_day": _("The group already has a time on this day."),
    "overlap": _("Another group has this space, a space containing it or a part of it at this time."),
}
RULE_FIELDS = {
    "unknown_resource": "resource",
    "resource_not_requested": "resource",
    "capacity_exceeded": "resource",
    "duration_too_short": "end",
    "duration_too_long": "end",
    "invalid_range": "end",
    "same_day": "weekday",
    "too_many_per_week": "weekday",
}


def violation_error(violation: Violation) -> DomainError:
    message = RULE_MESSAGES.get(violation.code, _("This breaks a rule of the allocation."))
    return DomainError(violation.code, message, field=RULE_FIELDS.get(violation.code, "begin"))


# -- Adjusting by hand ------------------------------------------------------------------------


def _lock_round(round_id: int) -> ApplicationRound:
    found = ApplicationRound.objects.select_for_update().filter(pk=round_id).first()
    if found is None:
        raise NotFound()
    return found


def _adjustable(actor: Any, round_id: int) -> ApplicationRound:
    round = _lock_round(round_id)
    require_round(actor, Action.HANDLE, round)
    if round.state != RoundState.IN_ALLOCATION:
        raise DomainError("invalid_state", _("Decisions change only while the round is in allocation."))
    if round.runs.filter(status__in=ACTIVE_RUN_STATES, cancel_requested=False).exists():
        raise DomainError("run_active", _("An allocation is running; wait for it or cancel it first."))
    return round


def _decision(allocation: Allocation | int) -> Allocation:
    pk = allocation.pk if isinstance(allocation, Allocation) else allocation
    found = Allocation.objects.select_related("section__application").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _check(round: ApplicationRound, candidate: Allocation) -> None:
    """Refuse `candidate` (new or changed, unsaved) if it breaks a hard rule with the other live decisions."""
    others = [d for d in live_decisions(round) if d.pk != candidate.pk]
    problem = round_problem(round, mode="check")
    index = len(others)
    for violation in decisions_check(problem, [*others, candidate]):
        if index in violation.allocations:
            raise violation_error(violation)


def _times(weekday: int, begin: dt.time, end: dt.time) -> None:
    if not 0 <= weekday <= 6:
        raise DomainError("invalid", _("Choose a weekday."), field="weekday")
    if begin >= end:
        raise DomainError("invalid_range", _("The time must end after it begins, within one day."), field="end")


def _resource(resource: Resource | str) -> str:
    rid = resource.pk if isinstance(resource, Resource) else str(resource)
    if not Resource.objects.filter(pk=rid).exists():
        raise DomainError("unknown_resource", RULE_MESSAGES["unknown_resource"], field="resource")
    return rid


@transaction.atomic
def allocation_add(
    *,
    actor: Any,
    section: ApplicationSection | int,
    resource: Resource | str,
    weekday: int,
    begin: dt.time,
    end: dt.time,
    locked: bool = False,
) -> Allocation:
    """A decision made by hand for a section (checked against every hard rule)."""
    pk = section.pk if isinstance(section, ApplicationSection) else section
    found = ApplicationSection.objects.select_related("application").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    round = _adjustable(actor, found.application.round_id)
    _times(weekday, begin, end)
    candidate = Allocation(
        section=found,
        resource_id=_resource(resource),
        weekday=weekday,
        begin=begin,
        end=end,
        state=DecisionState.LOCKED if locked else DecisionState.PROPOSED,
        changed_by=actor,
    )
    _check(round, candidate)
    candidate.save()
    audit_log(actor=actor, action="season_allocation.add", obj=candidate, after=snapshot(candidate))
    return candidate


@transaction.atomic
def allocation_change(
    *,
    actor: Any,
    allocation: Allocation | int,
    resource: Resource | str,
    weekday: int,
    begin: dt.time,
    end: dt.time,
) -> Allocation:
    """Move or resize a decision (checked against every hard rule); a proposed one becomes locked."""
    decision = _decision(allocation)
    round = _adjustable(actor, decision.section.application.round_id)
    if decision.state not in (DecisionState.PROPOSED, DecisionState.LOCKED):
        raise DomainError("invalid_state", _("Only a proposed or locked decision can be changed."))
    _times(weekday, begin, end)
    before = snapshot(decision)
    decision.resource_id = _resource(resource)
    decision.weekday, decision.begin, decision.end = weekday, begin, end
    decision.state = DecisionState.LOCKED
    decision.changed_by = actor
    _check(round, decision)
    decision.save()
    audit_log(actor=actor, action="season_allocation.change", obj=decision, before=before, after=snapshot(decision))
    return decision


@transaction.atomic
def allocation_remove(*, actor: Any, allocation: Allocation | int) -> None:
    """Remove a decision that is not accepted (the section gets nothing there)."""
    decision = _decision(allocation)
    _adjustable(actor, decision.section.application.round_id)
    if decision.state == DecisionState.ACCEPTED:
        raise DomainError("invalid_state", _("An accepted decision cannot be removed here."))
    audit_log(actor=actor, action="season_allocation.remove", obj=decision, before=snapshot(decision))
    decision.delete()


MARKS: dict[str, tuple[str, ...]] = {
    DecisionState.LOCKED: (DecisionState.PROPOSED,),
    DecisionState.PROPOSED: (DecisionState.LOCKED, DecisionState.REJECTED),
    DecisionState.REJECTED: (DecisionState.PROPOSED, DecisionState.LOCKED),
}


@transaction.atomic
def allocation_mark(*, actor: Any, allocation: Allocation | int, state: str) -> Allocation:
    """Lock, unlock (back to proposed) or reject a decision; restoring a rejected one is checked again."""
    decision = _decision(allocation)
    round = _adjustable(actor, decision.section.application.round_id)
    if decision.state not in MARKS.get(state, ()):
        raise DomainError("invalid_state", _("This decision cannot be marked so."))
    before = snapshot(decision)
    if decision.state == DecisionState.REJECTED:
        _check(round, decision)
    decision.state = state
    decision.changed_by = actor
    decision.save(update_fields=["state", "changed_by", "modified_at"])
    audit_log(actor=actor, action=f"season_allocation.{state}", obj=decision, before=before, after=snapshot(decision))
    return decision


# -- Accepting --------------------------------------------------------------------------------


@dataclass
class AcceptReport:
    decisions: int = 0
    series: int = 0
    booked: int = 0
    skipped: int = 0
    closed: int = 0
    empty: list[Allocation] = field(default_factory=list)
    """Decisions for which not one date could be booked."""


def _series_for(
    actor: Any, round: ApplicationRound, decision: Allocation, first: dt.date, now: dt.datetime
) -> tuple[SeriesResult, list[dict[str, str]]]:
    """Book the decision for the season; closed days are skipped (and reported `closed`) here, dates
    the engine refuses are skipped by `series_create` with the engine's code."""
    application = decision.section.application
    closed = closed_dates(
        resource_id=decision.resource_id,
        tz_name=decision.resource.unit.time_zone,
        weekday=decision.weekday,
        begin=decision.begin,
        end=decision.end,
        first=first,
        last=round.season_end,
    )
    result = series_create(
        actor=actor,
        resource=decision.resource,
        weekdays=[decision.weekday],
        start_date=first,
        until_date=round.season_end,
        begin_time=decision.begin,
        end_time=decision.end,
        user=application.user,
        staff_override=True,  # a season reaches past most advance windows; closed days are skipped below
        skip_dates=set(closed),
        notify=False,  # the applicant hears once, when staff send the results
        event_subject=f"{decision.section.name} ({round.name})"[:200],
        reserver_name=application.applicant_name[:200],
        reserver_email=application.contact_email,
        staff_comment=f"season:{round.pk} application:{application.pk} section:{decision.section_id}",
        now=now,
    )
    return result, sorted((s.as_json() for s in result.skipped), key=lambda s: s["date"])


def _accept_one(
    actor: Any, round: ApplicationRound, decision: Allocation, first: dt.date, now: dt.datetime, report: AcceptReport
) -> None:
    try:
        result, skipped = _series_for(actor, round, decision, first, now)
    except SeriesEmpty as exc:
        decision.series, decision.skipped = None, [s.as_json() for s in exc.skipped]
        report.empty.append(decision)
    except PermissionDenied:
        raise
    except DomainError as exc:  # e.g. the whole season has passed
        decision.series = None
        decision.skipped = [{"date": "", "begin": "", "end": "", "code": exc.code, "message": exc.message}]
        report.empty.append(decision)
    else:
        decision.series, decision.skipped = result.series, skipped
        report.series += 1
        report.booked += len(result.done)
    report.skipped += len(decision.skipped)
    report.closed += sum(1 for s in decision.skipped if s.get("code") == "closed")
    decision.state = DecisionState.ACCEPTED
    decision.changed_by = actor
    decision.save(update_fields=["series", "skipped", "state", "changed_by", "modified_at"])


@transaction.atomic
def round_accept(*, actor: Any, round: ApplicationRound | int, now: dt.datetime | None = None) -> AcceptReport:
    """Accept the live decisions of a round in allocation: recurring series for each; round handled."""
    pk = round.pk if isinstance(round, ApplicationRound) else round
    round = _adjustable(actor, pk)
    now = now or timezone.now()
    decisions = list(
        live_decisions(round)
        .select_related("section__application__user", "resource__unit")
        .order_by("resource_id", "weekday", "begin", "id")
    )
    problem = round_problem(round, mode="check")
    violations = decisions_check(problem, decisions)
    if violations:
        raise violation_error(violations[0])
    today = now.astimezone(get_zone(settings.TIME_ZONE)).date()
    first = max(round.season_begin, today)
    report = AcceptReport(decisions=len(decisions))
    for decision in decisions:
        _accept_one(actor, round, decision, first, now, report)
    before = snapshot(round, ["state"])
    round.state = RoundState.HANDLED
    round.accepted_at = now
    round.save(update_fields=["state", "accepted_at", "modified_at"])
    audit_log(
        actor=actor,
        action="season_round.accept",
        obj=round,
        before=before,
        after={**snapshot(round, ["state", "accepted_at"]), "series": report.series, "booked": report.booked},
    )
    return report


# -- Telling the applicants -------------------------------------------------------------------


def _applications_url(language: str) -> str:
    base = str(settings.SITE_URL).rstrip("/")
    with translation.override(language):
        try:
            return base + reverse("seasons:my_applications")
        except NoReverseMatch:
            return f"{base}/{language}/"


def decision_context(application: Application) -> dict[str, Any]:
    """What the decision email says, for the active language."""
    sections = []
    for section in application.sections.all():
        granted = [d for d in section.allocations.all() if d.state == DecisionState.ACCEPTED]
        sections.append({"section": section, "granted": granted})
    return {
        "application": application,
        "round": application.round,
        "name": application.contact_name or application.applicant_name,
        "sections": sections,
        "granted_any": any(s["granted"] for s in sections),
        "url": _applications_url(application.language),
    }


def decision_render(application: Application) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of the decision email in the application's language."""
    with translation.override(application.language):
        context = decision_context(application)
        subject = " ".join(render_to_string("seasons/email/decision_subject.txt", context).split())[:300]
        text = render_to_string("seasons/email/decision.txt", context).strip() + "\n"
        html = render_to_string(
            "notifications/email.html",
            {"body": linebreaks(text, autoescape=True), "subject": subject, "language": application.language},
        )
    return subject, text, html


def _email(application: Application) -> OutboundEmail | None:
    to = application.contact_email or application.user.email
    outbound = enqueue_email(
        event=DECISION_EVENT,
        to=to,
        language=application.language,
        recipient=application.user,
        context={"application": application.pk, "round": application.round_id},
        dedupe_key=f"season-decision:{application.pk}",
    )
    if outbound is not None:  # rendered now, in this transaction: the relay finds it ready
        subject, text, html = decision_render(application)
        OutboundEmail.objects.filter(pk=outbound.pk).update(
            subject=subject, body_text=text, body_html=html, rendered=True
        )
    return outbound


@transaction.atomic
def round_results_send(*, actor: Any, round: ApplicationRound | int, now: dt.datetime | None = None) -> int:
    """Send every applicant their decision (once); the round's results are then visible to them."""
    pk = round.pk if isinstance(round, ApplicationRound) else round
    round = _lock_round(pk)
    require_round(actor, Action.HANDLE, round)
    if round.state != RoundState.HANDLED:
        raise DomainError("invalid_state", _("Accept the allocation before sending the results."))
    now = now or timezone.now()
    decisions = Allocation.objects.select_related("resource__unit", "series").order_by("weekday", "begin")
    applications = (
        Application.objects.filter(round=round, state=ApplicationState.SUBMITTED, decision_sent_at__isnull=True)
        .select_related("round", "user")
        .prefetch_related(Prefetch("sections__allocations", queryset=decisions))
    )
    sent = 0
    for application in applications:
        if _email(application) is not None:
            sent += 1
        application.decision_sent_at = now
        application.save(update_fields=["decision_sent_at", "modified_at"])
    before = snapshot(round, ["state"])
    round.state = RoundState.RESULTS_SENT
    round.results_sent_at = now
    round.save(update_fields=["state", "results_sent_at", "modified_at"])
    audit_log(
        actor=actor,
        action="season_round.results_sent",
        obj=round,
        before=before,
        after={**snapshot(round, ["state", "results_sent_at"]), "emails": sent},
    )
    return sent
