from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from tila.accounts.models import AuthToken, ExternalIdentity, TrustedApplication, UnitRole, User


class ExternalIdentityInline(admin.TabularInline):
    model = ExternalIdentity
    extra = 0
    can_delete = False
    readonly_fields = ("issuer", "subject", "created_at", "last_login_at", "last_level")

    def has_add_permission(self, request, obj=None):
        return False


class TrustedApplicationInline(admin.TabularInline):
    """Shown, not edited: only the person changes the list (/v1/user/trusted_applications/)."""

    model = TrustedApplication
    extra = 0
    readonly_fields = ("client_id", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


class UnitRoleInline(admin.TabularInline):
    model = UnitRole
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "name", "preferred_language", "is_active", "is_superuser", "date_joined")
    list_filter = ("is_active", "is_superuser", "preferred_language")
    search_fields = ("email", "name", "uuid")
    readonly_fields = ("uuid", "last_login", "date_joined", "retention_notice_sent_at", "anonymised_at")
    fieldsets = (
        (None, {"fields": ("email", "password", "uuid")}),
        (_("Personal details"), {"fields": ("name", "preferred_language")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined", "retention_notice_sent_at", "anonymised_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)
    inlines = [UnitRoleInline, ExternalIdentityInline, TrustedApplicationInline]


@admin.register(UnitRole)
class UnitRoleAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "unit_group")
    list_filter = ("role",)
    autocomplete_fields = ("user", "unit")


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at", "expires_at")
    readonly_fields = ("user", "digest", "created_at", "last_used_at")
