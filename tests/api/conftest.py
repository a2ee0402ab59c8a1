"""Helpers for the API tests: a JSON client that signs in as a user, and a small city with every role."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from tests import factories
from tila.accounts.models import Role, User
from tila.accounts.services import token_create
from tila.catalogue.models import Resource, Unit

OPEN_8_TO_22 = [(d, dt.time(8), dt.time(22)) for d in range(7)]


@pytest.fixture(autouse=True)
def _fast_setup(settings):
    """Argon2 is deliberately slow and the API tests sign in hundreds of times; and they book at most a
    few weeks ahead, so opening hours need not be materialised for the production horizon of 400 days."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TILA_HOURS_PAST_DAYS = 7
    settings.TILA_HOURS_AHEAD_DAYS = 60


class Api:
    """Django's test client speaking JSON, with `user=` for a bearer token of that user."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._tokens: dict[int, str] = {}

    def auth(self, user: User | None) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self._tokens:
            self._tokens[user.pk] = token_create(user=user)
        return {"HTTP_AUTHORIZATION": f"Bearer {self._tokens[user.pk]}"}

    def get(self, path: str, query: dict[str, Any] | None = None, *, user: User | None = None, **extra: Any) -> Any:
        return self.client.get(path, query or {}, **self.auth(user), **extra)

    def _send(self, method: str, path: str, body: Any, user: User | None, extra: dict[str, Any]) -> Any:
        if body is None:
            data: str | bytes = ""
        elif isinstance(body, str | bytes):
            data = body
        else:
            data = json.dumps(body)
        send = getattr(self.client, method)
        return send(path, data, content_type="application/json", **self.auth(user), **extra)

    def post(self, path: str, body: Any = None, *, user: User | None = None, **extra: Any) -> Any:
        return self._send("post", path, body, user, extra)

    def put(self, path: str, body: Any = None, *, user: User | None = None, **extra: Any) -> Any:
        return self._send("put", path, body, user, extra)

    def patch(self, path: str, body: Any = None, *, user: User | None = None, **extra: Any) -> Any:
        return self._send("patch", path, body, user, extra)

    def delete(self, path: str, body: Any = None, *, user: User | None = None, **extra: Any) -> Any:
        return self._send("delete", path, body, user, extra)


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


@dataclass
class City:
    """Two units open 08–22 every day; a room and a hidden room in the first; every kind of person."""

    unit: Unit
    other_unit: Unit
    room: Resource
    hidden: Resource
    other_room: Resource
    resident: User
    other_resident: User
    viewer: User
    handler: User
    admin: User
    other_handler: User
    other_admin: User
    superuser: User

    def who(self, role: str) -> User | None:
        """The person for a role name used in parametrised tests; "anonymous" is None."""
        return None if role == "anonymous" else getattr(self, role)


def build_city() -> City:
    unit = factories.unit("tprek:100", hours=OPEN_8_TO_22, name_fi="Kirjasto", name_sv="Bibliotek", name_en="Library")
    other_unit = factories.unit("tprek:200", hours=OPEN_8_TO_22, name_fi="Nuorisotalo", name_en="Youth centre")
    return City(
        unit=unit,
        other_unit=other_unit,
        room=factories.resource(unit, rid="room", name_fi="Kokoushuone", name_en="Meeting room", people_capacity=10),
        hidden=factories.resource(unit, rid="hidden", name_fi="Varasto", name_en="Store room", public=False),
        other_room=factories.resource(other_unit, rid="studio", name_fi="Studio", name_en="Studio"),
        resident=factories.user("resident@example.org"),
        other_resident=factories.user("other@example.org"),
        viewer=factories.staff(unit, Role.VIEWER, email="viewer@example.org"),
        handler=factories.staff(unit, Role.HANDLER, email="handler@example.org"),
        admin=factories.staff(unit, Role.ADMIN, email="admin@example.org"),
        other_handler=factories.staff(other_unit, Role.HANDLER, email="other-handler@example.org"),
        other_admin=factories.staff(other_unit, Role.ADMIN, email="other-admin@example.org"),
        superuser=User.objects.create_superuser("root@example.org", "correct horse battery"),
    )


@pytest.fixture
def city(db: None) -> City:
    return build_city()


def slot(day: dt.date, hh: int, mm: int = 0, minutes: int = 60) -> dict[str, str]:
    """`{"begin", "end"}` for a reservation body: Helsinki wall-clock time with its offset."""
    begin = factories.at(day, hh, mm)
    return {"begin": begin.isoformat(), "end": (begin + dt.timedelta(minutes=minutes)).isoformat()}


def book(api: Api, user: User, resource: Resource | str, day: dt.date, hh: int, **body: Any) -> Any:
    rid = resource if isinstance(resource, str) else resource.pk
    return api.post("/v1/reservation/", {"resource": rid, **slot(day, hh), **body}, user=user)
