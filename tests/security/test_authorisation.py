"""Every page and every API operation, tried as every kind of user, must keep one resident's data
to that resident.

The pages come from Django's URL resolver and the API operations from the OpenAPI document, so a
new page or endpoint is tried without anyone adding it here. Path parameters are filled with the
*owner's* objects (their reservation, order, series, unit and resource) wherever the name says
what they are, and with a harmless default otherwise. Each request is made with GET and POST (the
API: every documented method, with an empty JSON body) as:

* anonymous,
* another resident,
* staff of another unit.

Nobody may get a 500; nobody's response may contain the owner's personal details (name, email,
phone, booking subject); and after all the requests the owner's data and the owner's unit are
exactly as they were. Pages needing sign-in answer anonymous visitors with a redirect to sign-in,
401, 403 or 404; API operations that need a token answer 401 without one.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tila.accounts.models import AuthToken, Role, UnitRole, User
from tila.accounts.services import token_create
from tila.booking.models import Reservation, ReservationSeries
from tila.booking.services import reservation_create
from tila.catalogue.models import Resource
from tila.hours.models import OpeningPeriod
from tila.web.models import Favourite

OWNER_NAME = "Omistaja Salaisuus"
OWNER_EMAIL = "omistaja.salaisuus@example.org"
OWNER_PHONE = "+358 50 999 8888"
OWNER_SUBJECT = "Omistajan yksityinen juhla"
MARKERS = (OWNER_NAME, OWNER_EMAIL, OWNER_PHONE, OWNER_SUBJECT)
SIGN_IN_PATHS = ("/accounts/login/", "/admin/login/")
ANONYMOUS_OK = {302, 303, 400, 401, 403, 404, 405}
ADMIN_SAMPLE = 12  # admin change lists tried (all need an admin; there are hundreds of routes)


@dataclass
class World:
    owner: User
    other: User
    foreign_staff: User
    unit_id: str
    resource: Resource
    reservation: Reservation
    series: ReservationSeries
    order_uuid: uuid.UUID
    period_id: int
    role_id: int


@pytest.fixture
def world(f, future_day) -> World:
    from tila.payments.models import Order

    unit = f.unit(hours=[(d, dt.time(0), dt.time(0)) for d in range(7)])
    resource = f.resource(unit, name_en="Shared hall")
    owner = f.user(OWNER_EMAIL)
    owner.name = OWNER_NAME
    owner.save()
    reservation = reservation_create(
        actor=owner,
        resource=resource,
        begin=f.at(future_day, 10),
        end=f.at(future_day, 11),
        event_subject=OWNER_SUBJECT,
        reserver_phone=OWNER_PHONE,
        reserver_name=OWNER_NAME,
    )
    order = Order.objects.create(
        reservation=reservation,
        user=owner,
        total=Decimal("10.00"),
        state="paid",
        customer_name=OWNER_NAME,
        customer_email=OWNER_EMAIL,
    )
    home_staff = f.staff(unit, Role.ADMIN)
    series = ReservationSeries.objects.create(
        resource=resource,
        user=owner,
        weekdays=[2],
        start_date=future_day + dt.timedelta(days=14),
        count=2,
        begin_time=dt.time(12),
        end_time=dt.time(13),
        event_subject=OWNER_SUBJECT,
        reserver_name=OWNER_NAME,
        reserver_email=OWNER_EMAIL,
        created_by=home_staff,
    )
    Favourite.objects.create(user=owner, resource=resource)
    token_create(user=owner)
    other_unit = f.unit()
    f.resource(other_unit)
    return World(
        owner=owner,
        other=f.user("toinen.asukas@example.org"),
        foreign_staff=f.staff(other_unit, Role.ADMIN),
        unit_id=unit.pk,
        resource=resource,
        reservation=reservation,
        series=series,
        order_uuid=order.uuid,
        period_id=OpeningPeriod.objects.filter(unit=unit).values_list("pk", flat=True).first() or 1,
        role_id=UnitRole.objects.get(user=home_staff).pk,
    )


def _state(world: World) -> dict[str, Any]:
    """What must not change: the owner's data, and the owner's unit and resource."""
    from tila.payments.models import Order

    reservations = Reservation.objects.filter(user=world.owner).order_by("pk")
    return {
        "user": User.objects.filter(pk=world.owner.pk).values("email", "name", "password", "is_active").get(),
        "reservations": list(
            reservations.values(
                "pk", "state", "begin", "end", "event_subject", "reserver_name", "reserver_phone", "resource"
            )
        ),
        "series": list(ReservationSeries.objects.filter(user=world.owner).values("pk", "state", "event_subject")),
        "orders": list(Order.objects.filter(user=world.owner).values("uuid", "state", "total")),
        "favourites": sorted(Favourite.objects.filter(user=world.owner).values_list("resource_id", flat=True)),
        "tokens": AuthToken.objects.filter(user=world.owner).count(),
        "resource": Resource.objects.filter(pk=world.resource.pk).values().get(),
        "periods": list(OpeningPeriod.objects.filter(unit_id=world.unit_id).values()),
        "roles": sorted(UnitRole.objects.filter(unit_id=world.unit_id).values_list("user_id", "role")),
    }


# --- Pages from the URL resolver ----------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        else:
            yield prefix + str(entry.pattern), namespace + (entry.name or ""), entry


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def _value(world: World, url_name: str, name: str, converter: str | None) -> str:
    by_name: dict[str, Any] = {
        "unit_id": world.unit_id,
        "resource_id": world.resource.pk,
        "reservation_id": world.reservation.pk,
        "series_id": world.series.pk,
        "order_id": world.order_uuid,
        "provider": "paytrail",
        "outcome": "success",
        "uidb64": "MQ",
        "token": "not-a-real-token-0123456789",
        "dataset_id": "nps",
        "fmt": "csv",
    }
    if name == "pk":
        special = {
            "staff:series_detail": world.series.pk,
            "staff:period_edit": world.period_id,
            "staff:role_remove": world.role_id,
        }
        return str(special.get(url_name, world.reservation.pk))
    if name in by_name:
        return str(by_name[name])
    return {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "path": "x"}.get(converter or "str", "x")


def _page_paths(world: World) -> list[tuple[str, str]]:
    """(url name, concrete path) for every page; the API is tried from its OpenAPI document."""
    paths, admin_lists = [], []
    for route, name, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("v1/", "^")):
            continue
        if name.startswith("admin:"):
            if PARAMETER.search(route) is None and route.count("/") <= 4:
                admin_lists.append((name, route))
            continue
        concrete = PARAMETER.sub(lambda m, url_name=name: _value(world, url_name, m["name"], m["converter"]), route)
        paths.append((name, "/" + concrete))
    sample = sorted(set(admin_lists))[:ADMIN_SAMPLE]
    paths.extend((name, "/" + route) for name, route in sample)
    return sorted(set(paths))


def _as(kind: str, world: World) -> Client:
    client = Client(raise_request_exception=False)
    person = {"other": world.other, "foreign_staff": world.foreign_staff}.get(kind)
    if person is not None:
        client.force_login(person)
    return client


def _leaks(body: str) -> list[str]:
    return [marker for marker in MARKERS if marker in body]


def _check_page(kind: str, method: str, name: str, path: str, response: Any) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(
            f"{method} {path} ({name}) as {kind}: {response.status_code} {getattr(response, 'exc_info', '')}"
        )
    body = response.content.decode(errors="replace") if not getattr(response, "streaming", False) else ""
    leaked = _leaks(body)
    if leaked:
        problems.append(f"{method} {path} ({name}) as {kind} shows the owner's {leaked}")
    return problems


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["anonymous", "other", "foreign_staff"])
def test_no_page_shows_or_changes_another_persons_data(world, kind, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    before = _state(world)
    problems: list[str] = []
    for name, path in _page_paths(world):
        if name in {"web:logout", "admin:logout"}:
            continue
        for method in ("GET", "POST"):
            client = _as(kind, world)
            response = client.get(path) if method == "GET" else client.post(path, {})
            problems += _check_page(kind, method, name, path, response)
            if kind == "anonymous" and method == "GET" and _needs_sign_in(name):
                problems += _anonymous_is_turned_away(client, name, path, response)
    assert problems == [], "\n".join(problems)
    assert _state(world) == before


def _anonymous_is_turned_away(client: Client, name: str, path: str, response: Any) -> list[str]:
    """A page that needs sign-in answers 401/403/404, or redirects (perhaps via another page of
    Tila) to a sign-in page."""
    for _hop in range(3):
        location = response.get("Location", "")
        if response.status_code not in {302, 303} or any(p in location for p in SIGN_IN_PATHS):
            break
        response = client.get(location)
    if response.status_code in ANONYMOUS_OK:
        return []
    return [f"GET {path} ({name}) as anonymous: {response.status_code} {response.get('Location', '')}"]


# Pages anyone may see (a new public page is added here); the rest need a signed-in person, or are
# capability links (a secret token in the address) that answer 404 to the made-up tokens used here.
PUBLIC_PAGES = {
    "web:home",
    "web:resource",
    "web:book",
    "web:login",
    "web:signup",
    "web:password_reset",
    "web:password_reset_confirm",
    "web:verify_email",
    "feedback:public",
    "feedback:public_qr",
    "feedback:thanks",
    "feedback:survey",
    "hobbies:search",
    "hobbies:detail",
    "seasons:rounds",
    "seasons:round",
    "set_language",
    "healthz",
}
PUBLIC_NAMESPACES = ("feeds:", "payments_callback:", "oidc:", "gdpr:", "admin:")


def _needs_sign_in(name: str) -> bool:
    return name not in PUBLIC_PAGES and not name.startswith(PUBLIC_NAMESPACES)


@pytest.mark.django_db
def test_the_owner_does_see_their_own_data(world):
    """The positive control: the markers are found where they should be."""
    client = Client()
    client.force_login(world.owner)
    assert _leaks(client.get(f"/en/reservations/{world.reservation.pk}/").content.decode())
    token = token_create(user=world.owner)
    response = Client().get(f"/v1/reservation/{world.reservation.pk}/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert _leaks(response.content.decode())


# --- The API from its OpenAPI document ----------------------------------------------------------------


def _operations(world: World) -> list[tuple[str, str, bool]]:
    """(method, concrete path, needs a token) for every documented operation."""
    from tila.api.base import api

    schema = api.get_openapi_schema()
    found = []
    values = {
        "unit_id": world.unit_id,
        "resource_id": world.resource.pk,
        "reservation_id": world.reservation.pk,
        "series_id": world.series.pk,
        "order_id": world.order_uuid,
        "period_id": world.period_id,
        "item_id": "meeting",
        "dataset_id": "nps",
        "hobby_id": 1,
    }
    for template, item in schema["paths"].items():
        path = re.sub(r"\{(\w+)\}", lambda m: str(values.get(m.group(1), "1")), template)
        for method, operation in item.items():
            if method.upper() not in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                continue
            security = operation.get("security")
            found.append((method.upper(), path, security == [{"BearerToken": []}]))
    return found


def _api_call(client: Client, method: str, path: str, token: str | None) -> Any:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    call = getattr(client, method.lower())
    if method in {"GET", "DELETE"}:
        return call(path, **headers)
    return call(path, "{}", content_type="application/json", **headers)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["anonymous", "other", "foreign_staff"])
def test_no_api_operation_shows_or_changes_another_persons_data(world, kind):
    before = _state(world)
    person = {"other": world.other, "foreign_staff": world.foreign_staff}.get(kind)
    token = token_create(user=person) if person is not None else None
    problems: list[str] = []
    operations = _operations(world)
    assert len(operations) > 30, "the OpenAPI document lists the operations"
    for method, path, needs_token in operations:
        response = _api_call(Client(raise_request_exception=False), method, path, token)
        if response.status_code >= 500:
            problems.append(f"{method} {path} as {kind}: {response.status_code}")
        leaked = _leaks(response.content.decode(errors="replace"))
        if leaked:
            problems.append(f"{method} {path} as {kind} shows the owner's {leaked}")
        if kind == "anonymous" and needs_token and response.status_code != 401:
            problems.append(f"{method} {path} as anonymous: {response.status_code}, not 401")
        if path.startswith(f"/v1/reservation/{world.reservation.pk}") and 200 <= response.status_code < 300:
            problems.append(f"{method} {path} as {kind}: {response.status_code} on the owner's reservation")
    assert problems == [], "\n".join(problems)
    assert _state(world) == before


@pytest.mark.django_db
def test_gdpr_api_without_a_provider_token_is_401_for_everyone(world):
    for kind in ("anonymous", "other", "foreign_staff"):
        client = _as(kind, world)
        for method in ("get", "delete"):
            response = getattr(client, method)(f"/gdpr-api/v1/profiles/{world.owner.uuid}")
            assert response.status_code == 401, (kind, method)
    assert User.objects.get(pk=world.owner.pk).anonymised_at is None
