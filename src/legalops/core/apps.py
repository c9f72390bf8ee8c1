from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created


def postgres_session(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Per-connection PostgreSQL settings. JIT compilation is off: PostgreSQL compiles any
    query whose estimated cost passes `jit_above_cost`, which the dashboards' queries do at
    a large department's size, and the compilation (15-40 ms a query here) costs more than
    it saves on queries that run for tens of milliseconds (the Matters page's opened-matters
    query: 132 ms with JIT, 74 ms without, at 70,000 invoices). A SET rather than a startup
    option, so that it works behind connection poolers that refuse startup options."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off")


class CoreConfig(AppConfig):
    name = "legalops.core"
    label = "core"
    verbose_name = "Platform"

    # The apps' periodic jobs (their `tasks` modules) and importers (their `imports` modules)
    # are imported on first use by `schedule.jobs()` and `imports.importers()`, not here at
    # start-up: most processes never use them.
    def ready(self) -> None:
        connection_created.connect(postgres_session, dispatch_uid="legalops-postgres-session")
