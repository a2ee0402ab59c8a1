"""The feedback survey in a real browser: by the reservation's link, with the keyboard, and by a
unit's public link; axe-core checks every page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f
from tests.e2e.conftest import build_city
from tila.booking.services import reservation_create
from tila.feedback.models import Response, Source
from tila.feedback.selectors import survey_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ended(city, resident):
    day = timezone.localdate() - dt.timedelta(days=1)
    begin = f.at(day, 10)
    return reservation_create(
        actor=resident,
        resource=city["room"],
        begin=begin,
        end=begin + dt.timedelta(hours=1),
        now=begin - dt.timedelta(days=2),
    )


def test_answering_the_survey_of_a_booking(page, ended, axe):
    page.goto(f"/fi/feedback/r/{survey_token(ended.pk)}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kokoushuone Kaisla")
    axe(page, "survey (fi)")
    page.locator("form.survey-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()  # no score chosen: the error is announced
    axe(page, "survey with an error")
    page.locator("#id_score_9").check()
    page.locator("#id_comment").fill("Valoisa ja rauhallinen tila.")
    page.locator("form.survey-form button[type=submit]").click()
    expect(page).to_have_url(f"{page.url.split('/fi/')[0]}/fi/feedback/thanks/")
    axe(page, "thanks")
    answer = Response.objects.get()
    assert (answer.reservation_id, answer.score, answer.language) == (ended.pk, 9, "fi")


def test_the_scale_works_with_the_keyboard(page, ended, axe):
    page.goto(f"/en/feedback/r/{survey_token(ended.pk)}/")
    page.locator("#id_score_0").focus()
    for _ in range(7):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.value") == "7"
    outline = page.evaluate(
        "() => getComputedStyle(document.querySelector('label[for=' + document.activeElement.id + ']')).outlineStyle"
    )
    assert outline != "none"  # the chosen number shows where the focus is
    page.keyboard.press("Tab")  # on to the comment
    page.keyboard.type("Fine.")
    page.locator("form.survey-form button[type=submit]").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")
    assert Response.objects.get().score == 7


def test_public_link_once_a_day_per_browser(page, transactional_db, axe):
    city = build_city()
    unit = city["library"]
    page.goto(f"/sv/feedback/u/{unit.pk}/")
    axe(page, "public survey (sv)")
    page.locator("#id_score_10").check()
    page.locator("form.survey-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.goto(f"/sv/feedback/u/{unit.pk}/")
    page.locator("#id_score_3").check()
    page.locator("form.survey-form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert Response.objects.filter(source=Source.PUBLIC_LINK).count() == 1
