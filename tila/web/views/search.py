"""Home and search: what is free for my need?"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tila.web.forms import SearchForm
from tila.web.models import Favourite
from tila.web.selectors import city_zone_name, search
from tila.web.views.common import now

PAGE_SIZE = 20
SEARCH_KEYS = set(SearchForm.base_fields)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def home(request: HttpRequest) -> HttpResponse:
    """The search form; with any search parameter in the query, its results below."""
    bound = bool(SEARCH_KEYS & set(request.GET))
    form = SearchForm(request.GET if bound else None)
    outcome = None
    if bound and form.is_valid():
        outcome = search(form.criteria(), now=now())
    favourites = []
    if request.user.is_authenticated and not bound:
        favourites = list(
            Favourite.objects.filter(user=request.user).select_related("resource__unit", "resource__unit__district")[
                :12
            ]
        )
    found = outcome.results if outcome else []
    pages = max(1, -(-len(found) // PAGE_SIZE))
    page = min(max(_int(request.GET.get("page"), 1), 1), pages)
    context = {
        "form": form,
        "outcome": outcome,
        "results": found[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        "page": page,
        "pages": pages,
        "first_number": (page - 1) * PAGE_SIZE + 1,
        "favourites": favourites,
        "city_tz": city_zone_name(),
        "searched": bound,
    }
    return render(request, "web/home.html", context)
