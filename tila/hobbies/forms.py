"""Forms of the hobby pages: resident search and entering a group."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.catalogue.models import District, Unit
from tila.core.errors import DomainError
from tila.hobbies.models import HobbyCategory, HobbyLanguage
from tila.hobbies.selectors import HobbyCriteria
from tila.hobbies.services import HobbyDetails, WeeklyTime

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
TIME_ROWS = 3


class HobbySearchForm(forms.Form):
    hide_optional = True
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    age = forms.IntegerField(
        label=_("Age of the participant"),
        required=False,
        min_value=0,
        max_value=120,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    weekday = forms.TypedChoiceField(
        label=_("Weekday"), required=False, coerce=int, empty_value=None, choices=[("", _("Any day")), *WEEKDAYS]
    )
    price = forms.ChoiceField(
        label=_("Price"),
        required=False,
        choices=[("", _("Any price")), ("free", _("Free of charge")), ("max", _("At most the amount below"))],
    )
    max_price = forms.DecimalField(
        label=_("Highest price (€)"), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *HobbyLanguage.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].choices = [  # type: ignore[attr-defined]
            ("", _("All districts")),
            *[(d.pk, str(d.name)) for d in District.objects.all()],
        ]
        self.fields["category"].choices = [  # type: ignore[attr-defined]
            ("", _("All categories")),
            *[(c.pk, str(c.name)) for c in HobbyCategory.objects.all()],
        ]

    def criteria(self) -> HobbyCriteria:
        if not self.is_valid():
            return HobbyCriteria()
        d = self.cleaned_data
        return HobbyCriteria(
            age=d["age"],
            district=d["district"] or "",
            category=d["category"] or "",
            weekday=d["weekday"],
            free_only=d["price"] == "free",
            max_price=d["max_price"] if d["price"] == "max" else None,
            language=d["language"] or "",
            text=(d["q"] or "").strip(),
        )


class HobbyGroupForm(forms.Form):
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description_fi = forms.CharField(
        label=_("Description in Finnish"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=HobbyCategory.objects.all())
    organiser = forms.CharField(label=_("Organiser"), max_length=200)
    organiser_email = forms.EmailField(label=_("Organiser's email"), required=False)
    unit = forms.ModelChoiceField(label=_("Place"), queryset=Unit.objects.all())
    min_age = forms.IntegerField(label=_("Youngest age"), required=False, min_value=0, max_value=120)
    max_age = forms.IntegerField(label=_("Oldest age"), required=False, min_value=0, max_value=120)
    language = forms.ChoiceField(label=_("Language"), choices=HobbyLanguage.choices)
    is_free = forms.BooleanField(label=_("Free of charge"), required=False)
    price = forms.DecimalField(
        label=_("Price for the season (€)"), required=False, min_value=Decimal(0), max_digits=8, decimal_places=2
    )
    price_info_fi = forms.CharField(label=_("About the price"), required=False, max_length=300)
    season_start = forms.DateField(label=_("Season begins"), widget=forms.DateInput(attrs={"type": "date"}))
    season_end = forms.DateField(label=_("Season ends"), widget=forms.DateInput(attrs={"type": "date"}))
    registration_url = forms.URLField(
        label=_("Registration link"), required=False, max_length=400, assume_scheme="https"
    )

    def __init__(self, *args: Any, units: Any = None, with_schedule: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.with_schedule = with_schedule
        if not with_schedule:
            for name in ("unit", "season_start", "season_end"):
                del self.fields[name]
            return
        for n in range(1, TIME_ROWS + 1):
            self.fields[f"day{n}"] = forms.TypedChoiceField(
                label=_("Weekday"), required=False, coerce=int, empty_value=None, choices=[("", "–"), *WEEKDAYS]
            )
            self.fields[f"begins{n}"] = forms.TimeField(
                label=_("Begins"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )
            self.fields[f"ends{n}"] = forms.TimeField(
                label=_("Ends"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
            )

    def time_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        if not self.with_schedule:
            return []
        return [(self[f"day{n}"], self[f"begins{n}"], self[f"ends{n}"]) for n in range(1, TIME_ROWS + 1)]

    def times(self) -> list[WeeklyTime]:
        out: list[WeeklyTime] = []
        for n in range(1, TIME_ROWS + 1):
            day, begins, ends = (self.cleaned_data.get(f"{k}{n}") for k in ("day", "begins", "ends"))
            if day is not None and isinstance(begins, dt.time) and isinstance(ends, dt.time):
                out.append((int(day), begins, ends))
        return out

    def details(self) -> HobbyDetails:
        d = self.cleaned_data
        today = timezone.localdate()  # replaced by the series' season when made from a series
        return HobbyDetails(
            name={"fi": d["name_fi"], "sv": d["name_sv"], "en": d["name_en"]},
            description={"fi": d["description_fi"]},
            category=d["category"],
            organiser=d["organiser"],
            organiser_email=d["organiser_email"],
            min_age=d["min_age"],
            max_age=d["max_age"],
            language=d["language"],
            is_free=d["is_free"],
            price=d["price"],
            price_info={"fi": d["price_info_fi"]},
            season_start=d.get("season_start") or today,
            season_end=d.get("season_end") or today,
            registration_url=d["registration_url"],
            times=self.times(),
        )

    def add_domain_error(self, exc: DomainError) -> None:
        name = (
            exc.field if exc.field in self.fields else ("day1" if exc.field == "times" and self.with_schedule else None)
        )
        self.add_error(name, ValidationError(exc.message, code=exc.code))
