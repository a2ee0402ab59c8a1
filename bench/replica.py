"""A PostgreSQL primary and a streaming replica on loopback, started for tests and benchmarks.

The machine's own PostgreSQL has no replication entry in pg_hba.conf, so this builds a private
pair: initdb a primary (as the `postgres` OS user when run as root), pg_basebackup a replica from
it with `-R` (standby.signal + primary_conninfo), start both on free ports, tear both down after.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.server import free_port


def pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _as_postgres(cmd: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]


def _configure(data: Path, port: int, sockets: Path) -> None:
    with (data / "postgresql.conf").open("a") as conf:
        conf.write(
            f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{sockets}'\n"
            "wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\nfsync = off\n"
            "shared_buffers = 64MB\n"
        )
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n"
    )


@contextmanager
def primary_and_replica() -> Iterator[tuple[str, str]]:
    """Yield (primary_url, replica_url) for a database named `tila` on a fresh replicated pair."""
    binaries = pg_bin()
    if binaries is None:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql")
    root = Path(tempfile.mkdtemp(prefix="tila-replica-"))
    shutil.chown(root, "postgres", "postgres") if os.geteuid() == 0 else None
    primary, replica = root / "primary", root / "replica"
    p_port, r_port = free_port(), free_port()
    started: list[Path] = []
    try:
        _as_postgres([str(binaries / "initdb"), "-D", str(primary), "-A", "trust", "-U", "postgres", "--no-sync"])
        _configure(primary, p_port, root)
        _as_postgres([str(binaries / "pg_ctl"), "-D", str(primary), "-l", str(root / "primary.log"), "-w", "start"])
        started.append(primary)
        _as_postgres([str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres", "tila"])
        _as_postgres(
            [
                str(binaries / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(p_port),
                "-U",
                "postgres",
                "-D",
                str(replica),
                "-R",
                "-X",
                "stream",
                "--no-sync",
            ]
        )
        with (replica / "postgresql.conf").open("a") as conf:
            conf.write(f"\nport = {r_port}\n")
        _as_postgres([str(binaries / "pg_ctl"), "-D", str(replica), "-l", str(root / "replica.log"), "-w", "start"])
        started.append(replica)
        yield (f"postgres://postgres@127.0.0.1:{p_port}/tila", f"postgres://postgres@127.0.0.1:{r_port}/tila")
    finally:
        for data in reversed(started):
            subprocess.run(
                [
                    "runuser",
                    "-u",
                    "postgres",
                    "--",
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ]
                if os.geteuid() == 0
                else [str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
            )
        shutil.rmtree(root, ignore_errors=True)


def wait_for_replay(primary_url: str, replica_url: str, timeout: float = 30.0) -> None:
    """Block until the replica has replayed everything the primary has written so far."""
    import psycopg

    with psycopg.connect(primary_url, autocommit=True) as p:
        target = p.execute("SELECT pg_current_wal_insert_lsn()").fetchone()[0]  # type: ignore[index]
    deadline = time.monotonic() + timeout
    with psycopg.connect(replica_url, autocommit=True) as r:
        while time.monotonic() < deadline:
            done = r.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]  # type: ignore[index]
            if done:
                return
            time.sleep(0.05)
    raise TimeoutError("the replica did not catch up")
