"""The published indicator datasets: one registry for the dashboard, its downloads and the API.

Each dataset has an id (used in URLs: /insight/data/<id>.csv, /v1/indicators/<id>/), builds its
`Table` for a year, and knows how to draw itself as an SVG chart."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tila.insight import charts
from tila.insight import selectors as s
from tila.insight.models import Indicator
from tila.insight.selectors import Table

NPS_YEARS = 3  # the NPS trend shows this many years up to the chosen one


def _fmt_int(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def _fmt_pct(value: float) -> str:
    return f"{value:g} %"


def _values(table: Table, key: str) -> list[float | None]:
    return [None if row.get(key) is None else float(row[key]) for row in table.rows]


def nps_chart(table: Table) -> str:
    readable = [r for r in table.rows if r["n"]]
    return charts.line_chart(
        charts.Chart(
            title=str(table.title),
            description=_("NPS by period with its 95% interval; the table beside the chart has the figures."),
            labels=[r["label"] for r in readable],
            series=[
                charts.Series(
                    _("NPS"),
                    [r["nps"] for r in readable],
                    low=[r["ci_low"] for r in readable],
                    high=[r["ci_high"] for r in readable],
                )
            ],
            y_label=_("NPS"),
            zero_line=True,
        )
    )


def growth_chart(table: Table) -> str:
    return charts.line_chart(
        charts.Chart(
            title=str(table.title),
            description=_("Spaces open for booking and spaces announced as coming, over time."),
            labels=[r["date"].strftime("%m/%Y") for r in table.rows],
            series=[
                charts.Series(_("Open for booking"), _values(table, "bookable")),
                charts.Series(_("Announced as coming"), _values(table, "announced")),
            ],
            y_label=_("Spaces"),
            y_format=_fmt_int,
        )
    )


def district_chart(table: Table) -> str:
    year = table.params.get("year")
    values = _values(table, "reservations_per_1000") + _values(table, "previous_per_1000")
    return charts.bar_chart(
        charts.Chart(
            title=str(table.title),
            description=_("Reservations per 1,000 residents by district, this year and the previous year."),
            labels=[r["label"] for r in table.rows],
            series=[
                charts.Series(str(year), _values(table, "reservations_per_1000")),
                charts.Series(str((year or 1) - 1), _values(table, "previous_per_1000")),
            ],
            y_label=_("per 1,000 residents"),
            y_max=charts.clip_limit(values),
            y_format=_fmt_int,
        )
    )


def age_chart(table: Table) -> str:
    rows = [r for r in table.rows if r["key"] != "unknown"]
    return charts.bar_chart(
        charts.Chart(
            title=str(table.title),
            description=_("Share of reservations by the booker's age group, of those whose age is known."),
            labels=[r["label"] for r in rows],
            series=[charts.Series(_("Share of reservations (%)"), [r["share"] for r in rows])],
            y_label="%",
            y_format=_fmt_pct,
        )
    )


def month_share_chart(key: str, name: Any, description: Any) -> Callable[[Table], str]:
    def draw(table: Table) -> str:
        return charts.line_chart(
            charts.Chart(
                title=str(table.title),
                description=str(description),
                labels=[r["label"] for r in table.rows],
                series=[charts.Series(str(name), _values(table, key))],
                y_label="%",
                y_min=0,
                y_format=_fmt_pct,
            )
        )

    return draw


def hobby_chart(table: Table) -> str:
    return charts.bar_chart(
        charts.Chart(
            title=str(table.title),
            description=_("Hobby groups by district: all groups and groups for under-18s."),
            labels=[r["label"] for r in table.rows],
            series=[
                charts.Series(_("Hobby groups"), _values(table, "groups")),
                charts.Series(_("For under-18s"), _values(table, "children_groups")),
            ],
            y_label=_("Groups"),
            y_format=_fmt_int,
        )
    )


def city_chart(table: Table) -> str:
    labels, series = s.city_indicator_totals(table)
    return charts.line_chart(
        charts.Chart(
            title=str(table.title),
            description=_("The figure by period (units and areas added together); the table has each one."),
            labels=labels,
            series=[charts.Series(name, values) for name, values in series.items()],
            y_format=_fmt_int,
        )
    )


@dataclass(frozen=True)
class Dataset:
    id: str
    title: Any
    build: Callable[[int], Table]
    chart: Callable[[Table], str] | None = None


def _nps(year: int) -> Table:
    return s.nps_trend_table(first_year=year - NPS_YEARS + 1, last_year=year)


def _growth(year: int) -> Table:
    today = timezone.localdate()
    return s.resource_growth_table(until=min(today, dt.date(year, 12, 31)))


DATASETS: dict[str, Dataset] = {
    d.id: d
    for d in (
        Dataset("nps", gettext_lazy("Net Promoter Score"), _nps, nps_chart),
        Dataset("nps-by-district", gettext_lazy("NPS by district"), lambda y: s.nps_by_table("district", y)),
        Dataset(
            "nps-by-customer-group",
            gettext_lazy("NPS by customer group"),
            lambda y: s.nps_by_table("customer_group", y),
        ),
        Dataset("nps-by-unit", gettext_lazy("NPS by unit"), lambda y: s.nps_by_table("unit", y)),
        Dataset("resources", gettext_lazy("Spaces open for booking and announced"), _growth, growth_chart),
        Dataset(
            "reservations-by-district",
            gettext_lazy("Reservations per 1,000 residents by district"),
            s.reservations_by_district_table,
            district_chart,
        ),
        Dataset(
            "reservations-by-age",
            gettext_lazy("Reservations by the booker's age group"),
            s.reservations_by_age_table,
            age_chart,
        ),
        Dataset(
            "utilisation",
            gettext_lazy("Utilisation of opening hours"),
            s.utilisation_table,
            month_share_chart(
                "utilisation",
                gettext_lazy("Utilisation (%)"),
                gettext_lazy("Booked hours as a share of open hours, by month."),
            ),
        ),
        Dataset("utilisation-by-unit", gettext_lazy("Utilisation by unit"), s.utilisation_by_unit_table),
        Dataset(
            "first-time-bookers",
            gettext_lazy("Share of first-time bookers"),
            s.first_time_table,
            month_share_chart(
                "share",
                gettext_lazy("First-time bookers (%)"),
                gettext_lazy("Share of the month's bookers who booked for the first time."),
            ),
        ),
        Dataset("hobby-groups", gettext_lazy("Hobby groups by district"), s.hobby_groups_table, hobby_chart),
    )
}
CITY_PREFIX = "city-"


def dataset(dataset_id: str, *, public_only: bool = False) -> Dataset | None:
    if dataset_id in DATASETS:
        return DATASETS[dataset_id]
    if dataset_id.startswith(CITY_PREFIX):
        slug = dataset_id[len(CITY_PREFIX) :]
        indicator = s.city_indicators(public_only).filter(pk=slug).first()
        if indicator is not None:
            return city_dataset(indicator)
    return None


def city_dataset(indicator: Indicator) -> Dataset:
    def build(year: int) -> Table:
        first = year - 1 if indicator.granularity == "month" else year - 10
        return s.city_indicator_table(indicator, first_year=first, last_year=year)

    return Dataset(f"{CITY_PREFIX}{indicator.pk}", indicator.name, build, city_chart)


def all_datasets(*, public_only: bool = False) -> list[Dataset]:
    return [*DATASETS.values(), *(city_dataset(i) for i in s.city_indicators(public_only))]


# --- Downloads ---------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(s.plain_value(value))
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    keys = table.export_keys()
    writer.writerow(keys)
    for row in table.rows:
        writer.writerow([_csv_cell(row.get(k)) for k in keys])
    return out.getvalue()
