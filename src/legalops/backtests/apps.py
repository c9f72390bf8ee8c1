from django.apps import AppConfig


class BacktestsConfig(AppConfig):
    name = "legalops.backtests"
    label = "backtests"
    verbose_name = "Guidelines backtests"

    def ready(self) -> None:
        # The periodic stale-run check registers on import.
        from legalops.backtests import tasks  # noqa: F401
