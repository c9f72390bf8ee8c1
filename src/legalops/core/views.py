"""The home page, the pillar pages and the health check."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.models import Role
from legalops.accounts.permissions import Capability
from legalops.accounts.views import login_view
from legalops.core import imports
from legalops.core.selectors import home_summary
from legalops.core.typing import AuthedRequest

# What each pillar will hold, said plainly until it is built (DESIGN.md, "What it is").
PLANNED: dict[str, dict[str, str]] = {
    "contracts": {
        "title": "Contracts",
        "text": "A contract repository with key-term extraction, renewals and obligations.",
        "status": "Not built yet: planned after spend management.",
    },
    "requests": {
        "title": "Requests",
        "text": "Legal intake from the business: requests, triage, SLAs and workload per lawyer.",
        "status": "Not built yet: planned after spend management.",
    },
    "knowledge": {
        "title": "Knowledge",
        "text": "A knowledge base, templates and training sessions for internal clients.",
        "status": "Not built yet: planned after spend management.",
    },
}


@login_not_required
def home_view(request: HttpRequest) -> HttpResponse:
    """The start page; signed-out visitors get the sign-in form right here."""
    if not request.user.is_authenticated:
        return login_view(request)
    user = request.user
    if user.role == Role.FIRM:
        return redirect("portal:home")
    return render(request, "core/home.html", {"summary": home_summary(user=user)})


@staff_required
def pillar_view(request: AuthedRequest, pillar: str) -> HttpResponse:
    if pillar not in PLANNED:
        raise Http404
    return render(request, "core/pillar.html", {"pillar": PLANNED[pillar], "active": pillar})


@capability_required(Capability.MANAGE_ORGANIZATION)
def admin_home_view(request: AuthedRequest) -> HttpResponse:
    return render(request, "core/admin_home.html", {"active": "admin"})


@login_not_required
def healthz_view(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the process is up and the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any database failure means unhealthy
        return JsonResponse({"status": "error", "database": str(exc)}, status=503)
    return JsonResponse({"status": "ok"})


class ImportForm(forms.Form):
    kind = forms.ChoiceField(choices=[])
    file = forms.FileField(help_text="CSV (UTF-8) or .xlsx (the first sheet is read)")
    create_missing = forms.BooleanField(
        required=False, help_text="Create the firms, timekeepers and matters the file names"
    )
    dry_run = forms.BooleanField(required=False, label="Check only, write nothing")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, k) for k in imports.importers()]


@capability_required(Capability.IMPORT_DATA)
def import_view(request: AuthedRequest) -> HttpResponse:
    """Upload a spreadsheet: every problem is listed by row and column and nothing is written,
    or the whole file is written."""
    form = ImportForm(request.POST or None, request.FILES or None, initial=request.GET)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = imports.import_file(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                name=upload.name,
                data=upload.read(),
                create_missing=form.cleaned_data["create_missing"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except imports.Unreadable as exc:
            form.add_error("file", str(exc))
    context = {
        "form": form,
        "result": result,
        "importers": imports.importers().values(),
        "active": "admin",
    }
    return render(request, "core/import.html", context)


@capability_required(Capability.IMPORT_DATA)
def import_template_view(request: AuthedRequest, kind: str) -> HttpResponse:
    if kind not in imports.importers():
        raise Http404
    response = HttpResponse(imports.importers()[kind].template(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{kind}-template.csv"'
    return response
