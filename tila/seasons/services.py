"""Writes of seasonal rounds: the round and its states, applications and their sections, staff review.

Allocation runs are in `tila.seasons.runs`, decisions (adjusting, accepting, sending results) in
`tila.seasons.decisions`. Every function here validates, saves, writes an audit row for staff
actions and raises `DomainError` with a stable code:

`invalid`, `invalid_range`, `invalid_state`, `round_closed`, `unknown_resource`,
`invalid_business_id`, `incomplete`, `permission_denied`, `not_found`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Language
from tila.accounts.permissions import Action
from tila.catalogue.models import District, Purpose, Resource
from tila.core.audit import audit_log, snapshot
from tila.core.errors import DomainError, NotFound, PermissionDenied
from tila.core.finnish import is_valid_business_id
from tila.core.i18n import LANGUAGES
from tila.core.timeutil import is_aware
from tila.seasons.access import require_resources, require_round
from tila.seasons.allocation.model import DAY_MINUTES
from tila.seasons.models import (
    AgeGroup,
    ApplicantType,
    Application,
    ApplicationRound,
    ApplicationSection,
    ApplicationState,
    EquityWeight,
    Priority,
    ResourceOption,
    RoundState,
    SuitableTime,
)

MAX_SEASON_DAYS = 400
MAX_OPTIONS = 5
MAX_SUITABLE = 21
MAX_SECTIONS = 50
MAX_DURATION = 12 * 60
SLOT_CHOICES = (5, 10, 15, 20, 30, 60)

# -- Rounds ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundData:
    """What staff give for a round (create and edit)."""

    name: Mapping[str, str]
    season_begin: dt.date
    season_end: dt.date
    application_begin: dt.datetime
    application_end: dt.datetime
    resources: Sequence[Resource | str]
    description: Mapping[str, str] = field(default_factory=dict)
    slot_minutes: int = 30
    purposes: Sequence[Purpose | str] = ()


def _load_resources(values: Sequence[Resource | str]) -> list[Resource]:
    ids = [v.pk if isinstance(v, Resource) else str(v) for v in values]
    found = {r.pk: r for r in Resource.objects.filter(pk__in=ids).select_related("unit")}
    missing = [rid for rid in ids if rid not in found]
    if missing:
        raise DomainError("unknown_resource", _("No such resource: %(id)s."), field="resources", id=missing[0])
    if not found:
        raise DomainError("invalid", _("Choose at least one resource."), field="resources")
    return list(found.values())


def _validate_round(data: RoundData) -> None:
    if not any((data.name.get(lang) or "").strip() for lang in LANGUAGES):
        raise DomainError("invalid", _("Give the round a name."), field="name")
    if data.season_begin > data.season_end:
        raise DomainError("invalid_range", _("The season must end after it begins."), field="season_end")
    if (data.season_end - data.season_begin).days > MAX_SEASON_DAYS:
        raise DomainError(
            "invalid_range", _("A season lasts at most %(days)s days."), field="season_end", days=MAX_SEASON_DAYS
        )
    if not is_aware(data.application_begin) or not is_aware(data.application_end):
        raise DomainError("invalid_range", _("Times must include a time zone."), field="application_begin")
    if data.application_begin >= data.application_end:
        raise DomainError(
            "invalid_range", _("The application window must end after it begins."), field="application_end"
        )
    if data.slot_minutes not in SLOT_CHOICES:
        raise DomainError("invalid", _("Choose a time grid of 5, 10, 15, 20, 30 or 60 minutes."), field="slot_minutes")


def _round_fields(data: RoundData) -> dict[str, Any]:
    values: dict[str, Any] = {
        "season_begin": data.season_begin,
        "season_end": data.season_end,
        "application_begin": data.application_begin,
        "application_end": data.application_end,
        "slot_minutes": data.slot_minutes,
    }
    for lang in LANGUAGES:
        values[f"name_{lang}"] = (data.name.get(lang) or "").strip()
        values[f"description_{lang}"] = (data.description.get(lang) or "").strip()
    return values


def _purposes(values: Sequence[Purpose | str]) -> list[Purpose]:
    ids = [v.pk if isinstance(v, Purpose) else str(v) for v in values]
    found = list(Purpose.objects.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise DomainError("invalid", _("Unknown purpose."), field="purposes")
    return found


@transaction.atomic
def round_create(*, actor: Any, data: RoundData) -> ApplicationRound:
    """A new round in the state `upcoming`. Needs the manage right in every unit of its resources."""
    _validate_round(data)
    resources = _load_resources(data.resources)
    require_resources(actor, Action.MANAGE, resources)
    purposes = _purposes(data.purposes)
    round = ApplicationRound.objects.create(**_round_fields(data), created_by=actor)
    round.resources.set(resources)
    round.purposes.set(purposes)
    audit_log(
        actor=actor,
        action="season_round.create",
        obj=round,
        after={**snapshot(round), "resources": sorted(r.pk for r in resources)},
    )
    return round


def _lock_round(round: ApplicationRound | int) -> ApplicationRound:
    pk = round.pk if isinstance(round, ApplicationRound) else round
    found = ApplicationRound.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def round_update(*, actor: Any, round: ApplicationRound | int, data: RoundData) -> ApplicationRound:
    """Edit a round that is still upcoming or open."""
    round = _lock_round(round)
    require_round(actor, Action.MANAGE, round)
    if round.state not in (RoundState.UPCOMING, RoundState.OPEN):
        raise DomainError("invalid_state", _("Only an upcoming or open round can be edited."))
    _validate_round(data)
    resources = _load_resources(data.resources)
    require_resources(actor, Action.MANAGE, resources)
    before = {**snapshot(round), "resources": sorted(round.resources.values_list("pk", flat=True))}
    for name, value in _round_fields(data).items():
        setattr(round, name, value)
    round.save()
    round.resources.set(resources)
    round.purposes.set(_purposes(data.purposes))
    after = {**snapshot(round), "resources": sorted(r.pk for r in resources)}
    audit_log(actor=actor, action="season_round.update", obj=round, before=before, after=after)
    return round


def _weight(value: Any, field_name: str) -> Decimal:
    try:
        weight = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("invalid", _("Give a number."), field=field_name) from exc
    if not weight.is_finite() or not Decimal("0.01") <= weight <= Decimal(100):
        raise DomainError("invalid", _("Give a weight between 0.01 and 100."), field=field_name)
    return weight.quantize(Decimal("0.001"))


@transaction.atomic
def round_weights_set(
    *,
    actor: Any,
    round: ApplicationRound | int,
    age_groups: Mapping[int, Any],
    districts: Mapping[str, Any],
) -> ApplicationRound:
    """Replace the round's equity weights (age groups and districts; a weight of 1 is no row)."""
    round = _lock_round(round)
    require_round(actor, Action.MANAGE, round)
    if round.state in (RoundState.HANDLED, RoundState.RESULTS_SENT):
        raise DomainError("invalid_state", _("The round has been handled; its weights no longer change."))
    rows: list[EquityWeight] = []
    known_groups = set(AgeGroup.objects.values_list("pk", flat=True))
    known_districts = set(District.objects.values_list("pk", flat=True))
    for group_id, value in age_groups.items():
        weight = _weight(value, f"age_group_{group_id}")
        if group_id not in known_groups:
            raise DomainError("invalid", _("Unknown age group."), field="age_groups")
        if weight != 1:
            rows.append(EquityWeight(round=round, age_group_id=group_id, weight=weight))
    for district_id, value in districts.items():
        weight = _weight(value, f"district_{district_id}")
        if district_id not in known_districts:
            raise DomainError("invalid", _("Unknown district."), field="districts")
        if weight != 1:
            rows.append(EquityWeight(round=round, district_id=district_id, weight=weight))
    before = _weights_snapshot(round)
    round.equity_weights.all().delete()
    EquityWeight.objects.bulk_create(rows)
    audit_log(actor=actor, action="season_round.weights", obj=round, before=before, after=_weights_snapshot(round))
    return round


