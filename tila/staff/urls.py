"""The staff workspace, under /<language>/staff/."""

from django.urls import path

from tila.staff.views import calendar, feed, home, manage, reports, requests, series

app_name = "staff"
urlpatterns = [
    path("", home.home, name="home"),
    path("requests/", requests.queue, name="requests"),
    path("requests/bulk/", requests.bulk, name="requests_bulk"),
    path("requests/<int:pk>/", requests.detail, name="request"),
    path("reservations/<int:pk>/", calendar.reservation_detail, name="reservation"),
    path("calendar/", calendar.calendar_index, name="calendar_index"),
    path("units/<str:unit_id>/calendar/", calendar.calendar, name="calendar"),
    path("resources/<str:resource_id>/calendar.ics", calendar.resource_calendar_file, name="resource_ics"),
    path("series/", series.series_list, name="series"),
    path("series/new/", series.series_new, name="series_new"),
    path("series/<int:pk>/", series.series_detail, name="series_detail"),
    path("units/<str:unit_id>/resources/", manage.resources, name="resources"),
    path("units/<str:unit_id>/resources/new/", manage.resource_edit, name="resource_new"),
    path("units/<str:unit_id>/resources/<str:resource_id>/", manage.resource_edit, name="resource_edit"),
    path("units/<str:unit_id>/hours/", manage.hours, name="hours"),
    path("units/<str:unit_id>/hours/new/", manage.period_edit, name="period_new"),
    path("units/<str:unit_id>/hours/<int:pk>/", manage.period_edit, name="period_edit"),
    path("units/<str:unit_id>/roles/", manage.roles, name="roles"),
    path("units/<str:unit_id>/roles/<int:pk>/remove/", manage.role_remove, name="role_remove"),
    path("reports/", reports.reports, name="reports"),
    path("audit/", reports.audit, name="audit"),
    path("calendar-feed/", feed.feed, name="feed"),
]
