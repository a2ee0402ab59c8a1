"""Shared helpers for the benchmarks: scales, databases, timing statistics, result files."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable


@dataclass(frozen=True)
class BenchScale:
    name: str
    units: int
    resources: int
    reservations: int
    users: int
    seed: int = 20261129

    def args(self) -> list[str]:
        return [
            "--units",
            str(self.units),
            "--resources",
            str(self.resources),
            "--reservations",
            str(self.reservations),
            "--users",
            str(self.users),
            "--seed",
            str(self.seed),
        ]


SCALES = {
    "demo": BenchScale("demo", units=0, resources=0, reservations=0, users=0),
    "quick": BenchScale("quick", units=30, resources=300, reservations=30_000, users=2_000),
    "small": BenchScale("small", units=100, resources=1_000, reservations=100_000, users=5_000),
    "default": BenchScale("default", units=300, resources=3_000, reservations=1_000_000, users=20_000),
}


def database_url(kind: str, scale: BenchScale) -> str:
    """A dedicated database per engine and scale, so a generated city is reused between runs."""
    if kind == "sqlite":
        return f"sqlite:///{ROOT / 'var' / f'bench-{scale.name}.sqlite3'}"
    base = os.environ.get("DATABASE_URL", "")
    parsed = urlparse(base)
    return urlunparse(parsed._replace(path=f"/tila_bench_{scale.name}"))


def env_for(url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",  # testserver: in-process page timings
            "LOG_LEVEL": "WARNING",
            "TILA_RATE_LIMITS_ENABLED": "0",  # one client books far faster than a person may
        }
    )
    env.update(extra)
    return env


def tila(url: str, *args: str, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "tila"), *args],
        env=env_for(url),
        check=check,
        capture_output=capture,
        text=True,
        cwd=ROOT,
    )


def ensure_postgres_database(url: str) -> None:
    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Stats:
    n: int
    median_ms: float
    p95_ms: float
    p99_ms: float
    min_ms: float
    max_ms: float

    @classmethod
    def of(cls, seconds: list[float]) -> Stats:
        ms = sorted(s * 1000 for s in seconds)

        def pct(p: float) -> float:
            return ms[min(len(ms) - 1, max(0, round(p * (len(ms) - 1))))]

        return cls(
            n=len(ms),
            median_ms=round(statistics.median(ms), 2),
            p95_ms=round(pct(0.95), 2),
            p99_ms=round(pct(0.99), 2),
            min_ms=round(ms[0], 2),
            max_ms=round(ms[-1], 2),
        )


def measure(func: Callable[[], Any], *, warmup: int = 3, runs: int = 30) -> tuple[Stats, Any]:
    result = None
    for _ in range(warmup):
        result = func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    return Stats.of(times), result


@dataclass
class Report:
    db: str
    scale: str
    started: str
    machine: dict[str, Any]
    sections: dict[str, Any] = field(default_factory=dict)

    def write(self) -> tuple[Path, Path]:
        RESULTS.mkdir(parents=True, exist_ok=True)
        stem = f"{time.strftime('%Y-%m-%d')}-{self.db}" + ("" if self.scale == "default" else f"-{self.scale}")
        json_path, md_path = RESULTS / f"{stem}.json", RESULTS / f"{stem}.md"
        if json_path.exists():  # a partial run (--only) updates its sections and keeps the others
            try:
                earlier = json.loads(json_path.read_text()).get("sections", {})
            except ValueError:
                earlier = {}
            self.sections = {**{k: v for k, v in earlier.items() if k not in self.sections}, **self.sections}
        json_path.write_text(json.dumps(asdict(self), indent=2, default=str) + "\n")
        md_path.write_text(to_markdown(self))
        return json_path, md_path


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"cpus": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def to_markdown(report: Report) -> str:
    lines = [
        f"# Tila benchmarks — {report.db}, scale {report.scale}, {report.started}",
        "",
        f"Machine: {report.machine}",
        "",
    ]
    for title, section in report.sections.items():
        lines += [f"## {title}", ""]
        rows = section.get("rows", [])
        if rows:
            keys = list(rows[0].keys())
            lines += ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
            lines += ["| " + " | ".join(str(r.get(k, "")) for k in keys) + " |" for r in rows]
            lines.append("")
        for key, value in section.items():
            if key != "rows":
                lines.append(f"- {key}: {value}")
        lines.append("")
    return "\n".join(lines)
