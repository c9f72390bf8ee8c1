from django.apps import AppConfig


class PayablesConfig(AppConfig):
    name = "legalops.payables"
    label = "payables"
    verbose_name = "Accounts payable"
    # `legalops import payments FILE` (and the web import page) find the importer in
    # imports.py on first use (see core).
