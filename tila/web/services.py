"""Writes of the resident pages' own data (favourites). Booking and accounts have their own services."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tila.accounts.models import User
from tila.catalogue.models import Resource
from tila.catalogue.selectors import published_q
from tila.core.errors import NotFound
from tila.web.models import Favourite


@transaction.atomic
def favourite_add(*, user: User, resource_id: str) -> Favourite:
    """Mark a visible resource as the user's favourite (idempotent)."""
    if not Resource.objects.filter(published_q(), pk=resource_id).exists():
        raise NotFound()
    existing = Favourite.objects.filter(user=user, resource_id=resource_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Favourite.objects.create(user=user, resource_id=resource_id)
    except IntegrityError:  # a concurrent request added it first
        return Favourite.objects.get(user=user, resource_id=resource_id)


@transaction.atomic
def favourite_remove(*, user: User, resource_id: str) -> None:
    Favourite.objects.filter(user=user, resource_id=resource_id).delete()
