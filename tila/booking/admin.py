from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from tila.booking.models import Reservation
from tila.booking.services import reservation_approve, reservation_cancel
from tila.core.errors import DomainError


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ("id", "resource", "begin", "end", "state", "type", "user", "event_subject")
    list_filter = ("state", "type", "resource__unit")
    search_fields = ("event_subject", "reserver_name", "reserver_email", "user__email", "resource__name_fi")
    date_hierarchy = "begin"
    raw_id_fields = ("user", "resource", "created_by", "handled_by")
    actions = ["approve", "cancel"]
    readonly_fields = (
        "resource",
        "begin",
        "end",
        "state",
        "type",
        "user",
        "created_by",
        "handled_by",
        "handled_at",
        "cancelled_at",
        "created_at",
        "modified_at",
    )

    def has_add_permission(self, request):
        return False  # reservations are made through the booking engine (pages, staff workspace, API)

    def has_delete_permission(self, request, obj=None):
        return False  # history is kept; cancel instead

    def _apply(self, request, queryset, service, done):
        ok = 0
        for reservation in queryset:
            try:
                service(actor=request.user, reservation=reservation)
                ok += 1
            except DomainError as exc:
                self.message_user(request, f"{reservation}: {exc.message}", messages.ERROR)
        if ok:
            self.message_user(request, done % {"count": ok}, messages.SUCCESS)

    @admin.action(description=_("Approve selected requests"))
    def approve(self, request, queryset):
        self._apply(request, queryset, reservation_approve, _("%(count)s reservations approved."))

    @admin.action(description=_("Cancel selected reservations"))
    def cancel(self, request, queryset):
        self._apply(request, queryset, reservation_cancel, _("%(count)s reservations cancelled."))
