from django.urls import path

from legalops.reports import views, views_packs

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="overview"),
    path("drill/", views.drill_view, name="drill"),
    path("packs/", views_packs.packs_view, name="packs"),
    path("packs/new/", views_packs.pack_edit_view, name="pack_new"),
    path("packs/<int:pk>/edit/", views_packs.pack_edit_view, name="pack_edit"),
    path("packs/<int:pk>/pause/", views_packs.pack_pause_view, name="pack_pause"),
    path("packs/<int:pk>/delete/", views_packs.pack_delete_view, name="pack_delete"),
    path("packs/<int:pk>/send/", views_packs.pack_send_view, name="pack_send"),
    path("<slug:page>/", views.dashboard_view, name="page"),
    path("<slug:page>/export.<slug:fmt>", views.export_view, name="export"),
]
