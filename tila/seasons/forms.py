"""Forms of the seasonal pages. They parse input into the services' data classes; the services
decide, and their `DomainError` comes back as an error on the field it names."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Language
from tila.catalogue.models import District, Purpose, Resource
from tila.core.errors import DomainError
from tila.core.finnish import is_valid_business_id
from tila.core.timeutil import get_zone
from tila.hours.models import Weekday
from tila.seasons import services
from tila.seasons.allocation import SOLVERS
from tila.seasons.models import AgeGroup, ApplicantType, Application, ApplicationRound, ApplicationSection, Priority

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
TEXT_AREA = forms.Textarea(attrs={"rows": 3})
WEEKDAYS = [(d.value, d.label) for d in Weekday]
DURATIONS = [(m, f"{m // 60}:{m % 60:02d}") for m in range(30, 12 * 60 + 1, 15)]


class SeasonForm(forms.Form):
    """Turns a service's DomainError into an error on the right field (or above the form)."""

    domain_fields: dict[str, str] = {}

    def add_domain_error(self, exc: DomainError) -> None:
        if getattr(self, "_errors", None) is None:
            self.full_clean()
        if not hasattr(self, "cleaned_data"):
            self.cleaned_data = {}
        name = self.domain_fields.get(exc.field or "", exc.field or "")
        self.add_error(name if name in self.fields else None, ValidationError(exc.message, code=exc.code))

    def error_codes(self) -> set[str]:
        return {e.code or "" for errors in self.errors.as_data().values() for e in errors}

    def _choices(self, name: str, choices: Any) -> None:
        cast(forms.ChoiceField, self.fields[name]).choices = choices


class ResourceChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.unit.name} – {obj.name}"


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class NamedMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        return value.replace(tzinfo=get_zone(None))
    return value


# -- Staff: rounds ---------------------------------------------------------------------------


