from django.urls import path

from legalops.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard_view, name="overview"),
    path("drill/", views.drill_view, name="drill"),
    path("<slug:page>/", views.dashboard_view, name="page"),
    path("<slug:page>/export.<slug:fmt>", views.export_view, name="export"),
]
