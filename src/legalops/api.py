"""The REST API under /api/v1/ (django-ninja): token or session auth, one error shape,
limit/offset pagination returning `{"items": [...], "count": N}` (spec/cli.md)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import ABS_TPL_PATH
from ninja.security import HttpBearer, SessionAuth

from legalops.accounts.api import router as accounts_router
from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, has_capability
from legalops.accounts.services import token_authenticate
from legalops.appeals.api import router as appeals_router
from legalops.approvals.api import router as approvals_router
from legalops.audit.api import router as audit_router
from legalops.backtests.api import router as backtests_router
from legalops.invoices.api import router as invoices_router
from legalops.invoices.guidelines_api import router as guidelines_router
from legalops.matters.api import router as matters_router
from legalops.notifications.api import router as notifications_router
from legalops.organization.api import router as organization_router
from legalops.payables.api import router as payables_router
from legalops.reports.api import router as reports_router
from legalops.vendors.api import router as vendors_router


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN` with a token from `legalops token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is None or not has_capability(user, Capability.USE_API):
            return None
        request.user = user
        return user


class ActiveSession(SessionAuth):
    """The signed-in browser session (with CSRF on writes), for the UI's own calls."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


class LocalSwagger(Swagger):
    """Swagger UI from django-ninja's own template and static files, never a CDN. ninja uses
    its local template only when "ninja" is in INSTALLED_APPS, and it is not (settings.py:
    commands that never serve the API do not import it); otherwise it renders `template_cdn`,
    which here is that same local template."""

    template_cdn = str(ABS_TPL_PATH / "swagger.html")


api = NinjaAPI(
    title="legalops API",
    version="1",
    description="Outside-counsel spend, law firms, matters and KPIs. Authenticate with "
    "`Authorization: Bearer TOKEN` (create one with `legalops token create`).",
    urls_namespace="api",
    auth=[BearerToken(), ActiveSession()],
    docs=LocalSwagger(),
)
api.add_router("/", accounts_router)
api.add_router("/", organization_router)
api.add_router("/", vendors_router)
api.add_router("/", matters_router)
api.add_router("/", audit_router)
api.add_router("/", invoices_router)
api.add_router("/", approvals_router)
api.add_router("/", appeals_router)
api.add_router("/", payables_router)
api.add_router("/", notifications_router)
api.add_router("/", guidelines_router)
api.add_router("/", backtests_router)
api.add_router("/", reports_router)


def error_body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


def _respond(
    request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None
) -> HttpResponse:
    return api.create_response(request, error_body(detail, errors), status=status)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"loc": list(e.get("loc", [])), "msg": e.get("msg", ""), "code": e.get("type", "invalid")}
        for e in exc.errors
    ]
    return _respond(request, 422, "The request is invalid.", errors)


@api.exception_handler(DjangoValidationError)
def _service_refused(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "msg": msg, "code": "invalid"}
            for field, msgs in exc.message_dict.items()
            for msg in msgs
        ]
    else:
        errors = [{"loc": ["body"], "msg": msg, "code": "invalid"} for msg in exc.messages]
    return _respond(request, 422, "The request was refused.", errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _respond(
        request,
        401,
        "Authentication required: send Authorization: Bearer TOKEN with an active token.",
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _respond(request, 403, str(exc) or "You may not do this.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _respond(request, 404, "Not found.")


@api.exception_handler(ObjectDoesNotExist)
def _no_such_object(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    return _not_found(request, exc)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _respond(request, exc.status_code, str(exc))
