import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.approvals import selectors, services
from legalops.approvals.models import ApprovalTask, Delegation, Route
from legalops.core.money import format_minor
from legalops.core.schemas import ERRORS
from legalops.core.typing import ApiRequest
from legalops.invoices import services as invoice_services
from legalops.invoices.models import Invoice
from legalops.invoices.selectors import visible_invoices

router = Router(tags=["approvals"])


class TaskOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    law_firm_id: str
    client_matter_id: str
    level: int
    approver: str
    status: str
    waiting_since: datetime.datetime | None
    currency: str
    approved_total: str
    reporting_currency: str
    reporting_amount: str

    @staticmethod
    def resolve_invoice_number(obj: ApprovalTask) -> str:
        return obj.invoice.invoice_number

    @staticmethod
    def resolve_law_firm_id(obj: ApprovalTask) -> str:
        return obj.invoice.firm.law_firm_id

    @staticmethod
    def resolve_client_matter_id(obj: ApprovalTask) -> str:
        return obj.invoice.matter.number

    @staticmethod
    def resolve_approver(obj: ApprovalTask) -> str:
        return obj.approver_label

    @staticmethod
    def resolve_waiting_since(obj: ApprovalTask) -> datetime.datetime | None:
        return obj.activated_at

    @staticmethod
    def resolve_currency(obj: ApprovalTask) -> str:
        return obj.invoice.currency

    @staticmethod
    def resolve_approved_total(obj: ApprovalTask) -> str:
        return format_minor(obj.invoice.approved_minor, obj.invoice.currency)

    @staticmethod
    def resolve_reporting_currency(obj: ApprovalTask) -> str:
        return obj.route.currency

    @staticmethod
    def resolve_reporting_amount(obj: ApprovalTask) -> str:
        return format_minor(obj.route.amount_minor, obj.route.currency)


class DecisionIn(Schema):
    comment: str = ""


class RejectIn(Schema):
    reason_code: str
    comment: str


class InvoiceStateOut(Schema):
    """The invoice after the decision, and the level now waiting (if any)."""

    id: int
    invoice_number: str
    state: str
    waiting_level: int | None
    waiting_for: str | None

    @staticmethod
    def resolve_waiting_level(obj: Invoice) -> int | None:
        task = selectors.current_task(obj)
        return task.level if task and obj.state == "pending_approval" else None

    @staticmethod
    def resolve_waiting_for(obj: Invoice) -> str | None:
        task = selectors.current_task(obj)
        return task.approver_label if task and obj.state == "pending_approval" else None


class StepOut(Schema):
    level: int
    approver: str
    status: str
    decided_by: str | None
    on_behalf_of: str | None
    decided_at: datetime.datetime | None
    comment: str

    @staticmethod
    def resolve_approver(obj: ApprovalTask) -> str:
        return obj.approver_label

    @staticmethod
    def resolve_decided_by(obj: ApprovalTask) -> str | None:
        return obj.decided_by.username if obj.decided_by else None

    @staticmethod
    def resolve_on_behalf_of(obj: ApprovalTask) -> str | None:
        return obj.on_behalf_of.username if obj.on_behalf_of else None


class RouteOut(Schema):
    rule: str
    outcome: str
    reporting_currency: str
    reporting_amount: str
    created_at: datetime.datetime
    steps: list[StepOut]

    @staticmethod
    def resolve_rule(obj: Route) -> str:
        return obj.rule_name

    @staticmethod
    def resolve_reporting_currency(obj: Route) -> str:
        return obj.currency

    @staticmethod
    def resolve_reporting_amount(obj: Route) -> str:
        return format_minor(obj.amount_minor, obj.currency)

    @staticmethod
    def resolve_steps(obj: Route) -> list[ApprovalTask]:
        return list(obj.tasks.all())


def _invoice(request: ApiRequest, pk: int) -> Invoice:
    return get_object_or_404(visible_invoices(request.auth), pk=pk)


