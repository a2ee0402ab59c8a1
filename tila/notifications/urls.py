"""Calendar feeds. Included at the site root (not under a language prefix): `path("feeds/", include(...))`."""

from django.urls import path

from tila.notifications import views

app_name = "feeds"
urlpatterns = [
    path("<str:token>/reservations.ics", views.personal, name="personal"),
    path("<str:token>/resource/<str:resource_id>.ics", views.resource, name="resource"),
]
