from django.urls import path

from tila.insight import views

app_name = "insight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/<slug:dataset_id>.<str:fmt>", views.download, name="download"),
    path("import/", views.import_data, name="import"),
]
