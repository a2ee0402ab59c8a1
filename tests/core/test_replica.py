"""Scale-out: heavy read-only selectors go to a streaming replica when DATABASE_REPLICA_URL is set,
while the booking engine reads and writes the primary. Runs against a real primary/replica pair
started on loopback by the test (bench/replica.py)."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bench.replica import pg_bin, primary_and_replica

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import datetime as dt, json, os
    import django
    django.setup()
    from django.db import connections
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from bench.replica import wait_for_replay
    from tila.booking.selectors import free_resources
    from tila.booking.services import reservation_create
    from tila.catalogue.models import Resource
    from tests import factories as f

    res = f.resource()
    day = timezone.localdate() + dt.timedelta(days=9)
    person = f.user()
    wait_for_replay(os.environ["DATABASE_URL"], os.environ["DATABASE_REPLICA_URL"])
    replica_log = CaptureQueriesContext(connections["replica"])
    primary_log = CaptureQueriesContext(connections["default"])
    with replica_log as on_replica, primary_log as on_primary:
        found = free_resources(resources=Resource.objects.all(), start=f.at(day, 10), end=f.at(day, 12))
        availability_queries = (len(on_replica), len(on_primary))
    with CaptureQueriesContext(connections["replica"]) as booking_replica:
        booked = reservation_create(actor=person, resource=res, begin=f.at(day, 10), end=f.at(day, 11))
    wait_for_replay(os.environ["DATABASE_URL"], os.environ["DATABASE_REPLICA_URL"])
    after = free_resources(resources=Resource.objects.all(), start=f.at(day, 10), end=f.at(day, 12),
                           duration=dt.timedelta(hours=2))
    print(json.dumps({"found": [x.resource_id for x in found], "resource": res.pk,
                      "availability_queries": availability_queries, "booking_replica_queries": len(booking_replica),
                      "booked": booked.state, "after": [x.resource_id for x in after]}))
    """
)


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.skipif(pg_bin() is None, reason="needs the PostgreSQL server binaries")
def test_availability_reads_the_replica_and_bookings_the_primary():
    import json

    with primary_and_replica() as (primary, replica):
        env = {
            **os.environ,
            "DATABASE_URL": primary,
            "DATABASE_REPLICA_URL": replica,
            "TILA_TESTING": "1",
            "DEBUG": "1",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "tila.settings",
        }
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, cwd=ROOT, check=True, capture_output=True, text=True
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["found"] == [result["resource"]]
    on_replica, on_primary = result["availability_queries"]
    assert on_replica >= 2  # the free-interval SQL and loading the resources
    assert on_primary == 0
    assert result["booking_replica_queries"] == 0
    assert result["booked"] == "confirmed"
    assert result["after"] == []  # the booking reached the replica, and availability sees it
