"""The shop, feedback and seasonal applications take part in a person's data export and deletion."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tila.accounts.gdpr import account_anonymise, gdpr_export
from tila.booking.services import reservation_create
from tila.feedback.models import BookerProfile, Response, Source, SurveyInvitation
from tila.payments.models import CustomerProfile, Order

pytestmark = pytest.mark.django_db


def keys(tree):
    out = {tree["key"]}
    for child in tree.get("children", []):
        out |= keys(child)
    return out


def values(tree):
    out = set()
    if "value" in tree:
        out.add(str(tree["value"]))
    for child in tree.get("children", []):
        out |= values(child)
    return out


@pytest.fixture
def person_with_history(f, future_day):
    person = f.user(email="aino@example.org")
    res = f.resource()
    booking = reservation_create(actor=person, resource=res, begin=f.at(future_day, 10), end=f.at(future_day, 11))
    Order.objects.create(
        reservation=booking,
        user=person,
        customer_name="Aino Virtanen",
        customer_email="aino@example.org",
        total=Decimal("24.00"),
    )
    CustomerProfile.objects.create(user=person, organisation_name="Kallion kuoro ry", business_id="0112038-9")
    Response.objects.create(
        source=Source.RESERVATION,
        reservation=booking,
        unit=res.unit,
        resource=res,
        score=9,
        comment="Aino here: the piano was out of tune",
        created_at=timezone.now(),
    )
    BookerProfile.objects.create(user=person, birth_year=1990)
    SurveyInvitation.objects.create(reservation=booking, to="aino@example.org")
    return person, booking


def test_the_export_includes_orders_feedback_and_profiles(person_with_history):
    person, _booking = person_with_history
    tree = gdpr_export(user=person)
    assert {"ORDERS", "CUSTOMER_PROFILE", "FEEDBACK", "BOOKER_PROFILE", "SEASON_APPLICATIONS"} <= keys(tree)
    assert {"Kallion kuoro ry", "Aino here: the piano was out of tune", "1990", "24.00"} <= values(tree)


def test_deletion_keeps_the_numbers_and_forgets_the_person(person_with_history):
    person, booking = person_with_history
    account_anonymise(user=person, now=timezone.now() + dt.timedelta(days=30))
    order = Order.objects.get(reservation=booking)
    assert (order.customer_name, order.customer_email, order.total) == ("", "", Decimal("24.00"))
    answer = Response.objects.get(reservation=booking)
    assert (answer.score, answer.comment) == (9, "")
    assert SurveyInvitation.objects.get(reservation=booking).to == ""
    assert not CustomerProfile.objects.filter(user=person).exists()
    assert not BookerProfile.objects.filter(user=person).exists()


def test_a_seasonal_application_is_exported_and_its_contact_details_anonymised(f):
    from tests.seasons import builders
    from tila.seasons.gdpr import _anonymise
    from tila.seasons.models import Application

    c = builders.city()
    round = builders.open_round(c)
    applicant = f.user()
    section = builders.section_data([c.studio], [builders.suitable(0, "17:00", "20:00")])
    application = builders.apply(round, [section], user=applicant, name="Tapiolan Honka")
    tree = gdpr_export(user=applicant)
    assert {"Tapiolan Honka", application.contact_email} <= values(tree)
    _anonymise(applicant, timezone.now())
    application = Application.objects.get(pk=application.pk)
    assert (application.contact_name, application.contact_email) == ("", "")
    assert application.organisation_name == "Tapiolan Honka"  # the association's, not the person's
