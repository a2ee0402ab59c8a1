"""Background tasks (django-tasks; the database backend's worker is `tila db_worker`).

Thin: ids in, the services do the work."""

from __future__ import annotations

from django_tasks import task

from tila.notifications import services


@task()
def send_email(outbound_id: int) -> str:
    """Send one outbox row; a failure schedules its own retry (see services.outbound_send)."""
    return services.outbound_send(outbound_id=outbound_id)


@task()
def send_reminders() -> int:
    """Queue reminders for reservations starting within the lead time (idempotent; run it often)."""
    return services.reminders_send()


@task()
def retry_pending() -> int:
    """Re-queue pending emails whose task was lost (a safety net; idempotent)."""
    return services.outbound_retry_due()
