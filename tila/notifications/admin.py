from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template import Engine, TemplateSyntaxError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tila.notifications.defaults import default_template
from tila.notifications.models import CalendarFeedToken, EmailTemplate, OutboundEmail, SendState
from tila.notifications.services import email_preview

HELP = _(
    "Django template syntax. Variables: name, resource, unit, unit_address, unit_email, unit_phone, date, "
    "time, when, subject, state, reason, message, url; for series also occurrence_count, occurrences, "
    "skipped (each with when and reason), weekdays, first, last. Delete the template to use the built-in one."
)


class EmailTemplateForm(forms.ModelForm):
    class Meta:
        model = EmailTemplate
        fields = ["event", "language", "subject", "body_text", "body_html"]
        help_texts = {"body_text": HELP}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        engine = Engine()
        for name in ("subject", "body_text", "body_html"):
            try:
                engine.from_string(data.get(name) or "")
            except TemplateSyntaxError as exc:
                self.add_error(name, str(exc))
        return data


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin):
    form = EmailTemplateForm
    list_display = ("event", "language", "subject", "modified_at")
    list_filter = ("event", "language")
    readonly_fields = ("preview",)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        initial = super().get_changeform_initial_data(request)
        event, language = request.GET.get("event"), request.GET.get("language")
        if event and language:
            try:
                subject, text, html = default_template(event, language)
            except KeyError:
                return initial
            initial.update(subject=subject, body_text=text, body_html=html)
        return initial

    @admin.display(description=_("Preview with sample data"))
    def preview(self, obj: EmailTemplate) -> str:
        if obj.pk is None:
            return "–"
        rendered = email_preview(event=obj.event, language=obj.language)
        return format_html(
            "<strong>{}</strong><pre style='white-space:pre-wrap'>{}</pre>", rendered.subject, rendered.text
        )


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "to", "language", "state", "attempts", "sent_at")
    list_filter = ("state", "event", "language")
    search_fields = ("to", "subject")
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send again now"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        ids = list(queryset.exclude(state=SendState.SENT).values_list("pk", flat=True))
        OutboundEmail.objects.filter(pk__in=ids).update(  # due now: the relay sends them
            state=SendState.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
        self.message_user(request, _("%(count)s emails queued.") % {"count": len(ids)}, messages.SUCCESS)


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at")
    search_fields = ("user__email",)
    readonly_fields = ("user", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
