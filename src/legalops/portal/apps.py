from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "legalops.portal"
    label = "portal"
    verbose_name = "Vendor portal"
