"""Tila's own GDPR providers (see tila.accounts.gdpr): the account (with its trusted
applications), reservations, favourites, emails sent and the audit trail. Registered by AccountsConfig.ready()."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_noop

from tila.accounts.gdpr import Blocker, Node, branch, nodes, register
from tila.accounts.models import AuthToken, ExternalIdentity, TrustedApplication, UnitRole, User
from tila.core.errors import DomainError

# Reservation fields that say who booked or what for; blanked on anonymisation and by retention.
RESERVATION_PERSONAL_FIELDS = (
    "reserver_name",
    "reserver_email",
    "reserver_phone",
    "event_subject",
    "event_description",
    "staff_comment",
    "cancel_reason",
    "deny_reason",
)
SERIES_PERSONAL_FIELDS = ("reserver_name", "reserver_email", "event_subject", "staff_comment")
# Order states in which the customer has paid, will pay by invoice, or waits for a subsidy decision.
PAID_ORDER_STATES = ("paid", "committed")
OPEN_APPLICATION_ORDER_STATES = ("awaiting_decision",)


def _in_languages(text: str, **params: Any) -> dict[str, str]:
    """A message (a gettext msgid) in Finnish, Swedish and English."""
    from django.utils.translation import gettext

    messages = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            messages[language] = gettext(text) % params if params else gettext(text)
    return messages


# --- accounts ----------------------------------------------------------------------------------


def _export_account(user: User) -> list[Node]:
    identities = [
        branch(
            "IDENTITY",
            nodes(issuer=i.issuer, subject=i.subject, created_at=i.created_at, last_login_at=i.last_login_at),
        )
        for i in ExternalIdentity.objects.filter(user=user).order_by("created_at")
    ]
    tokens = [
        branch("API_TOKEN", nodes(created_at=t.created_at, last_used_at=t.last_used_at, expires_at=t.expires_at))
        for t in AuthToken.objects.filter(user=user).order_by("created_at")
    ]
    trusted = [
        branch("TRUSTED_APPLICATION", nodes(client_id=t.client_id, created_at=t.created_at))
        for t in TrustedApplication.objects.filter(user=user).order_by("created_at", "id")
    ]
    roles = [
        branch("ROLE", nodes(role=r.role, unit=r.unit_id or "", unit_group=r.unit_group_id or ""))
        for r in UnitRole.objects.filter(user=user)
    ]
    profile = nodes(
        id=user.uuid,
        email=user.email,
        name=user.name,
        preferred_language=user.preferred_language,
        date_joined=user.date_joined,
        last_login=user.last_login,
        email_verified_at=user.email_verified_at,
    )
    return [
        branch("PROFILE", profile),
        branch("IDENTITIES", identities),
        branch("API_TOKENS", tokens),
        branch("TRUSTED_APPLICATIONS", trusted),
        branch("STAFF_ROLES", roles),
    ]


def _anonymise_account(user: User, now: dt.datetime) -> None:
    AuthToken.objects.filter(user=user).delete()
    ExternalIdentity.objects.filter(user=user).delete()
    TrustedApplication.objects.filter(user=user).delete()
    UnitRole.objects.filter(user=user).delete()


# --- booking -----------------------------------------------------------------------------------


def persons_reservations(user: User) -> QuerySet[Any]:
    """The person's reservations: booked with the account, or for their address without one."""
    Reservation = apps.get_model("booking", "Reservation")
    return Reservation.objects.filter(Q(user=user) | Q(user__isnull=True, reserver_email__iexact=user.email))


def _reservation_node(r: Any) -> Node:
    return branch(
        "RESERVATION",
        nodes(
            id=r.pk,
            resource=r.resource_id,
            resource_name=str(r.resource.name),
            unit=str(r.resource.unit.name),
            begin=r.begin,
            end=r.end,
            state=r.state,
            event_subject=r.event_subject,
            event_description=r.event_description,
            number_of_participants=r.number_of_participants,
            reserver_name=r.reserver_name,
            reserver_email=r.reserver_email,
            reserver_phone=r.reserver_phone,
            cancel_reason=r.cancel_reason,
            deny_reason=r.deny_reason,
            created_at=r.created_at,
        ),
    )


def _export_booking(user: User) -> list[Node]:
    ReservationSeries = apps.get_model("booking", "ReservationSeries")
    reservations = persons_reservations(user).select_related("resource__unit").order_by("begin", "id")
    series = ReservationSeries.objects.filter(user=user).order_by("created_at")
    series_nodes = [
        branch(
            "SERIES",
            nodes(
                id=s.pk,
                resource=s.resource_id,
                start_date=s.start_date,
                until_date=s.until_date,
                begin_time=s.begin_time,
                end_time=s.end_time,
                event_subject=s.event_subject,
                reserver_name=s.reserver_name,
                reserver_email=s.reserver_email,
            ),
        )
        for s in series
    ]
    return [
        branch("RESERVATIONS", [_reservation_node(r) for r in reservations]),
        branch("RESERVATION_SERIES", series_nodes),
    ]


def _upcoming_active(user: User, now: dt.datetime) -> QuerySet[Any]:
    from tila.booking.models import ACTIVE_STATES

    return persons_reservations(user).filter(state__in=ACTIVE_STATES, end__gt=now)


