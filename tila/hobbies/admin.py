from django.contrib import admin

from tila.hobbies.models import HobbyCategory, HobbyGroup, HobbyTime


class HobbyTimeInline(admin.TabularInline):
    model = HobbyTime
    extra = 1


@admin.register(HobbyCategory)
class HobbyCategoryAdmin(admin.ModelAdmin):
    list_display = ("id", "name_fi", "name_sv", "name_en", "order")
    list_editable = ("order",)


@admin.register(HobbyGroup)
class HobbyGroupAdmin(admin.ModelAdmin):
    list_display = ("name_fi", "category", "unit", "organiser", "season_start", "season_end", "published")
    list_filter = ("published", "category", "language", "unit__district")
    search_fields = ("name_fi", "name_sv", "name_en", "organiser")
    raw_id_fields = ("unit", "resource", "series", "created_by")
    inlines = [HobbyTimeInline]