class RoundForm(SeasonForm):
    name_fi = forms.CharField(label=_("Name in Finnish"), max_length=200)
    name_sv = forms.CharField(label=_("Name in Swedish"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    description_fi = forms.CharField(label=_("Description in Finnish"), required=False, widget=TEXT_AREA)
    description_sv = forms.CharField(label=_("Description in Swedish"), required=False, widget=TEXT_AREA)
    description_en = forms.CharField(label=_("Description in English"), required=False, widget=TEXT_AREA)
    season_begin = forms.DateField(label=_("The season begins"), widget=DATE)
    season_end = forms.DateField(label=_("The season ends"), widget=DATE)
    application_begin = forms.DateTimeField(label=_("Applications from"), widget=DATETIME)
    application_end = forms.DateTimeField(label=_("Applications until"), widget=DATETIME)
    slot_minutes = forms.TypedChoiceField(
        label=_("Time grid"),
        coerce=int,
        choices=[(m, _("%(minutes)s minutes") % {"minutes": m}) for m in services.SLOT_CHOICES],
        initial=30,
        help_text=_("Allocated times begin and end on this grid."),
    )
    resources = ResourceChoice(
        label=_("Resources"), queryset=Resource.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    purposes = NamedMultipleChoice(
        label=_("Purposes applicants choose from"),
        queryset=Purpose.objects.all(),
        required=False,
        help_text=_("Leave empty to offer every purpose."),
    )
    domain_fields = {"name": "name_fi"}

    def __init__(self, *args: Any, resources: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["resources"]).queryset = resources

    def data_for_service(self) -> services.RoundData:
        d = self.cleaned_data
        return services.RoundData(
            name={lang: d.get(f"name_{lang}") or "" for lang in ("fi", "sv", "en")},
            description={lang: d.get(f"description_{lang}") or "" for lang in ("fi", "sv", "en")},
            season_begin=d["season_begin"],
            season_end=d["season_end"],
            application_begin=cast(dt.datetime, _aware(d["application_begin"])),
            application_end=cast(dt.datetime, _aware(d["application_end"])),
            slot_minutes=d["slot_minutes"],
            resources=list(d["resources"]),
            purposes=list(d.get("purposes") or []),
        )

    @staticmethod
    def initial_for(round: ApplicationRound) -> dict[str, Any]:
        zone = get_zone(None)
        values: dict[str, Any] = {
            "season_begin": round.season_begin,
            "season_end": round.season_end,
            "application_begin": round.application_begin.astimezone(zone).replace(tzinfo=None),
            "application_end": round.application_end.astimezone(zone).replace(tzinfo=None),
            "slot_minutes": round.slot_minutes,
            "resources": list(round.resources.all()),
            "purposes": list(round.purposes.all()),
        }
        for lang in ("fi", "sv", "en"):
            values[f"name_{lang}"] = getattr(round, f"name_{lang}")
            values[f"description_{lang}"] = getattr(round, f"description_{lang}")
        return values


class WeightsForm(SeasonForm):
    """The round's equity weights: one number per age group and per district (1 = neutral)."""

    def __init__(self, *args: Any, round: ApplicationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {(w.age_group_id, w.district_id): w.weight for w in round.equity_weights.all()}
        self.age_fields: list[str] = []
        self.district_fields: list[str] = []
        for group in AgeGroup.objects.all():
            name = f"age_{group.pk}"
            self.fields[name] = self._number(str(group.name), current.get((group.pk, None), Decimal(1)))
            self.age_fields.append(name)
        for district in District.objects.all():
            name = f"district_{district.pk}"
            self.fields[name] = self._number(str(district.name), current.get((None, district.pk), Decimal(1)))
            self.district_fields.append(name)

    @staticmethod
    def _number(label: str, initial: Decimal) -> forms.DecimalField:
        return forms.DecimalField(
            label=label,
            min_value=Decimal("0.01"),
            max_value=Decimal(100),
            max_digits=6,
            decimal_places=3,
            initial=initial.normalize(),
            widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
        )

    def age_groups(self) -> dict[int, Decimal]:
        return {int(n.split("_", 1)[1]): self.cleaned_data[n] for n in self.age_fields}

    def districts(self) -> dict[str, Decimal]:
        return {n.split("_", 1)[1]: self.cleaned_data[n] for n in self.district_fields}

    def age_bound(self) -> list[forms.BoundField]:
        return [self[n] for n in self.age_fields]

    def district_bound(self) -> list[forms.BoundField]:
        return [self[n] for n in self.district_fields]


class RunForm(SeasonForm):
    solver = forms.ChoiceField(
        label=_("Allocator"),
        choices=[
            (s, _("CP-SAT (optimal)") if s == "cpsat" else _("Greedy (first come, first served)")) for s in SOLVERS
        ],
        initial="cpsat",
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"), min_value=1, max_value=600, initial=60,
        help_text=_("The allocator stops at this limit with the best timetable found."),
    )  # fmt: skip
    seed = forms.IntegerField(label=_("Random seed"), min_value=0, max_value=2**31 - 1, initial=0, required=False)


class AllocationForm(SeasonForm):
    """A decision made or changed by hand."""

    resource = forms.ChoiceField(label=_("Space"))
    weekday = forms.TypedChoiceField(label=_("Weekday"), coerce=int, choices=WEEKDAYS)
    begin = forms.TimeField(label=_("Begins"), widget=TIME)
    end = forms.TimeField(label=_("Ends"), widget=TIME)

    def __init__(self, *args: Any, round: ApplicationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        resources = round.resources.select_related("unit").order_by("unit__name_fi", "name_fi")
        self._choices("resource", [(r.pk, f"{r.unit.name} – {r.name}") for r in resources])


class RejectSectionForm(SeasonForm):
    reason = forms.CharField(
        label=_("Reason (the applicant sees it)"), max_length=500, required=False, widget=TEXT_AREA
    )


class SectionWeightForm(SeasonForm):
    weight = forms.DecimalField(
        label=_("Weight factor"), min_value=Decimal("0.01"), max_value=Decimal(100), decimal_places=3, max_digits=6
    )


# -- Residents: applications ------------------------------------------------------------------


class ApplicantForm(SeasonForm):
    applicant_type = forms.ChoiceField(
        label=_("Who is applying?"), choices=ApplicantType.choices, widget=forms.RadioSelect
    )
    organisation_name = forms.CharField(label=_("Name of the association"), max_length=200, required=False)
    business_id = forms.CharField(
        label=_("Business ID"),
        max_length=9,
        required=False,
        help_text=_("For example 1234567-8. Associations only."),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact email"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)
    home_district = NamedChoice(
        label=_("Home district"),
        queryset=District.objects.all(),
        required=False,
        help_text=_("Where the group's members mostly live."),
    )
    language = forms.ChoiceField(label=_("Language of the decision"), choices=Language.choices)
    additional_information = forms.CharField(
        label=_("Additional information"), required=False, max_length=4000, widget=TEXT_AREA
    )

    def clean_business_id(self) -> str:
        value = (self.cleaned_data.get("business_id") or "").strip()
        if value and not is_valid_business_id(value):
            raise ValidationError(
                _("This is not a valid business ID: write it as 1234567-8 with the right check digit."),
                code="invalid_business_id",
            )
        return value

    def data_for_service(self) -> services.ApplicantData:
        d = self.cleaned_data
        return services.ApplicantData(
            applicant_type=d["applicant_type"],
            organisation_name=d.get("organisation_name") or "",
            business_id=d.get("business_id") or "",
            contact_name=d.get("contact_name") or "",
            contact_email=d.get("contact_email") or "",
            contact_phone=d.get("contact_phone") or "",
            home_district=d.get("home_district"),
            additional_information=d.get("additional_information") or "",
            language=d["language"],
        )

    @staticmethod
    def initial_for(application: Application) -> dict[str, Any]:
        return {
            "applicant_type": application.applicant_type,
            "organisation_name": application.organisation_name,
            "business_id": application.business_id,
            "contact_name": application.contact_name,
            "contact_email": application.contact_email,
            "contact_phone": application.contact_phone,
            "home_district": application.home_district_id,
            "language": application.language,
            "additional_information": application.additional_information,
        }


PRIORITIES = (Priority.PRIMARY, Priority.SECONDARY)
CHOICES = 3


class SectionForm(SeasonForm):
    """One group's need: sizes, durations, preferred spaces (1st–3rd) and, per weekday, one primary
    and one secondary time range."""

    name = forms.CharField(
        label=_("Name of the group"), max_length=200, help_text=_("For example “Girls’ floorball, under 12”.")
    )
    purpose = NamedChoice(label=_("Purpose"), queryset=Purpose.objects.none(), required=False)
    age_group = NamedChoice(label=_("Age group"), queryset=AgeGroup.objects.all(), required=False)
    participants = forms.IntegerField(label=_("Number of participants"), min_value=1, max_value=100_000)
    times_per_week = forms.TypedChoiceField(
        label=_("Times a week"), coerce=int, choices=[(n, str(n)) for n in range(1, 8)], initial=1
    )
    min_minutes = forms.TypedChoiceField(
        label=_("Shortest duration (h:min)"), coerce=int, choices=DURATIONS, initial=60
    )
    max_minutes = forms.TypedChoiceField(label=_("Longest duration (h:min)"), coerce=int, choices=DURATIONS, initial=90)
    domain_fields = {"resources": "resource_1", "suitable": "__all__"}

    def __init__(self, *args: Any, round: ApplicationRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = round.purposes.all()
        cast(forms.ModelChoiceField, self.fields["purpose"]).queryset = (
            offered if offered.exists() else Purpose.objects.all()
        )
        resources = [("", _("(none)"))] + [
            (r.pk, f"{r.unit.name} – {r.name}")
            for r in round.resources.select_related("unit").order_by("unit__name_fi", "name_fi")
        ]
        for n in range(1, CHOICES + 1):
            self.fields[f"resource_{n}"] = forms.ChoiceField(
                label=_("Space, choice %(n)s") % {"n": n}, choices=resources, required=n == 1
            )
        for day in range(7):
            for priority in PRIORITIES:
                for end in ("from", "to"):
                    self.fields[f"{priority}_{end}_{day}"] = forms.TimeField(
                        label=_time_label(day, priority, end), required=False, widget=TIME
                    )

    def day_rows(self) -> list[dict[str, Any]]:
        """Per weekday its four time fields, for the template's table."""
        return [
            {
                "day": day,
                "label": Weekday(day).label,
                "fields": [self[f"{p}_{e}_{day}"] for p in PRIORITIES for e in ("from", "to")],
            }
            for day in range(7)
        ]

    def resource_fields(self) -> list[forms.BoundField]:
        return [self[f"resource_{n}"] for n in range(1, CHOICES + 1)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for day in range(7):
            for priority in PRIORITIES:
                begin, end = data.get(f"{priority}_from_{day}"), data.get(f"{priority}_to_{day}")
                if (begin is None) != (end is None):
                    self.add_error(f"{priority}_to_{day}", _("Give both the beginning and the end."))
                elif begin is not None and end is not None and begin >= end:
                    self.add_error(f"{priority}_to_{day}", _("The time must end after it begins."))
        return data

    def suitable(self) -> list[services.SuitableData]:
        out = []
        for day in range(7):
            for priority in PRIORITIES:
                begin = self.cleaned_data.get(f"{priority}_from_{day}")
                end = self.cleaned_data.get(f"{priority}_to_{day}")
                if begin is not None and end is not None:
                    out.append(services.SuitableData(day, begin, end, priority))
        return out

    def data_for_service(self) -> services.SectionData:
        d = self.cleaned_data
        return services.SectionData(
            name=d["name"],
            participants=d["participants"],
            times_per_week=d["times_per_week"],
            min_minutes=d["min_minutes"],
            max_minutes=d["max_minutes"],
            resources=[d[f"resource_{n}"] for n in range(1, CHOICES + 1) if d.get(f"resource_{n}")],
            suitable=self.suitable(),
            purpose=d.get("purpose"),
            age_group=d.get("age_group"),
        )

    @staticmethod
    def initial_for(section: ApplicationSection) -> dict[str, Any]:
        values: dict[str, Any] = {
            "name": section.name,
            "purpose": section.purpose_id,
            "age_group": section.age_group_id,
            "participants": section.participants,
            "times_per_week": section.times_per_week,
            "min_minutes": section.min_minutes,
            "max_minutes": section.max_minutes,
        }
        for n, option in enumerate(section.options.order_by("order", "id")[:CHOICES], 1):
            values[f"resource_{n}"] = option.resource_id
        for s in section.suitable_times.all():
            values.setdefault(f"{s.priority}_from_{s.weekday}", s.begin)
            values.setdefault(f"{s.priority}_to_{s.weekday}", s.end)
        return values


def _time_label(day: int, priority: str, end: str) -> Any:
    labels: dict[tuple[str, str], Any] = {
        (Priority.PRIMARY, "from"): _("%(day)s, best time from"),
        (Priority.PRIMARY, "to"): _("%(day)s, best time until"),
        (Priority.SECONDARY, "from"): _("%(day)s, also suitable from"),
        (Priority.SECONDARY, "to"): _("%(day)s, also suitable until"),
    }
    return labels[(priority, end)] % {"day": Weekday(day).label}
