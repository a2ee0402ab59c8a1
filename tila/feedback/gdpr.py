"""Feedback's part of a person's data (see tila.accounts.gdpr).

Scores stay for the indicators (they are tied to a reservation, not to the person, once the
account is anonymised); free-text comments may name people, so a deleted account's comments go,
as do their optional booker profile and survey invitation addresses.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from tila.accounts.gdpr import Node, branch, nodes, register
from tila.accounts.models import User
from tila.feedback.models import BookerProfile, Response, SurveyInvitation


def _responses(user: User) -> QuerySet[Response]:
    return Response.objects.filter(reservation__user=user)


def _export(user: User) -> list[Node]:
    out: list[Node] = []
    profile = BookerProfile.objects.filter(user=user).first()
    if profile is not None:
        out.append(
            branch("BOOKER_PROFILE", nodes(birth_year=profile.birth_year, customer_group=profile.customer_group))
        )
    out.append(
        branch(
            "FEEDBACK",
            [
                branch(
                    "ANSWER",
                    nodes(reservation=r.reservation_id, score=r.score, comment=r.comment, answered_at=r.created_at),
                )
                for r in _responses(user).order_by("created_at")
            ],
        )
    )
    return out


def _anonymise(user: User, now: dt.datetime) -> None:
    _responses(user).update(comment="")
    SurveyInvitation.objects.filter(reservation__user=user).update(to="")
    BookerProfile.objects.filter(user=user).delete()


def register_provider() -> None:
    register("feedback", export=_export, anonymise=_anonymise, order=60)
