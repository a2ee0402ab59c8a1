"""Benchmarks 3–6: booking throughput against two floors, contention, invariant under stress, memory."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import random
import threading
import time
from typing import Any

from django.db import connection, connections
from django.utils import timezone

from bench.common import Stats
from bench.server import Client, peak_rss_mb, worker_pids
from tila.accounts.models import User
from tila.accounts.services import token_create
from tila.booking.selectors import overlapping_active_reservations
from tila.catalogue.models import Resource
from tila.core.timeutil import get_zone, local_datetime

ZONE = get_zone("Europe/Helsinki")
FAR_DAYS = range(285, 360)  # beyond the generated reservations, inside the advance window and the hours horizon


def _bench_users(n: int, prefix: str) -> list[str]:
    tokens = []
    for i in range(n):
        user, _ = User.objects.get_or_create(email=f"{prefix}{i}@bench.invalid", defaults={"name": f"Bench {i}"})
        tokens.append(token_create(user=user))
    return tokens


def _slots(resources: list[str], per_resource: int) -> list[tuple[str, str, str]]:
    """Free 30-minute weekday slots, 12:00–16:00 local, far ahead."""
    today = timezone.localdate()
    out = []
    for rid in resources:
        made = 0
        for offset in FAR_DAYS:
            day = today + dt.timedelta(days=offset)
            if day.weekday() >= 5:
                continue
            for half in range(8):
                begin = local_datetime(day, dt.time(12), ZONE) + dt.timedelta(minutes=30 * half)
                out.append((rid, begin.isoformat(), (begin + dt.timedelta(minutes=30)).isoformat()))
                made += 1
                if made >= per_resource:
                    break
            if made >= per_resource:
                break
    return out


def _leaf_resources(n: int, *, from_end: bool = False) -> list[str]:
    """Bookable leaf spaces; throughput takes them from the start, contention from the end."""
    qs = Resource.objects.filter(
        children__isnull=True, reservable=True, public=True, type__main_type="space", people_capacity__isnull=False
    )
    ids = list(qs.order_by("-id" if from_end else "id").values_list("id", flat=True)[:n])
    if len(ids) < n:
        raise RuntimeError(f"the city has only {len(ids)} bookable leaf spaces; {n} needed")
    return ids


# --- 3. Throughput ---------------------------------------------------------------------------------


def _book_loop(index: int, port: int, token: str, slots: list[tuple[str, str, str]], seconds: float, out: Any) -> None:
    client = Client(port, token)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + seconds
    for rid, begin, end in slots:
        if time.monotonic() >= deadline:
            break
        started = time.perf_counter()
        status, _ = client.request("POST", "/v1/reservation/", {"resource": rid, "begin": begin, "end": end})
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
    out.put((index, latencies, statuses))


def _framework_loop(index: int, port: int, token: str, seconds: float, out: Any) -> None:
    client = Client(port, token)
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        status, _ = client.request("GET", "/v1/auth/me/")
        latencies.append(time.perf_counter() - started)
        statuses[status] = statuses.get(status, 0) + 1
    out.put((index, latencies, statuses))


def _collect(procs: list[mp.Process], out: Any, seconds: float) -> list[tuple[list[float], dict[int, int]]]:
    """Each client's (latencies, statuses), in the order the clients were started."""
    results = [out.get(timeout=seconds + 120) for _ in procs]
    for p in procs:
        p.join()
    return [(latencies, statuses) for _, latencies, statuses in sorted(results, key=lambda result: result[0])]


def _summary(results: list[tuple[list[float], dict[int, int]]], seconds: float) -> dict[str, Any]:
    latencies = [x for lat, _ in results for x in lat]
    statuses: dict[int, int] = {}
    for _, st in results:
        for k, v in st.items():
            statuses[k] = statuses.get(k, 0) + v
    ok = statuses.get(201, 0) + statuses.get(200, 0)
    stats = Stats.of(latencies) if latencies else None
    return {"requests": len(latencies), "ok": ok, "statuses": statuses, "latency": stats, "per_second": ok / seconds}


def _spawn(target: Any, args_list: list[tuple[Any, ...]]) -> tuple[list[mp.Process], Any]:
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, out)) for args in args_list]
    connections.close_all()
    for p in procs:
        p.start()
    return procs, out


