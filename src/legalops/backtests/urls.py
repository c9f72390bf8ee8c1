from django.urls import path

from legalops.backtests import views

app_name = "backtests"
urlpatterns = [
    path("", views.backtest_list_view, name="list"),
    path("new/", views.backtest_new_view, name="new"),
    path("<int:pk>/", views.backtest_view, name="detail"),
    path("<int:pk>/progress/", views.backtest_progress_view, name="progress"),
    path("<int:pk>/invoices/", views.backtest_invoices_view, name="invoices"),
    path("<int:pk>/report.xlsx", views.backtest_xlsx_view, name="xlsx"),
]
