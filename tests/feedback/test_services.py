"""Answering surveys, public-link answers, invitations and the inbox's writes."""

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from tila.booking.models import Reservation, State
from tila.booking.services import reservation_create
from tila.core.errors import DomainError
from tila.core.models import AuditEntry
from tila.feedback.models import (
    BookerProfile,
    CustomerGroup,
    PublicAnswerMark,
    QuestionAnswer,
    QuestionKind,
    Response,
    Source,
    SurveyInvitation,
    Theme,
    UnitQuestion,
)
from tila.feedback.selectors import SURVEY_OPEN_DAYS, reservation_id_from_token, survey_state, survey_token
from tila.feedback.services import (
    PUBLIC_RATE_LIMIT,
    feedback_submit,
    public_feedback_submit,
    response_mark_handled,
    response_set_themes,
    survey_invitation_deliver,
    survey_invitations_send,
)

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def codes(exc_info):
    return exc_info.value.code


def test_the_booker_answers_once_and_the_answer_is_stored_with_its_reservation(ended):
    answer = feedback_submit(reservation=ended, score=9, comment=" Bright room. ", language="en")
    assert answer.source == Source.RESERVATION
    assert answer.unit_id == ended.resource.unit_id and answer.resource_id == ended.resource_id
    assert answer.comment == "Bright room."
    assert survey_state(ended) == "answered"
    with pytest.raises(DomainError) as exc:
        feedback_submit(reservation=ended, score=3)
    assert codes(exc) == "already_answered"
    assert Response.objects.count() == 1


def test_the_database_refuses_a_second_answer_to_one_reservation(ended):
    Response.objects.create(
        source=Source.RESERVATION, reservation=ended, unit=ended.resource.unit, score=5, created_at=timezone.now()
    )
    with pytest.raises(IntegrityError):
        Response.objects.create(
            source=Source.RESERVATION, reservation=ended, unit=ended.resource.unit, score=6, created_at=timezone.now()
        )


def test_scores_outside_0_to_10_are_refused_by_the_service_and_the_database(ended):
    for bad in (-1, 11):
        with pytest.raises(DomainError) as exc:
            feedback_submit(reservation=ended, score=bad)
        assert codes(exc) == "invalid_score"
    with pytest.raises(IntegrityError):
        Response.objects.create(
            source=Source.PUBLIC_LINK, unit=ended.resource.unit, score=11, created_at=timezone.now()
        )


