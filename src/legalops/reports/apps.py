from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "legalops.reports"
    label = "reports"
    verbose_name = "Insight"

    def ready(self) -> None:
        # The KPI modules register their definitions in the registry when imported. The
        # monthly report-pack job (tasks.py) registers on first use of the schedule.
        from legalops.reports import kpis  # noqa: F401
