from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "tila.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from tila.payments.gdpr import register_provider

        register_provider()
