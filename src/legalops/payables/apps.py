from django.apps import AppConfig


class PayablesConfig(AppConfig):
    name = "legalops.payables"
    label = "payables"
    verbose_name = "Accounts payable"

    def ready(self) -> None:
        # `legalops import payments FILE` (and the web import page) come from the registry.
        from legalops.payables import imports  # noqa: F401
