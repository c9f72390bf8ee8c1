from django.urls import path

from legalops.appeals import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list_view, name="list"),
    path("settings/", views.policy_view, name="policy"),
    path("<int:pk>/", views.appeal_detail_view, name="detail"),
    path("<int:pk>/items/<int:item>/decide/", views.item_decide_view, name="decide"),
]
