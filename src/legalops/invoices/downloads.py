"""Serving an invoice's files (the original LEDES file, the PDF, receipts) to the people who
may see the invoice, and to nobody else: every look-up starts from the user's visible
invoices, so another firm's file is a 404 whatever its id."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpResponse

from legalops.accounts.models import User
from legalops.invoices.models import Attachment, Invoice, InvoiceFile
from legalops.invoices.selectors import visible_invoices


def invoice_file(user: User, invoice_pk: int, which: str = "original") -> InvoiceFile:
    """`which`: "original" (the file as received) or "pdf" (a form-entered invoice's PDF)."""
    invoice = visible_invoices(user).select_related("file", "attachment").filter(pk=invoice_pk)
    found: Invoice | None = invoice.first()
    stored = None
    if found is not None:
        stored = found.file if which == "original" else found.attachment
    if stored is None:
        raise Http404("no such file")
    return stored


def attachment_file(user: User, invoice_pk: int, attachment_pk: int) -> InvoiceFile:
    attachment = (
        Attachment.objects.filter(
            pk=attachment_pk, invoice_id=invoice_pk, invoice__in=visible_invoices(user)
        )
        .select_related("file")
        .first()
    )
    if attachment is None:
        raise Http404("no such attachment")
    return attachment.file


def file_response(stored: InvoiceFile) -> HttpResponse:
    """Always a download (never rendered inline), under the name it arrived with. (Typed as
    HttpResponse, which the view decorators expect; a FileResponse streams.)"""
    response = FileResponse(
        stored.content.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    return cast(HttpResponse, response)
