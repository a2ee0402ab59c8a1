from django.urls import path

from tila.accounts import views as own_data
from tila.web.views import accounts, booking, resources, search

app_name = "web"
urlpatterns = [
    path("", search.home, name="home"),
    path("resources/<str:resource_id>/", resources.resource_detail, name="resource"),
    path("resources/<str:resource_id>/book/", booking.book, name="book"),
    path("resources/<str:resource_id>/favourite/", resources.favourite_toggle, name="favourite"),
    path("favourites/", resources.favourites, name="favourites"),
    path("reservations/", booking.my_reservations, name="my_reservations"),
    path("reservations/tila.ics", booking.my_calendar, name="my_calendar"),
    path("reservations/<int:pk>/", booking.reservation_detail, name="reservation"),
    path("reservations/<int:pk>/change/", booking.reservation_change, name="reservation_change"),
    path("reservations/<int:pk>/cancel/", booking.reservation_cancel_view, name="reservation_cancel"),
    path("reservations/<int:pk>/reservation.ics", booking.reservation_calendar, name="reservation_ics"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.signin, name="login"),
    path("accounts/logout/", accounts.signout, name="logout"),
    path("accounts/verify/resend/", accounts.verify_resend, name="verify_resend"),
    path("accounts/verify/<str:uidb64>/<str:token>/", accounts.verify_email, name="verify_email"),
    path("accounts/password-reset/", accounts.password_reset, name="password_reset"),
    path(
        "accounts/password-reset/<str:uidb64>/<str:token>/",
        accounts.password_reset_confirm_view,
        name="password_reset_confirm",
    ),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/profile/my-data.json", own_data.profile_data, name="profile_data"),
    path("accounts/delete/", own_data.account_delete, name="account_delete"),
]
