"""The Linked Events course form: a recurring super event with one sub event per session."""

import pytest

from tila.hobbies.linkedevents import course_events, linked_events_page

pytestmark = pytest.mark.django_db


def test_a_group_is_a_recurring_course_with_sub_events(group, settings):
    settings.SITE_URL = "https://tila.example"
    events = course_events(group)
    parent, subs = events[0], events[1:]
    assert parent["type_id"] == "Course"  # Linked Events' Event.Type_Id.COURSE (2)
    assert parent["super_event_type"] == "recurring" and parent["super_event"] is None
    assert len(subs) == 15 and len(parent["sub_events"]) == 15
    assert {s["super_event"]["@id"] for s in subs} == {parent["@id"]} == {f"https://tila.example/v1/hobby/{group.pk}/"}
    assert [s["@id"] for s in subs] == [ref["@id"] for ref in parent["sub_events"]]
    assert parent["start_time"] == subs[0]["start_time"] == "2030-09-03T14:00:00Z"
    assert parent["end_time"] == subs[-1]["end_time"] == "2030-12-10T16:00:00Z"
    assert parent["name"] == {"fi": "Sählykerho", "sv": "Innebandyklubb", "en": "Floorball club"}
    assert (parent["audience_min_age"], parent["audience_max_age"]) == (7, 10)
    assert parent["offers"] == [
        {
            "is_free": False,
            "price": {"fi": "80,00 €", "sv": "80,00 €", "en": "€80.00"},
            "description": None,
            "info_url": None,
        }
    ]
    assert parent["location"] == {"@id": "https://api.hel.fi/linkedevents/v1/place/tprek:8310/"}
    assert parent["in_language"] == [{"@id": "https://api.hel.fi/linkedevents/v1/language/fi/"}]
    assert parent["provider"]["fi"] == "Vuosaaren Urheilijat ry"
    assert set(parent["info_url"]) == {"fi", "sv", "en"}


def test_free_groups_with_a_registration_link(place, details):
    from tila.hobbies.services import hobby_group_create

    free = hobby_group_create(
        actor=None,
        unit=place,
        details=details(is_free=True, price=None, registration_url="https://example.org/register", language="multi"),
    )
    parent = course_events(free)[0]
    assert parent["offers"][0]["is_free"] is True and parent["offers"][0]["price"] is None
    assert parent["external_links"] == [
        {"name": "registration", "link": "https://example.org/register", "language": "fi"}
    ]
    assert len(parent["in_language"]) == 3


def test_page_envelope(group):
    page = linked_events_page([group], count=1, next_url=None, previous_url=None)
    assert page["meta"] == {"count": 1, "next": None, "previous": None}
    assert len(page["data"]) == 16
