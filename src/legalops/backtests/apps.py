from django.apps import AppConfig


class BacktestsConfig(AppConfig):
    name = "legalops.backtests"
    label = "backtests"
    verbose_name = "Guidelines backtests"
    # The periodic stale-run check (tasks.py) registers on first use of the schedule.
