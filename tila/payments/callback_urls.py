"""Callbacks from payment services, wired outside i18n_patterns as path("payments/callback/", ...)."""

from django.urls import path

from tila.payments.views import callbacks

app_name = "payments_callback"
urlpatterns = [
    path("<slug:provider>/", callbacks.payment_callback, name="payment"),
    path("<slug:provider>/refund/", callbacks.refund_callback, name="refund"),
]
