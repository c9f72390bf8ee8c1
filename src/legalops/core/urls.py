from django.urls import path

from legalops.core import views

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("admin/", views.admin_home_view, name="admin_home"),
    path("admin/import/", views.import_view, name="import"),
    path(
        "admin/import/<slug:kind>-template.csv", views.import_template_view, name="import_template"
    ),
]
for _pillar in views.PLANNED:
    urlpatterns.append(
        path(f"{_pillar}/", views.pillar_view, {"pillar": _pillar}, name=f"pillar_{_pillar}")
    )
