from django.contrib import admin

from tila.feedback.models import BookerProfile, Response, SurveyInvitation, Theme, UnitQuestion


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("id", "name_fi", "name_sv", "name_en", "order", "active")
    list_editable = ("order", "active")


@admin.register(UnitQuestion)
class UnitQuestionAdmin(admin.ModelAdmin):
    list_display = ("unit", "text_fi", "kind", "order", "active")
    list_filter = ("kind", "active")
    raw_id_fields = ("unit",)


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("created_at", "unit", "resource", "score", "source", "customer_group", "handled_at")
    list_filter = ("source", "customer_group", "language", "unit")
    search_fields = ("comment",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "source",
        "reservation",
        "unit",
        "resource",
        "score",
        "comment",
        "language",
        "customer_group",
        "created_at",
        "handled_at",
        "handled_by",
    )
    filter_horizontal = ("themes",)

    def has_add_permission(self, request):
        return False  # answers come from residents only


@admin.register(SurveyInvitation)
class SurveyInvitationAdmin(admin.ModelAdmin):
    list_display = ("reservation", "to", "language", "created_at", "sent_at", "last_error")
    readonly_fields = ("reservation", "to", "language", "created_at", "sent_at", "last_error")


@admin.register(BookerProfile)
class BookerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "birth_year", "customer_group", "updated_at")
    raw_id_fields = ("user",)
