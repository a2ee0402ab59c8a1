from django.urls import path

from tila.hobbies import views

app_name = "hobbies"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.detail, name="detail"),
    path("new/", views.new, name="new"),
    path("manage/", views.manage, name="manage"),
    path("manage/<int:pk>/publish/", views.publish, name="publish"),
    path("manage/from-series/<int:series_id>/", views.from_series, name="from_series"),
]
