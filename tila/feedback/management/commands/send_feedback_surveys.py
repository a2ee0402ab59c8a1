"""`tila send_feedback_surveys`: offer the survey of every reservation that ended lately.

Idempotent (one invitation per reservation); run it from cron or a timer every hour. The relay
(`tila send_emails`) sends the emails.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tila.feedback.services import survey_invitations_send


class Command(BaseCommand):
    help = "Queue feedback survey invitations for reservations that ended lately."

    def handle(self, *args: Any, **options: Any) -> None:
        queued = survey_invitations_send()
        self.stdout.write(f"{queued} survey invitations queued")
