"""Seasonal application rounds, applications, allocation runs and the decisions they lead to.

An **ApplicationRound** offers a set of resources for a season (e.g. 1 September – 31 May). In its
application window, residents and associations file **Applications**, each with one or more
**ApplicationSections** (one group's weekly need: how many times a week, how long, when, where in
order of preference). Staff review them, run the allocator (**AllocationRun**, in the background),
adjust the proposal by hand, and accept it: each **Allocation** then becomes a recurring series
through the booking engine, and the applicants are told in their language.

States of a round: upcoming → open → in allocation → handled → results sent (docs/allocation.md).
The rules that fit the schema live there: weekday ranges, positive durations, minimum ≤ maximum,
1–7 times a week, at most one active run per round, at most one live decision per section and day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import Language
from tila.core.i18n import TranslatedField
from tila.core.models import TimeStampedModel


class RoundState(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open for applications")
    IN_ALLOCATION = "in_allocation", _("In allocation")
    HANDLED = "handled", _("Handled")
    RESULTS_SENT = "results_sent", _("Results sent")


class ApplicationRound(TimeStampedModel):
    """A round of seasonal applications for some resources over one season."""

    name = TranslatedField(models.CharField, max_length=200, verbose_name=_("name"))
    description = TranslatedField(models.TextField, verbose_name=_("description"))
    resources = models.ManyToManyField(
        "catalogue.Resource", verbose_name=_("resources"), related_name="application_rounds"
    )
    purposes = models.ManyToManyField(
        "catalogue.Purpose",
        verbose_name=_("purposes"),
        blank=True,
        related_name="application_rounds",
        help_text=_("The purposes applicants choose from; empty means any."),
    )
    season_begin = models.DateField(_("season begins"))
    season_end = models.DateField(_("season ends"))
    application_begin = models.DateTimeField(_("applications from"))
    application_end = models.DateTimeField(_("applications until"))
    state = models.CharField(_("state"), max_length=16, choices=RoundState.choices, default=RoundState.UPCOMING)
    slot_minutes = models.PositiveSmallIntegerField(
        _("time grid (minutes)"), default=30, help_text=_("Allocated times begin and end on this grid.")
    )
    objective = models.JSONField(
        _("objective weights"),
        default=dict,
        blank=True,
        help_text=_("Overrides of the allocation objective's weights (see docs/allocation.md)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    results_sent_at = models.DateTimeField(_("results sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application round")
        verbose_name_plural = _("application rounds")
        ordering = ["-season_begin", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(season_begin__lte=F("season_end")), name="round_season_in_order"),
            models.CheckConstraint(
                condition=Q(application_begin__lt=F("application_end")), name="round_window_in_order"
            ),
            models.CheckConstraint(condition=Q(slot_minutes__gte=5, slot_minutes__lte=120), name="round_slot_range"),
        ]

    def __str__(self) -> str:
        return str(self.name) or f"#{self.pk}"


class AgeGroup(models.Model):
    """An age group applicants choose for a section (e.g. 7–12, 13–17, adults)."""

    name = TranslatedField(models.CharField, max_length=100, verbose_name=_("name"))
    minimum = models.PositiveSmallIntegerField(_("from age"), default=0)
    maximum = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("age group")
        verbose_name_plural = _("age groups")
        ordering = ["order", "minimum", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(maximum__isnull=True) | Q(maximum__gte=F("minimum")), name="agegroup_range_in_order"
            )
        ]

    def __str__(self) -> str:
        return str(self.name)


class EquityWeight(models.Model):
    """The city's equity weight for an age group or a district in one round (data, not code).

    A section's weight in the objective is its age group's weight × its applicant's district's
    weight × the section's own factor; missing rows mean 1.0."""

    round = models.ForeignKey(
        ApplicationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="equity_weights"
    )
    age_group = models.ForeignKey(
        AgeGroup, verbose_name=_("age group"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    district = models.ForeignKey(
        "catalogue.District",
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=3, default=1)

    class Meta:
        verbose_name = _("equity weight")
        verbose_name_plural = _("equity weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(age_group__isnull=False, district__isnull=True)
                | Q(age_group__isnull=True, district__isnull=False),
                name="equityweight_age_group_xor_district",
            ),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100), name="equityweight_positive"),
            models.UniqueConstraint(fields=["round", "age_group"], name="equityweight_unique_age_group"),
            models.UniqueConstraint(fields=["round", "district"], name="equityweight_unique_district"),
        ]

    def __str__(self) -> str:
        return f"{self.age_group or self.district}: {self.weight}"


