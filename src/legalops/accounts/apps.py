from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "legalops.accounts"
    label = "accounts"
    verbose_name = "Users and access"
