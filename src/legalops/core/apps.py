from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "legalops.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self) -> None:
        # Periodic jobs register themselves on import (legalops.core.schedule).
        from legalops.core import tasks  # noqa: F401
