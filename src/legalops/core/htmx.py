"""htmx helpers: a filtered or re-sorted table re-renders only its `results` partial."""

from __future__ import annotations

from django.http import HttpRequest


def template_for(request: HttpRequest, template: str, partial: str = "results") -> str:
    return f"{template}#{partial}" if getattr(request, "htmx", False) else template