def _db_floor(clients: int, seconds: float) -> dict[str, Any]:
    """Raw INSERTs of occupancy rows under the same constraint, one transaction each, `clients` connections."""
    from tila.booking.models import Occupancy, Reservation

    res = Resource.objects.filter(children__isnull=True).order_by("id").first()
    assert res is not None
    anchor = Reservation.objects.create(
        resource=res,
        begin=timezone.now() + dt.timedelta(days=3000),
        end=timezone.now() + dt.timedelta(days=3000, hours=1),
        state="cancelled",
    )
    spaces = _leaf_resources(clients * 4)
    table, adapt = Occupancy._meta.db_table, connection.ops.adapt_datetimefield_value
    base = timezone.now() + dt.timedelta(days=2000)
    counts = [0] * clients
    connections.close_all()

    def loop(i: int) -> None:
        from django.db import connection as conn

        mine = spaces[i::clients] or spaces
        n, deadline = 0, time.monotonic() + seconds
        with conn.cursor() as cur:
            while time.monotonic() < deadline:
                begin = base + dt.timedelta(minutes=30 * n)
                cur.execute(
                    f'INSERT INTO {table} (reservation_id, space_id, begin, "end") VALUES (%s, %s, %s, %s)',
                    [anchor.pk, mine[n % len(mine)], adapt(begin), adapt(begin + dt.timedelta(minutes=30))],
                )
                n += 1
        counts[i] = n
        conn.close()

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    pgbench = _pgbench_floor(anchor.pk, spaces, clients, seconds)
    Occupancy.objects.filter(reservation=anchor).delete()
    anchor.delete()
    return {
        "inserts": sum(counts),
        "per_second": round(sum(counts) / took, 1),
        "pgbench": pgbench,
        "note": "threads with one connection each; Python's GIL bounds SQLite and psycopg client overhead",
    }


def _pgbench_floor(anchor: int, spaces: list[str], clients: int, seconds: float) -> dict[str, Any] | None:
    """The same INSERTs from PostgreSQL's own C client (pgbench), when it is installed: the database's
    floor without Python's. Random 30-minute slots on random spaces, far in the future (a collision
    of the same slot on the same space is about one in ten million per insert)."""
    import shutil
    import subprocess
    import tempfile

    settings_db = connection.settings_dict
    if connection.vendor != "postgresql" or shutil.which("pgbench") is None:
        return None
    array = "ARRAY[" + ",".join(f"'{s}'" for s in spaces) + "]"
    script = (
        f"\\set s random(1, {len(spaces)})\n"
        "\\set t random(1, 1000000000)\n"
        'INSERT INTO booking_occupancy (reservation_id, space_id, begin, "end") '
        f"VALUES ({anchor}, ({array})[:s], TIMESTAMPTZ '3000-01-01 00:00+00' + :t * INTERVAL '30 minutes', "
        "TIMESTAMPTZ '3000-01-01 00:00+00' + (:t + 1) * INTERVAL '30 minutes');\n"
    )
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as handle:
        handle.write(script)
    cmd = ["pgbench", "-n", "-c", str(clients), "-j", "2", "-T", str(int(seconds)), "-f", handle.name]
    cmd += ["-h", settings_db.get("HOST") or "127.0.0.1", "-p", str(settings_db.get("PORT") or 5432)]
    cmd += ["-U", settings_db.get("USER") or "postgres", settings_db["NAME"]]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    for line in done.stdout.splitlines():
        if line.startswith("tps = "):
            return {"per_second": round(float(line.split()[2]), 1), "command": " ".join(cmd[:9])}
    return {"error": (done.stderr or done.stdout)[-300:]}


ROUNDS = 4  # at most; each round at least 5 s, so a --quick run (5 s) is one round


