from django.urls import path

from legalops.vendors import rate_views, views

app_name = "vendors"
urlpatterns = [
    path("", views.firm_list_view, name="firm_list"),
    path("new/", views.firm_edit_view, name="firm_create"),
    path("<int:pk>/", views.firm_detail_view, name="firm_detail"),
    path("<int:pk>/edit/", views.firm_edit_view, name="firm_edit"),
    path("<int:pk>/contacts/", views.contact_add_view, name="contact_add"),
    path("contacts/<int:pk>/delete/", views.contact_delete_view, name="contact_delete"),
    path("<int:pk>/documents/", views.document_add_view, name="document_add"),
    path("<int:pk>/timekeepers/new/", views.timekeeper_create_view, name="timekeeper_create"),
    path("<int:pk>/evaluate/", views.evaluation_create_view, name="evaluate"),
    path("<int:pk>/rates/", rate_views.rate_card_view, name="rate_card"),
    path("<int:pk>/rates.csv", rate_views.rate_card_csv_view, name="rate_card_csv"),
    path("timekeepers/", views.timekeeper_list_view, name="timekeeper_list"),
    path("timekeepers/<int:pk>/", views.timekeeper_detail_view, name="timekeeper_detail"),
    path("evaluations/", views.evaluation_list_view, name="evaluation_list"),
    path("rate-requests/", rate_views.request_list_view, name="request_list"),
    path("rate-requests/<int:pk>/", rate_views.request_detail_view, name="request_detail"),
    path("rate-requests/lines/<int:pk>/decide/", rate_views.line_decide_view, name="line_decide"),
]
