"""`tila send_emails`: the outbox relay — send every due email, then keep watching the outbox.

Run one or more next to the app servers (a long-running process, like `tila db_worker`); `--once`
sends what is due and exits (for cron on a small installation, and for tests). SIGTERM or SIGINT
stop it after the email being sent; a database that cannot be reached is retried every interval.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from tila.notifications.services import outbox_relay

logger = logging.getLogger(__name__)


def relay(stop: threading.Event, *, interval: float = 1.0, once: bool = False) -> int:
    """Send due emails until `stop` is set (or, `once`, until nothing is due); returns how many
    sends were tried. Waits `interval` seconds whenever the outbox has nothing due."""
    tried_in_all = 0
    while not stop.is_set():
        close_old_connections()  # like a request: a dropped connection is replaced
        try:
            tried = outbox_relay()
        except DatabaseError:
            if once:
                raise
            logger.exception("The outbox could not be read; trying again in %s s", interval)
            tried = 0
        tried_in_all += tried
        if tried == 0:
            if once:
                break
            stop.wait(interval)
    close_old_connections()
    return tried_in_all


class Command(BaseCommand):
    help = "Send queued emails from the outbox: keep watching it, or one pass with --once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit.")
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds to wait when nothing is due (default 1)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()
        if not options["once"]:
            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: stop.set())
        tried = relay(stop, interval=options["interval"], once=options["once"])
        self.stdout.write(f"{tried} emails tried")
