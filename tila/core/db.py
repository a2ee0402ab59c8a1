"""Database access below the services: which alias serves a read (the primary decides; a replica,
when configured, serves heavy reads), and the statements of the booking path, compiled once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=Model)


def read_alias() -> str:
    """The alias for heavy read-only selectors: "replica" if configured, else "default".

    Inside a transaction on the primary (e.g. within a booking service) reads stay on the primary so
    that a writer sees its own writes.
    """
    if "replica" in settings.DATABASES and not connections["default"].in_atomic_block:
        return "replica"
    return "default"


def on_primary() -> bool:
    return read_alias() == "default"


def fetch_rows(sql: str, params: Sequence[Any], *, using: str = "default") -> list[tuple[Any, ...]]:
    """Rows of one hand-written statement, for lookups on the booking path that run on every request.

    The ORM spends more time compiling a simple indexed lookup than the database spends answering
    it (a leaf-space lookup: 0.47 ms through the ORM, 0.11 ms as SQL; docs/performance.md). Datetime
    parameters must be passed through `db_datetime` first."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class Probe:
    """A question one module asks in SQL — a scalar expression (`EXISTS (…)`, `(SELECT … LIMIT 1)`)
    with its parameters — that another module's statement can carry, so that a request needing
    several small answers gets them in one round trip: a booking asks for its leaf spaces, whether
    the opening hours cover it and whether it has a price in one statement
    (`tila.catalogue.selectors.leaf_ids_and`). The module that owns the tables owns the SQL, and
    asks the same probe on its own through `probe_answers`."""

    sql: str
    params: tuple[Any, ...]


def probe_answers(*probes: Probe, using: str = "default") -> tuple[Any, ...]:
    """The answers of `probes`, in order, from one statement."""
    sql = "SELECT " + ", ".join(probe.sql for probe in probes)
    return fetch_rows(sql, [param for probe in probes for param in probe.params], using=using)[0]


def db_datetime(value: dt.datetime, *, using: str = "default") -> Any:
    """An aware datetime as the database stores it (SQLite keeps UTC text)."""
    return connections[using].ops.adapt_datetimefield_value(value)


