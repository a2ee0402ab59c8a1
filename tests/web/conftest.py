import datetime as dt

import pytest

from tila.catalogue.models import AccessibilitySentence, Equipment, Purpose

HOURS = [(d, dt.time(8), dt.time(22)) for d in range(7)]


@pytest.fixture
def unit(f):
    district = f.district("kallio", "Kallio")
    return f.unit(
        "tprek:9000",
        hours=HOURS,
        name_en="Kallio Library",
        name_fi="Kallion kirjasto",
        name_sv="Berghälls bibliotek",
        street_address_fi="Viides linja 11",
        street_address_en="Viides linja 11",
        postal_code="00530",
        municipality="Helsinki",
        district=district,
        latitude="60.184000",
        longitude="24.950000",
        email="kallio@example.org",
    )


@pytest.fixture
def room(f, unit):
    purpose = Purpose.objects.create(id="meeting", name_fi="Kokous", name_sv="Möte", name_en="Meeting")
    res = f.resource(
        unit,
        rid="kallio-room",
        name_en="Meeting room",
        name_fi="Kokoushuone",
        name_sv="Mötesrum",
        description_en="A bright room for twelve.",
        terms_en="Leave the room tidy.",
        terms_fi="Jätä huone siistiksi.",
        terms_sv="Lämna rummet städat.",
        people_capacity=12,
        slot_size=dt.timedelta(minutes=30),
        min_period=dt.timedelta(hours=1),
        max_period=dt.timedelta(hours=4),
        reservable_max_days_in_advance=60,
        cancel_cutoff=dt.timedelta(hours=24),
    )
    res.purposes.add(purpose)
    res.equipment.add(
        Equipment.objects.create(id="screen", name_en="Projection screen", category_en="AV equipment"),
        Equipment.objects.create(id="whiteboard", name_en="Whiteboard", category_en="Furniture"),
    )
    AccessibilitySentence.objects.create(resource=res, group_en="Entrance", sentence_en="Step-free entrance.", order=1)
    AccessibilitySentence.objects.create(resource=res, group_en="Entrance", sentence_en="Automatic doors.", order=2)
    AccessibilitySentence.objects.create(resource=res, group_en="Toilets", sentence_en="Accessible toilet.", order=3)
    return res


@pytest.fixture
def resident(f):
    return f.user("resident@example.org", preferred_language="en")


@pytest.fixture
def signed_in(client, resident):
    client.force_login(resident)
    return client


def errors_of(response, field=None):
    """{field: [codes]} of the page's form (None = non-field errors)."""
    form = response.context["form"]
    data = form.errors.as_data()
    out = {name: [e.code for e in errs] for name, errs in data.items()}
    if field is not None:
        return out.get("__all__" if field is None else field, [])
    return out
