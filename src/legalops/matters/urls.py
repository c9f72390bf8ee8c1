from django.urls import path

from legalops.matters import admin_views, finance_views, views

app_name = "matters"
urlpatterns = [
    path("", views.matter_list_view, name="matter_list"),
    path("new/", views.matter_edit_view, name="matter_create"),
    path("<int:pk>/", views.matter_detail_view, name="matter_detail"),
    path("<int:pk>/edit/", views.matter_edit_view, name="matter_edit"),
    path("<int:pk>/do/<slug:action>/", views.matter_action_view, name="matter_action"),
    path("tasks/<int:pk>/done/", views.task_done_view, name="task_done"),
    path("budgets/", finance_views.budget_list_view, name="budget_list"),
    path("budgets/<int:pk>/", finance_views.budget_detail_view, name="budget_detail"),
    path(
        "budgets/versions/<int:pk>/decide/",
        finance_views.version_decide_view,
        name="version_decide",
    ),
    path("budgets/<int:pk>/thresholds/", finance_views.thresholds_view, name="thresholds"),
    path("department/", finance_views.department_view, name="department"),
    path("accruals/", finance_views.accrual_list_view, name="accrual_list"),
    path("accruals/<int:pk>/", finance_views.accrual_detail_view, name="accrual_detail"),
    path("accruals/<int:pk>/export.csv", finance_views.accrual_export_view, name="accrual_export"),
    path("accruals/<int:pk>/lock/", finance_views.accrual_lock_view, name="accrual_lock"),
    path("types/", admin_views.matter_types_view, name="types"),
    path("types/<int:pk>/", admin_views.matter_types_view, name="type_edit"),
    path("fields/", admin_views.matter_fields_view, name="fields"),
    path("fields/<int:pk>/", admin_views.matter_fields_view, name="field_edit"),
]
