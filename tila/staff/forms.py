"""Forms of the staff workspace. They parse input; the services decide, and a service's
DomainError comes back as an error on the field it names (or above the form), with its code."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Role, User
from tila.booking.models import DenyReason, ReservationType
from tila.catalogue.models import Resource, ResourceType, Unit
from tila.core.errors import DomainError
from tila.core.timeutil import get_zone, local_datetime
from tila.hours.models import Weekday

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TEXT_AREA = forms.Textarea(attrs={"rows": 3})
WEEKDAYS = [(d.value, d.label) for d in Weekday]


class StaffForm(forms.Form):
    """Turns a service's DomainError into an error on the right field."""

    domain_fields: dict[str, str] = {}

    def add_domain_error(self, exc: DomainError) -> None:
        if getattr(self, "_errors", None) is None:  # an unbound form gets an error list too
            self.full_clean()
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        name = self.domain_fields.get(exc.field or "", exc.field or "")
        self.add_error(name if name in self.fields else None, ValidationError(exc.message, code=exc.code))

    def error_codes(self) -> set[str]:
        return {e.code or "" for errors in self.errors.as_data().values() for e in errors}


class DenyReasonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.text)


class DenyForm(StaffForm):
    reason = DenyReasonField(
        label=_("Reason"), queryset=DenyReason.objects.filter(active=True), required=False, empty_label=_("(none)")
    )
    text = forms.CharField(
        label=_("Message to the customer"),
        required=False,
        max_length=2000,
        widget=TEXT_AREA,
        help_text=_("Added after the chosen reason. The customer sees both."),
    )
    domain_fields = {"reason": "reason"}


class AskInfoForm(StaffForm):
    message = forms.CharField(label=_("What do you need to know?"), max_length=4000, widget=TEXT_AREA)


class CancelForm(StaffForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000, widget=TEXT_AREA)


class QueueFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            ("", _("All my units")),
            *[(u.pk, str(u.name)) for u in units],
        ]


# --- Times in a unit's zone --------------------------------------------------------------------


