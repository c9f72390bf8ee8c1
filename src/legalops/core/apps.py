from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "legalops.core"
    label = "core"
    verbose_name = "Platform"
    # No ready(): the apps' periodic jobs (their `tasks` modules) and importers (their
    # `imports` modules) are imported on first use by `schedule.jobs()` and
    # `imports.importers()`, not at start-up: most processes never use them.
