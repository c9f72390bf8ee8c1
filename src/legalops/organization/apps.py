from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "legalops.organization"
    label = "organization"
    verbose_name = "Organization"
