"""Background tasks of customer feedback (django-tasks). Thin: ids in, the services do the work."""

from __future__ import annotations

from django_tasks import task

from tila.feedback import services


@task()
def deliver_survey_invitation(invitation_id: int) -> str:
    """Send one survey invitation email."""
    return services.survey_invitation_deliver(invitation_id=invitation_id)


@task()
def send_survey_invitations() -> int:
    """Offer the survey of reservations that ended lately (idempotent; run it hourly)."""
    return services.survey_invitations_send()
