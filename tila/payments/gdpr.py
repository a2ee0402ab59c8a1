"""The shop's part of a person's data (see tila.accounts.gdpr).

Bookkeeping keeps every order, its lines, amounts, VAT and invoices (the Accounting Act's retention
period); what identifies a private person — their name and email on orders, their billing profile
and invoice contact details — goes. An organisation's name and business ID on an invoice stay:
they are the organisation's, not the person's.
"""

from __future__ import annotations

import datetime as dt

from tila.accounts.gdpr import Node, branch, nodes, register
from tila.accounts.models import User
from tila.payments.models import CustomerProfile, Invoice, Order


def _export(user: User) -> list[Node]:
    orders = Order.objects.filter(user=user).select_related("reservation").order_by("created_at")
    out: list[Node] = []
    profile = CustomerProfile.objects.filter(user=user).first()
    if profile is not None:
        out.append(
            branch(
                "CUSTOMER_PROFILE",
                nodes(
                    group=profile.group,
                    organisation=profile.organisation_name,
                    business_id=profile.business_id,
                    billing_address=profile.billing_address,
                ),
            )
        )
    out.append(
        branch(
            "ORDERS",
            [
                branch(
                    "ORDER",
                    nodes(
                        id=str(o.uuid),
                        reservation=o.reservation_id,
                        state=o.state,
                        total=o.total,
                        currency=o.currency,
                        customer_name=o.customer_name,
                        customer_email=o.customer_email,
                        created_at=o.created_at,
                    ),
                )
                for o in orders
            ],
        )
    )
    return out


def _anonymise(user: User, now: dt.datetime) -> None:
    orders = Order.objects.filter(user=user)
    Invoice.objects.filter(order__in=orders).update(contact_name="", email="")
    orders.update(customer_name="", customer_email="")
    CustomerProfile.objects.filter(user=user).delete()


def register_provider() -> None:
    register("payments", export=_export, anonymise=_anonymise, order=50)
