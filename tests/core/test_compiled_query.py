"""tila.core.db.CompiledQuery: the same instances as the ORM, compiled once."""

import datetime as dt
import threading
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.models.sql.query import Query
from django.test.utils import CaptureQueriesContext

from tila.accounts.models import AuthToken
from tila.accounts.services import token_authenticate, token_create
from tila.catalogue.models import Resource
from tila.catalogue.selectors import resource_with_unit
from tila.core.db import CompiledQuery

pytestmark = pytest.mark.django_db(transaction=True)


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_resource_with_unit_equals_what_the_orm_loads(f):
    unit = f.unit(latitude=Decimal("60.169856"), longitude=Decimal("24.938379"))
    res = f.resource(unit, min_period=dt.timedelta(minutes=30), max_period=dt.timedelta(hours=3))
    expected = Resource.objects.select_related("unit").get(pk=res.pk)

    found = resource_with_unit(res.pk)

    assert type(found) is Resource
    assert _fields(found) == _fields(expected)  # converters: durations, decimals, datetimes on either database
    assert isinstance(found.min_period, dt.timedelta) and found.max_period == dt.timedelta(hours=3)
    assert found.unit.latitude == Decimal("60.169856")
    assert not found._state.adding and found._state.db == "default"
    with CaptureQueriesContext(connection) as queries:
        assert _fields(found.unit) == _fields(expected.unit)  # the unit came with the row
    assert len(queries) == 0


def test_unknown_value_gives_none(f):
    f.resource()
    assert resource_with_unit("no-such-resource") is None


def test_a_value_that_looks_like_sql_is_only_a_parameter(f):
    res = f.resource()
    assert resource_with_unit(f"{res.pk}' OR '1'='1") is None
    assert Resource.objects.filter(pk=res.pk).exists()


def test_compiles_once_per_database_and_sends_one_statement(f):
    first, second = f.resource(), f.resource()
    lookup = CompiledQuery(lambda rid: Resource.objects.select_related("unit").filter(pk=rid).order_by())
    compiling = mock.patch.object(Query, "get_compiler", autospec=True, side_effect=Query.get_compiler)
    with compiling as compiled, CaptureQueriesContext(connection) as queries:
        assert lookup.first(first.pk).pk == first.pk
        assert lookup.first(second.pk).pk == second.pk
        assert lookup.first(first.pk).unit.pk == first.unit_id
    assert compiled.call_count == 1
    assert len(queries) == 3


def test_token_lookup_brings_the_user(f):
    user = f.user()
    token = token_create(user=user)
    with CaptureQueriesContext(connection) as queries:
        found = token_authenticate(token=token)
        assert found == user and found.uuid == user.uuid and found.email == user.email
    assert all("accounts_authtoken" in q["sql"] for q in queries.captured_queries)
    AuthToken.objects.filter(user=user).delete()
    assert token_authenticate(token=token) is None


def test_each_thread_uses_its_own_connection(f):
    res = f.resource()
    found, errors = [], []

    def look() -> None:
        try:
            found.append(resource_with_unit(res.pk).pk)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=look) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and found == [res.pk] * 4


@pytest.mark.parametrize(
    "build",
    [
        lambda v: Resource.objects.filter(pk=v, name_fi=v),  # the value twice
        lambda v: Resource.objects.filter(pk="fixed"),  # not at all
        lambda v: Resource.objects.filter(name_fi__contains=v),  # rewritten into a pattern
        lambda v: Resource.objects.filter(pk=v).prefetch_related("purposes"),
    ],
)
def test_refuses_what_it_cannot_reproduce(f, build):
    with pytest.raises(ValueError, match=r"CompiledQuery takes|exactly once"):
        CompiledQuery(build).first("x")


# --- CompiledInsert -------------------------------------------------------------------------------


def _row(model, pk):
    return _fields(model.objects.get(pk=pk))


