"""The management dashboard, its CSV/JSON downloads and the CSV import page. Management only."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tila.core.errors import DomainError
from tila.insight import datasets
from tila.insight.access import has_management_access
from tila.insight.selectors import nps_of_year, year_summary
from tila.insight.services import ImportFailed, indicator_values_import, population_import

View = Callable[..., HttpResponseBase]
MAX_UPLOAD = 20 * 1024 * 1024
FIRST_YEAR = 2017
# Sections of the dashboard, in order: (heading id, dataset ids shown under it)
SECTIONS: list[tuple[str, Any, list[str]]] = [
    ("nps", gettext_lazy("Customer feedback"), ["nps", "nps-by-district", "nps-by-customer-group"]),
    ("growth", gettext_lazy("Spaces in the booking service"), ["resources"]),
    (
        "use",
        gettext_lazy("Use of the spaces"),
        ["reservations-by-district", "reservations-by-age", "utilisation", "utilisation-by-unit", "first-time-bookers"],
    ),
    ("hobbies", gettext_lazy("Hobbies"), ["hobby-groups"]),
]


def management_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("web:login"))
        if not has_management_access(request.user):
            return render(request, "insight/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _year(request: HttpRequest) -> int:
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if FIRST_YEAR <= year <= current else current


def _figure(dataset: datasets.Dataset, year: int) -> dict[str, Any]:
    table = dataset.build(year)
    return {
        "id": dataset.id,
        "table": table,
        "chart": dataset.chart(table) if dataset.chart and table.rows else "",
    }


@management_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    today = timezone.localdate()
    kpis, nps_change = year_summary(year, today=today)
    sections = [
        {"id": sid, "title": title, "figures": [_figure(datasets.DATASETS[d], year) for d in ids]}
        for sid, title, ids in SECTIONS
    ]
    city = [_figure(d, year) for d in datasets.all_datasets() if d.id.startswith(datasets.CITY_PREFIX)]
    if city:
        sections.append({"id": "city", "title": _("Figures the city enters"), "figures": city})
    context = {
        "year": year,
        "years": list(range(today.year, FIRST_YEAR - 1, -1)),
        "to_date": year == today.year,
        "today": today,
        "kpis": kpis,
        "nps_change": nps_change,
        "nps_last_year": nps_of_year(year - 1),
        "sections": sections,
    }
    return render(request, "insight/dashboard.html", context)


@management_required
@require_GET
def download(request: HttpRequest, dataset_id: str, fmt: str) -> HttpResponse:
    found = datasets.dataset(dataset_id)
    if found is None or fmt not in ("csv", "json"):
        raise Http404
    year = _year(request)
    table = found.build(year)
    name = f"tila-{found.id}-{year}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(datasets.table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        body = json.dumps(table.as_data(), ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What the file contains"),
        choices=[("indicators", gettext_lazy("Indicator values")), ("population", gettext_lazy("Population figures"))],
        widget=forms.RadioSelect,
    )
    file = forms.FileField(label=gettext_lazy("CSV file (UTF-8)"))
    create_missing = forms.BooleanField(
        label=gettext_lazy("Create indicators that do not exist yet"),
        required=False,
        help_text=gettext_lazy("Name them afterwards in the administration site."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is too large (20 MB at most)."), code="too_large")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(_("Save the file as UTF-8 text."), code="encoding") from exc


@management_required
def import_data(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": "indicators"})
    problems: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["file"]
        try:
            if form.cleaned_data["kind"] == "population":
                result = population_import(actor=request.user, text=text)
            else:
                result = indicator_values_import(
                    actor=request.user, text=text, create_missing=form.cleaned_data["create_missing"]
                )
        except ImportFailed as exc:
            problems = exc.problems[:200]
            form.add_error(None, forms.ValidationError(exc.message, code=exc.code))
        except DomainError as exc:
            form.add_error(None, forms.ValidationError(exc.message, code=exc.code))
        else:
            messages.success(
                request,
                _("Imported: %(created)s new rows, %(updated)s updated.")
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("insight:import")
    status = 400 if form.errors else 200
    return render(request, "insight/import.html", {"form": form, "problems": problems}, status=status)
