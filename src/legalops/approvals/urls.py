from django.urls import path

from legalops.approvals import admin_views, views

app_name = "approvals"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("tasks/<int:pk>/", views.task_view, name="task"),
    path("invoices/<int:pk>/<slug:action>/", views.decide_view, name="decide"),
    path("bulk-approve/", views.bulk_approve_view, name="bulk_approve"),
    path("delegations/", views.delegation_list_view, name="delegations"),
    path("delegations/<int:pk>/revoke/", views.delegation_revoke_view, name="delegation_revoke"),
    path("rules/", admin_views.rule_list_view, name="rules"),
    path("rules/new/", admin_views.rule_edit_view, name="rule_create"),
    path("rules/test/", admin_views.rule_test_view, name="route_test"),
    path("rules/settings/", admin_views.policy_view, name="policy"),
    path("rules/<int:pk>/", admin_views.rule_edit_view, name="rule_edit"),
    path("rules/<int:pk>/test/", admin_views.rule_test_view, name="rule_test"),
    path("rules/<int:pk>/move/<slug:direction>/", admin_views.rule_move_view, name="rule_move"),
    path("rules/<int:pk>/delete/", admin_views.rule_delete_view, name="rule_delete"),
]
