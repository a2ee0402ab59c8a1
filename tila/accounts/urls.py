"""OpenID Connect sign-in, wired outside the language prefix (the provider knows one callback
address): path("auth/oidc/", include("tila.accounts.urls"))."""

from django.urls import path

from tila.accounts import views

app_name = "oidc"
urlpatterns = [
    path("login/", views.oidc_login, name="login"),
    path("callback/", views.oidc_callback, name="callback"),
]
