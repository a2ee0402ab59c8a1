"""Admin for seasonal rounds. Age groups are vocabulary that administrators edit here; rounds,
applications and decisions change through the staff workspace (services with their rules and
audit), so the admin shows them read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tila.seasons.models import (
    AgeGroup,
    Allocation,
    AllocationRun,
    Application,
    ApplicationRound,
    ApplicationSection,
    ResourceOption,
    SuitableTime,
)


@admin.register(AgeGroup)
class AgeGroupAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "name_sv", "name_en", "minimum", "maximum", "order")
    list_editable = ("order",)


class ReadOnly(admin.ModelAdmin):
    """Shown, never edited here: the services keep the rules and the audit trail."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApplicationRound)
class ApplicationRoundAdmin(ReadOnly):
    list_display = ("name_fi", "state", "season_begin", "season_end", "application_begin", "application_end")
    list_filter = ("state",)
    search_fields = ("name_fi", "name_sv", "name_en")


class SectionInline(admin.TabularInline):
    model = ApplicationSection
    extra = 0
    fields = (
        "name",
        "purpose",
        "age_group",
        "participants",
        "times_per_week",
        "min_minutes",
        "max_minutes",
        "weight",
        "rejected",
    )
    show_change_link = True


@admin.register(Application)
class ApplicationAdmin(ReadOnly):
    list_display = (
        "id",
        "round",
        "applicant_type",
        "organisation_name",
        "business_id",
        "contact_name",
        "state",
        "submitted_at",
    )
    list_filter = ("state", "applicant_type", "round")
    search_fields = ("organisation_name", "business_id", "contact_name", "contact_email")
    raw_id_fields = ("user", "round")
    inlines = (SectionInline,)


class OptionInline(admin.TabularInline):
    model = ResourceOption
    extra = 0
    raw_id_fields = ("resource",)


class SuitableInline(admin.TabularInline):
    model = SuitableTime
    extra = 0


@admin.register(ApplicationSection)
class ApplicationSectionAdmin(ReadOnly):
    list_display = ("id", "name", "application", "times_per_week", "min_minutes", "max_minutes", "rejected")
    list_filter = ("rejected", "application__round")
    inlines = (OptionInline, SuitableInline)


@admin.register(AllocationRun)
class AllocationRunAdmin(ReadOnly):
    list_display = ("id", "round", "solver", "status", "progress", "objective", "bound", "gap", "created_at")
    list_filter = ("status", "solver")
    exclude = ("input", "result")


@admin.register(Allocation)
class AllocationAdmin(ReadOnly):
    list_display = ("id", "section", "resource", "weekday", "begin", "end", "state", "series")
    list_filter = ("state", "section__application__round")
    raw_id_fields = ("section", "resource", "run", "series", "changed_by")
