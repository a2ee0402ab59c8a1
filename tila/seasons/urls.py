"""Seasonal application rounds, under /<language>/seasons/: residents apply, staff allocate.

Wired by the lead in tila/urls.py inside i18n_patterns: path("seasons/", include("tila.seasons.urls")).
"""

from django.urls import path

from tila.seasons.views import resident, results, staff

app_name = "seasons"
urlpatterns = [
    # Residents and applicants
    path("", resident.rounds, name="rounds"),
    path("<int:pk>/", resident.round_detail, name="round"),
    path("<int:pk>/apply/", resident.apply, name="apply"),
    path("applications/", resident.my_applications, name="my_applications"),
    path("applications/<int:pk>/", resident.application_detail, name="application"),
    path("applications/<int:pk>/submit/", resident.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", resident.application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/delete/", resident.application_delete, name="application_delete"),
    path("applications/<int:pk>/groups/new/", resident.section_edit, name="section_new"),
    path("applications/<int:pk>/groups/<int:sid>/", resident.section_edit, name="section_edit"),
    path("applications/<int:pk>/groups/<int:sid>/delete/", resident.section_delete, name="section_delete"),
    # Staff
    path("staff/", staff.rounds, name="staff_rounds"),
    path("staff/new/", staff.round_new, name="staff_round_new"),
    path("staff/<int:pk>/", staff.round_detail, name="staff_round"),
    path("staff/<int:pk>/edit/", staff.round_edit, name="staff_round_edit"),
    path("staff/<int:pk>/weights/", staff.round_weights, name="staff_round_weights"),
    path("staff/<int:pk>/applications/", staff.applications, name="staff_applications"),
    path("staff/applications/<int:pk>/", staff.application_review, name="staff_application"),
    path("staff/<int:pk>/runs/", results.run_list, name="staff_runs"),
    path("staff/runs/<int:pk>/", results.run_detail, name="staff_run"),
    path("staff/runs/<int:pk>/progress/", results.run_progress, name="staff_run_progress"),
    path("staff/runs/<int:pk>/cancel/", results.run_cancel, name="staff_run_cancel"),
    path("staff/<int:pk>/result/", results.result, name="staff_result"),
    path("staff/decisions/<int:pk>/", results.decision_detail, name="staff_decision"),
    path("staff/groups/<int:pk>/decide/", results.decision_new, name="staff_decision_new"),
    path("staff/<int:pk>/accept/", results.accept, name="staff_accept"),
    path("staff/<int:pk>/send/", results.send_results, name="staff_send"),
]
