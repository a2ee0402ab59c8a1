"""Calendar feeds: a resident's own reservations, and for staff a resource's, behind a secret address.

Calendar programs cannot sign in, so the address carries a token. Only its SHA-256 digest is
stored; making a new token revokes the old one, and revoking deletes it. A staff member's token
also opens the feeds of the resources in units where they may view reservations.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.permissions import Action, can
from tila.booking.models import ACTIVE_STATES, Reservation
from tila.catalogue.models import Resource
from tila.core.errors import NotFound, PermissionDenied
from tila.notifications.ics import calendar_for
from tila.notifications.models import CalendarFeedToken

FEED_PAST = dt.timedelta(days=60)
FEED_AHEAD = dt.timedelta(days=400)
TOUCH_INTERVAL = dt.timedelta(minutes=10)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_token_create(*, user: Any) -> str:
    """A new secret for the user's feeds (the old one stops working). Returned once, never stored."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    token = secrets.token_urlsafe(32)
    CalendarFeedToken.objects.filter(user=user).delete()
    CalendarFeedToken.objects.create(user=user, digest=_digest(token))
    return token


@transaction.atomic
def feed_token_revoke(*, user: Any) -> bool:
    """Stop the user's feed addresses working. True if there was one."""
    deleted, _ = CalendarFeedToken.objects.filter(user=user).delete()
    return deleted > 0


def feed_token_exists(*, user: Any) -> bool:
    return CalendarFeedToken.objects.filter(user=user).exists()


def feed_user(*, token: str) -> Any:
    """The active user whose feed token this is, or None."""
    if not token or len(token) > 100:
        return None
    row = CalendarFeedToken.objects.select_related("user").filter(digest=_digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    now = timezone.now()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_INTERVAL:
        CalendarFeedToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def _window(qs: QuerySet[Reservation], now: dt.datetime | None) -> QuerySet[Reservation]:
    now = now or timezone.now()
    return (
        qs.filter(state__in=ACTIVE_STATES, end__gt=now - FEED_PAST, begin__lt=now + FEED_AHEAD)
        .select_related("resource__unit")
        .order_by("begin", "id")
    )


def personal_feed(*, user: Any, now: dt.datetime | None = None) -> bytes:
    """The user's own active reservations, from two months back to a year ahead."""
    return calendar_for(_window(Reservation.objects.filter(user=user), now), name=_("My reservations"))


def resource_feed(*, user: Any, resource_id: str, now: dt.datetime | None = None) -> bytes:
    """A resource's active reservations and closures, for staff who may view its unit."""
    resource = Resource.objects.select_related("unit").filter(pk=resource_id).first()
    if resource is None:
        raise NotFound()
    if not can(user, Action.VIEW, resource.unit_id):
        raise PermissionDenied()
    return calendar_for(_window(Reservation.objects.filter(resource=resource), now), name=str(resource.name))
