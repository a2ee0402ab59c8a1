"""The shop's pages, wired inside i18n_patterns as path("pay/", include("tila.payments.urls"))."""

from django.urls import path

from tila.payments.views import checkout, staff

app_name = "payments"
urlpatterns = [
    path("orders/", checkout.my_orders, name="my_orders"),
    path("order/<uuid:order_id>/", checkout.order_page, name="order"),
    path("order/<uuid:order_id>/cancel/", checkout.order_cancel, name="order_cancel"),
    path("order/<uuid:order_id>/subsidy/", checkout.subsidy_apply, name="subsidy"),
    path("order/<uuid:order_id>/invoice.pdf", checkout.invoice_download, name="invoice_pdf"),
    path(
        "order/<uuid:order_id>/return/<slug:provider>/<str:outcome>/",
        checkout.payment_return,
        name="return",
    ),
    path("reservation/<int:reservation_id>/", checkout.reservation_order, name="reservation_order"),
    path("staff/orders/", staff.order_list, name="staff_orders"),
    path("staff/orders/export.csv", staff.accounting_export, name="staff_export"),
    path("staff/orders/<uuid:order_id>/", staff.order_detail, name="staff_order"),
]
