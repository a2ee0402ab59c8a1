"""One counter per (limit, client, time window): the rate limiter's state, shared by every app server."""

from __future__ import annotations

from django.db import models


class RateLimitCounter(models.Model):
    """Hits of one key in one fixed window. Rows of past windows are purged by `tila retention`."""

    key = models.CharField(max_length=200, primary_key=True)
    expires = models.BigIntegerField(db_index=True, help_text="End of the window, Unix seconds.")
    count = models.PositiveIntegerField(default=0)

    objects: models.Manager[RateLimitCounter] = models.Manager()

    def __str__(self) -> str:
        return f"{self.key} = {self.count}"
