"""Reports (utilisation, reservations by state and purpose; CSV and XLSX) and the audit log."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tila.accounts.permissions import Action, is_general_admin
from tila.core.timeutil import day_bounds, get_zone
from tila.staff.forms import AuditFilterForm, ReportForm
from tila.staff.selectors import (
    UtilisationRow,
    audit_entries,
    reservations_by_purpose,
    reservations_by_state,
    staff_units,
    utilisation,
)
from tila.staff.views.common import local_today, staff_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _tables(rows: list[UtilisationRow], states: list[dict[str, Any]], purposes: list[dict[str, Any]]) -> list[Any]:
    """The report as (title, header, rows) tables, shared by the page, CSV and XLSX."""
    utilisation_rows = [
        [
            str(r.unit.name),
            str(r.resource.name) if r.resource else _("All resources"),
            r.open_hours,
            r.booked_hours,
            r.closed_hours,
            r.reservations,
            "" if r.utilisation is None else r.utilisation,
        ]
        for r in rows
    ]
    return [
        (
            _("Utilisation"),
            [
                _("Unit"),
                _("Resource"),
                _("Open hours"),
                _("Booked hours"),
                _("Closure hours"),
                _("Reservations"),
                _("Utilisation %"),
            ],
            utilisation_rows,
        ),
        (
            _("Reservations by state"),
            [_("State"), _("Type"), _("Count")],
            [[s["state_label"], s["type_label"], s["count"]] for s in states],
        ),
        (_("Reservations by purpose"), [_("Purpose"), _("Count")], [[p["label"], p["count"]] for p in purposes]),
    ]


def _cell(value: Any) -> Any:
    """Numbers stay numbers; text is text, and text that a spreadsheet would run as a formula is quoted."""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(tables: list[Any], filename: str) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    for title, header, rows in tables:
        writer.writerow([_cell(title)])
        writer.writerow([_cell(h) for h in header])
        writer.writerows([[_cell(c) for c in row] for row in rows])
        writer.writerow([])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx(tables: list[Any], filename: str) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in tables:
        sheet = book.create_sheet(title=str(title)[:31])
        sheet.append([_cell(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(c) for c in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _default_period() -> dict[str, dt.date]:
    today = local_today()
    first = today.replace(day=1)
    return {"start": first, "end": today}


@staff_required
def reports(request: HttpRequest) -> HttpResponse:
    units = staff_units(request.user, Action.VIEW)
    form = ReportForm(request.GET or None, units=units, initial=_default_period())
    if not form.is_bound:
        form = ReportForm({**{k: v.isoformat() for k, v in _default_period().items()}}, units=units)
    tables = None
    if form.is_valid():
        data = form.cleaned_data
        chosen = units.filter(pk__in=data["units"]) if data["units"] else units
        zone = get_zone(None)
        start, end = day_bounds(data["start"], zone)[0], day_bounds(data["end"], zone)[1]
        rows = utilisation(units=chosen, start=start, end=end)
        tables = _tables(
            rows,
            reservations_by_state(units=chosen, start=start, end=end),
            reservations_by_purpose(units=chosen, start=start, end=end),
        )
        filename = f"tila-report-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
        if request.GET.get("format") == "csv":
            return _csv(tables, filename)
        if request.GET.get("format") == "xlsx":
            return _xlsx(tables, filename)
    status = 200 if form.is_valid() else 400
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request, "staff/reports.html", {"form": form, "tables": tables, "query": query.urlencode()}, status=status
    )


@staff_required
def audit(request: HttpRequest) -> HttpResponse:
    managed = staff_units(request.user, Action.MANAGE)
    if not is_general_admin(request.user) and not managed.exists():
        return render(request, "staff/forbidden.html", status=403)
    form = AuditFilterForm(request.GET or None, units=managed)
    data = form.cleaned_data if form.is_valid() else {}
    zone = get_zone(None)
    entries = audit_entries(
        user=request.user,
        unit_id=data.get("unit") or "",
        actor_email=data.get("actor") or "",
        action=data.get("action") or "",
        start=day_bounds(data["start"], zone)[0] if data.get("start") else None,
        end=day_bounds(data["end"], zone)[1] if data.get("end") else None,
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "staff/audit.html", {"form": form, "page": page, "query": query.urlencode()})
