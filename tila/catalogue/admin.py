from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tila.catalogue import models
from tila.catalogue.services import resource_parent_check, resource_tree_changed
from tila.core.errors import DomainError
from tila.security.uploads import validate_image_upload


@admin.register(models.District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("id", "name_fi", "name_sv", "name_en", "municipality")
    search_fields = ("id", "name_fi", "name_sv", "name_en")


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("id", "name_fi", "district", "municipality")
    list_filter = ("district", "municipality")
    search_fields = ("id", "name_fi", "name_sv", "name_en")


@admin.register(models.UnitGroup)
class UnitGroupAdmin(admin.ModelAdmin):
    list_display = ("name_fi",)
    filter_horizontal = ("units",)


@admin.register(models.ResourceType)
class ResourceTypeAdmin(admin.ModelAdmin):
    list_display = ("id", "main_type", "name_fi", "name_sv", "name_en")


@admin.register(models.Purpose)
class PurposeAdmin(admin.ModelAdmin):
    list_display = ("id", "name_fi", "parent")
    search_fields = ("id", "name_fi", "name_sv", "name_en")


@admin.register(models.Equipment)
class EquipmentAdmin(admin.ModelAdmin):
    list_display = ("id", "name_fi", "category_fi")
    search_fields = ("id", "name_fi", "name_sv", "name_en")


class ResourceImageForm(forms.ModelForm):
    url = forms.URLField(label=_("external address"), required=False, assume_scheme="https")

    class Meta:
        model = models.ResourceImage
        fields = "__all__"  # noqa: DJ007 — the admin edits every field

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload, not the stored file
            validate_image_upload(image)
        return image


class ImageInline(admin.TabularInline):
    model = models.ResourceImage
    form = ResourceImageForm
    extra = 0


class AccessibilityInline(admin.StackedInline):
    model = models.AccessibilitySentence
    extra = 0


class ResourceAdminForm(forms.ModelForm):
    class Meta:
        model = models.Resource
        fields = "__all__"  # noqa: DJ007 — the admin edits every field

    def clean(self):
        data = super().clean()
        if data.get("unit") is not None:
            candidate = self.instance
            candidate.unit = data["unit"]
            try:
                resource_parent_check(resource=candidate, parent=data.get("parent"))
            except DomainError as exc:
                raise ValidationError({"parent": exc.message}, code=exc.code) from exc
        return data


@admin.register(models.Resource)
class ResourceAdmin(admin.ModelAdmin):
    form = ResourceAdminForm
    list_display = ("id", "name_fi", "unit", "type", "parent", "reservable", "public")
    list_filter = ("type", "reservable", "public", "unit__district")
    search_fields = ("id", "name_fi", "name_sv", "name_en", "unit__name_fi")
    filter_horizontal = ("purposes", "equipment")
    autocomplete_fields = ("unit", "parent")
    inlines = [ImageInline, AccessibilityInline]

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            old_parent = models.Resource.objects.filter(pk=obj.pk).values_list("parent_id", flat=True).first()
            super().save_model(request, obj, form, change)
            if not change or old_parent != obj.parent_id:
                resource_tree_changed(resource_ids=[rid for rid in (obj.pk, old_parent) if rid])
