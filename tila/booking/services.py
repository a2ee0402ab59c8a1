"""The booking engine: create, modify, cancel, approve and deny reservations.

Every request is checked in this fixed order; the first rule that fails decides the error code:

1. the resource exists and is reservable (and visible to the actor) ........ `not_reservable`
1a. the actor's sign-in meets the resource's `authentication` rule: every booking needs a
    signed-in person (`none` and `weak` alike) ....................... `authentication_required`;
    `strong` needs a strongly identified session (OpenID Connect `loa`
    substantial or high, see tila/accounts/assurance.py) .... `strong_authentication_required`
2. the range is well formed: aware, begin before end ........................ `invalid_range`
3. it begins in the future ................................................... `in_past`
4. inside the advance window: not sooner than the minimum ................... `too_late`
                              not beyond the maximum ......................... `too_early`
5. the duration is within the minimum and maximum ........... `duration_too_short` / `duration_too_long`
6. begin and end lie on the slot grid (from local midnight) ................. `not_aligned`
7. inside opening hours ...................................................... `closed`
8. the number of participants fits the capacity ............................. `capacity_exceeded`
9. the customer's active reservations on this resource are under the quota .. `quota_exceeded`
10. no overlap with another active reservation on the same or a containing/contained space,
    buffers included ......................................................... `overlap`

Staff of the unit (handle permission) may override rules 4–7 and 9 with `staff_override`; no
one overrides 1–3, 8 or 10. Rule 1a does not apply to staff of the unit (they identify the
customer themselves when booking for someone). Rule 10 is decided by the database (see
booking/models.py). On SQLite, whose write lock serialises writers, the engine checks it before
writing. On PostgreSQL a new booking skips that read: writers of the same space queue on a
per-space advisory lock and the exclusion constraint refuses the insert, which the caller gets
as the same `overlap` (moves still check first, so a move onto a taken time says `overlap` before
any price rule is looked at).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, ParamSpec, TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.assurance import is_strong
from tila.accounts.permissions import Action, can
from tila.booking.models import ACTIVE_STATES, Occupancy, Reservation, ReservationType, State
from tila.catalogue.models import Resource, ResourceLeaf
from tila.catalogue.selectors import Rules, is_published, leaf_ids, leaf_ids_and, resource_rules, resource_with_unit
from tila.core.audit import audit_log, snapshot
from tila.core.db import CompiledInsert
from tila.core.errors import DomainError, PermissionDenied
from tila.core.timeutil import get_zone, is_aware, to_utc
from tila.hours.selectors import is_open, open_probe
from tila.notifications.events import created_event, reservation_email, reservation_event
from tila.notifications.models import Event, OutboundEmail

# -- Rule checks (in the documented order) ----------------------------------------------------


@dataclass(frozen=True)
class Request:
    """What is being asked, reduced to what the rules look at."""

    resource: Resource
    rules: Rules
    begin: dt.datetime
    end: dt.datetime
    participants: int | None
    customer_id: int | None
    exclude_id: int | None
    now: dt.datetime
    leaves: tuple[str, ...] | None = None  # the leaf spaces, when the caller has them already
    opened: bool | None = None  # whether opening hours cover [begin, end), when the caller asked already
    # the caller writes the occupancy right after the checks: on PostgreSQL the constraint then
    # answers rule 10 and the read before it is skipped
    write_follows: bool = False


def _check_reservable(resource: Resource, actor: Any, staff: bool) -> None:
    if not resource.reservable and not staff:
        raise DomainError("not_reservable", _("This resource cannot be reserved."), field="resource")
    if not staff and not is_published(resource):
        raise DomainError("not_reservable", _("This resource cannot be reserved."), field="resource")


def _check_authentication(rules: Rules, actor: Any, staff: bool) -> None:
    """Rule 1a: a `strong` resource needs a strongly identified session (staff of the unit excepted)."""
    if staff or rules.authentication != "strong":
        return
    if not is_strong(actor):
        raise DomainError(
            "strong_authentication_required",
            _("Booking this space needs strong identification. Sign in with strong identification to book it."),
            field="resource",
        )


def _check_range(begin: Any, end: Any) -> None:
    if not isinstance(begin, dt.datetime) or not isinstance(end, dt.datetime):
        raise DomainError("invalid_range", _("Give both a beginning and an end time."))
    if not is_aware(begin) or not is_aware(end):
        raise DomainError("invalid_range", _("Times must include a time zone."))
    if begin >= end:
        raise DomainError("invalid_range", _("The reservation must end after it begins."), field="end")


def _check_future(req: Request) -> None:
    if req.begin < req.now:
        raise DomainError("in_past", _("The reservation cannot begin in the past."), field="begin")


def _local_date(value: dt.datetime, req: Request) -> dt.date:
    return value.astimezone(get_zone(req.resource.unit.time_zone)).date()


def _check_advance(req: Request) -> None:
    today = _local_date(req.now, req)
    begin_day = _local_date(req.begin, req)
    if req.rules.min_days_ahead and (begin_day - today).days < req.rules.min_days_ahead:
        raise DomainError(
            "too_late",
            _("This resource must be reserved at least %(days)s days ahead."),
            field="begin",
            days=req.rules.min_days_ahead,
        )
    if req.rules.max_days_ahead is not None and (begin_day - today).days > req.rules.max_days_ahead:
        raise DomainError(
            "too_early",
            _("This resource can be reserved at most %(days)s days ahead."),
            field="begin",
            days=req.rules.max_days_ahead,
        )


def _minutes(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 60)


def _check_duration(req: Request) -> None:
    duration = req.end - req.begin
    if duration < req.rules.min_period:
        raise DomainError(
            "duration_too_short",
            _("The reservation must last at least %(minutes)s minutes."),
            field="end",
            minutes=_minutes(req.rules.min_period),
        )
    if req.rules.max_period is not None and duration > req.rules.max_period:
        raise DomainError(
            "duration_too_long",
            _("The reservation can last at most %(minutes)s minutes."),
            field="end",
            minutes=_minutes(req.rules.max_period),
        )


def is_aligned(value: dt.datetime, slot: dt.timedelta, tz_name: str) -> bool:
    """Whether `value` lies on the slot grid that starts at local midnight."""
    local = value.astimezone(get_zone(tz_name))
    since_midnight = dt.timedelta(
        hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
    )
    return since_midnight % slot == dt.timedelta(0)


def _check_alignment(req: Request) -> None:
    tz_name = req.resource.unit.time_zone
    slot = req.rules.slot_size
    if not is_aligned(req.begin, slot, tz_name) or not is_aligned(req.end, slot, tz_name):
        raise DomainError(
            "not_aligned",
            _("Reservations begin and end on a %(minutes)s-minute grid."),
            field="begin",
            minutes=_minutes(slot),
        )


def _check_hours(req: Request) -> None:
    opened = req.opened
    if opened is None:
        opened = is_open(resource_id=req.resource.pk, begin=req.begin, end=req.end)
    if not opened:
        raise DomainError("closed", _("The resource is not open for the whole time."), field="begin")


def _check_capacity(req: Request) -> None:
    capacity = req.resource.people_capacity
    if req.participants is not None and capacity is not None and req.participants > capacity:
        raise DomainError(
            "capacity_exceeded",
            _("At most %(capacity)s people fit in this space."),
            field="number_of_participants",
            capacity=capacity,
        )


def _check_quota(req: Request) -> None:
    limit = req.rules.max_reservations_per_user
    if limit is None or req.customer_id is None:
        return
    _lock(f"quota:{req.customer_id}:{req.resource.pk}")
    active = Reservation.objects.filter(
        user_id=req.customer_id,
        resource=req.resource,
        state__in=ACTIVE_STATES,
        type=ReservationType.NORMAL,
        end__gt=req.now,
    )
    if req.exclude_id is not None:
        active = active.exclude(pk=req.exclude_id)
    if active.count() >= limit:
        raise DomainError(
            "quota_exceeded",
            _("You can have at most %(limit)s active reservations of this resource."),
            limit=limit,
        )


def _occupancy_range(rules: Rules, begin: dt.datetime, end: dt.datetime, kind: str) -> tuple[dt.datetime, dt.datetime]:
    if kind == ReservationType.BLOCKED:
        return begin, end
    return begin - rules.buffer_before, end + rules.buffer_after


def _check_overlap(req: Request, kind: str) -> None:
    if req.write_follows and connection.vendor == "postgresql":
        return  # the exclusion constraint decides at the insert (see the module's docstring)
    occ_begin, occ_end = _occupancy_range(req.rules, req.begin, req.end, kind)
    leaves = req.leaves if req.leaves is not None else leaf_ids(req.resource.pk)
    _refuse_if_taken(leaves, occ_begin, occ_end, exclude_id=req.exclude_id)


def _refuse_if_taken(
    leaves: Iterable[str], occ_begin: dt.datetime, occ_end: dt.datetime, *, exclude_id: int | None = None
) -> None:
    """Raise `overlap` if committed occupancy (or this transaction's) holds any of the time."""
    clash = Occupancy.objects.filter(space_id__in=list(leaves), begin__lt=occ_end, end__gt=occ_begin)
    if exclude_id is not None:
        clash = clash.exclude(reservation_id=exclude_id)
    if clash.exists():
        raise _overlap_error()


def _overlap_error() -> DomainError:
    return DomainError("overlap", _("The time overlaps another reservation."), field="begin")


def _time_rules(req: Request) -> None:
    _check_advance(req)
    _check_duration(req)
    _check_alignment(req)


def check_time_rules(req: Request) -> None:
    """Rules 2–6 — range, past, advance window, duration, slot grid: the ones that depend only on the
    resource's rules and the times, so they need no database (search pages ask them for many slots)."""
    _check_range(req.begin, req.end)
    req = replace(req, begin=to_utc(req.begin), end=to_utc(req.end))
    _check_future(req)
    _time_rules(req)


def check_request(req: Request, *, kind: str, override: bool) -> None:
    """Rules 2–10 in order (rule 1 is checked by the caller, which knows the actor)."""
    _check_range(req.begin, req.end)
    req = replace(req, begin=to_utc(req.begin), end=to_utc(req.end))
    _check_future(req)
    if kind == ReservationType.BLOCKED:
        _check_overlap(req, kind)
        return
    if not override:
        _time_rules(req)
        _check_hours(req)
    _check_capacity(req)
    if not override:
        _check_quota(req)
    _check_overlap(req, kind)


# -- Locks and the database's verdict ---------------------------------------------------------


def _lock_number(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def _lock(key: str) -> None:
    """A transaction-scoped advisory lock on PostgreSQL (SQLite's write lock is already held)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_lock_number(key)])


def _lock_leaves(leaves: Iterable[str], *, when_contended: Callable[[], None] | None = None) -> None:
    """Queue the writers of the same spaces one behind another before they insert occupancy.

    The exclusion constraint alone stays correct, but two transactions that insert conflicting rows
    at the same instant each wait for the other's index entry, and PostgreSQL breaks the cycle by
    aborting one of them (a deadlock, `busy`). Under a burst of forty clients the retries could run
    out. Taking one advisory lock per leaf, always in the same (sorted) order, lets exactly one
    writer per space insert at a time; the next one then meets the committed row and gets a clean
    `overlap`. The lock is held to the end of the transaction, like the row it protects.

    Uncontended, each lock is one non-blocking try. When another writer holds one, `when_contended`
    runs first (the new booking's overlap check: a time already taken is refused at once instead of
    after waiting in the queue), then the lock is awaited."""
    if connection.vendor != "postgresql":
        return
    numbers = sorted({_lock_number(f"leaf:{leaf}") for leaf in leaves})
    with connection.cursor() as cursor:
        for i, number in enumerate(numbers):
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [number])
            if cursor.fetchone()[0]:
                continue
            if when_contended is not None:
                when_contended()
            for rest in numbers[i:]:  # the same global order; re-taking a held lock is harmless
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [rest])
            return


def _is_overlap_violation(exc: IntegrityError) -> bool:
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) == "23P01":  # PostgreSQL exclusion_violation
        return True
    return "occupancy_overlap" in str(exc)


# Every booking inserts a reservation and its occupancy (their INSERTs compiled once, tila.core.db).
_NEW_RESERVATION = CompiledInsert.of(Reservation)
_NEW_OCCUPANCY = CompiledInsert.of(Occupancy)


def _write_occupancy(
    reservation: Reservation, rules: Rules, *, leaves: tuple[str, ...] | None = None, fresh: bool = False
) -> None:
    """(Re)write the occupancy rows of `reservation`; raise `overlap` if the database refuses.
    `fresh`: the reservation was just inserted and has no rows yet.

    The leaf locks cover the rows removed as well as the rows written, and are taken before either:
    a writer waiting on our uncommitted delete while we wait for its leaf lock would be a deadlock."""
    active = reservation.state in ACTIVE_STATES
    new_leaves = (leaves if leaves is not None else tuple(leaf_ids(reservation.resource_id))) if active else ()
    occ_begin, occ_end = _occupancy_range(rules, reservation.begin, reservation.end, reservation.type)

    # No savepoint: every caller is a service in its own atomic block (a savepoint when nested), and
    # a refused insert rolls that block back as a whole.
    with _database_verdict():
        if fresh:
            _lock_leaves(new_leaves, when_contended=lambda: _refuse_if_taken(new_leaves, occ_begin, occ_end))
        else:
            current = Occupancy.objects.filter(reservation=reservation)
            _lock_leaves([*current.values_list("space_id", flat=True), *new_leaves])
            current.delete()
        if not active:
            return
        if len(new_leaves) == 1:
            row = Occupancy(reservation=reservation, space_id=new_leaves[0], begin=occ_begin, end=occ_end)
            _NEW_OCCUPANCY.insert(row)
        else:
            rows = [
                Occupancy(reservation=reservation, space_id=leaf, begin=occ_begin, end=occ_end) for leaf in new_leaves
            ]
            Occupancy.objects.bulk_create(rows)


@contextlib.contextmanager
def _database_verdict() -> Iterator[None]:
    """The database's refusals of occupancy as the engine's errors: the exclusion constraint's as
    `overlap`, a deadlock or serialisation failure (a race lost to another writer) as `busy`."""
    try:
        yield
    except IntegrityError as exc:
        if _is_overlap_violation(exc):
            raise _overlap_error() from exc
        raise
    except OperationalError as exc:
        if getattr(exc.__cause__, "sqlstate", None) in {"40P01", "40001"}:
            raise DomainError("busy", _("Many people are booking right now; please try again.")) from exc
        raise


_TRY_LOCK = "pg_try_advisory_xact_lock(%s)"


def _insert_new(reservation: Reservation, rules: Rules, leaves: tuple[str, ...], email: OutboundEmail | None) -> None:
    """Write a new reservation, its occupancy and its outbox row (`email`, if anyone is told).

    On PostgreSQL a booking of one leaf space (most bookings) is one statement: the three rows go in
    together (`CompiledInsert.insert_with`), and only if the same statement got the space's advisory
    lock (`_lock_leaves`), so an uncontended booking takes its lock and writes everything in one
    round trip. When another writer holds the lock nothing is written; the booking then refuses a
    time already taken at once, or queues on the lock and writes the same rows. Other bookings
    (divided spaces, SQLite) write the reservation (with its outbox row), then the occupancy."""
    children: list[tuple[Model, str]] = [(email, "reservation")] if email is not None else []
    if connection.vendor == "postgresql" and len(leaves) == 1 and reservation.state in ACTIVE_STATES:
        occ_begin, occ_end = _occupancy_range(rules, reservation.begin, reservation.end, reservation.type)
        rows = [(Occupancy(space_id=leaves[0], begin=occ_begin, end=occ_end), "reservation"), *children]
        lock = (_TRY_LOCK, [_lock_number(f"leaf:{leaves[0]}")])
        with _database_verdict():
            if _NEW_RESERVATION.insert_with(reservation, rows, when=lock):
                return
            _lock_leaves(leaves, when_contended=lambda: _refuse_if_taken(leaves, occ_begin, occ_end))
            _NEW_RESERVATION.insert_with(reservation, rows)
        return
    _NEW_RESERVATION.insert_with(reservation, children)
    _write_occupancy(reservation, rules, leaves=leaves, fresh=True)


@transaction.atomic
def occupancy_rebuild(*, resource_ids: list[str]) -> int:
    """Rewrite the occupancy of every active reservation on `resource_ids` (after a tree change)."""
    reservations = Reservation.objects.filter(resource_id__in=resource_ids, state__in=ACTIVE_STATES).select_related(
        "resource__unit"
    )
    targets = list(reservations)
    current = Occupancy.objects.filter(reservation__in=targets)
    new_leaves = ResourceLeaf.objects.filter(resource_id__in=resource_ids).values_list("leaf_id", flat=True)
    _lock_leaves([*current.values_list("space_id", flat=True), *new_leaves])  # all at once, in order
    current.delete()
    for reservation in targets:
        _write_occupancy(reservation, resource_rules(reservation.resource))
    return len(targets)


# -- Retrying a race lost to the database's deadlock detector -----------------------------------

P = ParamSpec("P")
R = TypeVar("R")
ATTEMPTS = 3


def retry_when_busy(func: Callable[P, R]) -> Callable[P, R]:
    """Run a write service again when PostgreSQL aborted it to break a deadlock (two bookings of
    overlapping slots inserting their occupancy rows at the same instant). The retry then sees the
    winner's committed rows and answers `overlap`. Inside a caller's transaction there is nothing to
    retry, so the `busy` error goes up to the caller."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        attempts = 1 if connection.in_atomic_block else ATTEMPTS
        for attempt in range(1, attempts + 1):
            try:
                return func(*args, **kwargs)
            except DomainError as exc:
                if exc.code != "busy" or attempt == attempts:
                    raise
                time.sleep(random.uniform(0.005, 0.05) * attempt)
        raise AssertionError("unreachable")

    return wrapper


# -- Services ---------------------------------------------------------------------------------


def _notify_if(wanted: bool, event: str | None, reservation: Reservation) -> None:
    """Tell the customer after commit (tila.notifications.events); closures tell no one."""
    if wanted and event is not None:
        reservation_event(event, reservation)


def _is_staff_for(actor: Any, resource: Resource) -> bool:
    return can(actor, Action.HANDLE, resource.unit_id)


def _require_signed_in(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise DomainError("authentication_required", _("Sign in to make a reservation."))


def _load_resource(resource: Resource | str) -> Resource:
    if isinstance(resource, Resource) and "unit" in resource._state.fields_cache:
        return resource  # the caller loaded it with its unit already
    found = resource_with_unit(resource.pk if isinstance(resource, Resource) else resource)
    if found is None:
        raise DomainError("not_reservable", _("This resource cannot be reserved."), field="resource")
    return found


@retry_when_busy
@transaction.atomic
def reservation_create(
    *,
    actor: Any,
    resource: Resource | str,
    begin: dt.datetime,
    end: dt.datetime,
    user: Any = None,
    type: str = ReservationType.NORMAL,
    staff_override: bool = False,
    event_subject: str = "",
    event_description: str = "",
    number_of_participants: int | None = None,
    reserver_name: str = "",
    reserver_email: str = "",
    reserver_phone: str = "",
    staff_comment: str = "",
    now: dt.datetime | None = None,
    series: Any = None,
    notify: bool = True,
    without_payment: bool | None = None,
) -> Reservation:
    """Book `resource` for [begin, end). `actor` books for themselves, or staff for `user`.

    A priced booking (tila.payments) waits for payment, holding its slot, unless staff book it
    `without_payment` (the default when staff book for someone else).

    `series` makes the reservation an occurrence of a ReservationSeries (tila/booking/series.py);
    `notify=False` leaves telling the customer to the caller (a series sends one message)."""
    _require_signed_in(actor)
    resource = _load_resource(resource)
    staff = _is_staff_for(actor, resource)
    customer = user if user is not None else actor
    if (customer != actor or type == ReservationType.BLOCKED or staff_override or without_payment) and not staff:
        raise PermissionDenied()
    _check_reservable(resource, actor, staff)
    rules = resource_rules(resource)
    _check_authentication(rules, actor, staff)
    _check_range(begin, end)
    # The leaf spaces, the opening hours and the price rule in one round trip (tila.core.db.Probe).
    found, (opened, price_rule) = leaf_ids_and(
        resource.pk,
        open_probe(resource_id=resource.pk, begin=begin, end=end),
        _payments().price_probe(resource=resource, begin=begin),
    )
    leaves = tuple(found)
    req = Request(
        resource=resource,
        rules=rules,
        begin=begin,
        end=end,
        participants=number_of_participants,
        customer_id=customer.pk if type == ReservationType.NORMAL else None,
        exclude_id=None,
        now=now or timezone.now(),
        leaves=leaves,
        opened=bool(opened),
        write_follows=True,
    )
    check_request(req, kind=type, override=staff_override)
    begin, end = to_utc(begin), to_utc(end)
    needs_handling = type == ReservationType.NORMAL and rules.need_manual_confirmation and not staff
    quote = _payments().payment_due(
        resource=resource,
        begin=begin,
        end=end,
        customer=customer,
        kind=type,
        waived=without_payment if without_payment is not None else staff and customer != actor,
        priced=price_rule is not None,
    )
    state = State.REQUESTED if needs_handling else State.CONFIRMED
    reservation = Reservation(
        resource=resource,
        user=customer if type == ReservationType.NORMAL else None,
        begin=begin,
        end=end,
        state=State.WAITING_FOR_PAYMENT if quote is not None else state,
        type=type,
        event_subject=event_subject,
        event_description=event_description,
        number_of_participants=number_of_participants,
        reserver_name=(reserver_name or getattr(customer, "name", "")) if type == ReservationType.NORMAL else "",
        reserver_email=(reserver_email or getattr(customer, "email", "")) if type == ReservationType.NORMAL else "",
        reserver_phone=reserver_phone,
        staff_comment=staff_comment if staff else "",
        created_by=actor,
        series_id=getattr(series, "pk", series),
    )
    event = created_event(reservation) if notify else None
    _insert_new(reservation, rules, leaves, reservation_email(event, reservation) if event else None)
    if quote is not None:
        _payments().order_open(reservation=reservation, quote=quote, now=req.now)
    if (staff and customer != actor) or type == ReservationType.BLOCKED:
        audit_log(
            actor=actor,
            action="reservation.create",
            obj=reservation,
            unit_id=resource.unit_id,
            after=snapshot(reservation),
        )
    return reservation


def _check_owner_may_change(reservation: Reservation, rules: Rules, now: dt.datetime) -> None:
    if reservation.state not in ACTIVE_STATES:
        raise DomainError("not_active", _("This reservation is no longer active."))
    if reservation.end <= now:
        raise DomainError("in_past", _("A past reservation cannot be changed."))
    if rules.cancel_cutoff is not None and reservation.begin - rules.cancel_cutoff < now:
        raise DomainError(
            "cutoff_passed",
            _("This reservation can no longer be changed or cancelled here; please contact the unit."),
        )


def _authorise_change(actor: Any, reservation: Reservation) -> bool:
    """Whether `actor` acts as staff; raise if they may not touch the reservation at all."""
    _require_signed_in(actor)
    staff = _is_staff_for(actor, reservation.resource)
    if not staff and reservation.user_id != actor.pk:
        raise PermissionDenied()
    return staff


def _lock_reservation(reservation: Reservation | int) -> Reservation:
    pk = reservation.pk if isinstance(reservation, Reservation) else reservation
    try:
        # lock the reservation row only: FOR UPDATE would otherwise also lock the joined resource and
        # unit rows, serialising (and deadlocking) unrelated bookings of the same unit
        return Reservation.objects.select_for_update(of=("self",)).select_related("resource__unit").get(pk=pk)
    except Reservation.DoesNotExist as exc:
        raise DomainError("not_found", _("Not found.")) from exc


EDITABLE_FIELDS = {
    "event_subject",
    "event_description",
    "number_of_participants",
    "reserver_name",
    "reserver_email",
    "reserver_phone",
}


@retry_when_busy
@transaction.atomic
def reservation_modify(
    *,
    actor: Any,
    reservation: Reservation | int,
    begin: dt.datetime | None = None,
    end: dt.datetime | None = None,
    staff_override: bool = False,
    now: dt.datetime | None = None,
    notify: bool = True,
    **fields: Any,
) -> Reservation:
    """Move or edit a reservation under the same rules as creating it."""
    reservation = _lock_reservation(reservation)
    staff = _authorise_change(actor, reservation)
    if staff_override and not staff:
        raise PermissionDenied()
    now = now or timezone.now()
    rules = resource_rules(reservation.resource)
    unknown = set(fields) - EDITABLE_FIELDS - ({"staff_comment"} if staff else set())
    if unknown:
        raise DomainError("invalid", _("Unknown fields: %(fields)s"), fields=", ".join(sorted(unknown)))
    if not staff:
        _check_owner_may_change(reservation, rules, now)
    elif reservation.state not in ACTIVE_STATES:
        raise DomainError("not_active", _("This reservation is no longer active."))
    before = snapshot(reservation)
    new_begin = begin if begin is not None else reservation.begin
    new_end = end if end is not None else reservation.end
    participants = fields.get("number_of_participants", reservation.number_of_participants)
    moved = new_begin != reservation.begin or new_end != reservation.end
    if moved or participants != reservation.number_of_participants:
        req = Request(
            resource=reservation.resource,
            rules=rules,
            begin=new_begin,
            end=new_end,
            participants=participants,
            customer_id=reservation.user_id if reservation.type == ReservationType.NORMAL else None,
            exclude_id=reservation.pk,
            now=now,
        )
        check_request(req, kind=reservation.type, override=staff_override)
        _payments().check_move(reservation=reservation, begin=to_utc(new_begin), end=to_utc(new_end))
    for name, value in fields.items():
        setattr(reservation, name, value)
    reservation.begin, reservation.end = to_utc(new_begin), to_utc(new_end)
    if moved and not staff and rules.need_manual_confirmation and reservation.state == State.CONFIRMED:
        reservation.state = State.REQUESTED
    reservation.save()
    if moved:
        _write_occupancy(reservation, rules)
    if staff and reservation.user_id != getattr(actor, "pk", None):
        audit_log(
            actor=actor,
            action="reservation.modify",
            obj=reservation,
            unit_id=reservation.resource.unit_id,
            before=before,
            after=snapshot(reservation),
        )
    _notify_if(moved and notify, Event.CHANGED, reservation)
    return reservation


@transaction.atomic
def reservation_cancel(
    *,
    actor: Any,
    reservation: Reservation | int,
    reason: str = "",
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Reservation:
    """Cancel: the slot is free at once; the reservation stays as history."""
    reservation = _lock_reservation(reservation)
    staff = _authorise_change(actor, reservation)
    now = now or timezone.now()
    if not staff:
        _check_owner_may_change(reservation, resource_rules(reservation.resource), now)
    elif reservation.state not in ACTIVE_STATES:
        raise DomainError("not_active", _("This reservation is no longer active."))
    before = snapshot(reservation)
    reservation.state = State.CANCELLED
    reservation.cancelled_at = now
    reservation.cancel_reason = reason
    reservation.save()
    Occupancy.objects.filter(reservation=reservation).delete()
    _payments().reservation_cancelled(
        reservation=reservation, now=now, in_full=staff and reservation.user_id != getattr(actor, "pk", None)
    )
    if staff and reservation.user_id != getattr(actor, "pk", None):
        audit_log(
            actor=actor,
            action="reservation.cancel",
            obj=reservation,
            unit_id=reservation.resource.unit_id,
            before=before,
            after=snapshot(reservation),
        )
    _notify_if(notify, Event.CANCELLED, reservation)
    return reservation


def _handle(actor: Any, reservation: Reservation | int, state: str, reason: str) -> Reservation:
    reservation = _lock_reservation(reservation)
    if not _is_staff_for(actor, reservation.resource):
        raise PermissionDenied()
    if reservation.state != State.REQUESTED:
        raise DomainError("not_requested", _("Only requested reservations can be approved or denied."))
    before = snapshot(reservation)
    reservation.state = state
    reservation.handled_by = actor
    reservation.handled_at = timezone.now()
    if state == State.DENIED:
        reservation.deny_reason = reason
    reservation.save()
    if state == State.DENIED:
        Occupancy.objects.filter(reservation=reservation).delete()
        _payments().reservation_cancelled(reservation=reservation, now=timezone.now(), in_full=True)
    audit_log(
        actor=actor,
        action=f"reservation.{'approve' if state == State.CONFIRMED else 'deny'}",
        obj=reservation,
        unit_id=reservation.resource.unit_id,
        before=before,
        after=snapshot(reservation),
    )
    reservation_event(Event.CONFIRMED if state == State.CONFIRMED else Event.DENIED, reservation)
    return reservation


@transaction.atomic
def reservation_approve(*, actor: Any, reservation: Reservation | int) -> Reservation:
    return _handle(actor, reservation, State.CONFIRMED, "")


@transaction.atomic
def reservation_deny(*, actor: Any, reservation: Reservation | int, reason: str = "") -> Reservation:
    return _handle(actor, reservation, State.DENIED, reason)


# -- Payment: tila.payments reports, the engine decides the state ---------------------------------


def _payments() -> Any:
    """The web shop's hooks, imported late (tila.payments imports the booking engine)."""
    from tila.payments import hooks

    return hooks


def _not_waiting() -> DomainError:
    return DomainError("not_waiting_for_payment", _("This reservation is not waiting for payment."))


@transaction.atomic
def reservation_payment_settled(*, reservation: Reservation | int, handling: bool = False) -> Reservation:
    """The money side is settled — paid, to be paid by invoice or at the place, or a subsidy applied
    for: a reservation waiting for payment becomes confirmed, or requested when the resource needs
    manual confirmation or `handling` asks for staff."""
    reservation = _lock_reservation(reservation)
    if reservation.state != State.WAITING_FOR_PAYMENT:
        raise _not_waiting()
    rules = resource_rules(reservation.resource)
    by_staff = reservation.created_by is not None and _is_staff_for(reservation.created_by, reservation.resource)
    needs_handling = handling or (rules.need_manual_confirmation and not by_staff)
    reservation.state = State.REQUESTED if needs_handling else State.CONFIRMED
    reservation.save(update_fields=["state", "modified_at"])
    _notify_if(True, created_event(reservation), reservation)
    return reservation


@transaction.atomic
def reservation_payment_expired(*, reservation: Reservation | int, now: dt.datetime | None = None) -> Reservation:
    """An unpaid hold ran out: the reservation is cancelled and its slot is free at once."""
    reservation = _lock_reservation(reservation)
    if reservation.state != State.WAITING_FOR_PAYMENT:
        raise _not_waiting()
    reservation.state = State.CANCELLED
    reservation.cancelled_at = now or timezone.now()
    reservation.save(update_fields=["state", "cancelled_at", "modified_at"])
    Occupancy.objects.filter(reservation=reservation).delete()
    return reservation


@transaction.atomic
def reservation_payment_reinstate(*, reservation: Reservation | int, now: dt.datetime | None = None) -> Reservation:
    """Money arrived after the hold ran out: hold the same time again, waiting for payment, if it is
    still in the future and free (else `in_past` / `overlap`). The caller then settles it."""
    reservation = _lock_reservation(reservation)
    if reservation.state != State.CANCELLED:
        raise DomainError("not_active", _("Only a cancelled reservation can be booked again."))
    rules = resource_rules(reservation.resource)
    req = Request(
        resource=reservation.resource,
        rules=rules,
        begin=reservation.begin,
        end=reservation.end,
        participants=None,
        customer_id=None,
        exclude_id=reservation.pk,
        now=now or timezone.now(),
    )
    _check_future(req)
    _check_overlap(req, reservation.type)
    reservation.state = State.WAITING_FOR_PAYMENT
    reservation.cancelled_at = None
    reservation.save(update_fields=["state", "cancelled_at", "modified_at"])
    _write_occupancy(reservation, rules)
    return reservation
