from django.contrib import admin

from tila.insight.models import AnnouncedResource, Indicator, IndicatorValue, ManagementAccess, PopulationFigure


@admin.register(ManagementAccess)
class ManagementAccessAdmin(admin.ModelAdmin):
    list_display = ("user", "note", "granted_at")
    raw_id_fields = ("user",)
    search_fields = ("user__email", "user__name", "note")


@admin.register(PopulationFigure)
class PopulationFigureAdmin(admin.ModelAdmin):
    list_display = ("district", "year", "age_group", "population")
    list_filter = ("year", "age_group", "district")


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0
    raw_id_fields = ("unit", "district")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("id", "name_fi", "granularity", "public", "order")
    list_editable = ("public", "order")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = ("indicator", "period", "unit", "district", "segment", "value")
    list_filter = ("indicator",)
    raw_id_fields = ("unit", "district")
    date_hierarchy = "period"


@admin.register(AnnouncedResource)
class AnnouncedResourceAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "unit", "announced_on", "expected_on", "resource", "withdrawn_on")
    raw_id_fields = ("unit", "resource")