def _weights_snapshot(round: ApplicationRound) -> dict[str, Any]:
    rows = round.equity_weights.values_list("age_group_id", "district_id", "weight")
    return {f"{'age' if a else 'district'}:{a or d}": str(w) for a, d, w in rows}


TRANSITIONS: dict[str, tuple[str, ...]] = {
    RoundState.OPEN: (RoundState.UPCOMING, RoundState.IN_ALLOCATION),
    RoundState.IN_ALLOCATION: (RoundState.OPEN,),
}


@transaction.atomic
def round_transition(*, actor: Any, round: ApplicationRound | int, to: str) -> ApplicationRound:
    """Open a round for applications, start allocation, or take it back to open.

    Accepting (→ handled) and sending results are `decisions.round_accept` and
    `decisions.round_results_send`; they have side effects of their own."""
    round = _lock_round(round)
    require_round(actor, Action.HANDLE if to == RoundState.IN_ALLOCATION else Action.MANAGE, round)
    if round.state not in TRANSITIONS.get(to, ()):
        raise DomainError(
            "invalid_state",
            _("A round cannot go from %(current)s to %(target)s."),
            current=round.get_state_display(),
            target=RoundState(to).label if to in RoundState.values else to,
        )
    if (
        to == RoundState.OPEN
        and round.state == RoundState.IN_ALLOCATION
        and round.runs.filter(status__in=("queued", "running")).exists()
    ):
        raise DomainError("invalid_state", _("An allocation is running; cancel it first."))
    before = snapshot(round, ["state"])
    round.state = to
    round.save(update_fields=["state", "modified_at"])
    audit_log(actor=actor, action=f"season_round.{to}", obj=round, before=before, after=snapshot(round, ["state"]))
    return round


