from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "legalops.reports"
    label = "reports"
    verbose_name = "Insight"

    def ready(self) -> None:
        # The KPI modules register their definitions in the registry when imported, and the
        # monthly report-pack job registers itself with the periodic schedule.
        from legalops.reports import kpis, tasks  # noqa: F401
