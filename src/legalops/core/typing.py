"""Request types for views behind sign-in (the login middleware guarantees a real user)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from legalops.accounts.models import User


class AuthedRequest(HttpRequest):
    user: User
    htmx: HtmxDetails


class ApiRequest(HttpRequest):
    """A request that passed the API's authentication: `auth` is the user."""

    auth: User
