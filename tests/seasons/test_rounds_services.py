"""Rounds, applications and staff review through the services (tila.seasons.services)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests import factories as f
from tests.seasons import builders as b
from tila.accounts.models import Role
from tila.core.errors import DomainError, PermissionDenied
from tila.core.models import AuditEntry
from tila.seasons import services
from tila.seasons.models import AgeGroup, ApplicationSection, ApplicationState, EquityWeight, RoundState

pytestmark = pytest.mark.django_db


# -- Rounds ------------------------------------------------------------------------------------


def test_round_create_needs_the_manage_right_in_every_unit_of_its_resources():
    c = b.city()
    other = f.resource(f.unit(hours=b.EVENINGS), rid="elsewhere")
    with pytest.raises(PermissionDenied):
        services.round_create(actor=c.handler, data=b.round_data([c.hall]))
    with pytest.raises(PermissionDenied):
        services.round_create(actor=c.admin, data=b.round_data([c.hall, other]))
    round = services.round_create(actor=c.admin, data=b.round_data([c.hall, c.studio]))
    assert round.state == RoundState.UPCOMING
    assert set(round.resources.values_list("pk", flat=True)) == {"hall", "studio"}
    assert AuditEntry.objects.filter(action="season_round.create", object_id=str(round.pk)).exists()


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"name": {"fi": "", "sv": " ", "en": ""}}, "invalid", "name"),
        ({"season_end": dt.date(2000, 1, 1)}, "invalid_range", "season_end"),
        ({"application_end": timezone.now() - dt.timedelta(days=3)}, "invalid_range", "application_end"),
        ({"slot_minutes": 7}, "invalid", "slot_minutes"),
        ({"resources": ["no-such-space"]}, "unknown_resource", "resources"),
    ],
)
def test_round_create_refuses_bad_input_with_a_code_and_the_field(changes, code, field):
    c = b.city()
    with pytest.raises(DomainError) as caught:
        services.round_create(actor=c.admin, data=b.round_data(changes.pop("resources", [c.hall]), **changes))
    assert (caught.value.code, caught.value.field) == (code, field)


def test_round_states_move_forward_and_only_where_allowed():
    c = b.city()
    round = services.round_create(actor=c.admin, data=b.round_data([c.hall]))
    with pytest.raises(DomainError) as caught:
        services.round_transition(actor=c.admin, round=round, to=RoundState.IN_ALLOCATION)
    assert caught.value.code == "invalid_state"
    with pytest.raises(DomainError):
        services.round_transition(actor=c.admin, round=round, to=RoundState.HANDLED)
    with pytest.raises(PermissionDenied):
        services.round_transition(actor=c.handler, round=round, to=RoundState.OPEN)
    assert services.round_transition(actor=c.admin, round=round, to=RoundState.OPEN).state == RoundState.OPEN
    round = services.round_transition(actor=c.handler, round=round, to=RoundState.IN_ALLOCATION)
    assert round.state == RoundState.IN_ALLOCATION
    with pytest.raises(DomainError):
        services.round_update(actor=c.admin, round=round, data=b.round_data([c.hall]))


def test_the_database_refuses_a_season_that_ends_before_it_begins():
    c = b.city()
    round = b.open_round(c)
    round.season_end = round.season_begin - dt.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        round.save()


def test_equity_weights_are_data_per_round():
    c = b.city()
    round = b.open_round(c)
    youth = AgeGroup.objects.get(minimum=13)
    district = f.district("kontula", "Kontula")
    services.round_weights_set(
        actor=c.admin,
        round=round,
        age_groups={youth.pk: "1.3", AgeGroup.objects.get(minimum=30).pk: 1},
        districts={district.pk: 1.2},
    )
    rows = {(w.age_group_id, w.district_id): float(w.weight) for w in EquityWeight.objects.filter(round=round)}
    assert rows == {(youth.pk, None): 1.3, (None, "kontula"): 1.2}
    with pytest.raises(DomainError) as caught:
        services.round_weights_set(actor=c.admin, round=round, age_groups={youth.pk: "0"}, districts={})
    assert caught.value.code == "invalid"


# -- Applications ------------------------------------------------------------------------------


def test_an_application_is_a_draft_until_submitted_and_fills_in_the_account():
    c = b.city()
    round = b.open_round(c)
    person = f.user(preferred_language="sv")
    application = services.application_start(user=person, round=round)
    assert application.state == ApplicationState.DRAFT
    assert (application.contact_email, application.language) == (person.email, "sv")
    with pytest.raises(DomainError) as caught:
        services.application_submit(user=person, application=application)
    assert caught.value.code in {"incomplete", "invalid_business_id"}


@pytest.mark.parametrize("value", ["1234567-8", "12345678", "abc", "1572860-1"])
def test_a_business_id_with_a_wrong_check_digit_or_form_is_refused(value):
    c = b.city()
    round = b.open_round(c)
    person = f.user()
    application = services.application_start(user=person, round=round)
    with pytest.raises(DomainError) as caught:
        services.application_save(
            user=person,
            application=application,
            data=services.ApplicantData(organisation_name="Seura", business_id=value, contact_name="A"),
        )
    assert (caught.value.code, caught.value.field) == ("invalid_business_id", "business_id")


def test_an_association_needs_its_name_and_business_id_to_submit_a_person_does_not():
    c = b.city()
    round = b.open_round(c)
    group = b.section_data([c.studio], [b.suitable(0, "17:00", "19:00")])
    person = b.apply(round, [group], person=True)
    assert person.state == ApplicationState.SUBMITTED and person.business_id == ""
    club_user = f.user()
    club = services.application_start(user=club_user, round=round)
    services.application_save(
        user=club_user, application=club, data=services.ApplicantData(contact_name="A", contact_email="a@example.org")
    )
    services.section_save(user=club_user, application=club, data=group)
    problems = {(p.code, p.field) for p in services.application_problems(club)}
    assert problems == {("incomplete", "organisation_name"), ("invalid_business_id", "business_id")}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"times_per_week": 8}, "times_per_week"),
        ({"times_per_week": 0}, "times_per_week"),
        ({"min_minutes": 90, "max_minutes": 60}, "max_minutes"),
        ({"min_minutes": 10}, "min_minutes"),
        ({"resources": []}, "resources"),
        ({"resources": ["hall", "hall"]}, "resources"),
        ({"suitable": []}, "suitable"),
        ({"suitable": [services.SuitableData(0, dt.time(18), dt.time(18, 30))]}, "suitable"),
        ({"participants": 0}, "participants"),
    ],
)
def test_a_section_is_checked_when_saved(changes, field):
    c = b.city()
    round = b.open_round(c)
    person = f.user()
    application = services.application_start(user=person, round=round)
    data = b.section_data([c.hall], [b.suitable(0, "17:00", "19:00")])
    values = {**data.__dict__, **changes}
    with pytest.raises(DomainError) as caught:
        services.section_save(user=person, application=application, data=services.SectionData(**values))
    assert caught.value.field == field


def test_a_section_may_only_name_spaces_of_the_round():
    c = b.city()
    round = b.open_round(c, [c.hall])
    person = f.user()
    application = services.application_start(user=person, round=round)
    with pytest.raises(DomainError) as caught:
        services.section_save(
            user=person, application=application, data=b.section_data([c.studio], [b.suitable(0, "17:00", "19:00")])
        )
    assert caught.value.code == "unknown_resource"


def test_applications_are_taken_only_in_the_window_of_an_open_round():
    c = b.city()
    upcoming = services.round_create(actor=c.admin, data=b.round_data([c.hall]))
    with pytest.raises(DomainError) as caught:
        services.application_start(user=f.user(), round=upcoming)
    assert caught.value.code == "round_closed"
    now = timezone.now()
    later = b.open_round(c, application_begin=now + dt.timedelta(days=1), application_end=now + dt.timedelta(days=2))
    with pytest.raises(DomainError):
        services.application_start(user=f.user(), round=later)
    assert services.accepting(later, now + dt.timedelta(days=1, hours=1))


def test_a_submitted_application_is_changed_by_withdrawing_it_first():
    c = b.city()
    round = b.open_round(c)
    application = b.apply(round, [b.section_data([c.hall], [b.suitable(0, "17:00", "19:00")])])
    user = application.user
    with pytest.raises(DomainError) as caught:
        services.section_delete(user=user, application=application, section=application.sections.get())
    assert caught.value.code == "invalid_state"
    services.application_withdraw(user=user, application=application)
    services.section_delete(user=user, application=application, section=application.sections.get())
    assert not application.sections.exists()


def test_an_applicant_sees_and_changes_only_their_own_applications():
    c = b.city()
    round = b.open_round(c)
    application = b.apply(round, [b.section_data([c.hall], [b.suitable(0, "17:00", "19:00")])])
    with pytest.raises(DomainError) as caught:
        services.application_withdraw(user=f.user(), application=application)
    assert caught.value.code == "not_found"


# -- Review ------------------------------------------------------------------------------------


def test_staff_reject_a_single_option_or_a_whole_section_with_an_audit_row():
    c = b.city()
    round = b.open_round(c)
    application = b.apply(round, [b.section_data([c.half_a, c.hall], [b.suitable(0, "17:00", "19:00")])])
    section = application.sections.get()
    option = section.options.get(resource=c.hall)
    viewer = f.staff(c.unit, Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.option_reject(actor=viewer, option=option)
    services.option_reject(actor=c.handler, option=option)
    services.section_reject(actor=c.handler, section=section, reason="Not a sport")
    section.refresh_from_db()
    option.refresh_from_db()
    assert option.rejected and section.rejected and section.reject_reason == "Not a sport"
    assert AuditEntry.objects.filter(action__in=["season_option.reject", "season_section.reject"]).count() == 2
    services.section_reject(actor=c.handler, section=section, rejected=False)
    assert not ApplicationSection.objects.get(pk=section.pk).rejected


def test_section_weight_is_checked_and_audited():
    c = b.city()
    round = b.open_round(c)
    section = b.apply(round, [b.section_data([c.hall], [b.suitable(0, "17:00", "19:00")])]).sections.get()
    services.section_weight_set(actor=c.handler, section=section, weight="1.5")
    section.refresh_from_db()
    assert float(section.weight) == 1.5
    with pytest.raises(DomainError):
        services.section_weight_set(actor=c.handler, section=section, weight="nan")
