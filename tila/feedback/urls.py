from django.urls import path

from tila.feedback import views

app_name = "feedback"
urlpatterns = [
    path("r/<str:token>/", views.survey, name="survey"),
    path("thanks/", views.thanks, name="thanks"),
    path("u/<str:unit_id>/", views.public_survey, name="public"),
    path("u/<str:unit_id>/qr.svg", views.public_qr, name="public_qr"),
    path("staff/", views.staff_inbox, name="inbox"),
    path("staff/answers.csv", views.staff_inbox_csv, name="inbox_csv"),
    path("staff/answers/<int:pk>/", views.staff_response_update, name="response_update"),
    path("staff/units/<str:unit_id>/link/", views.staff_unit_link, name="unit_link"),
]