def local_range(day: dt.date, begin: dt.time, end: dt.time, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
    """Wall-clock times on `day` in the unit's zone; an end at or before the beginning is the next day."""
    zone = get_zone(tz_name)
    end_day = day + dt.timedelta(days=1) if end <= begin else day
    return local_datetime(day, begin, zone), local_datetime(end_day, end, zone)


class TimeRangeForm(StaffForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    begin = forms.TimeField(label=_("Begins"), widget=TIME)
    end = forms.TimeField(
        label=_("Ends"), widget=TIME, help_text=_("An end at or before the beginning is the next day.")
    )
    staff_override = forms.BooleanField(
        label=_("Override booking rules"),
        required=False,
        help_text=_("Allow times outside opening hours, the slot grid, the duration limits and the advance window."),
    )
    domain_fields = {"begin": "begin", "end": "end", "number_of_participants": "number_of_participants"}

    def times(self, tz_name: str) -> tuple[dt.datetime, dt.datetime]:
        data = self.cleaned_data
        return local_range(data["date"], data["begin"], data["end"], tz_name)


class MoveForm(TimeRangeForm):
    pass


class ResourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class BookForm(TimeRangeForm):
    """A reservation on behalf of a customer, or a closure."""

    resource = ResourceChoiceField(label=_("Resource"), queryset=Resource.objects.none())
    type = forms.ChoiceField(
        label=_("Kind"),
        choices=[(ReservationType.NORMAL, _("Reservation for a customer")), (ReservationType.BLOCKED, _("Closure"))],
        initial=ReservationType.NORMAL,
        widget=forms.RadioSelect,
    )
    customer_email = forms.EmailField(
        label=_("Customer's account (email)"),
        required=False,
        help_text=_("If the customer has an account, they see the booking and get the emails in their language."),
    )
    reserver_name = forms.CharField(label=_("Reserver's name"), required=False, max_length=200)
    reserver_email = forms.EmailField(label=_("Reserver's email"), required=False)
    reserver_phone = forms.CharField(label=_("Reserver's phone"), required=False, max_length=40)
    event_subject = forms.CharField(label=_("Subject"), required=False, max_length=200)
    number_of_participants = forms.IntegerField(label=_("Number of participants"), required=False, min_value=1)
    staff_comment = forms.CharField(label=_("Staff comment"), required=False, widget=TEXT_AREA)
    field_order = ["type", "resource", "date", "begin", "end"]

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(unit=unit).order_by("name_fi")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("customer_email")
        data["customer"] = None
        if email:
            data["customer"] = User.objects.filter(email__iexact=email, is_active=True).first()
            if data["customer"] is None:
                self.add_error(
                    "customer_email",
                    _("No account has this email address. Leave it empty and fill in the reserver's details."),
                )
        return data


class SeriesForm(StaffForm):
    resource = ResourceChoiceField(label=_("Resource"), queryset=Resource.objects.none())
    type = forms.ChoiceField(
        label=_("Kind"),
        choices=[(ReservationType.NORMAL, _("Reservation for a customer")), (ReservationType.BLOCKED, _("Closure"))],
        initial=ReservationType.NORMAL,
        widget=forms.RadioSelect,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    interval_weeks = forms.IntegerField(label=_("Every n weeks"), min_value=1, max_value=52, initial=1)
    start_date = forms.DateField(label=_("First day"), widget=DATE)
    until_date = forms.DateField(label=_("Last day"), required=False, widget=DATE)
    count = forms.IntegerField(
        label=_("Or: number of occurrences"), required=False, min_value=1, help_text=_("Give the last day or a number.")
    )
    begin_time = forms.TimeField(label=_("Begins"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    customer_email = forms.EmailField(label=_("Customer's account (email)"), required=False)
    reserver_name = forms.CharField(label=_("Reserver's name"), required=False, max_length=200)
    reserver_email = forms.EmailField(label=_("Reserver's email"), required=False)
    event_subject = forms.CharField(label=_("Subject"), required=False, max_length=200)
    staff_comment = forms.CharField(label=_("Staff comment"), required=False, widget=TEXT_AREA)
    staff_override = forms.BooleanField(label=_("Override booking rules"), required=False)
    domain_fields = {"end_time": "end_time", "count": "count", "until_date": "until_date", "weekdays": "weekdays"}

    def __init__(self, *args: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email = data.get("customer_email")
        data["customer"] = None
        if email:
            data["customer"] = User.objects.filter(email__iexact=email, is_active=True).first()
            if data["customer"] is None:
                self.add_error("customer_email", _("No account has this email address."))
        return data


class SeriesCancelForm(StaffForm):
    from_date = forms.DateField(label=_("From"), required=False, widget=DATE, help_text=_("Empty: all that remain."))
    reason = forms.CharField(label=_("Reason"), required=False, max_length=1000, widget=TEXT_AREA)


class SeriesMoveForm(StaffForm):
    begin_time = forms.TimeField(label=_("New beginning"), widget=TIME)
    end_time = forms.TimeField(label=_("New end"), widget=TIME)
    day_shift = forms.IntegerField(
        label=_("Move by days"), initial=0, min_value=-6, max_value=6, help_text=_("0 keeps the same weekday.")
    )
    from_date = forms.DateField(label=_("From"), required=False, widget=DATE, help_text=_("Empty: all that remain."))
    staff_override = forms.BooleanField(label=_("Override booking rules"), required=False)
    domain_fields = {"end_time": "end_time", "day_shift": "day_shift"}


# --- Management --------------------------------------------------------------------------------


class ResourceForm(StaffForm):
    name_fi = forms.CharField(label=_("Name (Finnish)"), max_length=200)
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    description_fi = forms.CharField(label=_("Description (Finnish)"), required=False, widget=TEXT_AREA)
    description_sv = forms.CharField(label=_("Description (Swedish)"), required=False, widget=TEXT_AREA)
    description_en = forms.CharField(label=_("Description (English)"), required=False, widget=TEXT_AREA)
    type = forms.ModelChoiceField(label=_("Type"), queryset=ResourceType.objects.all())
    parent = ResourceChoiceField(label=_("Part of"), queryset=Resource.objects.none(), required=False)
    people_capacity = forms.IntegerField(label=_("Capacity (people)"), required=False, min_value=1)
    area = forms.IntegerField(label=_("Area (m²)"), required=False, min_value=0)
    reservable = forms.BooleanField(label=_("Reservable"), required=False, initial=True)
    public = forms.BooleanField(label=_("Public"), required=False, initial=True)
    need_manual_confirmation = forms.NullBooleanField(
        label=_("Needs manual confirmation"),
        required=False,
        widget=forms.Select(choices=[("unknown", _("As the unit")), ("true", _("Yes")), ("false", _("No"))]),
    )
    FIELDS = [
        "name_fi", "name_sv", "name_en", "description_fi", "description_sv", "description_en", "type", "parent",
        "people_capacity", "area", "reservable", "public", "need_manual_confirmation",
    ]  # fmt: skip

    def __init__(self, *args: Any, unit: Unit, exclude_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Resource.objects.filter(unit=unit).order_by("name_fi")
        if exclude_id:
            parents = parents.exclude(pk=exclude_id)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class PeriodForm(StaffForm):
    """An opening period with one opening span per weekday (empty = closed that day)."""

    name_fi = forms.CharField(label=_("Name (Finnish)"), max_length=200, required=False)
    name_sv = forms.CharField(label=_("Name (Swedish)"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    resource = ResourceChoiceField(
        label=_("Only for this resource"),
        queryset=Resource.objects.none(),
        required=False,
        empty_label=_("The whole unit"),
    )
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), required=False, widget=DATE, help_text=_("Empty: until further notice."))
    closed = forms.BooleanField(label=_("Closed for the whole period"), required=False)
    domain_fields = {"end": "end", "rules": "opens_0"}

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(unit=unit).order_by("name_fi")  # type: ignore[attr-defined]
        for day, label in WEEKDAYS:
            self.fields[f"opens_{day}"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label}, required=False, widget=TIME
            )
            self.fields[f"closes_{day}"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label}, required=False, widget=TIME
            )

    def weekday_rows(self) -> list[tuple[str, Any, Any]]:
        return [(str(label), self[f"opens_{day}"], self[f"closes_{day}"]) for day, label in WEEKDAYS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rules = []
        for day, _label in WEEKDAYS:
            opens, closes = data.get(f"opens_{day}"), data.get(f"closes_{day}")
            if (opens is None) != (closes is None):
                self.add_error(f"opens_{day}", _("Give both the opening and the closing time, or neither."))
            elif opens is not None:
                rules.append((day, opens, closes))
        data["rules"] = rules
        return data

    @staticmethod
    def initial_for(period: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name_fi": period.name_fi, "name_sv": period.name_sv, "name_en": period.name_en,
            "resource": period.resource_id, "start": period.start, "end": period.end, "closed": period.closed,
        }  # fmt: skip
        for rule in period.rules.all():
            initial[f"opens_{rule.weekday}"] = rule.opens
            initial[f"closes_{rule.weekday}"] = rule.closes
        return initial


class RoleForm(StaffForm):
    email = forms.EmailField(label=_("Email of the person's account"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    domain_fields = {"role": "role", "user": "email"}


class ReportForm(forms.Form):
    units = forms.MultipleChoiceField(label=_("Units"), required=False, widget=forms.CheckboxSelectMultiple)
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To (inclusive)"), widget=DATE)

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["units"]).choices = [(u.pk, str(u.name)) for u in units]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and (end < start or (end - start).days > 366):
            self.add_error("end", _("Choose a period of at most a year that ends after it starts."))
        return data


class AuditFilterForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    actor = forms.CharField(label=_("Who (email)"), required=False, max_length=100)
    action = forms.ChoiceField(label=_("What"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To (inclusive)"), required=False, widget=DATE)
    ACTIONS = [
        ("", _("Everything")),
        ("reservation.", _("Reservations")),
        ("series.", _("Series")),
        ("resource.", _("Resources")),
        ("opening_period.", _("Opening hours")),
        ("role.", _("Roles")),
        ("unit.", _("Units")),
    ]

    def __init__(self, *args: Any, units: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("All")), *[(u.pk, str(u.name)) for u in units]]
        cast(forms.ChoiceField, self.fields["action"]).choices = self.ACTIONS