# -- Applications ----------------------------------------------------------------------------


def accepting(round: ApplicationRound, now: dt.datetime | None = None) -> bool:
    """Whether the round takes applications now: open, and inside its application window."""
    now = now or timezone.now()
    return round.state == RoundState.OPEN and round.application_begin <= now < round.application_end


def _require_accepting(round: ApplicationRound, now: dt.datetime | None) -> None:
    if not accepting(round, now):
        raise DomainError("round_closed", _("This round does not take applications now."))


def _own(user: Any, application: Application | int, *, lock: bool = True) -> Application:
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    pk = application.pk if isinstance(application, Application) else application
    qs = Application.objects.select_for_update() if lock else Application.objects.all()
    found = qs.filter(pk=pk, user=user).first()
    if found is None:
        raise NotFound()
    return Application.objects.select_related("round").get(pk=found.pk)


def _require_draft(application: Application, now: dt.datetime | None) -> None:
    _require_accepting(application.round, now)
    if application.state != ApplicationState.DRAFT:
        raise DomainError("invalid_state", _("A submitted application cannot be changed; withdraw it first."))


@transaction.atomic
def application_start(*, user: Any, round: ApplicationRound | int, now: dt.datetime | None = None) -> Application:
    """A new draft application by `user`, with their name, email and language filled in."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    pk = round.pk if isinstance(round, ApplicationRound) else round
    found = ApplicationRound.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    _require_accepting(found, now)
    language = user.preferred_language if user.preferred_language in Language.values else Language.FI
    return Application.objects.create(
        round=found,
        user=user,
        contact_name=user.name,
        contact_email=user.email,
        language=language,
    )


@dataclass(frozen=True)
class ApplicantData:
    applicant_type: str = ApplicantType.ASSOCIATION
    organisation_name: str = ""
    business_id: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    home_district: District | str | None = None
    additional_information: str = ""
    language: str = Language.FI


def _clean_applicant(data: ApplicantData) -> dict[str, Any]:
    if data.applicant_type not in ApplicantType.values:
        raise DomainError("invalid", _("Choose who is applying."), field="applicant_type")
    if data.language not in Language.values:
        raise DomainError("invalid", _("Choose Finnish, Swedish or English."), field="language")
    business_id = data.business_id.strip()
    if business_id and not is_valid_business_id(business_id):
        raise DomainError(
            "invalid_business_id",
            _("This is not a valid business ID: write it as 1234567-8 with the right check digit."),
            field="business_id",
        )
    district = data.home_district
    district_id = district.pk if isinstance(district, District) else district
    if district_id and not District.objects.filter(pk=district_id).exists():
        raise DomainError("invalid", _("Unknown district."), field="home_district")
    person = data.applicant_type == ApplicantType.PERSON
    return {
        "applicant_type": data.applicant_type,
        "organisation_name": "" if person else data.organisation_name.strip(),
        "business_id": "" if person else business_id,
        "contact_name": data.contact_name.strip(),
        "contact_email": data.contact_email.strip(),
        "contact_phone": data.contact_phone.strip(),
        "home_district_id": district_id or None,
        "additional_information": data.additional_information.strip(),
        "language": data.language,
    }


@transaction.atomic
def application_save(
    *, user: Any, application: Application | int, data: ApplicantData, now: dt.datetime | None = None
) -> Application:
    """Save the applicant's details of a draft (incomplete details are fine until submitting)."""
    application = _own(user, application)
    _require_draft(application, now)
    for name, value in _clean_applicant(data).items():
        setattr(application, name, value)
    application.save()
    return application


