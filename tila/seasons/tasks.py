"""Background tasks of seasonal rounds (django-tasks; the worker is `tila db_worker`). Thin: ids in."""

from __future__ import annotations

from django_tasks import task

from tila.seasons import runs


@task()
def run_allocation(run_id: int) -> str:
    """Solve one queued allocation run, with progress and cancellation (see tila.seasons.runs)."""
    return runs.allocation_run_execute(run_id=run_id)
