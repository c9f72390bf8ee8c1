from django.urls import path

from legalops.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("team/", views.team_view, name="team"),
]