class ApplicantType(models.TextChoices):
    ASSOCIATION = "association", _("An association or other organisation")
    PERSON = "person", _("A private person")


class ApplicationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Application(TimeStampedModel):
    """One applicant's application in a round: who applies, and their sections."""

    round = models.ForeignKey(
        ApplicationRound, verbose_name=_("round"), on_delete=models.PROTECT, related_name="applications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant's account"),
        on_delete=models.CASCADE,
        related_name="season_applications",
    )
    applicant_type = models.CharField(
        _("applicant"), max_length=16, choices=ApplicantType.choices, default=ApplicantType.ASSOCIATION
    )
    organisation_name = models.CharField(_("name of the association"), max_length=200, blank=True, default="")
    business_id = models.CharField(
        _("business ID"), max_length=9, blank=True, default="", help_text=_("For example 1234567-8.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, default="")
    contact_email = models.EmailField(_("contact email"), blank=True, default="")
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True, default="")
    home_district = models.ForeignKey(
        "catalogue.District",
        verbose_name=_("home district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    additional_information = models.TextField(_("additional information"), blank=True, default="")
    language = models.CharField(
        _("language of the decision"), max_length=2, choices=Language.choices, default=Language.FI
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decision_sent_at = models.DateTimeField(_("decision sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ApplicationState.DRAFT)
                | Q(applicant_type=ApplicantType.PERSON)
                | (~Q(organisation_name="") & ~Q(business_id="")),
                name="application_association_named",
            ),
            models.CheckConstraint(
                condition=Q(state=ApplicationState.DRAFT) | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
        ]
        indexes = [models.Index(fields=["round", "state"])]

    def __str__(self) -> str:
        return self.applicant_name or f"#{self.pk}"

    @property
    def applicant_name(self) -> str:
        if self.applicant_type == ApplicantType.ASSOCIATION and self.organisation_name:
            return self.organisation_name
        return self.contact_name or getattr(self.user, "name", "") or ""

    @property
    def applicant_key(self) -> str:
        """Who the fairness term counts as one applicant: an association by its business ID (so two
        applications of one club are one applicant), a person by their account."""
        if self.applicant_type == ApplicantType.ASSOCIATION and self.business_id:
            return f"y:{self.business_id}"
        return f"user:{self.user_id}"


class ApplicationSection(models.Model):
    """One group's weekly need within an application."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="sections"
    )
    name = models.CharField(_("name of the group"), max_length=200)
    purpose = models.ForeignKey(
        "catalogue.Purpose",
        verbose_name=_("purpose"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    age_group = models.ForeignKey(
        AgeGroup, verbose_name=_("age group"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    participants = models.PositiveIntegerField(_("number of participants"))
    times_per_week = models.PositiveSmallIntegerField(_("times per week"), default=1)
    min_minutes = models.PositiveSmallIntegerField(_("shortest duration (minutes)"))
    max_minutes = models.PositiveSmallIntegerField(_("longest duration (minutes)"))
    weight = models.DecimalField(
        _("weight factor"),
        max_digits=6,
        decimal_places=3,
        default=1,
        help_text=_("Staff's own factor on top of the round's equity weights (1 = none)."),
    )
    rejected = models.BooleanField(_("rejected"), default=False)
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True, default="")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("application section")
        verbose_name_plural = _("application sections")
        ordering = ["application_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(times_per_week__gte=1, times_per_week__lte=7), name="section_times_per_week_1_7"
            ),
            models.CheckConstraint(
                condition=Q(min_minutes__gte=1, max_minutes__lte=1440, min_minutes__lte=F("max_minutes")),
                name="section_durations_in_order",
            ),
            models.CheckConstraint(condition=Q(participants__gte=1), name="section_has_participants"),
            models.CheckConstraint(condition=Q(weight__gt=0, weight__lte=100), name="section_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Priority(models.TextChoices):
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")


class SuitableTime(models.Model):
    """A weekday time range that suits a section, marked primary or secondary."""

    section = models.ForeignKey(
        ApplicationSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="suitable_times"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    begin = models.TimeField(_("from"))
    end = models.TimeField(_("to"))
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, default=Priority.PRIMARY)

    class Meta:
        verbose_name = _("suitable time")
        verbose_name_plural = _("suitable times")
        ordering = ["section_id", "weekday", "begin", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="suitabletime_weekday"),
            models.CheckConstraint(condition=Q(begin__lt=F("end")), name="suitabletime_begin_before_end"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.begin:%H:%M}–{self.end:%H:%M} ({self.priority})"


class ResourceOption(models.Model):
    """A resource the section would like, in order of preference; staff may reject one option."""

    section = models.ForeignKey(
        ApplicationSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="options"
    )
    resource = models.ForeignKey(
        "catalogue.Resource", verbose_name=_("resource"), on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(_("preference"), default=0)
    rejected = models.BooleanField(_("rejected"), default=False)

    class Meta:
        verbose_name = _("resource option")
        verbose_name_plural = _("resource options")
        ordering = ["section_id", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["section", "resource"], name="resourceoption_unique_resource"),
        ]

    def __str__(self) -> str:
        return f"{self.section_id}: {self.order}. {self.resource_id}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_RUN_STATES: tuple[str, ...] = (RunStatus.QUEUED, RunStatus.RUNNING)


class AllocationRun(models.Model):
    """One run of the allocator on a round, in the background (`tila db_worker`)."""

    round = models.ForeignKey(ApplicationRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    solver = models.CharField(_("solver"), max_length=16, default="cpsat")
    parameters = models.JSONField(_("parameters"), default=dict, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    input = models.JSONField(_("solver input"), null=True, blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    objective = models.FloatField(_("objective"), null=True, blank=True)
    bound = models.FloatField(_("bound"), null=True, blank=True)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True, default="")
    task_id = models.CharField(_("task"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(status__in=ACTIVE_RUN_STATES), name="allocationrun_one_active_per_round"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="allocationrun_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} #{self.pk} {self.status}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_RUN_STATES


class DecisionState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    LOCKED = "locked", _("Locked")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


LIVE_DECISION_STATES: tuple[str, ...] = (DecisionState.PROPOSED, DecisionState.LOCKED, DecisionState.ACCEPTED)


class Allocation(TimeStampedModel):
    """One weekly slot for a section: proposed by a run or by hand, locked, accepted or rejected by staff.

    Locked decisions survive the next run (which plans around them); rejected ones are kept for the
    record and keep the next run off that resource for that section. Accepting turns every live
    decision into a recurring series (`series`); `skipped` lists the dates that could not be booked."""

    section = models.ForeignKey(
        ApplicationSection, verbose_name=_("section"), on_delete=models.CASCADE, related_name="allocations"
    )
    resource = models.ForeignKey(
        "catalogue.Resource", verbose_name=_("resource"), on_delete=models.PROTECT, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"))
    begin = models.TimeField(_("begins"))
    end = models.TimeField(_("ends"))
    state = models.CharField(_("state"), max_length=16, choices=DecisionState.choices, default=DecisionState.PROPOSED)
    run = models.ForeignKey(
        AllocationRun,
        verbose_name=_("proposed by run"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="allocations",
    )
    series = models.ForeignKey(
        "booking.ReservationSeries",
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    skipped = models.JSONField(_("dates not booked"), default=list, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["weekday", "begin", "resource_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__gte=0, weekday__lte=6), name="allocation_weekday"),
            models.CheckConstraint(condition=Q(begin__lt=F("end")), name="allocation_begin_before_end"),
            models.UniqueConstraint(
                fields=["section", "weekday"],
                condition=Q(state__in=LIVE_DECISION_STATES),
                name="allocation_one_per_section_and_day",
            ),
        ]
        indexes = [models.Index(fields=["resource", "weekday"])]

    def __str__(self) -> str:
        return f"{self.section_id} {self.resource_id} {self.weekday} {self.begin:%H:%M}–{self.end:%H:%M}"
