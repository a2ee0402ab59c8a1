"""Background tasks (django-tasks; the database backend's worker is `tila db_worker`).

Thin: ids in, the services do the work."""

from __future__ import annotations

from django_tasks import task

from tila.notifications import services


@task()
def send_email(outbound_id: int) -> str:
    """Send one outbox row. Nothing queues this any more (the relay, `tila send_emails`, sends the
    outbox); it stays so that send tasks queued by an earlier version still run after an upgrade."""
    return services.outbound_send(outbound_id=outbound_id)


@task()
def send_reminders() -> int:
    """Queue reminders for reservations starting within the lead time (idempotent; run it often)."""
    return services.reminders_send()
