"""Input and output shapes of the invoices API (`api.py`). Money is a decimal string with the
currency's minor unit (spec/cli.md). A firm user sees approved amounts, flags and adjustments
of its own invoices once they are decided (`statements.DISCLOSED_STATES`); before that they
are null or empty, as in the portal."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from legalops.accounts.models import Role
from legalops.core.money import format_minor
from legalops.core.schemas import ErrorItem
from legalops.invoices.intake import IntakeReport, Outcome
from legalops.invoices.models import Adjustment, Flag, Invoice, InvoiceLine
from legalops.invoices.preflight import FlagView, Preflight, PreflightInvoice
from legalops.invoices.statements import decisions_disclosed


def hidden_from(context: Any, invoice: Invoice) -> bool:
    """True when the caller is a firm user and the invoice is not decided yet."""
    request = context.get("request") if context else None
    user = getattr(request, "auth", None)
    firm = user is None or user.role == Role.FIRM
    return firm and not decisions_disclosed(invoice)


# --- Intake and pre-flight --------------------------------------------------------------------


class IntakeInvoiceOut(Schema):
    invoice_number: str
    law_firm_id: str
    client_matter_id: str
    status: str  # received | duplicate | rejected
    reasons: list[str]
    id: int | None = None
    state: str | None = None
    currency: str | None = None
    billed_total: str | None = None
    flags: int | None = None
    resubmission_of: int | None = None


class IntakeReportOut(Schema):
    """What intake did with the file; `ledes_errors` as `legalops ledes validate --json`."""

    file: str
    format: str | None
    accepted: bool
    ledes_errors: list[dict[str, Any]]
    invoices: list[IntakeInvoiceOut]


class IntakeRefusedOut(IntakeReportOut):
    """A refused file: the API's error shape (`detail`, `errors`) plus the whole report."""

    detail: str
    errors: list[ErrorItem]


def outcome_out(outcome: Outcome) -> IntakeInvoiceOut:
    inv = outcome.invoice if outcome.status != "rejected" else None
    return IntakeInvoiceOut(
        invoice_number=outcome.invoice_number,
        law_firm_id=outcome.law_firm_id,
        client_matter_id=outcome.client_matter_id,
        status=outcome.status,
        reasons=outcome.reasons,
        id=inv.pk if inv else None,
        state=inv.state if inv else None,
        currency=inv.currency if inv else None,
        billed_total=format_minor(inv.billed_minor, inv.currency) if inv else None,
        flags=inv.flag_count if inv else None,
        resubmission_of=outcome.resubmission_of.pk if outcome.resubmission_of else None,
    )


def report_body(report: IntakeReport) -> dict[str, Any]:
    body: dict[str, Any] = {
        "file": report.file,
        "format": report.format,
        "accepted": report.accepted,
        "ledes_errors": report.errors,
        "invoices": [outcome_out(o) for o in report.outcomes],
    }
    if not report.accepted:
        body["detail"] = f"{report.file} was refused; nothing of it was written."
        body["errors"] = refusal_errors(report)
    return body


def refusal_errors(report: IntakeReport) -> list[dict[str, Any]]:
    """Each LEDES error (loc: file, line, field) and each refused invoice (loc: invoices,
    position, invoice number) in the API's error items."""
    errors = [
        {
            "loc": ["file", e.get("line") or 0, e.get("field") or ""],
            "msg": str(e.get("message", "")),
            "code": str(e.get("code", "ledes")),
        }
        for e in report.errors
    ]
    for n, outcome in enumerate(report.outcomes):
        errors += [
            {"loc": ["invoices", n, outcome.invoice_number], "msg": reason, "code": "rejected"}
            for reason in (outcome.reasons if outcome.status == "rejected" else [])
        ]
    return errors


class GuidelinesOut(Schema):
    id: int
    name: str
    version: str
    effective: datetime.date
    sha256: str


class PreflightFlagOut(Schema):
    rule: str
    action: str
    amount: str
    message: str
    evidence: dict[str, Any]
    line_item_number: str
    line: int


class PreflightInvoiceOut(Schema):
    invoice_number: str
    law_firm_id: str
    client_matter_id: str
    status: str
    reasons: list[str]
    currency: str | None
    billed_total: str | None
    approved_total: str | None
    at_stake: str | None
    returned: bool
    guidelines: GuidelinesOut | None
    flags: list[PreflightFlagOut]
    skipped_rules: list[dict[str, str]]


class PreflightOut(Schema):
    file: str
    format: str | None
    would_accept: bool
    ledes_errors: list[dict[str, Any]]
    warnings: list[dict[str, Any]]
    invoices: list[PreflightInvoiceOut]


def _flag_out(flag: FlagView, code: str) -> PreflightFlagOut:
    return PreflightFlagOut(
        rule=flag.rule,
        action=flag.action,
        amount=format_minor(flag.amount_minor, code),
        message=flag.message,
        evidence=flag.evidence,
        line_item_number=flag.line_item_number,
        line=flag.line,
    )


def _checked_out(inv: PreflightInvoice) -> PreflightInvoiceOut:
    code, reviewed = inv.currency, inv.guidelines is not None
    version = inv.guidelines
    return PreflightInvoiceOut(
        invoice_number=inv.outcome.invoice_number,
        law_firm_id=inv.outcome.law_firm_id,
        client_matter_id=inv.outcome.client_matter_id,
        status=inv.outcome.status,
        reasons=inv.outcome.reasons,
        currency=code or None,
        billed_total=format_minor(inv.billed_minor, code) if reviewed else None,
        approved_total=format_minor(inv.approved_minor, code) if reviewed else None,
        at_stake=format_minor(inv.at_stake_minor, code) if reviewed else None,
        returned=inv.returned,
        guidelines=GuidelinesOut.from_orm(version) if version else None,
        flags=[_flag_out(f, code) for f in inv.flags],
        skipped_rules=inv.skipped,
    )


