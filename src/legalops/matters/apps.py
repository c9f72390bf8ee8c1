from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "legalops.matters"
    label = "matters"
    verbose_name = "Matters, budgets, accruals and forecasts"
    # Periodic jobs (tasks.py) and importers (imports.py) register on first use (see core).
