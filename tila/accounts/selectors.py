"""Accounts: reads. Trusted applications — which third-party OpenID Connect clients a person lets
use Tila's API for them (written by tila.accounts.services.trusted_applications_set)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet

from tila.accounts.models import TrustedApplication, User


def is_first_party(client_id: str | None) -> bool:
    """Whether a request made by this OpenID Connect client (a bearer JWT's `azp`) is Tila's own:
    no `azp` at all, or Tila's own client id (`OIDC_CLIENT_ID`)."""
    if client_id is None:
        return True
    own = getattr(settings, "OIDC_CLIENT_ID", "")
    return bool(own) and client_id == own


def trusted_applications(*, user: User) -> QuerySet[TrustedApplication]:
    """The person's trusted applications, oldest first."""
    return TrustedApplication.objects.filter(user=user).order_by("created_at", "id")


def application_allowed(*, user: User, client_id: str | None) -> bool:
    """Whether the client may act for `user` on the API: Tila's own, or one the person trusts."""
    if is_first_party(client_id):
        return True
    return TrustedApplication.objects.filter(user=user, client_id=client_id).exists()
