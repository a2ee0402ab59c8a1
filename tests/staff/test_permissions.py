"""The permission matrix: every staff action × every role × own unit, another unit, and a unit the
role reaches through a unit group. Permissions are decided in the service layer, so the matrix
calls the services directly (the pages and the API only call them)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from tila.accounts.models import Role, UnitRole
from tila.booking.models import Reservation, ReservationType, State
from tila.booking.series import series_cancel, series_create, series_move
from tila.booking.services import reservation_approve, reservation_cancel, reservation_create, reservation_modify
from tila.catalogue.models import UnitGroup
from tila.catalogue.services import resource_create, resource_update
from tila.core.errors import DomainError
from tila.hours.services import opening_period_create, opening_period_update
from tila.notifications.feeds import resource_feed
from tila.staff.services import request_ask_info, request_deny, requests_bulk, role_grant, role_revoke

pytestmark = pytest.mark.django_db
T = dt.time
DENIED_CODES = {"permission_denied", "authentication_required"}


def _day():
    return timezone.localdate() + dt.timedelta(days=10)


def _at(f, hour):
    return f.at(_day(), hour)


def _requested(ctx):
    f = ctx["f"]
    return Reservation.objects.create(
        resource=ctx["res"], user=ctx["customer"], begin=_at(f, 10), end=_at(f, 11), state=State.REQUESTED
    )


def _confirmed(ctx):
    f = ctx["f"]
    return reservation_create(
        actor=ctx["boss"],
        resource=ctx["res"],
        user=ctx["customer"],
        begin=_at(f, 12),
        end=_at(f, 13),
        staff_override=True,
    )


def _series(ctx):
    return series_create(
        actor=ctx["boss"],
        resource=ctx["res"],
        weekdays=[_day().weekday()],
        start_date=_day(),
        count=2,
        begin_time=T(7),
        end_time=T(8),
        staff_override=True,
    ).series


# Each action: (name, needed action level, callable(ctx, actor)).
ACTIONS = [
    ("approve", "handle", lambda c, a: reservation_approve(actor=a, reservation=_requested(c))),
    ("deny", "handle", lambda c, a: request_deny(actor=a, reservation=_requested(c), text="No")),
    ("ask_info", "handle", lambda c, a: request_ask_info(actor=a, reservation=_requested(c), message="Who?")),
    ("bulk_approve", "handle", lambda c, a: _bulk(c, a)),
    (
        "book_on_behalf",
        "handle",
        lambda c, a: reservation_create(
            actor=a,
            resource=c["res"],
            user=c["customer"],
            begin=_at(c["f"], 14),
            end=_at(c["f"], 15),
            staff_override=True,
        ),
    ),
    (
        "closure",
        "handle",
        lambda c, a: reservation_create(
            actor=a, resource=c["res"], begin=_at(c["f"], 16), end=_at(c["f"], 17), type=ReservationType.BLOCKED
        ),
    ),
    (
        "move_others",
        "handle",
        lambda c, a: reservation_modify(
            actor=a, reservation=_confirmed(c), begin=_at(c["f"], 18), end=_at(c["f"], 19), staff_override=True
        ),
    ),
    ("cancel_others", "handle", lambda c, a: reservation_cancel(actor=a, reservation=_confirmed(c))),
    (
        "series_create",
        "handle",
        lambda c, a: series_create(
            actor=a,
            resource=c["res"],
            weekdays=[_day().weekday()],
            start_date=_day(),
            count=2,
            begin_time=T(20),
            end_time=T(21),
            staff_override=True,
        ),
    ),
    ("series_cancel", "handle", lambda c, a: series_cancel(actor=a, series=_series(c))),
    (
        "series_move",
        "handle",
        lambda c, a: series_move(actor=a, series=_series(c), begin_time=T(6), end_time=T(7), staff_override=True),
    ),
    (
        "resource_create",
        "manage",
        lambda c, a: resource_create(actor=a, unit=c["unit"], type=c["res"].type, name_fi="Uusi"),
    ),
    ("resource_update", "manage", lambda c, a: resource_update(actor=a, resource=c["res"], people_capacity=5)),
    (
        "hours_create",
        "manage",
        lambda c, a: opening_period_create(
            actor=a, unit=c["unit"], start=dt.date(2031, 1, 1), end=dt.date(2031, 1, 2), closed=True
        ),
    ),
    ("hours_update", "manage", lambda c, a: opening_period_update(actor=a, period=c["period"], closed=True)),
    ("role_grant", "manage", lambda c, a: role_grant(actor=a, user=c["f"].user(), role=Role.VIEWER, unit=c["unit"])),
    ("role_revoke", "manage", lambda c, a: role_revoke(actor=a, role=c["bystander_role"])),
    ("resource_feed", "view", lambda c, a: resource_feed(user=a, resource_id=c["res"].pk)),
]


def _bulk(ctx, actor):
    result = requests_bulk(actor=actor, ids=[_requested(ctx).pk], action="approve")
    if result.failed:
        raise DomainError(result.failed[0][1], result.failed[0][2])
    return result


LEVELS = {
    "general_admin": {"view", "handle", "manage"},
    Role.ADMIN: {"view", "handle", "manage"},
    Role.HANDLER: {"view", "handle"},
    Role.VIEWER: {"view"},
    "resident": set(),
    "anonymous": set(),
}
CASES = [(who, scope) for who in LEVELS for scope in (("own", "group", "other") if who in Role.values else ("any",))]


def _actor(f, who, scope, unit, other_unit):
    if who == "anonymous":
        return AnonymousUser()
    if who == "general_admin":
        return f.user(is_superuser=True, is_staff=True)
    person = f.user()
    if who in Role.values:
        if scope == "own":
            UnitRole.objects.create(user=person, role=who, unit=unit)
        elif scope == "other":
            UnitRole.objects.create(user=person, role=who, unit=other_unit)
        else:
            group = UnitGroup.objects.create(name_fi="Ryhmä")
            group.units.set([unit, other_unit])
            UnitRole.objects.create(user=person, role=who, unit_group=group)
    return person


@pytest.fixture
def ctx(f):
    unit = f.unit()
    other_unit = f.unit()
    res = f.resource(unit)
    boss = f.user(is_superuser=True)
    return {
        "f": f,
        "unit": unit,
        "other_unit": other_unit,
        "res": res,
        "boss": boss,
        "customer": f.user(),
        "period": opening_period_create(actor=None, unit=unit, start=dt.date(2030, 1, 1), rules=[(0, T(8), T(9))]),
        "bystander_role": UnitRole.objects.create(user=f.user(), role=Role.VIEWER, unit=unit),
    }


@pytest.mark.parametrize(("who", "scope"), CASES, ids=[f"{w}-{s}" for w, s in CASES])
@pytest.mark.parametrize(("name", "level", "act"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_permission_matrix(ctx, f, who, scope, name, level, act):
    actor = _actor(f, who, scope, ctx["unit"], ctx["other_unit"])
    allowed = level in LEVELS[who] and scope != "other"
    if allowed:
        act(ctx, actor)
    else:
        with pytest.raises(DomainError) as info:
            act(ctx, actor)
        assert info.value.code in DENIED_CODES, info.value


def test_a_group_role_reaches_every_unit_of_the_group_and_no_other(f):
    a, b, c = f.unit(), f.unit(), f.unit()
    group = UnitGroup.objects.create(name_fi="Kirjastot")
    group.units.set([a, b])
    handler = f.user()
    UnitRole.objects.create(user=handler, role=Role.HANDLER, unit_group=group)
    for unit, expected in ((a, True), (b, True), (c, False)):
        res = f.resource(unit)
        try:
            reservation_create(
                actor=handler, resource=res, begin=_at(f, 9), end=_at(f, 10), type=ReservationType.BLOCKED
            )
            ok = True
        except DomainError:
            ok = False
        assert ok is expected


def test_a_group_role_is_granted_only_by_who_administers_every_unit_in_it(f):
    a, b = f.unit(), f.unit()
    group = UnitGroup.objects.create(name_fi="Nuoriso")
    group.units.set([a, b])
    admin_of_a = f.staff(a, Role.ADMIN)
    with pytest.raises(DomainError) as info:
        role_grant(actor=admin_of_a, user=f.user(), role=Role.VIEWER, unit_group=group)
    assert info.value.code == "permission_denied"
    UnitRole.objects.create(user=admin_of_a, role=Role.ADMIN, unit=b)
    admin_of_a.__dict__.pop("_tila_unit_roles", None)
    assert role_grant(actor=admin_of_a, user=f.user(), role=Role.VIEWER, unit_group=group).unit_group == group


AUDITED = {
    "approve": "reservation.approve",
    "deny": "reservation.deny",
    "ask_info": "reservation.ask_info",
    "bulk_approve": "reservation.approve",
    "book_on_behalf": "reservation.create",
    "closure": "reservation.create",
    "move_others": "reservation.modify",
    "cancel_others": "reservation.cancel",
    "series_create": "series.create",
    "series_cancel": "series.cancel",
    "series_move": "series.move",
    "resource_create": "resource.create",
    "resource_update": "resource.update",
    "hours_create": "opening_period.create",
    "hours_update": "opening_period.update",
    "role_grant": "role.grant",
    "role_revoke": "role.revoke",
}


@pytest.mark.parametrize(
    ("name", "level", "act"), [a for a in ACTIONS if a[0] in AUDITED], ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_staff_action_writes_an_audit_row_with_who_and_what_changed(ctx, f, name, level, act):
    from tila.core.models import AuditEntry

    admin = _actor(f, Role.ADMIN, "own", ctx["unit"], ctx["other_unit"])
    act(ctx, admin)
    entry = AuditEntry.objects.filter(actor=admin, action=AUDITED[name]).order_by("-id").first()
    assert entry is not None, f"{name} wrote no {AUDITED[name]} row"
    assert entry.unit_id == ctx["unit"].pk
    assert entry.before is not None or entry.after is not None
