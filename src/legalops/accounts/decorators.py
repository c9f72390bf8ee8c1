"""View guards: which kind of user may open a page at all (rows are the selectors' job)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect

from legalops.accounts.permissions import Capability, has_capability
from legalops.core.typing import AuthedRequest

View = Callable[..., HttpResponse]


def capability_required(capability: Capability) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: AuthedRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_capability(request.user, capability):
                if capability is Capability.USE_STAFF_APP and has_capability(
                    request.user, Capability.USE_PORTAL
                ):
                    return redirect("portal:home")
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = capability_required(Capability.USE_STAFF_APP)
portal_required = capability_required(Capability.USE_PORTAL)
