from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tila.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tila.accounts.gdpr_providers import register_core_providers
        from tila.accounts.signals import reset_level_on_login

        register_core_providers()
        user_logged_in.connect(reset_level_on_login, dispatch_uid="tila.accounts.reset_level_on_login")
