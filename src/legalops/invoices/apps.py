from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "legalops.invoices"
    label = "invoices"
    verbose_name = "E-billing"

    def ready(self) -> None:
        # Give the matters and vendors apps what only invoices know (their pluggable sources)
        # and add `legalops import ledes` and `legalops import history`.
        from legalops.invoices import history, hooks, ledes_import

        hooks.register()
        ledes_import.register()
        history.register()
