from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "legalops.matters"
    label = "matters"
    verbose_name = "Matters, budgets, accruals and forecasts"

    def ready(self) -> None:
        # Periodic jobs (budget alerts, accrual windows) and importers register on import.
        from legalops.matters import imports, tasks  # noqa: F401
