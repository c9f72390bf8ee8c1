from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "legalops.audit"
    label = "audit"
    verbose_name = "Audit trail"
