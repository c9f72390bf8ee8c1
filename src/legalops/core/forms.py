"""Helpers shared by the apps' forms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Shows a service's ValidationError on the form: field errors on their fields, the rest
    at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def submitted[T](
    request: HttpRequest, form: forms.Form, action: Callable[[dict[str, Any]], T]
) -> T | None:
    """For a valid POSTed form, runs the service `action(cleaned_data)` and returns its result;
    a service's refusal lands on the form (and None is returned, as for a GET)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
