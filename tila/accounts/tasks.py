"""Background tasks (django-tasks). Thin: the services do the work."""

from __future__ import annotations

from dataclasses import asdict

from django_tasks import task

from tila.accounts.retention import retention_run


@task()
def run_retention() -> dict[str, int]:
    """The daily retention pass (tila.accounts.retention)."""
    return asdict(retention_run())