def _booking_blockers(user: User, now: dt.datetime) -> list[Blocker]:
    from tila.booking.services import _check_owner_may_change  # the engine's own cut-off rule
    from tila.catalogue.selectors import resource_rules

    blockers: list[Blocker] = []
    upcoming = list(_upcoming_active(user, now).select_related("resource__unit"))
    states = _order_states([r.pk for r in upcoming])
    if any(states.get(r.pk) in PAID_ORDER_STATES for r in upcoming):
        blockers.append(
            Blocker(
                "upcoming_paid_reservation",
                _in_languages(
                    gettext_noop(
                        "You have an upcoming paid reservation. Your data can be deleted after it has ended, "
                        "or cancel it first."
                    )
                ),
            )
        )
    if _has_open_application(user):
        blockers.append(
            Blocker(
                "open_application",
                _in_languages(
                    gettext_noop(
                        "You have an application that is still being handled. "
                        "Your data can be deleted after the decision."
                    )
                ),
            )
        )
    for reservation in upcoming:
        if states.get(reservation.pk) in PAID_ORDER_STATES:
            continue
        try:
            _check_owner_may_change(reservation, resource_rules(reservation.resource), now)
        except DomainError:
            blockers.append(
                Blocker(
                    "upcoming_reservation",
                    _in_languages(
                        gettext_noop(
                            "You have a reservation starting soon that can no longer be cancelled online. "
                            "Your data can be deleted after it has ended."
                        )
                    ),
                )
            )
            break
    return blockers


def _order_states(reservation_ids: list[int]) -> dict[int, str]:
    if not reservation_ids or not apps.is_installed("tila.payments"):
        return {}
    Order = apps.get_model("payments", "Order")
    return dict(Order.objects.filter(reservation_id__in=reservation_ids).values_list("reservation_id", "state"))


def _has_open_application(user: User) -> bool:
    if not apps.is_installed("tila.payments"):
        return False
    Order = apps.get_model("payments", "Order")
    return bool(Order.objects.filter(user=user, state__in=OPEN_APPLICATION_ORDER_STATES).exists())


def _anonymise_booking(user: User, now: dt.datetime) -> None:
    from tila.booking.services import reservation_cancel

    for reservation in _upcoming_active(user, now).order_by("begin"):
        reservation_cancel(actor=user, reservation=reservation, now=now, notify=False)
    persons_reservations(user).update(**{name: "" for name in RESERVATION_PERSONAL_FIELDS})
    ReservationSeries = apps.get_model("booking", "ReservationSeries")
    ReservationSeries.objects.filter(user=user).update(**{name: "" for name in SERIES_PERSONAL_FIELDS})


# --- resident pages, notifications, audit --------------------------------------------------------


def _export_favourites(user: User) -> list[Node]:
    Favourite = apps.get_model("web", "Favourite")
    rows = Favourite.objects.filter(user=user).order_by("created_at")
    return [
        branch(
            "FAVOURITES", [branch("FAVOURITE", nodes(resource=f.resource_id, created_at=f.created_at)) for f in rows]
        )
    ]


def _anonymise_favourites(user: User, now: dt.datetime) -> None:
    apps.get_model("web", "Favourite").objects.filter(user=user).delete()


def _emails(user: User) -> QuerySet[Any]:
    OutboundEmail = apps.get_model("notifications", "OutboundEmail")
    return OutboundEmail.objects.filter(Q(recipient=user) | Q(to__iexact=user.email))


def _export_notifications(user: User) -> list[Node]:
    rows = _emails(user).order_by("created_at")
    emails = [
        branch(
            "EMAIL",
            nodes(event=e.event, to=e.to, subject=e.subject, state=e.state, created_at=e.created_at, sent_at=e.sent_at),
        )
        for e in rows
    ]
    CalendarFeedToken = apps.get_model("notifications", "CalendarFeedToken")
    feed = CalendarFeedToken.objects.filter(user=user).first()
    result = [branch("EMAILS", emails)]
    if feed is not None:
        result.append(branch("CALENDAR_FEED", nodes(created_at=feed.created_at, last_used_at=feed.last_used_at)))
    return result


def _anonymise_notifications(user: User, now: dt.datetime) -> None:
    _emails(user).update(to="", subject="", body_text="", body_html="", ics="", context={}, last_error="")
    apps.get_model("notifications", "CalendarFeedToken").objects.filter(user=user).delete()


def scrub_audit_snapshots(object_type: str, object_ids: list[str], fields: tuple[str, ...]) -> int:
    """Remove `fields` from the before/after snapshots of audit rows about these objects."""
    AuditEntry = apps.get_model("core", "AuditEntry")
    changed = 0
    for entry in AuditEntry.objects.filter(object_type=object_type, object_id__in=object_ids).iterator():
        before = _without(entry.before, fields)
        after = _without(entry.after, fields)
        if before != entry.before or after != entry.after:
            AuditEntry.objects.filter(pk=entry.pk).update(before=before, after=after)
            changed += 1
    return changed


def _without(data: Any, fields: tuple[str, ...]) -> Any:
    if not isinstance(data, dict):
        return data
    return {k: ("" if k in fields and v else v) for k, v in data.items()}


def _anonymise_audit(user: User, now: dt.datetime) -> None:
    ids = [str(pk) for pk in persons_reservations(user).values_list("pk", flat=True)]
    for start in range(0, len(ids), 500):
        scrub_audit_snapshots("booking.reservation", ids[start : start + 500], RESERVATION_PERSONAL_FIELDS)


def register_core_providers() -> None:
    # Audit snapshots are scrubbed first: they are found through reservations matched by address.
    register("audit", anonymise=_anonymise_audit, order=5)
    register("accounts", export=_export_account, anonymise=_anonymise_account, order=10)
    register("booking", export=_export_booking, anonymise=_anonymise_booking, blockers=_booking_blockers, order=20)
    register("favourites", export=_export_favourites, anonymise=_anonymise_favourites, order=30)
    register("notifications", export=_export_notifications, anonymise=_anonymise_notifications, order=40)
