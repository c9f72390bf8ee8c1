from django.urls import include, path

from legalops.invoices import rulebook_views
from legalops.portal import firm_views, invoice_views, views

app_name = "portal"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("team/", views.team_view, name="team"),
    path("timekeepers/", firm_views.timekeeper_list_view, name="timekeepers"),
    path("rates/", firm_views.rate_card_view, name="rates"),
    path("rates.csv", firm_views.rate_card_csv_view, name="rates_csv"),
    path("rate-requests/", firm_views.request_list_view, name="requests"),
    path("rate-requests/<int:pk>/", firm_views.request_detail_view, name="request_detail"),
    path(
        "rate-requests/<int:pk>/<slug:action>/",
        firm_views.request_action_view,
        name="request_action",
    ),
    path("rate-requests/lines/<int:pk>/remove/", firm_views.line_remove_view, name="line_remove"),
    path("rate-requests/lines/<int:pk>/answer/", firm_views.line_answer_view, name="line_answer"),
    path("matters/", firm_views.matter_list_view, name="matters"),
    path("matters/<int:pk>/", firm_views.matter_detail_view, name="matter_detail"),
    path("accruals/", firm_views.accrual_view, name="accruals"),
    path("invoices/", invoice_views.invoice_list_view, name="invoices"),
    path("invoices/upload/", invoice_views.invoice_upload_view, name="invoice_upload"),
    path("invoices/submit/", invoice_views.invoice_submit_view, name="invoice_submit"),
    path("invoices/new/", invoice_views.invoice_entry_view, name="invoice_entry"),
    path("invoices/<int:pk>/", invoice_views.invoice_detail_view, name="invoice_detail"),
    path(
        "invoices/<int:pk>/files/original",
        invoice_views.invoice_file_view,
        {"which": "original"},
        name="invoice_file",
    ),
    path(
        "invoices/<int:pk>/files/pdf",
        invoice_views.invoice_file_view,
        {"which": "pdf"},
        name="invoice_pdf",
    ),
    path(
        "invoices/<int:pk>/files/<int:attachment>",
        invoice_views.invoice_attachment_view,
        name="invoice_attachment",
    ),
    path("appeals/", include("legalops.appeals.portal_urls")),
    path("rulebook/", rulebook_views.portal_rulebook_view, name="rulebook"),
    path("rulebook/<int:pk>.pdf", rulebook_views.portal_rulebook_pdf_view, name="rulebook_pdf"),
]
