"""Tila's URLs plus the identity routes, for as long as tila/urls.py does not include them yet
(the lead wires `auth/oidc/` and `gdpr-api/v1/`; see var/wiring-requests.txt). Once wired, this is
exactly tila.urls."""

from django.urls import NoReverseMatch, include, path, reverse

from tila.urls import urlpatterns as tila_urlpatterns

urlpatterns = list(tila_urlpatterns)


def _wired(name: str, **kwargs: object) -> bool:
    try:
        reverse(name, urlconf="tila.urls", kwargs=kwargs or None)
    except NoReverseMatch:
        return False
    return True


if not _wired("oidc:login"):
    urlpatterns.insert(0, path("auth/oidc/", include("tila.accounts.urls")))
if not _wired("gdpr:profile", pk="00000000-0000-0000-0000-000000000000"):
    urlpatterns.insert(0, path("gdpr-api/v1/", include("tila.accounts.gdpr_urls")))
