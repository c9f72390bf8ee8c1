from django.urls import path

from legalops.core import views

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("admin/", views.admin_home_view, name="admin_home"),
]
for _pillar in views.PLANNED:
    urlpatterns.append(
        path(f"{_pillar}/", views.pillar_view, {"pillar": _pillar}, name=f"pillar_{_pillar}")
    )