@dataclass(frozen=True)
class SuitableData:
    weekday: int
    begin: dt.time
    end: dt.time
    priority: str = Priority.PRIMARY


@dataclass(frozen=True)
class SectionData:
    name: str
    participants: int
    times_per_week: int
    min_minutes: int
    max_minutes: int
    resources: Sequence[Resource | str]
    """Preferred resources, best first."""
    suitable: Sequence[SuitableData]
    purpose: Purpose | str | None = None
    age_group: AgeGroup | int | None = None


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def _check_numbers(data: SectionData, round: ApplicationRound) -> None:
    if not data.name.strip():
        raise DomainError("invalid", _("Give the group a name."), field="name")
    if not 1 <= data.participants <= 100_000:
        raise DomainError("invalid", _("Give the number of participants."), field="participants")
    if not 1 <= data.times_per_week <= 7:
        raise DomainError("invalid", _("Apply for 1 to 7 times a week."), field="times_per_week")
    if not round.slot_minutes <= data.min_minutes <= MAX_DURATION:
        raise DomainError(
            "invalid",
            _("The shortest duration is %(low)s to %(high)s minutes."),
            field="min_minutes",
            low=round.slot_minutes,
            high=MAX_DURATION,
        )
    if not data.min_minutes <= data.max_minutes <= MAX_DURATION:
        raise DomainError(
            "invalid_range", _("The longest duration must be at least the shortest one."), field="max_minutes"
        )


def _check_resources(data: SectionData, round: ApplicationRound) -> list[str]:
    ids = [r.pk if isinstance(r, Resource) else str(r) for r in data.resources if r]
    if not ids:
        raise DomainError("invalid", _("Choose at least one space."), field="resources")
    if len(ids) > MAX_OPTIONS or len(set(ids)) != len(ids):
        raise DomainError("invalid", _("Choose up to %(max)s different spaces."), field="resources", max=MAX_OPTIONS)
    offered = set(round.resources.values_list("pk", flat=True))
    if any(rid not in offered for rid in ids):
        raise DomainError("unknown_resource", _("This round does not offer that space."), field="resources")
    return ids


def _check_suitable(data: SectionData) -> None:
    if not data.suitable:
        raise DomainError("invalid", _("Give at least one suitable time."), field="suitable")
    if len(data.suitable) > MAX_SUITABLE:
        raise DomainError("invalid", _("Give at most %(max)s suitable times."), field="suitable", max=MAX_SUITABLE)
    for item in data.suitable:
        if not 0 <= item.weekday <= 6 or item.priority not in Priority.values:
            raise DomainError("invalid", _("Choose a weekday and a priority."), field="suitable")
        length = _minutes(item.end) - _minutes(item.begin)
        if length <= 0:
            raise DomainError("invalid_range", _("A suitable time must end after it begins."), field="suitable")
        if length < data.min_minutes:
            raise DomainError(
                "invalid_range",
                _("Each suitable time must be at least as long as the shortest duration."),
                field="suitable",
            )


