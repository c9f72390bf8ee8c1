"""Sign-in is required everywhere except the pages that make signing in possible and the API,
which answers 401 with a JSON body rather than redirecting to a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.http import HttpRequest, HttpResponseBase

EXEMPT_PREFIXES = ("/api/", "/static/", "/healthz")


class LoginRequiredMiddleware(DjangoLoginRequired):
    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponseBase | None:
        if request.path.startswith(EXEMPT_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
