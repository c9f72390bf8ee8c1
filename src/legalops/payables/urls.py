from django.urls import path

from legalops.payables import views

app_name = "payables"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("batches/", views.batch_list_view, name="batches"),
    path("batches/new/", views.batch_create_view, name="batch_create"),
    path("batches/<int:pk>/", views.batch_view, name="batch"),
    path("batches/<int:pk>/download.<slug:fmt>", views.batch_download_view, name="download"),
    path("payments/", views.payment_list_view, name="payments"),
    path("layout/", views.layout_view, name="layout"),
    path("vendors/", views.vendor_list_view, name="vendors"),
    path("vendors/<int:pk>/", views.vendor_set_view, name="vendor_set"),
]
