"""The workspace's front page: my units, what waits for me, where to go."""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tila.accounts.permissions import Action, is_general_admin
from tila.booking.models import State
from tila.staff.selectors import staff_units
from tila.staff.views.common import staff_required


@staff_required
def home(request: HttpRequest) -> HttpResponse:
    units = staff_units(request.user, Action.VIEW).annotate(
        requests=Count("resources__reservations", filter=Q(resources__reservations__state=State.REQUESTED))
    )
    handled = set(staff_units(request.user, Action.HANDLE).values_list("id", flat=True))
    managed = set(staff_units(request.user, Action.MANAGE).values_list("id", flat=True))
    rows = [{"unit": u, "requests": u.requests, "handle": u.pk in handled, "manage": u.pk in managed} for u in units]
    return render(
        request,
        "staff/home.html",
        {
            "rows": rows,
            "waiting": sum(r["requests"] for r in rows if r["handle"]),
            "is_admin": is_general_admin(request.user) or bool(managed),
        },
    )
