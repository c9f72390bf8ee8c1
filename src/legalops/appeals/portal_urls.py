"""Mounted by `portal/urls.py` under /portal/appeals/ (names `portal:appeals:...`)."""

from django.urls import path

from legalops.appeals import portal_views

app_name = "appeals"
urlpatterns = [
    path("", portal_views.appeal_list_view, name="list"),
    path("new/<int:invoice>/", portal_views.appeal_new_view, name="new"),
    path("<int:pk>/", portal_views.appeal_detail_view, name="detail"),
    path("<int:pk>/withdraw/", portal_views.appeal_withdraw_view, name="withdraw"),
]
