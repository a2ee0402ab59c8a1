from django.urls import path

from tila.api import (
    auth,
    hobbies,
    hours,
    indicators,
    orders,
    reservations,
    resources,
    search,
    seasons,
    series,
    units,
    user_settings,
    vocabulary,
)
from tila.api.base import api

ROUTERS = (
    units,
    resources,
    vocabulary,
    hours,
    reservations,
    series,
    seasons,
    orders,
    search,
    auth,
    indicators,
    hobbies,
    user_settings,
)
for module in ROUTERS:
    api.add_router("/", module.router)

urlpatterns = [path("v1/", api.urls)]
