"""Invoices over the REST API: intake (multipart or a raw LEDES body) and the pre-flight
check, the lists and one invoice with its lines, the original file, and every reviewer
decision. Reads go through the scoped selectors (another firm's invoice is a 404); writes
through the same services as the UI (a user who may not review gets a 403)."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router, Status, UploadedFile
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.permissions import Capability, require
from legalops.core.money import format_minor
from legalops.core.schemas import ERRORS, ErrorOut
from legalops.core.typing import ApiRequest
from legalops.invoices import selectors, services, workspace
from legalops.invoices.api_schemas import (
    AdjustmentIn,
    AdjustmentResultOut,
    CommentIn,
    DecisionIn,
    FlagDecisionOut,
    IntakeRefusedOut,
    IntakeReportOut,
    InvoiceOut,
    LineOut,
    PreflightOut,
    ReasonCodeOut,
    RejectIn,
    preflight_out,
    report_body,
)
from legalops.invoices.downloads import attachment_file, file_response, invoice_file
from legalops.invoices.intake import MAX_BYTES, invoice_intake
from legalops.invoices.models import Adjustment, Flag, Invoice, ReasonCode, Source
from legalops.invoices.preflight import invoice_preflight
from legalops.invoices.statements import decisions_disclosed

router = Router(tags=["invoices"])


def _invoice(request: ApiRequest, invoice_id: int) -> Invoice:
    return selectors.invoice_get(user=request.auth, pk=invoice_id)


def _upload(request: ApiRequest, file: UploadedFile | None, filename: str) -> tuple[bytes, str]:
    """The file of a multipart request, or the raw body (read from the stream, so that a
    large file is not refused by Django's in-memory limit for form data)."""
    if file is not None:
        if file.size and file.size > MAX_BYTES:
            raise HttpError(413, f"the file is larger than {MAX_BYTES} bytes")
        return file.read(), filename or file.name or "upload"
    data = request.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise HttpError(413, f"the file is larger than {MAX_BYTES} bytes")
    if not data:
        raise HttpError(400, "send the LEDES file as multipart field `file` or as the request body")
    return data, filename or "upload.txt"


@router.post(
    "/invoices",
    response={
        201: IntakeReportOut,
        200: IntakeReportOut,
        422: IntakeRefusedOut,
        413: ErrorOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
    },
)
def invoice_upload(
    request: ApiRequest,
    filename: str = "",
    create_missing: bool = False,
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> Status[dict[str, Any]]:
    """Receive a LEDES file (any format): multipart field `file`, or the file as the request
    body with `?filename=`. The file is all-or-nothing: 201 when invoices were received,
    200 when every invoice was already received (duplicates), 422 with the report when it
    was refused. `create_missing` (legal ops only) creates unknown firms and matters."""
    data, name = _upload(request, file, filename)
    report = invoice_intake(
        actor=request.auth,
        data=data,
        filename=name,
        source=Source.API,
        create_missing=create_missing,
    )
    if not report.accepted:
        return Status(422, report_body(report))
    received = any(o.status == "received" for o in report.outcomes)
    return Status(201 if received else 200, report_body(report))


@router.post(
    "/invoices/preflight", response={200: PreflightOut, 400: ErrorOut, 413: ErrorOut, **ERRORS}
)
def invoice_check(
    request: ApiRequest,
    filename: str = "",
    file: File[UploadedFile] = None,  # type: ignore[assignment]
) -> PreflightOut:
    """What intake and the review would do with the file, writing nothing: the flags, the
    money at stake and the rules skipped, per invoice."""
    data, name = _upload(request, file, filename)
    return preflight_out(invoice_preflight(actor=request.auth, data=data, filename=name))


@router.get("/invoices", response={200: list[InvoiceOut], **ERRORS})
@paginate(LimitOffsetPagination)
def invoices(
    request: ApiRequest,
    q: str = "",
    state: str = "",
    firm_id: int | None = None,
    matter_id: int | None = None,
    business_unit_id: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    flags: str = "",
    queue: bool = False,
) -> QuerySet[Invoice]:
    """Invoices the caller may see, newest first. `queue=true`: the caller's review queue;
    `flags`: flagged, clean or holds; dates bound the invoice date."""
    require(request.auth, Capability.VIEW_INVOICES)
    return selectors.invoice_list(
        user=request.auth,
        search=q,
        state=state,
        firm_id=firm_id,
        matter_id=matter_id,
        business_unit_id=business_unit_id,
        date_from=date_from,
        date_to=date_to,
        flags=flags,
        queue=queue,
    ).order_by("-received_at", "-pk")


@router.get("/invoices/{invoice_id}", response={200: dict[str, Any], **ERRORS})
def invoice(request: ApiRequest, invoice_id: int) -> dict[str, Any]:
    """`legalops invoices show --json`'s object plus the invoice's ids, dates, totals,
    guidelines version, lifecycle and files."""
    inv = _invoice(request, invoice_id)
    firm_view = request.auth.role == "firm"
    body = selectors.invoice_json(inv)
    if firm_view and not decisions_disclosed(inv):
        body = _undisclosed(body)
    body.update(_extras(inv, firm_view))
    return body


def _undisclosed(body: dict[str, Any]) -> dict[str, Any]:
    """Before the decision a firm sees what it billed, not the review's proposals."""
    lines = [{**line, "approved_total": None, "flags": []} for line in body["lines"]]
    return {**body, "approved_total": None, "flags": [], "lines": lines}


def _extras(inv: Invoice, firm_view: bool) -> dict[str, Any]:
    version, cur = inv.guidelines, inv.currency
    changes = inv.transitions.select_related("actor").order_by("at", "pk")
    return {
        "id": inv.pk,
        "firm_id": inv.firm_id,
        "matter_id": inv.matter_id,
        "source": inv.source,
        "format": inv.format,
        "invoice_date": inv.invoice_date.isoformat(),
        "billing_start": inv.billing_start.isoformat() if inv.billing_start else None,
        "billing_end": inv.billing_end.isoformat() if inv.billing_end else None,
        "received_on": inv.received_on.isoformat(),
        "billed_fees": format_minor(inv.billed_fees_minor, cur),
        "billed_expenses": format_minor(inv.billed_expenses_minor, cur),
        "tax_total": format_minor(inv.tax_minor, cur),
        "hours": str(inv.hours),
        "resubmission_of": inv.resubmission_of_id,
        "guidelines": (
            {
                "id": version.pk,
                "name": version.name,
                "version": version.version,
                "effective": version.effective.isoformat(),
                "sha256": version.sha256,
            }
            if version
            else None
        ),
        "transitions": [
            {
                "from": c.from_state,
                "to": c.to_state,
                "at": c.at.isoformat(),
                "actor": None if firm_view or c.actor is None else c.actor.username,
                "reason_code": c.reason_code,
                "comment": c.comment if not firm_view or c.to_state == "rejected" else "",
            }
            for c in changes
        ],
        "files": {
            "original": inv.file.name if inv.file else None,
            "pdf": inv.attachment.name if inv.attachment else None,
            "attachments": [
                {"id": a.pk, "kind": a.kind, "line_id": a.line_id, "name": a.file.name}
                for a in inv.attachments.select_related("file")
            ],
        },
    }


@router.get("/invoices/{invoice_id}/lines", response={200: list[LineOut], **ERRORS})
@paginate(LimitOffsetPagination)
def invoice_lines(
    request: ApiRequest, invoice_id: int, rule: str = "", show: str = "all"
) -> QuerySet[Any]:
    """The invoice's lines in file order, each with its flags and adjustments (fetched for
    the requested page only). `rule` keeps lines one rule fired on; `show`: all, flagged or
    adjusted."""
    inv = _invoice(request, invoice_id)
    lines = workspace.filtered_lines(inv, inv.lines.all(), rule=rule, show=show)
    return lines.order_by("index").prefetch_related(
        # The invoice joined in: each flag and adjustment formats its money in its currency.
        Prefetch(
            "flags", queryset=Flag.objects.select_related("decided_by", "invoice").order_by("order")
        ),
        Prefetch(
            "adjustments",
            queryset=Adjustment.objects.select_related("created_by", "invoice").order_by(
                "created_at", "pk"
            ),
        ),
    )


@router.get("/invoices/{invoice_id}/file", response={200: None, **ERRORS})
def invoice_original(request: ApiRequest, invoice_id: int) -> HttpResponse:
    """The file as received, byte for byte."""
    return file_response(invoice_file(request.auth, invoice_id, "original"))


@router.get("/invoices/{invoice_id}/pdf", response={200: None, **ERRORS})
def invoice_pdf(request: ApiRequest, invoice_id: int) -> HttpResponse:
    """The PDF filed with a form-entered invoice."""
    return file_response(invoice_file(request.auth, invoice_id, "pdf"))


@router.get("/invoices/{invoice_id}/attachments/{attachment_id}", response={200: None, **ERRORS})
def invoice_attachment(request: ApiRequest, invoice_id: int, attachment_id: int) -> HttpResponse:
    return file_response(attachment_file(request.auth, invoice_id, attachment_id))


# --- Decisions ----------------------------------------------------------------------------------


def _refreshed(inv: Invoice) -> Invoice:
    return Invoice.objects.select_related("firm", "matter").get(pk=inv.pk)


@router.post(
    "/invoices/{invoice_id}/flags/{flag_id}/decision", response={200: FlagDecisionOut, **ERRORS}
)
def flag_decision(
    request: ApiRequest, invoice_id: int, flag_id: int, payload: DecisionIn
) -> dict[str, Any]:
    """Accept a flag (its adjustment stands, a hold is cleared) or override it (reason code
    and comment required: the line gets its money back)."""
    inv = _invoice(request, invoice_id)
    flag = get_object_or_404(Flag.objects.select_related("invoice"), pk=flag_id, invoice=inv)
    if payload.decision not in ("accept", "override"):
        raise HttpError(422, "decision is accept or override")
    services.flag_decide(
        actor=request.auth,
        flag=flag,
        accept=payload.decision == "accept",
        reason_code=payload.reason_code,
        comment=payload.comment,
    )
    flag.refresh_from_db()
    return {"invoice": _refreshed(inv), "flag": flag}


@router.post("/invoices/{invoice_id}/adjustments", response={201: AdjustmentResultOut, **ERRORS})
def adjustment_create(
    request: ApiRequest, invoice_id: int, payload: AdjustmentIn
) -> Status[dict[str, Any]]:
    """Set a line's approved amount (`approved`), with a reason code: a manual adjustment of
    the difference."""
    inv = _invoice(request, invoice_id)
    line = get_object_or_404(inv.lines.all(), pk=payload.line_id)
    adjustment = services.adjustment_add(
        actor=request.auth,
        line=line,
        approved=Decimal(payload.approved),
        reason_code=payload.reason_code,
        comment=payload.comment,
    )
    return Status(201, {"invoice": _refreshed(inv), "adjustment": adjustment})


@router.post(
    "/invoices/{invoice_id}/adjustments/{adjustment_id}/withdraw",
    response={200: AdjustmentResultOut, **ERRORS},
)
def adjustment_withdraw(
    request: ApiRequest, invoice_id: int, adjustment_id: int, payload: CommentIn
) -> dict[str, Any]:
    inv = _invoice(request, invoice_id)
    adjustment = get_object_or_404(
        Adjustment.objects.select_related("invoice"), pk=adjustment_id, invoice=inv
    )
    services.adjustment_withdraw(actor=request.auth, adjustment=adjustment, comment=payload.comment)
    adjustment.refresh_from_db()
    return {"invoice": _refreshed(inv), "adjustment": adjustment}


def _transition(request: ApiRequest, invoice_id: int, action: Any) -> Invoice:
    inv = _invoice(request, invoice_id)
    action(inv)
    return _refreshed(inv)


@router.post("/invoices/{invoice_id}/start-review", response={200: InvoiceOut, **ERRORS})
def start_review(request: ApiRequest, invoice_id: int) -> Invoice:
    return _transition(
        request,
        invoice_id,
        lambda inv: services.invoice_start_review(actor=request.auth, invoice=inv),
    )


@router.post("/invoices/{invoice_id}/rereview", response={200: InvoiceOut, **ERRORS})
def rereview(request: ApiRequest, invoice_id: int) -> Invoice:
    """Review again with the guidelines in force (decisions and manual adjustments reset)."""
    return _transition(
        request, invoice_id, lambda inv: services.invoice_rereview(actor=request.auth, invoice=inv)
    )


@router.post("/invoices/{invoice_id}/hold", response={200: InvoiceOut, **ERRORS})
def hold(request: ApiRequest, invoice_id: int, payload: CommentIn) -> Invoice:
    return _transition(
        request,
        invoice_id,
        lambda inv: services.invoice_hold(actor=request.auth, invoice=inv, comment=payload.comment),
    )


@router.post("/invoices/{invoice_id}/release", response={200: InvoiceOut, **ERRORS})
def release(request: ApiRequest, invoice_id: int, payload: CommentIn) -> Invoice:
    return _transition(
        request,
        invoice_id,
        lambda inv: services.invoice_release(
            actor=request.auth, invoice=inv, comment=payload.comment
        ),
    )


@router.post("/invoices/{invoice_id}/submit", response={200: InvoiceOut, **ERRORS})
def submit(request: ApiRequest, invoice_id: int, payload: CommentIn) -> Invoice:
    """The reviewer is done: the invoice goes to approval (refused while holds are open)."""
    return _transition(
        request,
        invoice_id,
        lambda inv: services.invoice_submit_for_approval(
            actor=request.auth, invoice=inv, comment=payload.comment
        ),
    )


@router.post("/invoices/{invoice_id}/reject", response={200: InvoiceOut, **ERRORS})
def reject(request: ApiRequest, invoice_id: int, payload: RejectIn) -> Invoice:
    return _transition(
        request,
        invoice_id,
        lambda inv: services.invoice_reject(
            actor=request.auth,
            invoice=inv,
            reason_code=payload.reason_code,
            comment=payload.comment,
        ),
    )


@router.post("/invoices/{invoice_id}/void", response={200: InvoiceOut, **ERRORS})
def void(request: ApiRequest, invoice_id: int, payload: CommentIn) -> Invoice:
    return _transition(
        request,
        invoice_id,
        lambda inv: services.invoice_void(actor=request.auth, invoice=inv, comment=payload.comment),
    )


@router.get("/reason-codes", response={200: list[ReasonCodeOut], **ERRORS})
@paginate(LimitOffsetPagination)
def reason_codes(request: ApiRequest) -> QuerySet[ReasonCode]:
    """The reason codes adjustments, overrides and rejections accept."""
    require(request.auth, Capability.VIEW_INVOICES)
    return ReasonCode.objects.filter(is_active=True).order_by("code")