def _check_vocabulary(data: SectionData, round: ApplicationRound) -> tuple[str | None, int | None]:
    purpose = data.purpose.pk if isinstance(data.purpose, Purpose) else data.purpose
    if purpose:
        offered = round.purposes.all()
        choices = offered if offered.exists() else Purpose.objects.all()
        if not choices.filter(pk=purpose).exists():
            raise DomainError("invalid", _("Choose one of the purposes of this round."), field="purpose")
    group = data.age_group.pk if isinstance(data.age_group, AgeGroup) else data.age_group
    if group and not AgeGroup.objects.filter(pk=group).exists():
        raise DomainError("invalid", _("Unknown age group."), field="age_group")
    return purpose or None, group or None


def section_validate(data: SectionData, round: ApplicationRound) -> tuple[list[str], str | None, int | None]:
    """Check a section; returns (resource ids, purpose id, age group id)."""
    _check_numbers(data, round)
    ids = _check_resources(data, round)
    _check_suitable(data)
    purpose, group = _check_vocabulary(data, round)
    return ids, purpose, group


@transaction.atomic
def section_save(
    *,
    user: Any,
    application: Application | int,
    data: SectionData,
    section: ApplicationSection | int | None = None,
    now: dt.datetime | None = None,
) -> ApplicationSection:
    """Add a section to a draft, or replace one of its sections' details."""
    application = _own(user, application)
    _require_draft(application, now)
    ids, purpose, group = section_validate(data, application.round)
    if section is None:
        if application.sections.count() >= MAX_SECTIONS:
            raise DomainError("invalid", _("An application has at most %(max)s groups."), max=MAX_SECTIONS)
        last = application.sections.order_by("-order").values_list("order", flat=True).first()
        target = ApplicationSection(application=application, order=(last or 0) + 1)
    else:
        pk = section.pk if isinstance(section, ApplicationSection) else section
        found = application.sections.filter(pk=pk).first()
        if found is None:
            raise NotFound()
        target = found
    target.name = data.name.strip()
    target.participants = data.participants
    target.times_per_week = data.times_per_week
    target.min_minutes = data.min_minutes
    target.max_minutes = data.max_minutes
    target.purpose_id = purpose
    target.age_group_id = group
    target.save()
    target.options.all().delete()
    ResourceOption.objects.bulk_create(
        ResourceOption(section=target, resource_id=rid, order=n) for n, rid in enumerate(ids)
    )
    target.suitable_times.all().delete()
    SuitableTime.objects.bulk_create(
        SuitableTime(section=target, weekday=s.weekday, begin=s.begin, end=s.end, priority=s.priority)
        for s in data.suitable
    )
    return target


@transaction.atomic
def section_delete(
    *, user: Any, application: Application | int, section: ApplicationSection | int, now: dt.datetime | None = None
) -> None:
    application = _own(user, application)
    _require_draft(application, now)
    pk = section.pk if isinstance(section, ApplicationSection) else section
    deleted, _rows = application.sections.filter(pk=pk).delete()
    if not deleted:
        raise NotFound()


def application_problems(application: Application) -> list[DomainError]:
    """What keeps a draft from being submitted (empty when it can be)."""
    problems: list[DomainError] = []
    if application.applicant_type == ApplicantType.ASSOCIATION:
        if not application.organisation_name:
            problems.append(DomainError("incomplete", _("Give the association's name."), field="organisation_name"))
        if not is_valid_business_id(application.business_id):
            problems.append(
                DomainError("invalid_business_id", _("Give the association's business ID."), field="business_id")
            )
    if not application.contact_name:
        problems.append(DomainError("incomplete", _("Give a contact person."), field="contact_name"))
    if not application.contact_email:
        problems.append(DomainError("incomplete", _("Give a contact email address."), field="contact_email"))
    if not application.sections.exists():
        problems.append(DomainError("incomplete", _("Add at least one group and its times."), field="sections"))
    return problems


