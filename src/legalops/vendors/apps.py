from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "legalops.vendors"
    label = "vendors"
    verbose_name = "Law firms and vendors"

    def ready(self) -> None:
        # The firm, timekeeper and rate importers register themselves on import.
        from legalops.vendors import imports  # noqa: F401
