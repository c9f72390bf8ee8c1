from django.urls import path

from legalops.organization import views

app_name = "organization"
urlpatterns = [
    path("company/", views.company_view, name="company"),
    path("business-units/", views.business_units_view, name="business_units"),
    path("business-units/<int:pk>/", views.business_units_view, name="business_unit_edit"),
    path("practice-areas/", views.practice_areas_view, name="practice_areas"),
    path("practice-areas/<int:pk>/", views.practice_areas_view, name="practice_area_edit"),
    path("currencies/", views.currencies_view, name="currencies"),
    path("currencies/<str:code>/disable/", views.currency_disable_view, name="currency_disable"),
    path("fx-rates/", views.fx_rates_view, name="fx_rates"),
]
