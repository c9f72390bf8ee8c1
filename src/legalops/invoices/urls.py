from django.urls import path

from legalops.invoices import guidelines_views, rulebook_views, views, views_invoice

app_name = "invoices"
urlpatterns = [
    path("", views.invoice_list_view, name="invoice_list"),
    path("queue/", views.review_queue_view, name="review_queue"),
    path("bulk/", views.bulk_view, name="bulk"),
    path("upload/", views.upload_view, name="upload"),
    path("guidelines/<int:pk>.toml", views.guidelines_source_view, name="guidelines_source"),
    path("invoices/<int:pk>/", views_invoice.invoice_detail_view, name="invoice_detail"),
    path(
        "invoices/<int:pk>/<slug:action>/",
        views_invoice.invoice_action_view,
        name="invoice_action",
    ),
    path(
        "invoices/<int:pk>/files/original",
        views_invoice.file_view,
        {"which": "original"},
        name="invoice_file",
    ),
    path(
        "invoices/<int:pk>/files/pdf", views_invoice.file_view, {"which": "pdf"}, name="invoice_pdf"
    ),
    path(
        "invoices/<int:pk>/files/<int:attachment>",
        views_invoice.attachment_view,
        name="invoice_attachment",
    ),
    path("flags/<int:pk>/decide/", views_invoice.flag_decide_view, name="flag_decide"),
    path("lines/<int:pk>/adjust/", views_invoice.adjustment_add_view, name="adjustment_add"),
    path(
        "adjustments/<int:pk>/withdraw/",
        views_invoice.adjustment_withdraw_view,
        name="adjustment_withdraw",
    ),
    # guidelines management (admins)
    path("guidelines/", guidelines_views.list_view, name="guidelines_list"),
    path("guidelines/new/", guidelines_views.new_view, name="guidelines_new"),
    path("guidelines/compare/", guidelines_views.diff_view, name="guidelines_diff"),
    path("guidelines/<int:pk>/", guidelines_views.detail_view, name="guidelines_detail"),
    path("guidelines/<int:pk>/edit/", guidelines_views.edit_view, name="guidelines_edit"),
    path("guidelines/<int:pk>/raw/", guidelines_views.raw_view, name="guidelines_raw"),
    path("guidelines/<int:pk>/publish/", guidelines_views.publish_view, name="guidelines_publish"),
    path("guidelines/<int:pk>/rulebook/", rulebook_views.preview_view, name="guidelines_rulebook"),
    path(
        "guidelines/<int:pk>/rulebook.pdf",
        rulebook_views.preview_pdf_view,
        name="guidelines_rulebook_pdf",
    ),
]
