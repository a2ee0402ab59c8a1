from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SeasonsConfig(AppConfig):
    name = "tila.seasons"
    label = "seasons"
    verbose_name = _("Seasonal allocation")

    def ready(self) -> None:
        from tila.seasons.gdpr import register_provider

        register_provider()
