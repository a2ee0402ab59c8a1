"""The survey pages, the public link and its QR code, the staff inbox and the My reservations tag."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from tila.core.models import AuditEntry
from tila.feedback.models import PublicAnswerMark, QuestionKind, Response, Source, Theme, UnitQuestion
from tila.feedback.selectors import survey_token
from tila.feedback.services import feedback_submit
from tila.feedback.views import BROWSER_COOKIE

pytestmark = pytest.mark.django_db


def survey_url(reservation, lang="en"):
    return f"/{lang}/feedback/r/{survey_token(reservation.pk)}/"


def test_survey_page_is_an_accessible_form(client, ended):
    UnitQuestion.objects.create(unit=ended.resource.unit, text_en="Was it clean?", kind=QuestionKind.YES_NO)
    response = client.get(survey_url(ended))
    assert response.status_code == 200
    html = response.content.decode()
    assert "How was Meeting room?" in html
    assert "<legend>" in html and 'name="score"' in html and html.count('type="radio" name="score"') == 11
    assert 'aria-describedby="score-hint' in html
    assert "Was it clean?" in html


def test_answering_saves_once_and_thanks(client, ended):
    response = client.post(survey_url(ended), {"score": "9", "comment": "Great", "customer_group": "association"})
    assert response.status_code == 302 and response["Location"].endswith("/feedback/thanks/")
    answer = Response.objects.get()
    assert (answer.reservation_id, answer.score, answer.language) == (ended.pk, 9, "en")
    again = client.get(survey_url(ended))
    assert again.status_code == 200 and "Thank you, we have your answer" in again.content.decode()


def test_a_missing_score_is_shown_as_an_error(client, ended):
    response = client.post(survey_url(ended), {"comment": "No score"})
    assert response.status_code == 400
    assert "Choose a number from 0 to 10." in response.content.decode()
    assert Response.objects.count() == 0


def test_the_survey_answers_in_the_pages_language(client, ended):
    client.post(survey_url(ended, "sv"), {"score": "7"})
    assert Response.objects.get().language == "sv"


def test_a_forged_token_is_not_found(client, ended):
    assert client.get("/en/feedback/r/not-a-token/").status_code == 404


def test_a_closed_survey_says_so(client, room, booker, past_booking):
    old = past_booking(room, booker, days_ago=61)
    response = client.get(survey_url(old))
    assert response.status_code == 410 and "This survey is closed" in response.content.decode()


# --- Public link -----------------------------------------------------------------------------------


def test_public_link_sets_a_signed_browser_cookie_and_allows_one_answer_a_day(client, room):
    url = f"/fi/feedback/u/{room.unit_id}/"
    first = client.get(url)
    assert first.status_code == 200 and BROWSER_COOKIE in first.cookies
    assert client.post(url, {"score": "10"}).status_code == 302
    second = client.post(url, {"score": "2"})
    assert second.status_code == 400
    assert "already_answered_today" in {e.code for e in second.context["form"].non_field_errors().as_data()}
    assert Response.objects.filter(source=Source.PUBLIC_LINK).count() == 1
    assert PublicAnswerMark.objects.count() == 1


def test_public_link_for_one_space(client, room):
    client.post(f"/en/feedback/u/{room.unit_id}/?resource={room.pk}", {"score": "8", "resource": room.pk})
    assert Response.objects.get().resource_id == room.pk


def test_qr_code_is_svg_of_the_public_link(client, room):
    response = client.get(f"/en/feedback/u/{room.unit_id}/qr.svg")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    body = response.content.decode()
    assert body.startswith("<svg") and "<title>" in body and f"/en/feedback/u/{room.unit_id}/" in body


def test_unknown_unit_is_not_found(client):
    assert client.get("/en/feedback/u/nowhere/").status_code == 404


# --- Staff ------------------------------------------------------------------------------------------


@pytest.fixture
def commented(ended):
    return feedback_submit(reservation=ended, score=3, comment='=HYPERLINK("x") Cold room')


def test_inbox_needs_staff(client, f, commented):
    assert client.get("/en/feedback/staff/").status_code == 302
    client.force_login(f.user())
    assert client.get("/en/feedback/staff/").status_code == 403


def test_handler_reads_tags_and_handles(client, f, commented):
    handler = f.staff(commented.unit)
    client.force_login(handler)
    page = client.get("/en/feedback/staff/?category=detractor")
    assert page.status_code == 200 and "Cold room" in page.content.decode()
    theme = Theme.objects.get(pk="conditions")
    prefix = f"r{commented.pk}"
    response = client.post(
        f"/en/feedback/staff/answers/{commented.pk}/",
        {f"{prefix}-themes": [theme.pk], f"{prefix}-handled": "on", "back": "category=detractor"},
    )
    assert response.status_code == 302 and "category=detractor" in response["Location"]
    commented.refresh_from_db()
    assert commented.handled_at is not None and list(commented.themes.all()) == [theme]
    assert AuditEntry.objects.filter(action="feedback.handled").exists()


def test_viewer_sees_but_cannot_handle(client, f, commented):
    viewer = f.staff(commented.unit, role="viewer")
    client.force_login(viewer)
    assert "Cold room" in client.get("/en/feedback/staff/").content.decode()
    client.post(f"/en/feedback/staff/answers/{commented.pk}/", {f"r{commented.pk}-handled": "on"})
    commented.refresh_from_db()
    assert commented.handled_at is None


def test_csv_export_is_safe_for_spreadsheets(client, f, commented):
    client.force_login(f.staff(commented.unit, role="viewer"))
    response = client.get("/en/feedback/staff/answers.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    header, row = body.strip().splitlines()[:2]
    assert header.startswith("answered_at,unit_id,unit,resource,score,category")
    assert "'=HYPERLINK" in row and ",3,detractor," in row
    assert "booker@example.org" not in body  # no personal details


def test_staff_link_page_shows_the_qr_code_and_links(client, f, room):
    client.force_login(f.staff(room.unit, role="viewer"))
    response = client.get(f"/en/feedback/staff/units/{room.unit_id}/link/")
    html = response.content.decode()
    assert response.status_code == 200 and "<svg" in html
    assert f"/sv/feedback/u/{room.unit_id}/" in html and f"/fi/feedback/u/{room.unit_id}/" in html
    client.force_login(f.staff(f.unit(), role="viewer"))
    assert client.get(f"/en/feedback/staff/units/{room.unit_id}/link/").status_code == 403


# --- The My reservations tag -------------------------------------------------------------------------


def render_prompt(user, reservation):
    request = RequestFactory().get("/en/reservations/")
    request.user = user
    template = Template("{% load tila_feedback %}{% feedback_prompt reservation %}")
    return template.render(Context({"request": request, "reservation": reservation}))


def test_prompt_links_to_an_open_survey_then_thanks(ended, booker, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        html = render_prompt(booker, ended)
    assert f"/feedback/r/{survey_token(ended.pk)}/" in html
    feedback_submit(reservation=ended, score=10)
    assert "Thank you for your feedback" in render_prompt(booker, ended)


def test_prompt_is_empty_for_upcoming_reservations(f, room, booker, future_day):
    from tila.booking.services import reservation_create

    upcoming = reservation_create(actor=booker, resource=room, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    assert render_prompt(booker, upcoming).strip() == ""


def test_many_cards_cost_the_same_queries(room, booker, past_booking, django_assert_max_num_queries):
    bookings = [past_booking(room, booker, days_ago=1, hour=h) for h in (8, 10, 12, 14)]
    request = RequestFactory().get("/en/reservations/")
    request.user = booker
    template = Template("{% load tila_feedback %}{% for r in rs %}{% feedback_prompt r %}{% endfor %}")
    with django_assert_max_num_queries(3):
        html = template.render(Context({"request": request, "rs": bookings}))
    assert html.count("/feedback/r/") == 4