def test_a_reservation_that_has_not_ended_cannot_be_answered(f, room, booker, future_day):
    upcoming = reservation_create(actor=booker, resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    with pytest.raises(DomainError) as exc:
        feedback_submit(reservation=upcoming, score=8)
    assert codes(exc) == "survey_not_ended"


def test_cancelled_and_old_reservations_are_closed(f, room, booker, past_booking):
    old = past_booking(room, booker, days_ago=SURVEY_OPEN_DAYS + 1)
    with pytest.raises(DomainError) as exc:
        feedback_submit(reservation=old, score=8)
    assert codes(exc) == "survey_closed"
    cancelled = past_booking(room, booker, days_ago=2)
    Reservation.objects.filter(pk=cancelled.pk).update(state=State.CANCELLED)
    cancelled.refresh_from_db()
    assert survey_state(cancelled) == "closed"


def test_profile_and_customer_group_are_remembered_and_reused(room, booker, past_booking):
    first = past_booking(room, booker, days_ago=3)
    feedback_submit(reservation=first, score=10, customer_group=CustomerGroup.ASSOCIATION, birth_year=1990)
    profile = BookerProfile.objects.get(user=booker)
    assert (profile.birth_year, profile.customer_group) == (1990, CustomerGroup.ASSOCIATION)
    second = past_booking(room, booker, days_ago=2)
    answer = feedback_submit(reservation=second, score=7)  # group not asked again: the profile's is used
    assert answer.customer_group == CustomerGroup.ASSOCIATION


def test_birth_year_must_be_plausible(ended):
    with pytest.raises(DomainError) as exc:
        feedback_submit(reservation=ended, score=7, birth_year=timezone.now().year + 1)
    assert codes(exc) == "invalid_birth_year"


def test_unit_questions_are_saved_only_for_the_units_active_questions(ended, f):
    unit = ended.resource.unit
    mine = UnitQuestion.objects.create(unit=unit, text_en="Was the room clean?", kind=QuestionKind.YES_NO)
    retired = UnitQuestion.objects.create(unit=unit, text_en="Old", active=False)
    other = UnitQuestion.objects.create(unit=f.unit(), text_en="Elsewhere")
    answer = feedback_submit(reservation=ended, score=8, extra={mine.pk: "yes", retired.pk: "4", other.pk: "5"})
    assert list(QuestionAnswer.objects.filter(response=answer).values_list("question_id", "value")) == [
        (mine.pk, "yes")
    ]


def test_survey_tokens_round_trip_and_reject_tampering(ended):
    token = survey_token(ended.pk)
    assert reservation_id_from_token(token) == ended.pk
    assert reservation_id_from_token(token[:-2] + "xx") is None
    assert reservation_id_from_token("nonsense") is None


# --- Public link ---------------------------------------------------------------------------------


def test_public_link_allows_one_answer_per_browser_unit_and_day(room):
    unit = room.unit
    public_feedback_submit(unit=unit, browser_id="b1", client_key="10.0.0.1", score=9)
    with pytest.raises(DomainError) as exc:
        public_feedback_submit(unit=unit, browser_id="b1", client_key="10.0.0.1", score=2)
    assert codes(exc) == "already_answered_today"
    public_feedback_submit(unit=unit, browser_id="b2", client_key="10.0.0.1", score=6)  # another browser
    tomorrow = timezone.now() + dt.timedelta(days=1)
    public_feedback_submit(unit=unit, browser_id="b1", client_key="10.0.0.1", score=8, now=tomorrow)
    assert Response.objects.filter(source=Source.PUBLIC_LINK).count() == 3


def test_public_marks_store_only_hashes(room):
    public_feedback_submit(unit=room.unit, browser_id="browser-secret", client_key="192.0.2.7", score=9)
    mark = PublicAnswerMark.objects.get()
    assert "browser-secret" not in mark.browser_digest and "192.0.2.7" not in mark.client_digest
    assert len(mark.browser_digest) == 64


def test_public_link_is_rate_limited_per_client(room):
    for n in range(PUBLIC_RATE_LIMIT):
        public_feedback_submit(unit=room.unit, browser_id=f"b{n}", client_key="198.51.100.1", score=7)
    with pytest.raises(DomainError) as exc:
        public_feedback_submit(unit=room.unit, browser_id="fresh", client_key="198.51.100.1", score=7)
    assert codes(exc) == "throttled"
    later = timezone.now() + dt.timedelta(hours=1, minutes=1)
    public_feedback_submit(unit=room.unit, browser_id="fresh", client_key="198.51.100.1", score=7, now=later)


def test_public_answer_ignores_a_resource_of_another_unit(room, f):
    elsewhere = f.resource()
    answer = public_feedback_submit(unit=room.unit, resource=elsewhere, browser_id="b", client_key="c", score=9)
    assert answer.resource is None and answer.reservation is None


# --- Invitations ---------------------------------------------------------------------------------


def test_invitations_go_once_per_ended_reservation_in_the_bookers_language(
    ended, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_invitations_send() == 1
    assert survey_invitations_send() == 0
    invitation = SurveyInvitation.objects.get()
    assert invitation.sent_at is not None and invitation.language == "en"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ended.user.email]
    assert "Meeting room" in message.subject
    assert "/en/feedback/r/" in message.body


def test_no_invitation_for_answered_cancelled_or_future_reservations(f, room, booker, past_booking, future_day):
    answered = past_booking(room, booker, days_ago=1, hour=8)
    feedback_submit(reservation=answered, score=9)
    cancelled = past_booking(room, booker, days_ago=1, hour=12)
    Reservation.objects.filter(pk=cancelled.pk).update(state=State.CANCELLED)
    reservation_create(actor=booker, resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    assert survey_invitations_send() == 0


def test_an_invitation_is_not_sent_after_the_survey_was_answered(ended):
    invitation = SurveyInvitation.objects.create(reservation=ended, to="x@example.org", language="fi")
    feedback_submit(reservation=ended, score=10)
    assert survey_invitation_deliver(invitation_id=invitation.pk) == "skipped"
    assert mail.outbox == []


def test_a_mail_server_failure_is_recorded(ended, settings):
    settings.EMAIL_BACKEND = "tests.feedback.test_services.BrokenBackend"
    invitation = SurveyInvitation.objects.create(reservation=ended, to="x@example.org", language="fi")
    assert survey_invitation_deliver(invitation_id=invitation.pk) == "failed"
    invitation.refresh_from_db()
    assert invitation.sent_at is None and "refused" in invitation.last_error


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("refused")


# --- Inbox writes ------------------------------------------------------------------------------


def test_handlers_tag_and_handle_with_an_audit_row(f, ended):
    answer = feedback_submit(reservation=ended, score=4, comment="Cold room.")
    Theme.objects.create(id="temperature", name_en="Temperature")
    handler = f.staff(ended.resource.unit)
    response_set_themes(actor=handler, response=answer, theme_ids=["temperature"])
    response_mark_handled(actor=handler, response=answer)
    answer.refresh_from_db()
    assert [t.pk for t in answer.themes.all()] == ["temperature"]
    assert answer.handled_by == handler and answer.handled_at is not None
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "feedback.themes",
        "feedback.handled",
    ]
    response_mark_handled(actor=handler, response=answer, handled=False)
    answer.refresh_from_db()
    assert answer.handled_at is None


def test_viewers_and_other_units_staff_cannot_handle(f, ended):
    answer = feedback_submit(reservation=ended, score=4, comment="Cold room.")
    viewer = f.staff(ended.resource.unit, role="viewer")
    outsider = f.staff(f.unit())
    for who in (viewer, outsider):
        with pytest.raises(DomainError) as exc:
            response_mark_handled(actor=who, response=answer)
        assert codes(exc) == "permission_denied"
