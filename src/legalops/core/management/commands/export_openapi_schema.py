"""django-ninja's `export_openapi_schema` command, which Django found in ninja's app
directory while ninja was in INSTALLED_APPS (settings.py says why it no longer is)."""

from ninja.management.commands.export_openapi_schema import Command

__all__ = ["Command"]
