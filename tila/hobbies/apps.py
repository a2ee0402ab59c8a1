from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HobbiesConfig(AppConfig):
    name = "tila.hobbies"
    label = "hobbies"
    verbose_name = _("Hobby groups")
