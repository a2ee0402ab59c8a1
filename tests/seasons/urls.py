"""The project's URLs with the seasonal pages and API included, until the lead wires them.

Once tila/urls.py includes "seasons/" and tila/api/urls.py mounts tila.api.seasons.router, this module
adds nothing and the tests run against the project's own URLs.
"""

from django.conf.urls.i18n import i18n_patterns
from django.urls import URLResolver, include, path
from ninja import NinjaAPI

from tila.api import seasons as seasons_api
from tila.api.base import ApiJSONRenderer, StrictJSONParser, api
from tila.urls import urlpatterns as project


def _has_seasons(patterns: list) -> bool:
    for p in patterns:
        if isinstance(p, URLResolver) and (p.namespace == "seasons" or _has_seasons(p.url_patterns)):
            return True
    return False


urlpatterns = list(project)
if not _has_seasons(urlpatterns):
    urlpatterns = (
        i18n_patterns(path("seasons/", include("tila.seasons.urls")), prefix_default_language=True) + urlpatterns
    )
if not any(router is seasons_api.router for _, router in api._routers):
    test_api = NinjaAPI(
        title="Tila API (seasons, tests)",
        urls_namespace="seasons_test_api",
        renderer=ApiJSONRenderer(),
        parser=StrictJSONParser(),
        docs_url=None,
        openapi_url=None,
    )
    test_api._exception_handlers.update(api._exception_handlers)
    test_api.add_router("/", seasons_api.router)
    urlpatterns = [path("v1/", test_api.urls), *urlpatterns]