@router.get("/approvals/queue", response={200: list[TaskOut], **ERRORS})
@paginate(LimitOffsetPagination)
def approval_queue(request: ApiRequest, q: str = "", everyone: bool = False) -> object:
    """Levels waiting for the caller (or for a pool or person they stand in for)."""
    require(request.auth, Capability.APPROVE_INVOICES)
    rows = selectors.approval_queue(user=request.auth, everyone=everyone, search=q)
    return rows.order_by("activated_at", "pk")


@router.get("/approvals/invoices/{pk}/routes", response={200: list[RouteOut], **ERRORS})
def invoice_routes(request: ApiRequest, pk: int) -> list[Route]:
    """The invoice's approval chains, newest first (firms do not see them)."""
    require(request.auth, Capability.USE_STAFF_APP)
    return selectors.routes_of(_invoice(request, pk))


@router.post("/approvals/invoices/{pk}/approve", response={200: InvoiceStateOut, **ERRORS})
def approve(request: ApiRequest, pk: int, payload: DecisionIn) -> Invoice:
    """Approves the caller's level; the last level approves the invoice."""
    return invoice_services.invoice_approve(
        actor=request.auth, invoice=_invoice(request, pk), comment=payload.comment
    )


@router.post("/approvals/invoices/{pk}/send-back", response={200: InvoiceStateOut, **ERRORS})
def send_back(request: ApiRequest, pk: int, payload: DecisionIn) -> Invoice:
    return services.approval_send_back(
        actor=request.auth, invoice=_invoice(request, pk), comment=payload.comment
    )


@router.post("/approvals/invoices/{pk}/reject", response={200: InvoiceStateOut, **ERRORS})
def reject(request: ApiRequest, pk: int, payload: RejectIn) -> Invoice:
    return invoice_services.invoice_reject(
        actor=request.auth,
        invoice=_invoice(request, pk),
        reason_code=payload.reason_code,
        comment=payload.comment,
    )


class DelegationOut(Schema):
    id: int
    delegator: str
    delegate: str
    starts_on: datetime.date
    ends_on: datetime.date
    comment: str
    revoked_at: datetime.datetime | None

    @staticmethod
    def resolve_delegator(obj: Delegation) -> str:
        return obj.delegator.username

    @staticmethod
    def resolve_delegate(obj: Delegation) -> str:
        return obj.delegate.username


class DelegationIn(Schema):
    delegate: str
    starts_on: datetime.date
    ends_on: datetime.date
    delegator: str | None = None
    comment: str = ""


@router.get("/approvals/delegations", response={200: list[DelegationOut], **ERRORS})
@paginate(LimitOffsetPagination)
def delegation_list(request: ApiRequest, current: str = "") -> object:
    require(request.auth, Capability.APPROVE_INVOICES)
    return selectors.delegation_list(user=request.auth, current=current).order_by(
        "-starts_on", "pk"
    )


@router.post("/approvals/delegations", response={201: DelegationOut, **ERRORS})
def delegation_create(request: ApiRequest, payload: DelegationIn) -> Status[Delegation]:
    delegator = (
        get_object_or_404(User, username=payload.delegator) if payload.delegator else request.auth
    )
    return Status(
        201,
        services.delegation_create(
            actor=request.auth,
            delegator=delegator,
            delegate=get_object_or_404(User, username=payload.delegate),
            starts_on=payload.starts_on,
            ends_on=payload.ends_on,
            comment=payload.comment,
        ),
    )


@router.post("/approvals/delegations/{pk}/revoke", response={200: DelegationOut, **ERRORS})
def delegation_revoke(request: ApiRequest, pk: int) -> Delegation:
    require(request.auth, Capability.APPROVE_INVOICES)
    delegation = get_object_or_404(selectors.delegation_list(user=request.auth), pk=pk)
    return services.delegation_revoke(actor=request.auth, delegation=delegation)
