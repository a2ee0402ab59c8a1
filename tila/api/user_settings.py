"""/v1/user/ — the person's own settings: trusted applications (6Aika `/user/trusted_applications`).

A trusted application is a third-party OpenID Connect client (the `azp` of the provider's bearer
JWTs) that the person lets use this API for them; tila.api.middleware refuses the others with 403
`untrusted_application`. Only the person, with Tila's own credentials, reads or changes the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from tila.accounts.selectors import trusted_applications
from tila.accounts.services import (
    MAX_TRUSTED_APPLICATIONS,
    require_first_party,
    trusted_applications_change,
    trusted_applications_set,
)
from tila.api.base import SIGNED_IN, bad_request, require_user, responses, route
from tila.api.schemas import StrictIn

router = Router(tags=["user_settings"])


class TrustedApplicationOut(Schema):
    client_id: str = Field(description="The application's OpenID Connect client id (the `azp` of its tokens).")
    created_at: dt.datetime


class TrustedApplicationsOut(Schema):
    trusted_applications: list[TrustedApplicationOut]


class TrustedApplicationsIn(StrictIn):
    trusted_applications: list[str] | None = Field(
        None, description=f"The whole new list (replaces the old one; at most {MAX_TRUSTED_APPLICATIONS})."
    )
    add: list[str] | None = Field(None, description="Client ids to trust as well (without `trusted_applications`).")
    remove: list[str] | None = Field(None, description="Client ids to trust no more (without `trusted_applications`).")


def _body(user: Any) -> dict[str, Any]:
    return {
        "trusted_applications": [
            {"client_id": app.client_id, "created_at": app.created_at} for app in trusted_applications(user=user)
        ]
    }


def _acting_client(request: HttpRequest) -> str | None:
    return getattr(request.user, "api_client_id", None)


@route(
    router,
    ["GET"],
    "/user/trusted_applications/",
    response=responses({200: TrustedApplicationsOut}, 403),
    summary="The user's trusted applications",
    url_name="trusted_applications",
    **SIGNED_IN,
)
def trusted_applications_list(request: HttpRequest) -> dict[str, Any]:
    """The third-party applications the signed-in person lets use Tila's API for them, oldest first.
    Only with Tila's own credentials: a third-party application gets 403."""
    user = require_user(request)
    require_first_party(_acting_client(request))
    return _body(user)


@route(
    router,
    ["PATCH"],
    "/user/trusted_applications/",
    response=responses({200: TrustedApplicationsOut}, 403),
    summary="Change the user's trusted applications",
    **SIGNED_IN,
)
def trusted_applications_update(request: HttpRequest, payload: TrustedApplicationsIn) -> dict[str, Any]:
    """Replace the list (`{"trusted_applications": ["client-a", …]}`) or change it
    (`{"add": […], "remove": […]}`); the answer is the new list. A client id is 1–200 printable
    characters without spaces (400 `invalid_client_id`); at most 50 applications
    (400 `too_many_trusted_applications`); an id both added and removed is 400 `conflicting_change`.
    Only the person with Tila's own credentials may do this: a third-party application cannot trust
    itself (403). The 6Aika specification's scope: `user:trustedappmodify`."""
    user = require_user(request)
    acting = _acting_client(request)
    if payload.trusted_applications is not None:
        if payload.add is not None or payload.remove is not None:
            raise bad_request("invalid", _("Give either trusted_applications or add and remove, not both."))
        trusted_applications_set(user=user, client_ids=payload.trusted_applications, acting_client_id=acting)
    elif payload.add is not None or payload.remove is not None:
        trusted_applications_change(
            user=user, add=payload.add or [], remove=payload.remove or [], acting_client_id=acting
        )
    else:
        raise bad_request("invalid", _("Give trusted_applications, or add and remove."))
    return _body(user)
