"""tila.urls plus the calendar feeds, until the lead includes tila.notifications.urls in tila/urls.py."""

from django.urls import include, path

from tila.urls import urlpatterns as site

urlpatterns = list(site)
if not any(getattr(p, "namespace", None) == "feeds" for p in site):
    urlpatterns.insert(0, path("feeds/", include("tila.notifications.urls")))
