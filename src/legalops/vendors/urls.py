from django.urls import path

from legalops.vendors import views

app_name = "vendors"
urlpatterns = [
    path("", views.firm_list_view, name="firm_list"),
    path("new/", views.firm_edit_view, name="firm_create"),
    path("<int:pk>/", views.firm_detail_view, name="firm_detail"),
    path("<int:pk>/edit/", views.firm_edit_view, name="firm_edit"),
]
