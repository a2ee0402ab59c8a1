"""Forms of the survey and the staff inbox. They parse input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tila.core.errors import DomainError
from tila.feedback.models import CustomerGroup, QuestionKind, Theme, UnitQuestion
from tila.feedback.selectors import InboxFilter

SCORE_CHOICES = [(str(n), str(n)) for n in range(11)]
SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]
YES_NO_CHOICES = [("yes", _("Yes")), ("no", _("No"))]
GROUP_CHOICES = [("", _("I’d rather not say"))] + [
    (value, label) for value, label in CustomerGroup.choices if value != CustomerGroup.UNKNOWN
]


class DomainForm(forms.Form):
    """Turns a service's DomainError into an error on the field it names."""

    def add_domain_error(self, exc: DomainError) -> None:
        name = exc.field if exc.field in self.fields else None
        self.add_error(name, ValidationError(exc.message, code=exc.code))


class SurveyForm(DomainForm):
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend this place to a friend?"),
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a number from 0 to 10.")},
    )
    comment = forms.CharField(
        label=_("What would you like to tell us?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Optional. Please do not write personal details such as phone numbers."),
    )
    customer_group = forms.ChoiceField(label=_("You booked as"), choices=GROUP_CHOICES, required=False)
    birth_year = forms.IntegerField(
        label=_("Your year of birth"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Optional, for statistics by age group."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
    )

    def __init__(
        self, *args: Any, questions: list[UnitQuestion] | None = None, ask_birth_year: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not ask_birth_year:
            del self.fields["birth_year"]
        self.questions = questions or []
        for question in self.questions:
            self.fields[f"q_{question.pk}"] = _question_field(question)

    def extra_answers(self) -> dict[int, str]:
        return {q.pk: str(self.cleaned_data.get(f"q_{q.pk}") or "") for q in self.questions}

    def question_fields(self) -> list[forms.BoundField]:
        return [self[f"q_{q.pk}"] for q in self.questions]


def _question_field(question: UnitQuestion) -> forms.Field:
    label = str(question.text)
    if question.kind == QuestionKind.SCALE:
        return forms.ChoiceField(
            label=label,
            choices=SCALE_CHOICES,
            required=False,
            widget=forms.RadioSelect,
            help_text=_("1 = poor, 5 = excellent"),
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(label=label, choices=YES_NO_CHOICES, required=False, widget=forms.RadioSelect)
    return forms.CharField(label=label, required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class InboxFilterForm(forms.Form):
    hide_optional = True  # every filter is optional; the resident app's field tag need not say so
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    handled = forms.ChoiceField(
        label=_("Handled"),
        required=False,
        choices=[("", _("All")), ("no", _("Not handled")), ("yes", _("Handled"))],
    )
    category = forms.ChoiceField(
        label=_("Score"),
        required=False,
        choices=[
            ("", _("All")),
            ("detractor", _("0–6 (detractors)")),
            ("passive", _("7–8 (passives)")),
            ("promoter", _("9–10 (promoters)")),
        ],
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    text = forms.CharField(label=_("Words in the comment"), required=False, max_length=100)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("All units")), *units]  # type: ignore[attr-defined]
        themes = [(t.pk, str(t.name)) for t in Theme.objects.filter(active=True)]
        self.fields["theme"].choices = [("", _("All themes")), *themes]  # type: ignore[attr-defined]

    def filters(self) -> InboxFilter:
        if not self.is_valid():
            return InboxFilter()
        data = self.cleaned_data
        return InboxFilter(
            unit_id=data["unit"] or "",
            theme=data["theme"] or "",
            handled=data["handled"] or "",
            category=data["category"] or "",
            since=data["since"],
            until=data["until"],
            text=(data["text"] or "").strip(),
        )


class ResponseUpdateForm(forms.Form):
    themes = forms.MultipleChoiceField(label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple)
    handled = forms.BooleanField(label=_("Handled"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = [  # type: ignore[attr-defined]
            (t.pk, str(t.name)) for t in Theme.objects.filter(active=True)
        ]