def preflight_out(check: Preflight) -> PreflightOut:
    return PreflightOut(
        file=check.file,
        format=check.format,
        would_accept=check.would_accept,
        ledes_errors=check.errors,
        warnings=check.warnings,
        invoices=[_checked_out(i) for i in check.invoices],
    )


# --- Invoices, lines, flags, adjustments ------------------------------------------------------


class InvoiceOut(Schema):
    id: int
    invoice_number: str
    firm_id: int
    law_firm_id: str
    firm_name: str
    matter_id: int
    client_matter_id: str
    state: str
    source: str
    currency: str
    invoice_date: datetime.date
    billing_start: datetime.date | None
    billing_end: datetime.date | None
    received_at: datetime.datetime
    billed_total: str
    approved_total: str | None
    flag_count: int | None
    open_holds: int | None

    @staticmethod
    def resolve_law_firm_id(obj: Invoice) -> str:
        return obj.firm.law_firm_id

    @staticmethod
    def resolve_firm_name(obj: Invoice) -> str:
        return obj.firm.name

    @staticmethod
    def resolve_client_matter_id(obj: Invoice) -> str:
        return obj.matter.number

    @staticmethod
    def resolve_billed_total(obj: Invoice) -> str:
        return format_minor(obj.billed_minor, obj.currency)

    @staticmethod
    def resolve_approved_total(obj: Invoice, context: Any) -> str | None:
        if hidden_from(context, obj):
            return None
        return format_minor(obj.approved_minor, obj.currency)

    @staticmethod
    def resolve_flag_count(obj: Invoice, context: Any) -> int | None:
        return None if hidden_from(context, obj) else obj.flag_count

    @staticmethod
    def resolve_open_holds(obj: Invoice, context: Any) -> int | None:
        return None if hidden_from(context, obj) else obj.open_holds


class FlagOut(Schema):
    id: int
    line_id: int | None
    rule: str
    action: str
    amount: str
    message: str
    evidence: dict[str, Any]
    status: str
    reason_code: str
    comment: str
    decided_by: str | None
    decided_at: datetime.datetime | None

    @staticmethod
    def resolve_amount(obj: Flag) -> str:
        return format_minor(obj.amount_minor, obj.invoice.currency)

    @staticmethod
    def resolve_decided_by(obj: Flag) -> str | None:
        return obj.decided_by.username if obj.decided_by else None


class AdjustmentOut(Schema):
    id: int
    line_id: int
    flag_id: int | None
    amount: str
    reinstated: str
    reason_code: str
    comment: str
    created_by: str | None
    created_at: datetime.datetime
    withdrawn_at: datetime.datetime | None

    @staticmethod
    def resolve_amount(obj: Adjustment) -> str:
        return format_minor(obj.amount_minor, obj.invoice.currency)

    @staticmethod
    def resolve_reinstated(obj: Adjustment) -> str:
        return format_minor(obj.reinstated_minor, obj.invoice.currency)

    @staticmethod
    def resolve_created_by(obj: Adjustment) -> str | None:
        return obj.created_by.username if obj.created_by else None


class LineOut(Schema):
    id: int
    index: int
    line_item_number: str
    line: int
    kind: str
    date: datetime.date | None
    units: Decimal | None
    unit_cost: Decimal | None
    billed_total: str
    approved_total: str | None
    task_code: str
    activity_code: str
    expense_code: str
    timekeeper_id: str
    timekeeper_name: str
    classification: str
    narrative: str
    flags: list[FlagOut]
    adjustments: list[AdjustmentOut]

    @staticmethod
    def resolve_line(obj: InvoiceLine) -> int:
        return obj.position

    @staticmethod
    def resolve_timekeeper_id(obj: InvoiceLine) -> str:
        return obj.timekeeper_ref

    @staticmethod
    def resolve_billed_total(obj: InvoiceLine) -> str:
        return format_minor(obj.billed_minor, obj.invoice.currency)

    @staticmethod
    def resolve_approved_total(obj: InvoiceLine, context: Any) -> str | None:
        if hidden_from(context, obj.invoice):
            return None
        return format_minor(obj.approved_minor, obj.invoice.currency)

    @staticmethod
    def resolve_flags(obj: InvoiceLine, context: Any) -> list[Flag]:
        return [] if hidden_from(context, obj.invoice) else list(obj.flags.all())

    @staticmethod
    def resolve_adjustments(obj: InvoiceLine, context: Any) -> list[Adjustment]:
        return [] if hidden_from(context, obj.invoice) else list(obj.adjustments.all())


class DecisionIn(Schema):
    decision: str  # "accept" or "override"
    reason_code: str = ""
    comment: str = ""


class AdjustmentIn(Schema):
    line_id: int
    approved: Decimal
    reason_code: str
    comment: str = ""


class CommentIn(Schema):
    comment: str = ""


class RejectIn(Schema):
    reason_code: str
    comment: str


class FlagDecisionOut(Schema):
    invoice: InvoiceOut
    flag: FlagOut


class AdjustmentResultOut(Schema):
    invoice: InvoiceOut
    adjustment: AdjustmentOut


class ReasonCodeOut(Schema):
    code: str
    label: str
    built_in: bool
