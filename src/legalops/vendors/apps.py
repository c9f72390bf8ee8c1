from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "legalops.vendors"
    label = "vendors"
    verbose_name = "Law firms and vendors"
