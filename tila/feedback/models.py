"""Customer feedback: one short survey per ended reservation, and public per-unit links.

A `Response` is one answer to "How likely are you to recommend …" (0–10) with an optional comment,
optional answers to the unit's own questions and the customer group it was given in. An answer to
a reservation's survey names the reservation, and the database allows one answer per reservation
(a one-to-one column). Answers through a unit's public link or QR code have no reservation; a
`PublicAnswerMark` (a salted hash of the browser's signed cookie, never the cookie or an address)
allows one such answer per browser, unit and day, and counts recent answers per client for the
rate limit. Staff read the comments in an inbox, tag them with themes and mark them handled.

NPS arithmetic is in `tila.feedback.nps`; the per-dimension figures in `tila.feedback.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Language
from tila.core.i18n import TranslatedField


class Source(models.TextChoices):
    RESERVATION = "reservation", _("After a reservation")
    PUBLIC_LINK = "public_link", _("Public link or QR code")


class CustomerGroup(models.TextChoices):
    PRIVATE = "private", _("Private person")
    ASSOCIATION = "association", _("Association or club")
    COMPANY = "company", _("Company")
    PUBLIC_BODY = "public_body", _("School or other public body")
    UNKNOWN = "unknown", _("Not known")


class BookerProfile(models.Model):
    """What a resident chose to tell for statistics: year of birth and customer group (both optional).

    Kept here rather than on `accounts.User`: it is statistical, optional and asked in the survey."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="booker_profile",
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    customer_group = models.CharField(
        _("customer group"), max_length=16, choices=CustomerGroup.choices, default=CustomerGroup.UNKNOWN
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("booker profile")
        verbose_name_plural = _("booker profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="bookerprofile_birth_year_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.birth_year or '–'} {self.customer_group}"


class Theme(models.Model):
    """A theme staff tag comments with (cleanliness, booking, equipment …)."""

    id = models.SlugField(_("id"), max_length=50, primary_key=True)
    name = TranslatedField(models.CharField, max_length=100, verbose_name=_("name"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("feedback theme")
        verbose_name_plural = _("feedback themes")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return str(self.name)


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Scale 1–5")
    YES_NO = "yes_no", _("Yes or no")
    TEXT = "text", _("Free text")


class UnitQuestion(models.Model):
    """An optional extra question a unit adds to its surveys (always optional to answer)."""

    unit = models.ForeignKey(
        "catalogue.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="feedback_questions"
    )
    text = TranslatedField(models.CharField, max_length=300, verbose_name=_("question"))
    kind = models.CharField(_("kind of answer"), max_length=8, choices=QuestionKind.choices, default=QuestionKind.SCALE)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("unit question")
        verbose_name_plural = _("unit questions")
        ordering = ["unit_id", "order", "id"]

    def __str__(self) -> str:
        return str(self.text)


class Response(models.Model):
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    reservation = models.OneToOneField(
        "booking.Reservation",
        verbose_name=_("reservation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    unit = models.ForeignKey(
        "catalogue.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="feedback_responses"
    )
    resource = models.ForeignKey(
        "catalogue.Resource",
        verbose_name=_("resource"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_responses",
    )
    score = models.PositiveSmallIntegerField(_("likelihood to recommend (0–10)"))
    comment = models.TextField(_("comment"), blank=True, default="")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FI)
    customer_group = models.CharField(
        _("customer group"), max_length=16, choices=CustomerGroup.choices, default=CustomerGroup.UNKNOWN
    )
    created_at = models.DateTimeField(_("answered at"), db_index=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="responses")
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("feedback answer")
        verbose_name_plural = _("feedback answers")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0, score__lte=10), name="response_score_0_10"),
            models.CheckConstraint(
                condition=Q(source="public_link", reservation__isnull=True) | Q(source="reservation"),
                name="response_public_has_no_reservation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.score} ({self.created_at:%Y-%m-%d})"


class QuestionAnswer(models.Model):
    response = models.ForeignKey(Response, verbose_name=_("answer"), on_delete=models.CASCADE, related_name="extra")
    question = models.ForeignKey(UnitQuestion, verbose_name=_("question"), on_delete=models.CASCADE, related_name="+")
    value = models.CharField(_("value"), max_length=1000)

    class Meta:
        verbose_name = _("answer to a unit question")
        verbose_name_plural = _("answers to unit questions")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="questionanswer_unique")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value[:40]}"


class SurveyInvitation(models.Model):
    """The survey of one reservation was offered by email (at most once: one row per reservation)."""

    reservation = models.OneToOneField(
        "booking.Reservation", verbose_name=_("reservation"), on_delete=models.CASCADE, related_name="survey_invitation"
    )
    to = models.EmailField(_("to"), blank=True, default="")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FI)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.reservation_id} → {self.to}"


class PublicAnswerMark(models.Model):
    """A public-link answer was given from one browser to one unit on one day (hashes only)."""

    unit = models.ForeignKey("catalogue.Unit", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    browser_digest = models.CharField(max_length=64)
    client_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day", "browser_digest"], name="publicanswermark_once_a_day")
        ]
        indexes = [models.Index(fields=["client_digest", "created_at"])]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}"
