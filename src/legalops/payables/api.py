import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.permissions import Capability, require
from legalops.core.money import MoneyError, format_minor, to_minor
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.invoices.models import Invoice
from legalops.payables import export, selectors, services
from legalops.payables.models import ApBatch, ApBatchLine, Payment, PaymentSource

router = Router(tags=["accounts payable"])


class ReadyOut(Schema):
    id: int
    invoice_number: str
    law_firm_id: str
    client_matter_id: str
    state: str
    currency: str
    approved_total: str
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_law_firm_id(obj: Invoice) -> str:
        return obj.firm.law_firm_id

    @staticmethod
    def resolve_client_matter_id(obj: Invoice) -> str:
        return obj.matter.number

    @staticmethod
    def resolve_approved_total(obj: Invoice) -> str:
        return format_minor(obj.approved_minor, obj.currency)


class LineOut(Schema):
    position: int
    kind: str
    invoice_id: int
    currency: str
    amount: str
    values: dict[str, str]

    @staticmethod
    def resolve_amount(obj: ApBatchLine) -> str:
        return format_minor(obj.amount_minor, obj.currency)


class BatchOut(Schema):
    id: int
    number: str
    created_at: datetime.datetime
    invoice_count: int
    supplemental_count: int
    columns: list[list[str]]
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj: ApBatch) -> list[ApBatchLine]:
        return list(selectors.batch_lines(obj))


class BatchIn(Schema):
    """The invoices to export (all approved ones when omitted) and whether to add the
    supplemental lines waiting."""

    invoice_ids: list[int] | None = None
    with_supplementals: bool = True


class PaidIn(Schema):
    paid_date: datetime.date
    amount: Decimal | None = None  # default: everything outstanding
    reference: str = ""


class PaymentOut(Schema):
    invoice_id: int
    invoice_number: str
    state: str
    paid_date: datetime.date
    currency: str
    amount: str
    outstanding: str


def _finance(request: ApiRequest) -> None:
    require(request.auth, Capability.MANAGE_PAYABLES)


@router.get("/ap/ready", response={200: list[ReadyOut], **ERRORS})
@paginate(LimitOffsetPagination)
def ready(request: ApiRequest, q: str = "") -> object:
    """Approved invoices waiting to be sent to AP."""
    _finance(request)
    return selectors.ready_invoices(user=request.auth, search=q).order_by("decided_at", "pk")


@router.get("/ap/batches", response={200: list[BatchOut], **ERRORS})
@paginate(LimitOffsetPagination)
def batch_list(request: ApiRequest) -> object:
    _finance(request)
    return selectors.batch_list(user=request.auth).order_by("-created_at", "-pk")


@router.post("/ap/batches", response={201: BatchOut, **ERRORS})
def batch_create(request: ApiRequest, payload: BatchIn) -> Status[ApBatch]:
    """Sends the invoices to AP (state `sent_to_ap`) in one new batch."""
    batch = services.ap_batch_create(
        actor=request.auth,
        invoice_ids=payload.invoice_ids,
        with_supplementals=payload.with_supplementals,
    )
    return Status(201, batch)


@router.get("/ap/batches/{pk}", response={200: BatchOut, **ERRORS})
def batch(request: ApiRequest, pk: int) -> ApBatch:
    _finance(request)
    return get_object_or_404(selectors.batch_list(user=request.auth), pk=pk)


@router.get("/ap/batches/{pk}/file", response={200: None, **ERRORS})
def batch_file(request: ApiRequest, pk: int, format: str = "csv") -> HttpResponse:
    """The batch's file again: `format=csv` or `format=xlsx`."""
    _finance(request)
    found = get_object_or_404(selectors.batch_list(user=request.auth), pk=pk)
    if format not in ("csv", "xlsx"):
        raise HttpError(422, "format must be csv or xlsx")
    if format == "csv":
        response = HttpResponse(export.batch_csv(found), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            export.batch_xlsx(found),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{found.number}.{format}"'
    return response


@router.post("/invoices/{pk}/paid", response={200: PaymentOut, **ERRORS})
def invoice_paid(request: ApiRequest, pk: int, payload: PaidIn) -> dict[str, object]:
    """Records a payment from AP; the invoice is `paid` once nothing is outstanding."""
    _finance(request)
    invoice = get_object_or_404(selectors.finance_invoices(request.auth), pk=pk)
    try:
        amount = None if payload.amount is None else to_minor(payload.amount, invoice.currency)
    except MoneyError as exc:
        raise HttpError(422, str(exc)) from None
    payment: Payment = services.payment_record(
        actor=request.auth,
        invoice=invoice,
        paid_on=payload.paid_date,
        amount_minor=amount,
        source=PaymentSource.API,
        reference=payload.reference,
    )
    invoice.refresh_from_db()
    return {
        "invoice_id": invoice.pk,
        "invoice_number": invoice.invoice_number,
        "state": invoice.state,
        "paid_date": payment.paid_on,
        "currency": invoice.currency,
        "amount": format_minor(payment.amount_minor, invoice.currency),
        "outstanding": format_minor(selectors.outstanding_minor(invoice), invoice.currency),
    }
