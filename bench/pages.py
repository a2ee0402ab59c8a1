"""Server time of the resident search page on the demo city (the resident app's target: p95 < 150 ms)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client
from django.utils import timezone

from bench.common import measure


def searches() -> list[tuple[str, dict[str, str]]]:
    day = timezone.localdate() + dt.timedelta(days=2)
    base = {"date": day.isoformat(), "time_from": "16:00", "time_to": "21:00", "duration": "60"}
    return [
        ("front page, no search", {}),
        ("evening, 1 h, any space", base),
        ("evening, 2 h, 10 people", {**base, "duration": "120", "people": "10"}),
        ("sports purpose", {**base, "purpose": "sports"}),
        ("free text 'sauna'", {**base, "q": "sauna"}),
    ]


def run_search_page(runs: int) -> dict[str, Any]:
    client = Client()
    rows = []
    for name, params in searches():
        stats, response = measure(lambda p=params: client.get("/fi/", p), runs=runs)
        rows.append(
            {"search": name, "status": response.status_code, "median_ms": stats.median_ms, "p95_ms": stats.p95_ms}
        )
    return {"rows": rows, "note": "in-process Django test client: server time without the network"}