def refresh_statistics(*, using: str = "default") -> None:
    """PostgreSQL: ANALYZE, so the planner has row counts right after a bulk load (autovacuum would
    get there later) and after the daily roll-forward.

    SQLite is left to its heuristic planner on purpose: Tila's statements are written for it (an
    equality on the leading column of an index wins), and with ANALYZE statistics it chose worse
    plans for the availability statement (one district on a million reservations: 11 → 100 ms)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def db_date(value: dt.date, *, using: str = "default") -> Any:
    return connections[using].ops.adapt_datefield_value(value)


_PARAM = "\x00tila-compiled-query-parameter\x00"  # stands for the lookup value while Django compiles


class CompiledQuery(Generic[M]):
    """A model lookup on the request path whose SQL Django compiles once per process and database.

    Compiling a query costs the ORM far more than the database spends answering an indexed lookup:
    loading one resource with its unit (60 columns) took a third of a booking's Python time, nearly
    all of it in the compiler. `build(value)` returns the queryset for one lookup value; the first
    call compiles it with a stand-in value, later calls send the same SQL with the real value and
    build the instances (select_related included) the way Django's model iterable does, with the
    same field converters. `build` must use its value exactly once, as a plain filter parameter
    (`exact`; a lookup that rewrites the value, like `contains`, is refused), and be otherwise fixed:
    anything else that varies between calls belongs in another CompiledQuery. The value is sent as
    given, so pass it in the column's own type (a string for a text key)."""

    def __init__(self, build: Callable[[Any], QuerySet[M]]) -> None:
        self._build = build
        self._compiled: dict[tuple[str, str], _Compiled] = {}

    def all(self, value: Any, *, using: str = "default") -> list[M]:
        connection = connections[using]
        compiled = self._compiled.get((using, connection.vendor))
        if compiled is None:
            compiled = self._compiled[(using, connection.vendor)] = _Compiled.of(self._build(_PARAM), using)
        return compiled.run(value, connection)

    def first(self, value: Any, *, using: str = "default") -> M | None:
        found = self.all(value, using=using)
        return found[0] if found else None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    position: int
    model: type[Model]
    start: int
    end: int
    init_list: list[str]
    populators: list[Any]
    converters: dict[int, Any]
    using: str

    @classmethod
    def of(cls, queryset: QuerySet[Any], using: str) -> _Compiled:
        plain = not (queryset._known_related_objects or queryset._prefetch_related_lookups)  # type: ignore[attr-defined]
        if not plain or queryset.query.annotation_select:
            raise ValueError("CompiledQuery takes plain and select_related lookups only")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        positions = [i for i, p in enumerate(params) if p == _PARAM]
        if len(positions) != 1:
            raise ValueError("the lookup value must appear exactly once among the query's parameters")
        info = compiler.klass_info
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        return cls(
            sql=sql,
            params=tuple(params),
            position=positions[0],
            model=info["model"],
            start=start,
            end=end,
            init_list=[col[0].target.attname for col in compiler.select[start:end]],
            populators=get_related_populators(info, compiler.select, using),
            converters=compiler.get_converters([col[0] for col in compiler.select[: compiler.col_count]]),
            using=using,
        )

    def run(self, value: Any, connection: Any) -> list[Any]:
        params = list(self.params)
        params[self.position] = value
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        out = []
        for raw in rows:
            row = _converted(raw, self.converters, connection)
            obj = self.model.from_db(self.using, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            out.append(obj)
        return out


def _converted(row: Sequence[Any], converters: dict[int, Any], connection: Any) -> Sequence[Any]:
    """A fetched row with the fields' database converters applied, as Django's compiler applies them."""
    if not converters:
        return row
    out = list(row)
    for pos, (functions, expression) in converters.items():
        for convert in functions:
            out[pos] = convert(out[pos], expression, connection)
    return out


class CompiledInsert(Generic[M]):
    """`obj.save()` for a new row, with the INSERT compiled once per process and database.

    Model.save() compiles its INSERT on every call; on the booking path that was most of what saving
    a reservation or an outbox row cost. `insert(obj)` does what save() does for a new row of a model
    without parent models: related objects are checked and their keys copied, pre_save and post_save
    are sent, each field's pre_save (auto_now_add and the like) and database preparation run, and the
    columns the database generates come back through RETURNING. The key is either generated by the
    database (an auto field, unset on the instance) or carried by the instance (a UUID default, say).
    The statement is the one Django compiles for the model, made once. A value that is an SQL
    expression (a database default, F()) would change the statement: then the row goes through
    save() instead."""

    def __init__(self, model: type[M]) -> None:
        meta = model._meta
        if meta.parents or meta.order_with_respect_to or meta.auto_field not in (None, meta.pk):
            raise ValueError("CompiledInsert takes models without parent models")
        if model.save is not Model.save:
            raise ValueError(f"{model.__name__} has its own save(), which an insert must not skip")
        self.model = model
        self.fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
        self.returning = list(meta.db_returning_fields)
        self._compiled: dict[tuple[str, str], tuple[str, dict[int, Any]]] = {}
        self._composites: dict[tuple[Any, ...], tuple[str, list[int], list[tuple[int, int]]]] = {}

    def insert(self, obj: M, *, using: str = "default") -> M:
        self._check_new(obj)
        if self._has_expression(obj):
            obj.save(using=using)
            return obj
        connection = connections[using]
        params = self._prepared(obj, using, connection)
        sql, converters = self._statement(using, connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            if not self.returning:
                row = []
            elif connection.features.can_return_columns_from_insert:
                row = list(connection.ops.fetch_returned_insert_columns(cursor, ()))
            else:
                row = [connection.ops.last_insert_id(cursor, self.model._meta.db_table, self.returning[0].column)]
        self._finished(obj, row, using, converters, connection)
        return obj

    def insert_with(
        self,
        obj: M,
        children: Sequence[tuple[Model, str]],
        *,
        when: tuple[str, Sequence[Any]] | None = None,
        using: str = "default",
    ) -> bool:
        """Insert `obj` and rows that refer to it — `(child, link)`: `child.<link>` is a foreign key
        to `obj`'s model, set to `obj` once it has its key — together.

        On PostgreSQL this is one statement (a data-modifying WITH: the children take the new key
        from the parent's RETURNING), so a booking writes its reservation, its occupancy and its
        outbox row in one round trip. `when` (PostgreSQL only) is an SQL condition with parameters:
        when it is false nothing is inserted and the answer is False (the booking engine tries a
        space's advisory lock there). Elsewhere the rows go one after another through `insert`.
        The rows are prepared as `insert` prepares them (signals included), except that a child's
        link is unset while its pre_save runs; values that are SQL expressions are refused. When
        `when` was false the rows' pre_save has run although nothing was written, and runs again if
        they are inserted later."""
        connection = connections[using]
        for child, link in children:
            if getattr(child._meta.get_field(link), "related_model", None) is not self.model:
                raise ValueError(f"{type(child).__name__}.{link} is not a foreign key to {self.model.__name__}")
            setattr(child, link, None)  # set to obj once obj has its key
        if connection.vendor != "postgresql":
            return self._insert_one_by_one(obj, children, when, using)
        rows: list[tuple[CompiledInsert[Any], Model]] = [(self, obj)]
        rows += [(CompiledInsert.of(type(child)), child) for child, _ in children]
        for insert, row in rows:
            insert._check_plain(row)
        links = tuple(link for _, link in children)
        key = (using, tuple(type(child) for child, _ in children), links, when and when[0])
        if key not in self._composites:
            self._composites[key] = self._composite([insert for insert, _ in rows[1:]], links, when, using, connection)
        sql, skipped, slices = self._composites[key]
        params = self._prepared(obj, using, connection) + list(when[1] if when else ())
        for (insert, child), position in zip(rows[1:], skipped, strict=True):
            params += [value for j, value in enumerate(insert._prepared(child, using, connection)) if j != position]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        if not found:
            return False
        for i, ((insert, row), (start, end)) in enumerate(zip(rows, slices, strict=True)):
            if i:  # a child: linked once its parent has its key
                setattr(row, children[i - 1][1], obj)
            insert._finished(row, found[0][start:end], using, insert._statement(using, connection)[1], connection)
        return True

    def _insert_one_by_one(
        self, obj: M, children: Sequence[tuple[Model, str]], when: tuple[str, Sequence[Any]] | None, using: str
    ) -> bool:
        if when is not None:
            raise ValueError("a condition on an insert needs PostgreSQL's data-modifying WITH")
        self.insert(obj, using=using)
        for child, link in children:
            setattr(child, link, obj)
            CompiledInsert.of(type(child)).insert(child, using=using)
        return True

    _registry: ClassVar[dict[type[Model], CompiledInsert[Any]]] = {}

    @classmethod
    def of(cls, model: type[Model]) -> CompiledInsert[Any]:
        """The process's CompiledInsert for `model` (compiled once, shared by its users)."""
        if model not in cls._registry:
            cls._registry[model] = CompiledInsert(model)
        return cls._registry[model]

    def _check_new(self, obj: Model) -> None:
        generated_key = self.model._meta.auto_field is not None
        if type(obj) is not self.model or not obj._state.adding or (obj.pk is not None) == generated_key:
            raise ValueError("CompiledInsert inserts new, unsaved rows of its own model")

    def _check_plain(self, obj: Model) -> None:
        """A new row whose values are all plain values (a combined statement cannot fall back to save())."""
        self._check_new(obj)
        if self._has_expression(obj):
            raise ValueError("insert_with does not take SQL expressions as values")

    def _has_expression(self, obj: Model) -> bool:
        """Whether a value is an SQL expression (a database default, F()), which changes the statement."""
        return any(hasattr(getattr(obj, field.attname), "resolve_expression") for field in self.fields)

    def _prepared(self, obj: Model, using: str, connection: Any) -> list[Any]:
        """What save() does before its INSERT: related keys copied, pre_save sent, field values prepared."""
        obj._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        pre_save.send(sender=self.model, instance=obj, raw=False, using=using, update_fields=None)
        values = [field.pre_save(obj, True) for field in self.fields]
        if any(hasattr(value, "resolve_expression") for value in values):
            raise ValueError("a pre_save receiver set an SQL expression; save() this row instead")
        return [field.get_db_prep_save(value, connection) for field, value in zip(self.fields, values, strict=True)]

    def _finished(
        self, obj: Model, row: Sequence[Any], using: str, converters: dict[int, Any], connection: Any
    ) -> None:
        """What save() does after its INSERT: generated columns set, the instance saved, post_save sent."""
        for value, field in zip(_converted(row, converters, connection), self.returning, strict=True):
            setattr(obj, field.attname, value)
        obj._state.db = using
        obj._state.adding = False
        post_save.send(sender=self.model, instance=obj, created=True, update_fields=None, raw=False, using=using)

    def _parts(self, using: str, connection: Any) -> tuple[str, str]:
        """(`INSERT INTO t (columns)`, `RETURNING …` or ""), from the statement Django compiles, whose
        values must be one plain placeholder per field (as they are for Tila's models)."""
        sql = self._statement(using, connection)[0]
        head, _, rest = sql.partition(" VALUES (")
        values, _, returning = rest.partition(")" + (" RETURNING " if self.returning else ""))
        if values != ", ".join(["%s"] * len(self.fields)) or (self.returning and not returning):
            raise ValueError(f"{self.model.__name__}: its INSERT cannot be part of a combined statement")
        return head, f" RETURNING {returning}" if returning else ""

    def _composite(
        self,
        children: list[CompiledInsert[Any]],
        links: tuple[str, ...],
        when: tuple[str, Sequence[Any]] | None,
        using: str,
        connection: Any,
    ) -> tuple[str, list[int], list[tuple[int, int]]]:
        """The WITH statement of `insert_with`, the position of each child's link among its fields,
        and where each row's returned columns lie in the one row the statement answers."""
        quote = connection.ops.quote_name
        pk = self.model._meta.pk
        if pk not in self.returning:
            raise ValueError(f"{self.model.__name__}: its key must come back from its INSERT")
        head, returning = self._parts(using, connection)
        condition = f" WHERE {when[0]}" if when else ""
        placeholders = ", ".join(["%s"] * len(self.fields))
        ctes = [f"parent AS ({head} SELECT {placeholders}{condition}{returning})"]
        selected = ["parent.*"]
        skipped: list[int] = []
        slices = [(0, len(self.returning))]
        width = len(self.returning)
        for i, (child, link) in enumerate(zip(children, links, strict=True)):
            position = child.fields.index(child.model._meta.get_field(link))
            skipped.append(position)
            child_head, child_returning = child._parts(using, connection)
            values = ["%s"] * len(child.fields)
            values[position] = f"parent.{quote(pk.column)}"
            ctes.append(f"child{i} AS ({child_head} SELECT {', '.join(values)} FROM parent{child_returning})")  # noqa: S608
            if child.returning:
                selected.append(f"child{i}.*")
            slices.append((width, width + len(child.returning)))
            width += len(child.returning)
        froms = ["parent", *(f"child{i}" for i, child in enumerate(children) if child.returning)]
        sql = f"WITH {', '.join(ctes)} SELECT {', '.join(selected)} FROM {', '.join(froms)}"  # noqa: S608 - names only
        return sql, skipped, slices

    def _statement(self, using: str, connection: Any) -> tuple[str, dict[int, Any]]:
        key = (using, connection.vendor)
        if key not in self._compiled:
            query = InsertQuery(self.model)
            query.insert_values(self.fields, [self.model()], raw=False)  # a blank row: only the SQL is kept
            compiler = query.get_compiler(using=using)
            compiler.returning_fields = self.returning
            statements = compiler.as_sql()
            if len(statements) != 1 or len(statements[0][1]) != len(self.fields):
                raise ValueError(f"{self.model.__name__}: its INSERT does not take one parameter per field")
            table = self.model._meta.db_table
            converters = compiler.get_converters([field.get_col(table) for field in self.returning])
            self._compiled[key] = (statements[0][0], converters)
        return self._compiled[key]
