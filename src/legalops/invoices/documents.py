"""Documents that come with an invoice (the PDF of a form-entered invoice, receipts for
expense lines): what kinds we accept, recognised by their bytes rather than their name, and
storing them with the invoice."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.invoices import workflow
from legalops.invoices.intake import store_file
from legalops.invoices.models import OPEN_STATES, Attachment, Invoice, InvoiceFile, InvoiceLine

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
# Leading bytes -> content type. Only these are served back, always as downloads.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class Document:
    """An uploaded file as bytes (views read the upload; services never see requests)."""

    name: str
    data: bytes


def content_type_of(document: Document, *, pdf_only: bool = False) -> str:
    """The document's type from its first bytes; a ValidationError naming the file when it is
    too large, empty or not a PDF (or, for receipts, a PNG or JPEG image)."""
    if not document.data:
        raise ValidationError(f"{document.name}: the file is empty")
    if len(document.data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            f"{document.name}: larger than {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB"
        )
    for signature, kind in SIGNATURES:
        if document.data.startswith(signature) and (kind == "application/pdf" or not pdf_only):
            return kind
    wanted = "a PDF" if pdf_only else "a PDF, PNG or JPEG file"
    raise ValidationError(f"{document.name}: not {wanted}")


def _store(actor: User | None, document: Document, source: str, content_type: str) -> InvoiceFile:
    return store_file(actor, document.data, document.name, source, "", content_type)


def _require_attach(actor: User | None, invoice: Invoice) -> None:
    """The invoice's own firm, legal ops, or its reviewers; while the invoice is open."""
    if actor is not None and actor.role == Role.FIRM:
        require(actor, Capability.FIRM_SUBMIT)
        if actor.firm_id != invoice.firm_id:
            raise PermissionDenied("you may file documents with your own firm's invoices only")
    elif not has_capability(actor, Capability.INTAKE_INVOICES):
        workflow.require_reviewer(actor, invoice)
    workflow.require_state(invoice, *OPEN_STATES)


@transaction.atomic
def invoice_documents_attach(
    *,
    actor: User | None,
    invoice: Invoice,
    pdf: Document | None = None,
    receipts: dict[InvoiceLine, Document] | None = None,
) -> Invoice:
    """Files the invoice PDF and receipts for expense lines with a received invoice. Called
    by intake's callers in the same transaction as intake, so that an invoice never exists
    without the documents it was submitted with."""
    _require_attach(actor, invoice)
    receipts = receipts or {}
    kinds = {line: content_type_of(doc) for line, doc in receipts.items()}
    for line in receipts:
        if line.invoice_id != invoice.pk or line.kind != "E":
            raise ValidationError(f"line {line.line_item_number}: receipts go with expense lines")
    if pdf is not None:
        stored = _store(actor, pdf, invoice.source, content_type_of(pdf, pdf_only=True))
        invoice.attachment = stored
        invoice.save(update_fields=["attachment"])
    for line, document in receipts.items():
        Attachment.objects.create(
            invoice=invoice,
            line=line,
            file=_store(actor, document, invoice.source, kinds[line]),
            kind=Attachment.Kind.RECEIPT,
            uploaded_by=actor,
        )
    audit_record(
        actor=actor,
        event=Event.INVOICE_DOCUMENTS_ATTACHED,
        target=invoice,
        payload={
            "pdf": pdf.name if pdf else None,
            "receipts": {line.line_item_number: doc.name for line, doc in receipts.items()},
        },
    )
    return invoice
