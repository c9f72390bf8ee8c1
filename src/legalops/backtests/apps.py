from django.apps import AppConfig


class BacktestsConfig(AppConfig):
    name = "legalops.backtests"
    label = "backtests"
    verbose_name = "Guidelines backtests"
