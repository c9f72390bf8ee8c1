from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "legalops.vendors"
    label = "vendors"
    verbose_name = "Law firms and vendors"
    # The firm, timekeeper and rate importers (imports.py) register on first use (see core).
