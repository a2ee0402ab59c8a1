"""Background tasks (django-tasks): thin — ids in, the services do the work."""

from __future__ import annotations

from django_tasks import task

from tila.payments import mail, services


@task()
def expire_hold(order_id: int) -> bool:
    """Expire one unpaid hold when its time is up (queued for that moment when the order opens)."""
    return services.order_expire(order_id=order_id)


@task()
def expire_holds() -> int:
    """The periodic sweep: expire every unpaid hold whose time is up and resend stuck refunds."""
    expired = services.order_expire_holds()
    services.refunds_retry()
    return expired


@task()
def send_refund(refund_id: int) -> str:
    return services.refund_send(refund_id=refund_id)


@task()
def send_order_email(kind: str, order_id: int, context: dict[str, str]) -> None:
    mail.send_order_email(kind=kind, order_id=order_id, context=context)
