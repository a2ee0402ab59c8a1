from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "tila.feedback"
    label = "feedback"
    verbose_name = _("Customer feedback")

    def ready(self) -> None:
        from tila.feedback.gdpr import register_provider

        register_provider()
