from django.urls import path

from tila.api import auth, hours, reservations, resources, search, units, vocabulary
from tila.api.base import api

for module in (units, resources, vocabulary, hours, reservations, search, auth):
    api.add_router("/", module.router)

urlpatterns = [path("v1/", api.urls)]
