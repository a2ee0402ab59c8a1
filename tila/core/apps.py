from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tila.core"
    label = "core"
    verbose_name = "Tila"
