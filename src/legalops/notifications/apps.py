from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "legalops.notifications"
    label = "notifications"
    verbose_name = "Notifications"
