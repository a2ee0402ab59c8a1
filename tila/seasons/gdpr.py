"""Seasonal applications' part of a person's data (see tila.accounts.gdpr).

Applications and their decisions stay (the allocation's history and the association's rights);
the contact person's name, email and phone and free-text additional information go. An open
application blocks deletion (tila.accounts.gdpr_providers).
"""

from __future__ import annotations

import datetime as dt

from tila.accounts.gdpr import Node, branch, nodes, register
from tila.accounts.models import User
from tila.seasons.models import Application


def _export(user: User) -> list[Node]:
    applications = Application.objects.filter(user=user).select_related("round").order_by("created_at")
    return [
        branch(
            "SEASON_APPLICATIONS",
            [
                branch(
                    "APPLICATION",
                    nodes(
                        round=str(a.round),
                        applicant_type=a.applicant_type,
                        organisation=a.organisation_name,
                        business_id=a.business_id,
                        contact_name=a.contact_name,
                        contact_email=a.contact_email,
                        contact_phone=a.contact_phone,
                        additional_information=a.additional_information,
                        state=a.state,
                        submitted_at=a.submitted_at,
                    ),
                )
                for a in applications
            ],
        )
    ]


def _anonymise(user: User, now: dt.datetime) -> None:
    Application.objects.filter(user=user).update(
        contact_name="", contact_email="", contact_phone="", additional_information=""
    )


def register_provider() -> None:
    register("seasons", export=_export, anonymise=_anonymise, order=70)
