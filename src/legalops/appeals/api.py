import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.appeals import selectors, services
from legalops.appeals.models import Appeal, AppealItem
from legalops.appeals.services import ItemSpec
from legalops.core.money import format_minor
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.invoices.selectors import visible_invoices

router = Router(tags=["appeals"])


class ItemOut(Schema):
    id: int
    line_item_number: str
    adjusted: str
    requested: str
    reason: str
    decision: str
    reinstated: str
    comment: str

    @staticmethod
    def resolve_line_item_number(obj: AppealItem) -> str:
        return obj.line.line_item_number

    @staticmethod
    def resolve_adjusted(obj: AppealItem) -> str:
        return format_minor(obj.adjusted_minor, obj.appeal.invoice.currency)

    @staticmethod
    def resolve_requested(obj: AppealItem) -> str:
        return format_minor(obj.requested_minor, obj.appeal.invoice.currency)

    @staticmethod
    def resolve_reinstated(obj: AppealItem) -> str:
        return format_minor(obj.reinstated_minor, obj.appeal.invoice.currency)


class AppealOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    status: str
    prior_state: str
    invoice_state: str
    currency: str
    note: str
    filed_at: datetime.datetime
    decided_at: datetime.datetime | None
    items: list[ItemOut]

    @staticmethod
    def resolve_invoice_number(obj: Appeal) -> str:
        return obj.invoice.invoice_number

    @staticmethod
    def resolve_invoice_state(obj: Appeal) -> str:
        return obj.invoice.state

    @staticmethod
    def resolve_currency(obj: Appeal) -> str:
        return obj.invoice.currency

    @staticmethod
    def resolve_items(obj: Appeal) -> list[AppealItem]:
        return list(selectors.appeal_items(obj))


class ItemIn(Schema):
    line_item_number: str
    reason: str
    amount: Decimal | None = None


class AppealIn(Schema):
    """A firm's appeal: per line its LINE_ITEM_NUMBER, the reason and (optionally) the amount
    asked back (default: all that was taken off)."""

    invoice_id: int
    items: list[ItemIn]
    note: str = ""


class DecideIn(Schema):
    decision: str  # reinstated | partly | upheld
    amount: Decimal | None = None
    comment: str = ""


@router.get("/appeals", response={200: list[AppealOut], **ERRORS})
@paginate(LimitOffsetPagination)
def appeal_list(request: ApiRequest, status: str = "", q: str = "") -> object:
    """Appeals of invoices the caller may see (a firm: its own)."""
    return selectors.appeal_list(user=request.auth, status=status, search=q).order_by(
        "-filed_at", "pk"
    )


@router.get("/appeals/{pk}", response={200: AppealOut, **ERRORS})
def appeal(request: ApiRequest, pk: int) -> Appeal:
    return selectors.appeal_get(user=request.auth, pk=pk)


@router.post("/appeals", response={201: AppealOut, **ERRORS})
def appeal_file(request: ApiRequest, payload: AppealIn) -> Status[Appeal]:
    invoice = get_object_or_404(visible_invoices(request.auth), pk=payload.invoice_id)
    items = [
        ItemSpec(
            line=get_object_or_404(invoice.lines, line_item_number=item.line_item_number),
            reason=item.reason,
            requested=item.amount,
        )
        for item in payload.items
    ]
    return Status(
        201,
        services.appeal_file(actor=request.auth, invoice=invoice, items=items, note=payload.note),
    )


@router.post("/appeals/{pk}/items/{item_id}/decide", response={200: AppealOut, **ERRORS})
def appeal_item_decide(request: ApiRequest, pk: int, item_id: int, payload: DecideIn) -> Appeal:
    found = selectors.appeal_get(user=request.auth, pk=pk)
    item = get_object_or_404(found.items, pk=item_id)
    services.appeal_item_decide(
        actor=request.auth,
        item=item,
        decision=payload.decision,
        amount=payload.amount,
        comment=payload.comment,
    )
    return selectors.appeal_get(user=request.auth, pk=pk)


@router.post("/appeals/{pk}/withdraw", response={200: AppealOut, **ERRORS})
def appeal_withdraw(request: ApiRequest, pk: int) -> Appeal:
    found = selectors.appeal_get(user=request.auth, pk=pk)
    services.appeal_withdraw(actor=request.auth, appeal=found)
    return selectors.appeal_get(user=request.auth, pk=pk)
