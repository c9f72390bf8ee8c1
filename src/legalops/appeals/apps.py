from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "legalops.appeals"
    label = "appeals"
    verbose_name = "Appeals"