def run_throughput(port: int, master_pid: int, clients: int, seconds: float) -> dict[str, Any]:
    """Bookings and the framework floor, each for `seconds` in all, measured in alternating rounds
    (bookings, floor, bookings, floor, …): a machine whose speed drifts during the run (steal time on
    a shared host) then slows both alike, and the ratio is read from the totals. Each round's ratio
    is reported too, to show the spread."""
    tokens = _bench_users(clients, "tp")
    resources = _leaf_resources(clients * 3)
    per_client = [_slots(resources[i::clients], 400) for i in range(clients)]
    for slots in per_client:
        random.Random(7).shuffle(slots)
    used = [0] * clients
    booked: list[tuple[list[float], dict[int, int]]] = []
    answered: list[tuple[list[float], dict[int, int]]] = []
    by_round = []
    rounds = max(1, min(ROUNDS, int(seconds // 5)))
    span = seconds / rounds
    for _ in range(rounds):
        args = [(i, port, tokens[i], per_client[i][used[i] :], span) for i in range(clients)]
        round_booked = _collect(*_spawn(_book_loop, args), span)
        used = [n + len(latencies) for n, (latencies, _) in zip(used, round_booked, strict=True)]
        round_answered = _collect(*_spawn(_framework_loop, [(i, port, tokens[i], span) for i in range(clients)]), span)
        booked += round_booked
        answered += round_answered
        rates = _summary(round_booked, span)["per_second"], _summary(round_answered, span)["per_second"]
        by_round.append(round(rates[0] / max(rates[1], 0.1), 3))
    booking, framework = _summary(booked, seconds), _summary(answered, seconds)
    booking["per_second"] = round(booking["per_second"], 1)
    framework["per_second"] = round(framework["per_second"], 1)
    db = _db_floor(clients, seconds)
    memory = max((peak_rss_mb(pid) for pid in worker_pids(master_pid)), default=0.0)
    ratio_fw = round(booking["per_second"] / max(framework["per_second"], 0.1), 3)
    pgbench = db.get("pgbench") or {}
    db_floor = max(db["per_second"], pgbench.get("per_second", 0.0))  # the faster client is the floor
    ratio_db = round(booking["per_second"] / max(db_floor, 0.1), 3)
    return {
        "rows": [
            {
                "what": "bookings (POST /v1/reservation/)",
                "per_second": booking["per_second"],
                "ok": booking["ok"],
                "statuses": booking["statuses"],
                **_lat(booking["latency"]),
            },
            {
                "what": "framework floor (GET /v1/auth/me/)",
                "per_second": framework["per_second"],
                "ok": framework["ok"],
                "statuses": framework["statuses"],
                **_lat(framework["latency"]),
            },
            {
                "what": "database floor (raw occupancy INSERTs, Python threads)",
                "per_second": db["per_second"],
                "ok": db["inserts"],
                "statuses": "-",
                "p50_ms": "-",
                "p95_ms": "-",
                "p99_ms": "-",
            },
            *(
                [
                    {
                        "what": "database floor (the same INSERTs from pgbench)",
                        "per_second": pgbench["per_second"],
                        "ok": "-",
                        "statuses": "-",
                        "p50_ms": "-",
                        "p95_ms": "-",
                        "p99_ms": "-",
                    }
                ]
                if "per_second" in pgbench
                else []
            ),
        ],
        "pgbench": pgbench or None,
        "clients": clients,
        "seconds": seconds,
        "bookings/framework": ratio_fw,
        "bookings/framework by round": by_round,
        "bookings/database": ratio_db,
        "worker_peak_rss_mb_after_throughput": memory,
    }


def _lat(stats: Stats | None) -> dict[str, Any]:
    if stats is None:
        return {"p50_ms": "-", "p95_ms": "-", "p99_ms": "-"}
    return {"p50_ms": stats.median_ms, "p95_ms": stats.p95_ms, "p99_ms": stats.p99_ms}


# --- 4. Contention -------------------------------------------------------------------------------


def _race(port: int, tokens: list[str], targets: list[tuple[str, str, str]], out: Any) -> None:
    barrier = threading.Barrier(len(tokens))
    results: list[tuple[int, str, float]] = []
    lock = threading.Lock()

    def one(token: str, target: tuple[str, str, str]) -> None:
        client = Client(port, token)
        barrier.wait()
        started = time.perf_counter()
        status, body = client.request(
            "POST", "/v1/reservation/", {"resource": target[0], "begin": target[1], "end": target[2]}
        )
        with lock:
            results.append(
                (status, (body or {}).get("code", "") if status >= 400 else "", time.perf_counter() - started)
            )

    threads = [threading.Thread(target=one, args=(tok, tgt)) for tok, tgt in zip(tokens, targets, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out.put(results)


def run_contention(port: int, clients: int = 200, slots: int = 20, processes: int = 4) -> dict[str, Any]:
    tokens = _bench_users(clients, "race")
    resources = _leaf_resources(slots, from_end=True)
    targets = [_slots([resources[i % slots]], 1)[0] for i in range(clients)]
    per = clients // processes
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    connections.close_all()
    procs = [
        ctx.Process(target=_race, args=(port, tokens[i * per : (i + 1) * per], targets[i * per : (i + 1) * per], out))
        for i in range(processes)
    ]
    for p in procs:
        p.start()
    results = [r for _ in procs for r in out.get(timeout=300)]
    for p in procs:
        p.join()
    won = sum(1 for s, _, _ in results if s == 201)
    overlap = sum(1 for s, c, _ in results if s == 400 and c == "overlap")
    server_errors = sum(1 for s, _, _ in results if s >= 500)
    stats = Stats.of([lat for _, _, lat in results])
    return {
        "rows": [
            {
                "clients": clients,
                "slots": slots,
                "succeeded": won,
                "overlap_400": overlap,
                "other": len(results) - won - overlap,
                "5xx": server_errors,
                "p50_ms": stats.median_ms,
                "p99_ms": stats.p99_ms,
            }
        ],
        "exact": won == slots and overlap == clients - slots and server_errors == 0,
    }


# --- 5. Invariant under stress -----------------------------------------------------------------------


def _stress_worker(seed: int, tree: list[str], user_id: int, ops: int, out: Any) -> None:
    from tila.booking.services import reservation_cancel, reservation_create, reservation_modify
    from tila.core.errors import DomainError

    rng = random.Random(seed)
    user = User.objects.get(pk=user_id)
    mine: list[int] = []
    counts: dict[str, int] = {}
    day = timezone.localdate() + dt.timedelta(days=300 + (seed % 5))
    base = local_datetime(day, dt.time(12), ZONE)
    for _ in range(ops):
        kind = rng.choice(["create", "create", "modify", "cancel"]) if mine else "create"
        begin = base + dt.timedelta(minutes=30 * rng.randrange(0, 8))
        end = begin + dt.timedelta(minutes=30 * rng.randrange(1, 3))
        try:
            if kind == "create":
                mine.append(reservation_create(actor=user, resource=rng.choice(tree), begin=begin, end=end).pk)
            elif kind == "modify":
                reservation_modify(actor=user, reservation=rng.choice(mine), begin=begin, end=end)
            else:
                reservation_cancel(actor=user, reservation=mine.pop(rng.randrange(len(mine))))
            counts[f"{kind}_ok"] = counts.get(f"{kind}_ok", 0) + 1
        except DomainError as exc:
            counts[f"{kind}_{exc.code}"] = counts.get(f"{kind}_{exc.code}", 0) + 1
        except Exception as exc:  # a server error is a finding: count it and keep going
            counts[f"{kind}_ERROR_{type(exc).__name__}"] = counts.get(f"{kind}_ERROR_{type(exc).__name__}", 0) + 1
            connection.close()
    connection.close()
    out.put(counts)


def run_stress(operations: int, processes: int) -> dict[str, Any]:
    from tila.catalogue.services import resource_create

    unit = Resource.objects.filter(children__isnull=False).first().unit  # type: ignore[union-attr]
    rtype = Resource.objects.filter(unit=unit).first().type  # type: ignore[union-attr]
    suffix = str(int(time.time()))
    hall = resource_create(actor=None, unit=unit, type=rtype, name_fi=f"Stressihalli {suffix}")
    halves = [
        resource_create(actor=None, unit=unit, type=rtype, parent=hall, name_fi=f"Puolikas {i}") for i in range(2)
    ]
    courts = [
        resource_create(actor=None, unit=unit, type=rtype, parent=h, name_fi=f"Kenttä {i}")
        for h in halves
        for i in range(2)
    ]
    tree = [hall.pk] + [h.pk for h in halves] + [c.pk for c in courts]
    users = [User.objects.get_or_create(email=f"stress{i}@bench.invalid")[0] for i in range(processes)]
    ctx = mp.get_context("fork")
    out = ctx.Queue()
    connections.close_all()
    started = time.perf_counter()
    procs = [
        ctx.Process(target=_stress_worker, args=(i, tree, users[i].pk, operations // processes, out))
        for i in range(processes)
    ]
    for p in procs:
        p.start()
    totals: dict[str, int] = {}
    for _ in procs:
        for k, v in out.get(timeout=3600).items():
            totals[k] = totals.get(k, 0) + v
    for p in procs:
        p.join()
    took = time.perf_counter() - started
    overlapping = overlapping_active_reservations()
    return {
        "rows": [
            {
                "operations": sum(totals.values()),
                "processes": processes,
                "seconds": round(took, 1),
                "overlapping_active": overlapping,
            }
        ],
        "outcomes": dict(sorted(totals.items())),
        "exact": overlapping == 0 and not any("_ERROR_" in k for k in totals),
    }


def rss_now(master_pid: int) -> float:
    return max((peak_rss_mb(pid) for pid in worker_pids(master_pid)), default=0.0)
