from django.apps import AppConfig


class InvoicesConfig(AppConfig):
    name = "legalops.invoices"
    label = "invoices"
    verbose_name = "E-billing"

    def ready(self) -> None:
        # Give the matters and vendors apps what only invoices know (their pluggable sources).
        # `legalops import ledes` and `legalops import history` register in imports.py, on
        # first use of the import registry (they pull in the LEDES intake and the guidelines
        # engine, which most processes never need).
        from legalops.invoices import hooks

        hooks.register()
