"""A staff member's calendar feed address: create a new secret (shown once) or revoke it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tila.accounts.permissions import Action
from tila.catalogue.models import Resource
from tila.notifications.feeds import feed_token_create, feed_token_exists, feed_token_revoke
from tila.staff.selectors import staff_units
from tila.staff.views.common import staff_required


def feed_urls(request: HttpRequest, token: str, resources: list[Resource]) -> dict[str, object]:
    try:
        personal = request.build_absolute_uri(reverse("feeds:personal", args=[token]))
        per_resource = [
            (r, request.build_absolute_uri(reverse("feeds:resource", args=[token, r.pk]))) for r in resources
        ]
    except NoReverseMatch:  # the feeds are not routed in this deployment
        return {"personal": "", "resources": []}
    return {"personal": personal, "resources": per_resource}


@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def feed(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feed_token_revoke(user=request.user)
            messages.success(request, _("The calendar addresses no longer work."))
            return redirect("staff:feed")
        token = feed_token_create(user=request.user)
        resources = list(
            Resource.objects.filter(unit__in=staff_units(request.user, Action.VIEW)).select_related("unit")[:200]
        )
        context = {"urls": feed_urls(request, token, resources), "exists": True, "fresh": True}
        return render(request, "staff/feed.html", context)
    return render(request, "staff/feed.html", {"exists": feed_token_exists(user=request.user), "fresh": False})
