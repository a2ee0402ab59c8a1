"""schemathesis against /v1/openapi.json, in-process over WSGI, on a small city.

Every documented operation gets a bounded number of generated requests (fixed seed; set
TILA_SCHEMATHESIS_EXAMPLES to explore more) from a resident, a unit administrator, a general
administrator and an anonymous caller. Generated ids are often steered to objects that exist and
generated times to bookable future slots, so that write endpoints succeed as well as fail. The test
proves: no 5xx, every status code is documented, and every response body matches the documented
schema. It does not demand that schema-valid input is accepted: the booking rules legitimately
refuse much of it with a documented 400.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from tests import factories
from tests.api.conftest import City, build_city
from tila.accounts.services import token_create
from tila.booking.models import Reservation
from tila.booking.services import reservation_create
from tila.catalogue.models import Equipment, Purpose, Resource
from tila.hours.models import OpeningPeriod

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SEED = 20240607
EXAMPLES_PER_OPERATION = int(os.environ.get("TILA_SCHEMATHESIS_EXAMPLES", "25"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
ROLES = ("resident", "admin", "superuser", "anonymous")


class Steering:
    """Known ids, bookable times and plausible bodies, drawn into generated cases much of the time.

    Generated strings almost never name an existing object, so most path ids and references are
    replaced by real ones; and for the write operations a template sometimes fills in what a real client
    would send, keeping the rest of the generated body, so that writes succeed as well as fail.
    """

    def __init__(self) -> None:
        self.ids: dict[str, list[Any]] = {
            "unit": ["tprek:100", "tprek:200"],
            "resource": ["room", "hidden", "studio"],
            "parent": ["room"],
            "type": ["meeting-room"],
            "purposes": ["meeting"],
            "equipment": ["projector"],
            "purpose": ["meeting"],
            "opening_period": list(OpeningPeriod.objects.values_list("id", flat=True)),
            "reservation": list(Reservation.objects.values_list("id", flat=True)),
        }
        self.first_day = timezone.localdate() + dt.timedelta(days=2)
        self.serial = itertools.count(1)
        self.templates: dict[str, Any] = {
            "POST /v1/reservation/": self._reservation,
            "PUT /v1/reservation/{reservation_id}/": self._reservation,
            "PATCH /v1/reservation/{reservation_id}/": self._move,
            "POST /v1/resource/": lambda d: {"unit": "tprek:100", "type": "meeting-room", "name": {"fi": "Sali"}},
            "POST /v1/unit/": lambda d: {"id": f"test:{next(self.serial)}", "name": {"fi": "Talo"}},
            "POST /v1/purpose/": lambda d: {"id": f"p{next(self.serial)}", "name": {"en": "Play"}},
            "POST /v1/type/": lambda d: {"id": f"t{next(self.serial)}", "name": {"en": "Hall"}},
            "POST /v1/equipment/": lambda d: {"id": f"e{next(self.serial)}", "name": {"en": "Piano"}},
            "POST /v1/opening_period/": lambda d: {"unit": "tprek:100", "start": self.first_day.isoformat()},
            "POST /v1/auth/register/": lambda d: {
                "email": f"new{next(self.serial)}@example.org",
                "password": "correct horse battery staple",
            },
            "POST /v1/auth/token/": lambda d: {"email": "resident@example.org", "password": "correct horse battery"},
        }
        # What a template leaves out: fields that would make a plausible request implausible.
        self.drop = ("user", "reserver_email", "state", "type", "staff_override", "parent", "resource", "district")

    def times(self, data: st.DataObject) -> tuple[str, str]:
        day = self.first_day + dt.timedelta(days=data.draw(st.integers(0, 20), label="day"))
        begin = factories.at(day, data.draw(st.integers(7, 21), label="hour"), data.draw(st.sampled_from([0, 30])))
        minutes = data.draw(st.sampled_from([30, 60, 90, 600]), label="minutes")
        return begin.isoformat(), (begin + dt.timedelta(minutes=minutes)).isoformat()

    def _reservation(self, data: st.DataObject) -> dict[str, Any]:
        begin, end = self.times(data)
        return {"resource": data.draw(st.sampled_from(["room", "studio"])), "begin": begin, "end": end}

    def _move(self, data: st.DataObject) -> dict[str, Any]:
        begin, end = self.times(data)
        return {"begin": begin, "end": end}

    def often(self, data: st.DataObject, label: str) -> bool:
        return data.draw(st.integers(0, 3), label=label) > 0

    def steer(self, case: Any, data: st.DataObject) -> None:
        kind = case.operation.path.split("/")[2]
        for name in list(case.path_parameters or {}):
            if self.ids.get(kind) and self.often(data, f"known {name}"):
                case.path_parameters[name] = data.draw(st.sampled_from(self.ids[kind]))
        if isinstance(case.body, dict):
            self._steer_references(case.body, data)
            template = self.templates.get(case.operation.label)
            if template is not None and self.often(data, "plausible body"):
                for name in self.drop:
                    case.body.pop(name, None)
                case.body.update(template(data))
        if case.query:
            self._steer_references(case.query, data)
            if "start" in case.query and "end" in case.query and self.often(data, "window"):
                case.query["start"], case.query["end"] = self.times(data)

    def _steer_references(self, values: dict[str, Any], data: st.DataObject) -> None:
        for name in ("resource", "unit", "type", "parent"):
            if name in values and self.often(data, f"known {name}"):
                values[name] = data.draw(st.sampled_from(self.ids[name]))
        for name in ("purposes", "equipment"):
            if isinstance(values.get(name), list) and self.often(data, f"known {name}"):
                values[name] = self.ids[name]


def _explore(operation: Any, steering: Steering, headers: dict[str, dict[str, str]]) -> str | None:
    """Run the generated cases of one operation; the first failure's report, or None."""

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @seed(SEED)
    @given(case=operation.as_strategy(), data=st.data())
    def explore(case: Any, data: st.DataObject) -> None:
        steering.steer(case, data)
        role = data.draw(st.sampled_from(ROLES), label="caller")
        response = case.call(headers=headers[role])
        case.validate_response(response, checks=CHECKS)

    try:
        explore()
    except (Exception, BaseExceptionGroup) as exc:  # schemathesis reports its failures as exception groups
        return f"{operation.label}: {exc}"
    return None


@pytest.fixture
def wsgi_app(settings):
    """The Django application called in-process inside the test's transaction."""
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _small_city() -> City:
    city = build_city()
    meeting = Purpose.objects.create(id="meeting", name_fi="Kokous", name_en="Meeting")
    projector = Equipment.objects.create(id="projector", name_fi="Projektori", name_en="Projector")
    city.room.purposes.add(meeting)
    city.room.equipment.add(projector)
    Resource.objects.filter(pk=city.room.pk).update(need_manual_confirmation=True)
    day = timezone.localdate() + dt.timedelta(days=3)
    for hour, user in ((10, city.resident), (12, city.other_resident)):
        begin = factories.at(day, hour)
        reservation_create(actor=user, resource=city.room.pk, begin=begin, end=begin + dt.timedelta(hours=1))
    return city


def test_every_operation_answers_as_documented(wsgi_app):
    city = _small_city()
    headers = {
        role: {"Authorization": f"Bearer {token_create(user=city.who(role))}"} if role != "anonymous" else {}
        for role in ROLES
    }
    schema = schemathesis.openapi.from_wsgi("/v1/openapi.json", wsgi_app)
    steering = Steering()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures = [report for op in operations if (report := _explore(op, steering, headers)) is not None]
    assert not failures, "\n\n".join(failures)