@transaction.atomic
def application_submit(*, user: Any, application: Application | int, now: dt.datetime | None = None) -> Application:
    application = _own(user, application)
    _require_draft(application, now)
    problems = application_problems(application)
    if problems:
        raise problems[0]
    application.state = ApplicationState.SUBMITTED
    application.submitted_at = now or timezone.now()
    application.save(update_fields=["state", "submitted_at", "modified_at"])
    return application


@transaction.atomic
def application_withdraw(*, user: Any, application: Application | int, now: dt.datetime | None = None) -> Application:
    """Take a submitted application back to a draft (while the round takes applications)."""
    application = _own(user, application)
    _require_accepting(application.round, now)
    if application.state != ApplicationState.SUBMITTED:
        raise DomainError("invalid_state", _("Only a submitted application can be withdrawn."))
    application.state = ApplicationState.DRAFT
    application.submitted_at = None
    application.save(update_fields=["state", "submitted_at", "modified_at"])
    return application


@transaction.atomic
def application_delete(*, user: Any, application: Application | int, now: dt.datetime | None = None) -> None:
    application = _own(user, application)
    _require_draft(application, now)
    application.delete()


# -- Staff review ----------------------------------------------------------------------------

REVIEW_STATES = (RoundState.OPEN, RoundState.IN_ALLOCATION)


def _reviewable_section(actor: Any, section: ApplicationSection | int) -> ApplicationSection:
    pk = section.pk if isinstance(section, ApplicationSection) else section
    found = ApplicationSection.objects.select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    found = ApplicationSection.objects.select_related("application__round").get(pk=found.pk)
    round = found.application.round
    require_round(actor, Action.HANDLE, round)
    if round.state not in REVIEW_STATES:
        raise DomainError("invalid_state", _("Applications are reviewed while the round is open or in allocation."))
    return found


@transaction.atomic
def section_reject(
    *, actor: Any, section: ApplicationSection | int, rejected: bool = True, reason: str = ""
) -> ApplicationSection:
    """Reject a whole section (it gets no slot), or take the rejection back."""
    section = _reviewable_section(actor, section)
    before = snapshot(section, ["rejected", "reject_reason"])
    section.rejected = rejected
    section.reject_reason = reason.strip()[:500] if rejected else ""
    section.save(update_fields=["rejected", "reject_reason"])
    audit_log(
        actor=actor,
        action="season_section.reject" if rejected else "season_section.restore",
        obj=section,
        before=before,
        after=snapshot(section, ["rejected", "reject_reason"]),
    )
    return section


@transaction.atomic
def option_reject(*, actor: Any, option: ResourceOption | int, rejected: bool = True) -> ResourceOption:
    """Reject one resource option of a section (the allocator will not use it), or restore it."""
    pk = option.pk if isinstance(option, ResourceOption) else option
    found = ResourceOption.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    _reviewable_section(actor, found.section_id)
    found.rejected = rejected
    found.save(update_fields=["rejected"])
    audit_log(
        actor=actor,
        action="season_option.reject" if rejected else "season_option.restore",
        obj=found,
        before={"rejected": not rejected},
        after={"rejected": rejected, "resource": found.resource_id},
    )
    return found


@transaction.atomic
def section_weight_set(*, actor: Any, section: ApplicationSection | int, weight: Any) -> ApplicationSection:
    """Staff's own weight factor for one section (on top of the round's equity weights)."""
    section = _reviewable_section(actor, section)
    before = snapshot(section, ["weight"])
    section.weight = _weight(weight, "weight")
    section.save(update_fields=["weight"])
    audit_log(
        actor=actor, action="season_section.weight", obj=section, before=before, after=snapshot(section, ["weight"])
    )
    return section


__all__ = [
    "DAY_MINUTES",
    "ApplicantData",
    "RoundData",
    "SectionData",
    "SuitableData",
    "accepting",
    "application_delete",
    "application_problems",
    "application_save",
    "application_start",
    "application_submit",
    "application_withdraw",
    "option_reject",
    "round_create",
    "round_transition",
    "round_update",
    "round_weights_set",
    "section_delete",
    "section_reject",
    "section_save",
    "section_validate",
    "section_weight_set",
]