def test_insert_writes_what_save_writes(f, future_day):
    from tila.booking.models import Reservation
    from tila.core.db import CompiledInsert

    res, user = f.resource(), f.user()
    begin = f.at(future_day, 10)
    build = lambda: Reservation(resource=res, user=user, begin=begin, end=begin + dt.timedelta(hours=1))  # noqa: E731
    saved = build()
    saved.save()
    inserted = CompiledInsert(Reservation).insert(build())

    assert inserted.pk is not None and inserted.pk != saved.pk
    assert not inserted._state.adding and inserted._state.db == "default"
    assert inserted.created_at is not None  # auto_now_add ran
    assert _fields(inserted) == _row(Reservation, inserted.pk)  # the instance is what the database holds
    ignore = {"id", "created_at", "modified_at"}
    assert {k: v for k, v in _row(Reservation, inserted.pk).items() if k not in ignore} == {
        k: v for k, v in _row(Reservation, saved.pk).items() if k not in ignore
    }


def test_insert_keeps_json_and_sends_the_signals(f):
    from django.db.models.signals import post_save, pre_save

    from tila.core.db import CompiledInsert
    from tila.notifications.models import OutboundEmail

    seen = []

    def pre(sender, instance, **kw):
        seen.append(("pre", instance.pk))

    def post(sender, instance, created, **kw):
        seen.append(("post", instance.pk, created))

    pre_save.connect(pre, sender=OutboundEmail)
    post_save.connect(post, sender=OutboundEmail)
    try:
        row = CompiledInsert(OutboundEmail).insert(
            OutboundEmail(event="confirmed", to="a@example.org", context={"ä": [1, "kaksi"]})
        )
    finally:
        pre_save.disconnect(pre, sender=OutboundEmail)
        post_save.disconnect(post, sender=OutboundEmail)
    assert seen == [("pre", None), ("post", row.pk, True)]
    assert OutboundEmail.objects.get(pk=row.pk).context == {"ä": [1, "kaksi"]}


def test_insert_compiles_once_and_sends_one_statement(f):
    from django.db.models.sql.subqueries import InsertQuery

    from tila.core.db import CompiledInsert
    from tila.notifications.models import OutboundEmail

    insert = CompiledInsert(OutboundEmail)
    compiling = mock.patch.object(InsertQuery, "get_compiler", autospec=True, side_effect=InsertQuery.get_compiler)
    with compiling as comp, CaptureQueriesContext(connection) as queries:
        ids = [insert.insert(OutboundEmail(event="confirmed", to=f"{i}@example.org")).pk for i in range(3)]
    assert comp.call_count == 1 and len(queries) == 3
    assert sorted(OutboundEmail.objects.filter(pk__in=ids).values_list("to", flat=True)) == [
        "0@example.org",
        "1@example.org",
        "2@example.org",
    ]


def test_an_sql_expression_goes_through_save(f):
    from django.db.models import Value
    from django.db.models.functions import Upper

    from tila.core.db import CompiledInsert
    from tila.notifications.models import OutboundEmail

    row = CompiledInsert(OutboundEmail).insert(OutboundEmail(event="confirmed", subject=Upper(Value("hei"))))
    assert OutboundEmail.objects.get(pk=row.pk).subject == "HEI"


def test_insert_refuses_what_save_would_refuse(f):
    from django_tasks_db.models import DBTaskResult

    from tila.booking.models import Reservation
    from tila.core.db import CompiledInsert
    from tila.notifications.models import OutboundEmail

    insert = CompiledInsert(OutboundEmail)
    saved = insert.insert(OutboundEmail(event="confirmed"))
    with pytest.raises(ValueError, match="new, unsaved rows"):
        insert.insert(saved)  # not new
    with pytest.raises(ValueError, match="new, unsaved rows"):
        insert.insert(Reservation())  # another model
    unsaved_user = type(f.user())(email="x@example.org")
    with pytest.raises(ValueError, match="unsaved related object"):
        insert.insert(OutboundEmail(event="confirmed", recipient=unsaved_user))
    tasks = CompiledInsert(DBTaskResult)
    with pytest.raises(ValueError, match="new, unsaved rows"):
        tasks.insert(DBTaskResult(id=None, args_kwargs={}, task_path="x", backend_name="default"))  # key missing
    assert not DBTaskResult.objects.filter(task_path="x").exists()


# --- CompiledInsert.insert_with -------------------------------------------------------------------


def _booking_rows(f, day, hour=10):
    from tila.booking.models import Occupancy, Reservation
    from tila.notifications.models import OutboundEmail

    res, user = f.resource(), f.user()
    begin, end = f.at(day, hour), f.at(day, hour + 1)
    reservation = Reservation(resource=res, user=user, begin=begin, end=end, reserver_email=user.email)
    occupancy = Occupancy(space_id=res.pk, begin=begin, end=end)
    email = OutboundEmail(event="confirmed", to=user.email, recipient=user, reservation=reservation, context={"ä": 1})
    return reservation, occupancy, email


