"""Forms of the resident pages. They parse and shape input; every rule is decided by a service,
whose `DomainError` comes back here as an error on the field it names (`add_domain_error`)."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Language
from tila.catalogue.models import District, Purpose, Resource, Unit
from tila.catalogue.selectors import resource_rules
from tila.core.errors import DomainError
from tila.core.timeutil import get_zone, local_datetime
from tila.web.formatting import format_clock, format_duration
from tila.web.selectors import SearchCriteria, city_zone_name

MIDNIGHT_END = "24:00"
MIN_YEAR, MAX_YEAR = 2000, 2100


class TilaForm(forms.Form):
    """A form that turns a service's DomainError into an error on the right field."""

    # service field name → form field name; unknown or missing fields become non-field errors
    domain_fields: dict[str, str] = {}

    def add_domain_error(self, exc: DomainError) -> None:
        name = self.domain_fields.get(exc.field or "", exc.field or "")
        error = ValidationError(exc.message, code=exc.code)
        self.add_error(name if name in self.fields else None, error)

    def _choices(self, name: str, choices: Any) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices

    def error_codes(self) -> set[str]:
        return {error.code or "" for errors in self.errors.as_data().values() for error in errors}


# --- Times on the slot grid ------------------------------------------------------------------


def _clock_value(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def time_choices(step: dt.timedelta, *, end: bool = False) -> list[tuple[str, str]]:
    """Wall-clock times of a day on a grid of `step` ("10:00" shown as 10.00); ends include 24.00."""
    step_min = max(1, int(step.total_seconds() // 60)) if step < dt.timedelta(days=1) else 24 * 60
    minutes = range(step_min if end else 0, 24 * 60 + (1 if end else 0), step_min)
    return [(_clock_value(m) if m < 24 * 60 else MIDNIGHT_END, format_clock(m // 60, m % 60)) for m in minutes]


def parse_clock(value: str) -> dt.time | None:
    """ "10:30" → 10:30; "24:00" → None (midnight at the end of the day)."""
    if value == MIDNIGHT_END:
        return None
    hours, _sep, minutes = value.partition(":")
    return dt.time(int(hours), int(minutes))


def _option(option: dict[str, Any]) -> SafeString:
    if option["selected"]:
        return format_html('<option value="{}" selected>{}</option>', option["value"], option["label"])
    return format_html('<option value="{}">{}</option>', option["value"], option["label"])


class Select(forms.Select):
    """Django's select, written out in Python: the template-per-option default is the slowest part of
    a page with a few long lists of times."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        parts = []
        for group_name, options, _index in self.optgroups(name, self.format_value(value), final):
            inner = format_html_join("", "{}", ((_option(o),) for o in options))
            parts.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, inner) if group_name else inner)
        return format_html("<select{}>{}</select>", flatatt(final), format_html_join("", "{}", ((p,) for p in parts)))


class ClockField(forms.ChoiceField):
    """A time of day chosen from a list, that still accepts any valid HH:MM, so that the booking
    engine (not the list) decides whether a time is on the grid."""

    widget = Select

    def valid_value(self, value: Any) -> bool:
        text = str(value)
        if text == MIDNIGHT_END:
            return True
        hours, sep, minutes = text.partition(":")
        return bool(sep) and hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60

    def ensure_choice(self, value: str | None) -> None:
        """Show a valid time that is not on the list (so that the engine can say why it is wrong)."""
        choices: list[tuple[str, str]] = list(cast(Any, self.choices))
        if value and self.valid_value(value) and value not in {c[0] for c in choices}:
            self.choices = sorted([*choices, (value, value.replace(":", "."))], key=lambda c: c[0])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- Search -------------------------------------------------------------------------------------

DURATIONS = [30, 60, 90, 120, 180, 240, 360, 480, 1440]
SEARCH_DAYS_AHEAD = 730


def _purpose_choices() -> list[tuple[str, str]]:
    purposes = list(Purpose.objects.all())
    children: dict[str | None, list[Purpose]] = {}
    for purpose in purposes:
        children.setdefault(purpose.parent_id, []).append(purpose)
    out: list[tuple[str, str]] = [("", str(_("Any purpose")))]

    def walk(parent: str | None, depth: int) -> None:
        for purpose in sorted(children.get(parent, []), key=lambda p: str(p.name)):
            out.append((purpose.pk, "\u2003" * depth + str(purpose.name)))
            walk(purpose.pk, depth + 1)

    walk(None, 0)
    return out


def _area_choices() -> list[Any]:
    districts = sorted(District.objects.all(), key=lambda d: str(d.name))
    units = sorted(Unit.objects.filter(resources__isnull=False).distinct(), key=lambda u: str(u.name))
    return [
        ("", str(_("Anywhere in the city"))),
        (str(_("Districts")), [(f"district:{d.pk}", str(d.name)) for d in districts]),
        (str(_("Places")), [(f"unit:{u.pk}", str(u.name)) for u in units]),
    ]


class SearchForm(TilaForm):
    date = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    time_from = forms.ChoiceField(label=_("From"), required=False, widget=Select)
    time_to = forms.ChoiceField(label=_("Until"), required=False, widget=Select)
    duration = forms.TypedChoiceField(label=_("Length"), coerce=int, required=False, widget=Select)
    people = forms.IntegerField(
        label=_("Number of people"),
        required=False,
        min_value=1,
        max_value=10000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), required=False, widget=Select)
    area = forms.ChoiceField(label=_("District or place"), required=False, widget=Select)
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=100,
        help_text=_("For example a name, a place or a piece of equipment."),
        widget=forms.TextInput(attrs={"type": "search", "enterkeyhint": "search"}),
    )

    DEFAULTS = {"time_from": "08:00", "time_to": "22:00", "duration": 60}
    hide_optional = True  # every field is optional: no "(optional)" after each label

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        today = timezone.now().astimezone(get_zone(city_zone_name())).date()
        if data is not None:  # an empty field means its default, and the form shows the default
            data = data.copy()
            for name, value in {"date": today.isoformat(), **self.DEFAULTS}.items():
                if not data.get(name):
                    data[name] = str(value)
        super().__init__(data, *args, **kwargs)
        half_hour = dt.timedelta(minutes=30)
        self._choices("time_from", time_choices(half_hour))
        self._choices("time_to", time_choices(half_hour, end=True))
        self._choices("duration", [(m, format_duration(dt.timedelta(minutes=m))) for m in DURATIONS])
        self._choices("purpose", _purpose_choices())
        self._choices("area", _area_choices())
        self.today = today
        self.fields["date"].widget.attrs["min"] = today.isoformat()
        for name, value in {"date": today, **self.DEFAULTS}.items():
            self.fields[name].initial = value

    def _value(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        return self.fields[name].initial if value in (None, "") else value

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        day, start, finish = self._value("date"), self._value("time_from"), self._value("time_to")
        if day < self.today:
            self.add_error("date", ValidationError(_("Choose today or a later day."), code="past_day"))
            return data
        if day > self.today + dt.timedelta(days=SEARCH_DAYS_AHEAD):
            self.add_error("date", ValidationError(_("Choose a day within the next two years."), code="far_day"))
            return data
        begin_minute = _minutes(start)
        end_minute = 24 * 60 if finish == MIDNIGHT_END else _minutes(finish)
        if end_minute <= begin_minute:
            self.add_error("time_to", ValidationError(_("The end must be after the start."), code="invalid_range"))
        elif dt.timedelta(minutes=int(self._value("duration"))) > dt.timedelta(minutes=end_minute - begin_minute):
            self.add_error(
                "duration", ValidationError(_("The length is longer than the time you chose."), code="too_long")
            )
        return data

    def criteria(self) -> SearchCriteria:
        area = self.cleaned_data.get("area") or ""
        kind, _sep, ident = area.partition(":")
        return SearchCriteria(
            day=self._value("date"),
            time_from=parse_clock(self._value("time_from")) or dt.time(0),
            time_to=parse_clock(self._value("time_to")) or dt.time(0),
            duration=dt.timedelta(minutes=int(self._value("duration"))),
            people=self.cleaned_data.get("people"),
            purpose=self.cleaned_data.get("purpose") or "",
            district=ident if kind == "district" else "",
            unit=ident if kind == "unit" else "",
            text=(self.cleaned_data.get("q") or "").strip(),
        )


def _minutes(clock: str) -> int:
    hours, _sep, minutes = clock.partition(":")
    return int(hours) * 60 + int(minutes)


# --- Booking and changing a booking ---------------------------------------------------------------


class ReservationTimeForm(TilaForm):
    """Start and end as a date and a time on the resource's slot grid, in the unit's time zone."""

    begin_date = forms.DateField(label=_("Start date"), widget=DateInput())
    begin_time = ClockField(label=_("Start time"))
    end_date = forms.DateField(label=_("End date"), widget=DateInput())
    end_time = ClockField(label=_("End time"))
    event_subject = forms.CharField(
        label=_("What is it for?"),
        required=False,
        max_length=200,
        help_text=_("A short title for your own calendar, for example “Choir practice”. Staff see it too."),
    )
    number_of_participants = forms.IntegerField(
        label=_("Number of people"),
        required=False,
        min_value=1,
        max_value=100000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    domain_fields = {"begin": "begin_time", "end": "end_time", "number_of_participants": "number_of_participants"}

    def __init__(self, *args: Any, resource: Resource, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.zone = get_zone(resource.unit.time_zone)
        rules = resource_rules(resource)
        begin_field = cast(ClockField, self.fields["begin_time"])
        end_field = cast(ClockField, self.fields["end_time"])
        begin_field.choices = time_choices(rules.slot_size)
        end_field.choices = time_choices(rules.slot_size, end=True)
        for name, field in (("begin_time", begin_field), ("end_time", end_field)):
            field.ensure_choice(self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name))
        if resource.people_capacity:
            self.fields["number_of_participants"].help_text = _("At most %(capacity)s people.") % {
                "capacity": resource.people_capacity
            }

    def _moment(self, day: dt.date, clock: str) -> dt.datetime:
        at = parse_clock(clock)
        if at is None:
            return local_datetime(day + dt.timedelta(days=1), dt.time(0), self.zone)
        return local_datetime(day, at, self.zone)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in ("begin_date", "end_date"):
            day = data.get(name)
            if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
                self.add_error(name, ValidationError(_("Choose a date between 2000 and 2100."), code="invalid_date"))
        if all(data.get(name) for name in ("begin_date", "begin_time", "end_date", "end_time")):
            data["begin"] = self._moment(data["begin_date"], data["begin_time"])
            data["end"] = self._moment(data["end_date"], data["end_time"])
        return data

    @staticmethod
    def initial_for(begin: dt.datetime, end: dt.datetime, tz_name: str) -> dict[str, Any]:
        zone = get_zone(tz_name)
        b, e = begin.astimezone(zone), end.astimezone(zone)
        end_day, end_clock = e.date(), _clock_value(e.hour * 60 + e.minute)
        if end_clock == "00:00" and end_day > b.date():
            end_day, end_clock = end_day - dt.timedelta(days=1), MIDNIGHT_END
        return {
            "begin_date": b.date(),
            "begin_time": _clock_value(b.hour * 60 + b.minute),
            "end_date": end_day,
            "end_time": end_clock,
        }


class BookingForm(ReservationTimeForm):
    accept_terms = forms.BooleanField(label=_("I accept the terms of use"), required=True)

    def __init__(self, *args: Any, resource: Resource, **kwargs: Any) -> None:
        super().__init__(*args, resource=resource, **kwargs)
        if not str(resource.terms).strip():
            self.fields["accept_terms"].required = False
            self.fields["accept_terms"].label = _("I will follow the house rules")
        self.fields["accept_terms"].error_messages["required"] = _("Accept the terms of use to book.")


# --- Accounts -------------------------------------------------------------------------------------


def _language_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, label in Language.choices]


class SignUpForm(TilaForm):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    )
    name = forms.CharField(
        label=_("Name"), required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words make a good password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    preferred_language = forms.ChoiceField(label=_("Language for messages"), choices=_language_choices, widget=Select)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", ValidationError(_("The two passwords are not the same."), code="mismatch"))
        return data


class SignInForm(TilaForm):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    )
    password = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordResetRequestForm(TilaForm):
    email = forms.EmailField(
        label=_("Email address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"})
    )


class SetPasswordForm(TilaForm):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        help_text=_("At least 12 characters. A few unrelated words make a good password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_again = forms.CharField(
        label=_("New password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", ValidationError(_("The two passwords are not the same."), code="mismatch"))
        return data


class ProfileForm(TilaForm):
    name = forms.CharField(
        label=_("Name"), required=False, max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=_language_choices,
        widget=Select,
        help_text=_("Tila opens in this language when you sign in, and emails you in it."),
    )
