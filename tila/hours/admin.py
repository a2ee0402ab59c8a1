from django.contrib import admin

from tila.hours.models import OpeningPeriod, WeeklyRule
from tila.hours.services import hours_materialise, opening_period_rematerialise


class WeeklyRuleInline(admin.TabularInline):
    model = WeeklyRule
    extra = 0


@admin.register(OpeningPeriod)
class OpeningPeriodAdmin(admin.ModelAdmin):
    list_display = ("__str__", "unit", "resource", "start", "end", "closed")
    list_filter = ("closed", "unit")
    search_fields = ("name_fi", "unit__name_fi", "resource__name_fi")
    autocomplete_fields = ("unit", "resource")
    inlines = [WeeklyRuleInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        first = form.initial.get("start") if change else None
        start = form.instance.start
        opening_period_rematerialise(period=form.instance, first=min(first, start) if first else start)

    def delete_model(self, request, obj):
        resource_ids = [obj.resource_id] if obj.resource_id else list(obj.unit.resources.values_list("id", flat=True))
        start = obj.start
        super().delete_model(request, obj)
        hours_materialise(resource_ids=resource_ids, first=start)
