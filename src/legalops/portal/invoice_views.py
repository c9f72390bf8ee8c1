"""The firm's invoices in the vendor portal: the list with states and amounts, one invoice
with its adjustments and their explanations, a LEDES upload that shows the pre-flight review
before anything is submitted, and invoice entry for firms without LEDES. Every read starts
from the user's firm (the invoices selector); every write is the one intake service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import portal_required
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.invoices import preflight, selectors, statements
from legalops.invoices.downloads import attachment_file, file_response, invoice_file
from legalops.invoices.form_entry import entry_ledes, invoice_form_submit
from legalops.invoices.intake import MAX_BYTES, RECEIVED, IntakeReport, invoice_intake
from legalops.invoices.models import Invoice, Source, State
from legalops.invoices.panels import panels_for
from legalops.portal.firm_views import firm_of
from legalops.portal.invoice_forms import (
    EntryHeaderForm,
    LedesUploadForm,
    LineFormSet,
    entry_of,
    pdf_of,
)

SORTS = {
    "number": "invoice_number",
    "date": "invoice_date",
    "received": "received_at",
    "billed": "billed_minor",
    "state": "state",
}


def page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"portal_active": "invoices", **context})


def _mine(request: AuthedRequest, pk: int) -> Invoice:
    return get_object_or_404(selectors.invoice_list(user=request.user), pk=pk)


@portal_required
def invoice_list_view(request: AuthedRequest) -> HttpResponse:
    invoices = selectors.invoice_list(
        user=request.user,
        search=request.GET.get("q", "").strip(),
        state=request.GET.get("state", ""),
    )
    context = {
        "listing": listing(request, invoices, sorts=SORTS, default="-received"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "invoice or matter number"),
                ("state", "State", "select", State.choices),
            ],
        ),
        "disclosed": statements.DISCLOSED_STATES,
    }
    return page(request, template_for(request, "portal/invoice_list.html"), context)


@portal_required
def invoice_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _mine(request, pk)
    context = {
        "invoice": invoice,
        "disclosed": statements.decisions_disclosed(invoice),
        "adjustments": statements.firm_adjustments(invoice),
        "rejection": statements.rejection(invoice),
        "receipts": invoice.attachments.select_related("file", "line"),
        "panels": panels_for(request.user, invoice, "portal"),
    }
    return page(request, "portal/invoice_detail.html", context)


# --- Upload: pre-flight, then submit ----------------------------------------------------------


@portal_required
def invoice_upload_view(request: AuthedRequest) -> HttpResponse:
    """Step 1: the firm uploads a file and sees what the review will say, nothing written.
    Step 2 (`invoice_submit_view`) sends the very bytes it checked."""
    form = LedesUploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            form.add_error("file", f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB")
        else:
            data = upload.read()
            name = (upload.name or "invoice.txt").rsplit("/", 1)[-1][:200]
            context["check"] = preflight.invoice_preflight(
                actor=request.user, data=data, filename=name
            )
            if context["check"].would_accept and context["check"].would_receive:
                context["token"] = preflight.stage(request.user, data)
            context["filename"] = name
    return page(request, "portal/invoice_upload.html", context)


@require_POST
@portal_required
def invoice_submit_view(request: AuthedRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    name = request.POST.get("filename", "invoice.txt")[:200]
    data = preflight.staged(request.user, token)
    if data is None:
        messages.error(request, "That check has expired: upload the file again.")
        return redirect("portal:invoice_upload")
    report = invoice_intake(actor=request.user, data=data, filename=name, source=Source.PORTAL)
    preflight.unstage(request.user, token)
    return _after_intake(request, report)


def _received_one(report: IntakeReport) -> bool:
    outcomes = report.outcomes
    return report.accepted and len(outcomes) == 1 and outcomes[0].status == RECEIVED


def _after_intake(request: AuthedRequest, report: IntakeReport) -> HttpResponse:
    """One invoice received: its page. Otherwise the report, invoice by invoice."""
    if _received_one(report):
        invoice = report.outcomes[0].invoice
        assert invoice is not None
        messages.success(request, f"Invoice {invoice.invoice_number} submitted.")
        return redirect("portal:invoice_detail", pk=invoice.pk)
    return page(request, "portal/invoice_submitted.html", {"report": report})


# --- Entry without LEDES ----------------------------------------------------------------------


@portal_required
def invoice_entry_view(request: AuthedRequest) -> HttpResponse:
    """A form for firms without e-billing software: "Check" shows the pre-flight review,
    "Submit" sends the invoice with its PDF (and receipts)."""
    user, firm = request.user, firm_of(request)
    post = request.POST if request.method == "POST" else None
    header = EntryHeaderForm(post, request.FILES or None, user=user)
    lines = LineFormSet(post, request.FILES or None, form_kwargs={"firm": firm}, prefix="line")
    context: dict[str, Any] = {"header": header, "lines": lines}
    if post is not None and header.is_valid() and lines.is_valid():
        entry = entry_of(header, lines)
        try:
            if "submit" in post:
                pdf = pdf_of(header)
                if pdf is None:
                    header.add_error("pdf", "attach the invoice as a PDF to submit it")
                else:
                    report = invoice_form_submit(actor=user, firm=firm, entry=entry, pdf=pdf)
                    if _received_one(report):
                        return _after_intake(request, report)
                    context["report"] = report  # refused or a duplicate: the form stays
            else:
                context["check"] = preflight.invoice_preflight(
                    actor=user, data=entry_ledes(firm=firm, entry=entry), filename=entry.filename
                )
        except ValidationError as exc:
            header.add_error(None, exc.messages)
    return page(request, "portal/invoice_entry.html", context)


# --- Files --------------------------------------------------------------------------------------


@portal_required
def invoice_file_view(request: AuthedRequest, pk: int, which: str) -> HttpResponse:
    return file_response(invoice_file(request.user, pk, which))


@portal_required
def invoice_attachment_view(request: AuthedRequest, pk: int, attachment: int) -> HttpResponse:
    return file_response(attachment_file(request.user, pk, attachment))
