"""A person's data: what Tila holds about them (export) and forgetting it (anonymisation).

Every app that stores personal data registers a provider, normally in its AppConfig.ready():

    from tila.accounts import gdpr

    gdpr.register(
        "payments",
        export=lambda user: [gdpr.branch("ORDERS", [...])],       # nodes for the user's data tree
        anonymise=lambda user, now: ...,                          # blank names and contact details
        blockers=lambda user, now: [gdpr.Blocker("unpaid_order", {...fi, sv, en...})],
        order=50,
    )

* `export(user) -> list[Node]` returns the app's part of the tree that the GDPR API and the
  resident's "download my data" show: `{"key": "ORDERS", "children": [...]}` / `{"key": "TOTAL",
  "value": "12.00"}` (see `node` and `branch`).
* `anonymise(user, now)` removes what identifies the person and keeps what statistics and
  bookkeeping need (counts, times, amounts, states). It runs inside the deletion's transaction,
  before the user row itself is anonymised; it must be idempotent.
* `blockers(user, now) -> list[Blocker]` says why deletion must wait (an upcoming paid
  reservation, an open application). Any blocker stops the deletion: the GDPR API answers 403
  with the trilingual messages, the profile page shows them.

Tila's own providers (accounts, booking, resident pages, notifications, audit) are in
`tila.accounts.gdpr_providers`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from tila.accounts.models import User

logger = logging.getLogger(__name__)
Node = dict[str, Any]
ANONYMOUS_DOMAIN = "anonymised.invalid"


@dataclass(frozen=True)
class Blocker:
    """Why a person's data cannot be deleted yet: a machine code and a message in fi, sv and en."""

    code: str
    message: dict[str, str]

    def as_error(self) -> dict[str, Any]:
        return {"code": self.code, "message": dict(self.message)}


@dataclass(frozen=True)
class Provider:
    name: str
    export: Callable[[User], list[Node]] | None
    anonymise: Callable[[User, dt.datetime], None] | None
    blockers: Callable[[User, dt.datetime], list[Blocker]] | None
    order: int


_registry: dict[str, Provider] = {}


def register(
    name: str,
    *,
    export: Callable[[User], list[Node]] | None = None,
    anonymise: Callable[[User, dt.datetime], None] | None = None,
    blockers: Callable[[User, dt.datetime], list[Blocker]] | None = None,
    order: int = 100,
) -> None:
    """Register (or replace) the provider called `name`."""
    _registry[name] = Provider(name=name, export=export, anonymise=anonymise, blockers=blockers, order=order)


def unregister(name: str) -> None:
    _registry.pop(name, None)


def providers() -> list[Provider]:
    return sorted(_registry.values(), key=lambda p: (p.order, p.name))


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return int(value.total_seconds())
    if isinstance(value, uuid.UUID):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def node(key: str, value: Any) -> Node:
    return {"key": key.upper(), "value": _value(value)}


def branch(key: str, children: list[Node]) -> Node:
    return {"key": key.upper(), "children": children}


def nodes(**values: Any) -> list[Node]:
    """`nodes(email="a@b", name="A")` → [{"key": "EMAIL", …}, {"key": "NAME", …}]."""
    return [node(key, value) for key, value in values.items()]


def gdpr_export(*, user: User) -> Node:
    """Everything Tila holds about `user` as the Helsinki profile's key/children/value tree."""
    children: list[Node] = []
    for provider in providers():
        if provider.export is not None:
            children.extend(provider.export(user))
    return branch("USER", children)


def deletion_blockers(*, user: User, now: dt.datetime | None = None) -> list[Blocker]:
    moment = now or timezone.now()
    found: list[Blocker] = []
    for provider in providers():
        if provider.blockers is not None:
            found.extend(provider.blockers(user, moment))
    return found


class DeletionBlocked(Exception):
    def __init__(self, blockers: list[Blocker]) -> None:
        self.blockers = blockers
        super().__init__(", ".join(b.code for b in blockers))


def _anonymise_user_row(user: User, now: dt.datetime) -> None:
    """The account row stays (statistics keep their customer) but says nothing about the person."""
    new_uuid = uuid.uuid4()
    user.uuid = new_uuid
    user.email = f"deleted-{new_uuid.hex}@{ANONYMOUS_DOMAIN}"
    user.name = ""
    user.password = make_password(None)
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.email_verified_at = None
    user.last_login = None
    user.retention_notice_sent_at = None
    user.anonymised_at = now
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


@transaction.atomic
def account_anonymise(*, user: User, now: dt.datetime | None = None, reason: str = "self") -> None:
    """Forget the person: every provider anonymises its data, then the account row is emptied.

    Raises DeletionBlocked (nothing changed) when a provider says deletion must wait."""
    moment = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.anonymised_at is not None:
        return
    blockers = deletion_blockers(user=user, now=moment)
    if blockers:
        raise DeletionBlocked(blockers)
    for provider in providers():
        if provider.anonymise is not None:
            provider.anonymise(user, moment)
    _anonymise_user_row(user, moment)
    logger.info("Account %s anonymised (%s)", user.pk, reason)
