"""The rulebook: one published version in plain words, as an HTML page and a PDF (WeasyPrint)
rendered from the same entries. Firms read it in the portal (the version in force and the
published ones to come, with only the overrides that concern them); admins preview any version
with every override."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from legalops.accounts.decorators import capability_required, portal_required, staff_required
from legalops.accounts.permissions import Capability
from legalops.core.typing import AuthedRequest
from legalops.invoices import guidelines_admin as admin
from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.rulebook import guidelines_of
from legalops.invoices.rulebook_text import Audience, rulebook_entries
from legalops.matters.selectors import matter_list

manage = capability_required(Capability.MANAGE_GUIDELINES)


def _context(version: GuidelinesVersion, audience: Audience, **extra: Any) -> dict[str, Any]:
    guidelines = guidelines_of(version)
    return {
        "version": version,
        "currency": guidelines.currency,
        "entries": rulebook_entries(guidelines, audience),
        "generated": timezone.localdate(),
        **extra,
    }


def rulebook_pdf(context: dict[str, Any]) -> bytes:
    """The rulebook as PDF (WeasyPrint renders the same entries; no JavaScript, no fetches)."""
    from weasyprint import HTML  # imported here: loading Pango costs time on every start

    html = render_to_string("invoices/guidelines/rulebook_pdf.html", context)
    return bytes(HTML(string=html).write_pdf())


def _pdf_response(context: dict[str, Any]) -> HttpResponse:
    version: GuidelinesVersion = context["version"]
    response = HttpResponse(rulebook_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="rulebook-{version.version}.pdf"'
    return response


# --- The vendor portal ---------------------------------------------------------------------


def _firm_audience(request: AuthedRequest) -> Audience:
    user = request.user
    numbers = set(matter_list(user=user).values_list("number", flat=True))
    return Audience(law_firm_id=user.firm.law_firm_id if user.firm else "", matter_numbers=numbers)


def _firm_version(pk: int | None, today: datetime.date) -> tuple[GuidelinesVersion, list[Any]]:
    rows = admin.published_for_firms(today=today)
    if pk is None:
        chosen = next(row.version for row in rows if row.standing == admin.IN_FORCE)
        return chosen, rows
    for row in rows:
        if row.version.pk == pk:
            return row.version, rows
    raise Http404  # drafts and superseded versions are not the firms' to read


@portal_required
def portal_rulebook_view(request: AuthedRequest) -> HttpResponse:
    raw = request.GET.get("version", "")
    version, rows = _firm_version(int(raw) if raw.isdigit() else None, timezone.localdate())
    context = _context(version, _firm_audience(request), rows=rows, portal_active="rulebook")
    context["firm"] = request.user.firm
    return render(request, "invoices/guidelines/rulebook_portal.html", context)


@portal_required
def portal_rulebook_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    version, _ = _firm_version(pk, timezone.localdate())
    context = _context(version, _firm_audience(request), firm=request.user.firm)
    return _pdf_response(context)


# --- Admin preview -------------------------------------------------------------------------


@staff_required
@manage
def preview_view(request: AuthedRequest, pk: int) -> HttpResponse:
    version = _staff_version(request, pk)
    context = _context(version, Audience(law_firm_id=None), active="spend", tab="guidelines")
    return render(request, "invoices/guidelines/rulebook_staff.html", context)


@staff_required
@manage
def preview_pdf_view(request: AuthedRequest, pk: int) -> HttpResponse:
    return _pdf_response(_context(_staff_version(request, pk), Audience(law_firm_id=None)))


def _staff_version(request: AuthedRequest, pk: int) -> GuidelinesVersion:
    try:
        return admin.guidelines_version_get(user=request.user, pk=pk)
    except GuidelinesVersion.DoesNotExist:
        raise Http404 from None
