"""Wired outside the language prefix: path("gdpr-api/v1/", include("tila.accounts.gdpr_urls"))."""

from django.urls import path

from tila.accounts import gdpr_api

app_name = "gdpr"
urlpatterns = [
    path("profiles/<uuid:pk>", gdpr_api.profile, name="profile"),
    path("profiles/<uuid:pk>/", gdpr_api.profile, name="profile_slash"),
]
