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
    series,
    units,
    vocabulary,
)
from tila.api.base import api

for module in (units, resources, vocabulary, hours, reservations, series, orders, search, auth, indicators, hobbies):
    api.add_router("/", module.router)

urlpatterns = [path("v1/", api.urls)]