def test_insert_with_writes_the_rows_together_and_links_them(f, future_day):
    from tila.booking.models import Occupancy, Reservation
    from tila.core.db import CompiledInsert
    from tila.notifications.models import OutboundEmail

    reservation, occupancy, email = _booking_rows(f, future_day)
    with CaptureQueriesContext(connection) as queries:
        assert CompiledInsert(Reservation).insert_with(
            reservation, [(occupancy, "reservation"), (email, "reservation")]
        )
    # one statement on PostgreSQL (a data-modifying WITH); one per row elsewhere
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)
    for obj in (reservation, occupancy, email):
        assert obj.pk is not None and not obj._state.adding and obj._state.db == "default"
        assert _fields(obj) == _row(type(obj), obj.pk)  # the instance is what the database holds
    assert occupancy.reservation is reservation and email.reservation is reservation
    assert Occupancy.objects.get(pk=occupancy.pk).reservation_id == reservation.pk
    assert OutboundEmail.objects.get(pk=email.pk).context == {"ä": 1}
    assert reservation.created_at is not None and email.created_at is not None  # auto_now_add ran


def test_insert_with_sends_each_rows_signals(f, future_day):
    from django.db.models.signals import post_save, pre_save

    from tila.booking.models import Reservation
    from tila.core.db import CompiledInsert

    seen = []

    def pre(sender, instance, **kw):
        seen.append(("pre", sender.__name__, instance.pk))

    def post(sender, instance, created, **kw):
        seen.append(("post", sender.__name__, instance.pk is not None, created))

    reservation, occupancy, email = _booking_rows(f, future_day)
    pre_save.connect(pre)
    post_save.connect(post)
    try:
        CompiledInsert(Reservation).insert_with(reservation, [(occupancy, "reservation"), (email, "reservation")])
    finally:
        pre_save.disconnect(pre)
        post_save.disconnect(post)
    names = ["Reservation", "Occupancy", "OutboundEmail"]
    assert [s for s in seen if s[0] == "pre"] == [("pre", name, None) for name in names]
    assert [s for s in seen if s[0] == "post"] == [("post", name, True, True) for name in names]


def test_insert_with_a_false_condition_inserts_nothing(f, future_day):
    from tila.booking.models import Occupancy, Reservation
    from tila.core.db import CompiledInsert

    reservation, occupancy, email = _booking_rows(f, future_day)
    insert = CompiledInsert(Reservation)
    rows = [(occupancy, "reservation"), (email, "reservation")]
    if connection.vendor != "postgresql":
        with pytest.raises(ValueError, match="needs PostgreSQL"):
            insert.insert_with(reservation, rows, when=("1 = %s", [2]))
        assert not Reservation.objects.exists()
        return
    assert insert.insert_with(reservation, rows, when=("1 = %s", [2])) is False
    assert reservation.pk is None and reservation._state.adding
    assert not Reservation.objects.exists() and not Occupancy.objects.exists()
    assert insert.insert_with(reservation, rows, when=("1 = %s", [1])) is True
    assert Occupancy.objects.get().reservation_id == reservation.pk


def test_insert_with_refuses_what_it_cannot_combine(f, future_day):
    from django.db.models import Value
    from django.db.models.functions import Upper

    from tila.booking.models import Reservation
    from tila.core.db import CompiledInsert
    from tila.notifications.models import OutboundEmail

    insert = CompiledInsert(Reservation)
    reservation, _, email = _booking_rows(f, future_day)
    email.subject = Upper(Value("hei"))
    if connection.vendor == "postgresql":  # elsewhere rows go through insert(), which saves an expression
        with pytest.raises(ValueError, match="SQL expressions"):
            insert.insert_with(reservation, [(email, "reservation")])
    reservation, _, email = _booking_rows(f, future_day, 12)
    with pytest.raises(ValueError, match="not a foreign key to Reservation"):
        insert.insert_with(reservation, [(email, "recipient")])
    assert not Reservation.objects.exists() and not OutboundEmail.objects.exists()
