from django.contrib import admin

from tila.booking.models import DenyReason, ReservationSeries


@admin.register(DenyReason)
class DenyReasonAdmin(admin.ModelAdmin):
    list_display = ("text_fi", "text_sv", "text_en", "active", "order")
    list_editable = ("active", "order")
    fields = ("text_fi", "text_sv", "text_en", "active", "order")


@admin.register(ReservationSeries)
class ReservationSeriesAdmin(admin.ModelAdmin):
    list_display = ("id", "resource", "user", "start_date", "until_date", "count", "begin_time", "end_time", "state")
    list_filter = ("state", "type", "resource__unit")
    raw_id_fields = ("resource", "user", "created_by")
    readonly_fields = [f.name for f in ReservationSeries._meta.fields]

    def has_add_permission(self, request):
        return False  # series are made in the staff workspace or the API, through the engine

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
