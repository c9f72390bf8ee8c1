"""Writes to invoices after intake: storing a review, the reviewer's decisions on flags and
adjustments, holds, approval and rejection. Intake itself is in `intake.py`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.approvals import routing as approval_routing
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.fastinsert import insert_many
from legalops.core.money import format_minor, to_minor
from legalops.guidelines.results import Flag as EngineFlag
from legalops.guidelines.results import InvoiceResult
from legalops.invoices import workflow
from legalops.invoices.models import (
    Adjustment,
    Flag,
    GuidelinesVersion,
    Invoice,
    InvoiceLine,
    ReasonCode,
    State,
)
from legalops.invoices.review import run_review
from legalops.reports.rollups import rollup_touch

HOLD = "hold"


# --- Storing a review -------------------------------------------------------------------------


def _flag_row(
    invoice: Invoice,
    line: InvoiceLine | None,
    order: int,
    flag: EngineFlag,
    version: GuidelinesVersion,
) -> Flag:
    return Flag(
        invoice=invoice,
        line=line,
        order=order,
        rule=flag.rule,
        action=flag.action,
        amount_minor=to_minor(flag.amount, invoice.currency),
        message=flag.message,
        evidence=dict(flag.evidence),
        guidelines=version,
    )


def review_store(invoice: Invoice, version: GuidelinesVersion, result: InvoiceResult) -> None:
    """Replaces the invoice's review: its flags and automatic adjustments. Reviewer decisions
    and manual adjustments of an earlier review are dropped with it (a re-review starts
    over), which the audit event records."""
    Adjustment.objects.filter(invoice=invoice, flag__isnull=False).delete()
    invoice.flags.all().delete()
    lines = list(invoice.lines.order_by("index"))
    rows = [_flag_row(invoice, None, n, f, version) for n, f in enumerate(result.flags)]
    for line, outcome in zip(lines, result.lines, strict=True):
        rows += [_flag_row(invoice, line, n, f, version) for n, f in enumerate(outcome.flags)]
    flags = insert_many(Flag, rows)
    insert_many(
        Adjustment,
        [
            Adjustment(
                invoice=invoice,
                line=flag.line,
                flag=flag,
                amount_minor=flag.amount_minor,
                reason_code=flag.rule,
                comment="automatic: " + flag.message[:500],
            )
            for flag in flags
            if flag.line is not None and flag.amount_minor
        ],
    )
    invoice.guidelines = version
    invoice.returned = result.returned
    invoice.review_skipped = [{"rule": s.rule, "reason": s.reason} for s in result.skipped]
    invoice.reviewed_at = timezone.now()
    totals_refresh(invoice, lines)
    audit_record(
        actor=None,
        event=Event.INVOICE_REVIEWED,
        target=invoice,
        payload={
            "guidelines": f"{version.name} {version.version}",
            "sha256": version.sha256,
            "flags": len(flags),
            "approved": format_minor(invoice.approved_minor, invoice.currency),
        },
    )


def totals_refresh(invoice: Invoice, lines: list[InvoiceLine] | None = None) -> Invoice:
    """Recomputes every line's approved amount from its adjustments, and the invoice's totals
    and counters, in three queries whatever the invoice's size."""
    lines = lines if lines is not None else list(invoice.lines.order_by("index"))
    net = _net_adjustments(invoice)
    counts = dict(
        Flag.objects.filter(invoice=invoice, line__isnull=False)
        .values("line")
        .annotate(n=Count("pk"))
        .values_list("line", "n")
    )
    changed = []
    for line in lines:
        approved = line_approved(line.billed_minor, net.get(line.pk, 0))
        count = counts.get(line.pk, 0)
        if (approved, count) != (line.approved_minor, line.flag_count):
            line.approved_minor, line.flag_count = approved, count
            changed.append(line)
    _lines_update(changed)
    invoice.approved_minor = 0 if invoice.returned else sum(line.approved_minor for line in lines)
    invoice.flag_count = invoice.flags.count()
    invoice.open_holds = invoice.flags.filter(action=HOLD, status=Flag.Status.PROPOSED).count()
    rollup_touch(invoice)
    invoice.save(
        update_fields=[
            "approved_minor",
            "flag_count",
            "open_holds",
            "guidelines",
            "returned",
            "reviewed_at",
            "review_skipped",
        ]
    )
    return invoice


def _lines_update(lines: list[InvoiceLine]) -> None:
    """Writes the lines' approved amounts and flag counts in one prepared UPDATE run many
    times: `bulk_update` builds a CASE expression per line, which took longer than the
    whole review on a 10,000-line invoice."""
    if not lines:
        return
    meta = InvoiceLine._meta
    table = connection.ops.quote_name(meta.db_table)
    columns = {
        field.name: connection.ops.quote_name(field.column or field.name)
        for field in meta.concrete_fields
    }
    approved, count, pk = columns["approved_minor"], columns["flag_count"], columns["id"]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {approved} = %s, {count} = %s WHERE {pk} = %s",
            [(line.approved_minor, line.flag_count, line.pk) for line in lines],
        )


def line_approved(billed_minor: int, net_adjustment: int) -> int:
    """A charge is reduced to zero at most and reinstated to what was billed at most; a credit
    line (a negative LEDES adjustment line) stays as billed."""
    if billed_minor <= 0:
        return billed_minor
    return min(billed_minor, max(0, billed_minor + net_adjustment))


def _net_adjustments(invoice: Invoice) -> dict[int, int]:
    rows = (
        Adjustment.objects.filter(invoice=invoice, withdrawn_at__isnull=True)
        .values("line")
        .annotate(amount=Sum("amount_minor"), reinstated=Sum("reinstated_minor"))
    )
    return {row["line"]: row["amount"] + row["reinstated"] for row in rows}


@transaction.atomic
def invoice_rereview(
    *, actor: User | None, invoice: Invoice, as_of: datetime.date | None = None
) -> Invoice:
    """Runs the guidelines in force again (e.g. after a rate card correction)."""
    invoice = workflow.locked(invoice)
    workflow.require_reviewer(actor, invoice)
    workflow.require_state(invoice, *workflow.REVIEWABLE)
    version, result = run_review(invoice, as_of=as_of)
    review_store(invoice, version, result)
    return invoice


# --- The reviewer's decisions -----------------------------------------------------------------


def _reason(code: str) -> str:
    if not ReasonCode.objects.filter(code=code, is_active=True).exists():
        raise ValidationError({"reason_code": f"unknown reason code {code!r}"})
    return code


@transaction.atomic
def flag_decide(
    *, actor: User | None, flag: Flag, accept: bool, reason_code: str = "", comment: str = ""
) -> Flag:
    """Accept a flag (its proposed adjustment stands; a hold is cleared) or override it (the
    line gets its money back; a reason code and comment are required)."""
    invoice = workflow.locked(flag.invoice)
    workflow.require_reviewer(actor, invoice)
    workflow.require_state(invoice, *workflow.REVIEWABLE, State.PENDING_APPROVAL)
    if not accept and not (reason_code and comment.strip()):
        raise ValidationError("overriding a flag needs a reason code and a comment")
    flag.status = Flag.Status.ACCEPTED if accept else Flag.Status.OVERRIDDEN
    flag.decided_by, flag.decided_at = actor, timezone.now()
    flag.reason_code = _reason(reason_code) if reason_code else flag.rule
    flag.comment = comment
    flag.save(update_fields=["status", "decided_by", "decided_at", "reason_code", "comment"])
    adjustment = Adjustment.objects.filter(flag=flag).first()
    if adjustment is not None:
        adjustment.withdrawn_at = None if accept else timezone.now()
        adjustment.save(update_fields=["withdrawn_at"])
    if flag.action == "reject-invoice" and not accept:
        invoice.returned = False
    totals_refresh(invoice)
    audit_record(
        actor=actor,
        event=Event.INVOICE_FLAG_DECIDED,
        target=invoice,
        reason=comment,
        payload={
            "flag": flag.pk,
            "rule": flag.rule,
            "decision": flag.status,
            "reason_code": flag.reason_code,
            "approved": format_minor(invoice.approved_minor, invoice.currency),
        },
    )
    return flag


@transaction.atomic
def adjustment_add(
    *, actor: User | None, line: InvoiceLine, approved: Decimal, reason_code: str, comment: str = ""
) -> Adjustment:
    """Sets the line's approved amount to `approved` with a manual adjustment of the
    difference (a reduction, or a correction up to what was billed)."""
    invoice = workflow.locked(line.invoice)
    workflow.require_reviewer(actor, invoice)
    workflow.require_state(invoice, *workflow.REVIEWABLE, State.PENDING_APPROVAL)
    line.refresh_from_db()
    target = to_minor(approved, invoice.currency)
    if not 0 <= target <= max(line.billed_minor, 0):
        raise ValidationError(
            {
                "approved": "the approved amount must be between 0 and "
                f"{format_minor(line.billed_minor, invoice.currency)}"
            }
        )
    if target == line.approved_minor:
        raise ValidationError({"approved": "that is already the approved amount"})
    adjustment = Adjustment.objects.create(
        invoice=invoice,
        line=line,
        amount_minor=target - line.approved_minor,
        reason_code=_reason(reason_code),
        comment=comment,
        created_by=actor,
    )
    totals_refresh(invoice)
    audit_record(
        actor=actor,
        event=Event.INVOICE_ADJUSTED,
        target=invoice,
        reason=comment,
        payload={
            "line": line.line_item_number,
            "reason_code": reason_code,
            "old": {"approved": format_minor(target - adjustment.amount_minor, invoice.currency)},
            "new": {"approved": format_minor(target, invoice.currency)},
        },
    )
    return adjustment


@transaction.atomic
def adjustment_withdraw(
    *, actor: User | None, adjustment: Adjustment, comment: str = ""
) -> Adjustment:
    invoice = workflow.locked(adjustment.invoice)
    workflow.require_reviewer(actor, invoice)
    workflow.require_state(invoice, *workflow.REVIEWABLE, State.PENDING_APPROVAL)
    if adjustment.flag_id is not None:
        raise ValidationError("an automatic adjustment is withdrawn by overriding its flag")
    adjustment.withdrawn_at = timezone.now()
    adjustment.save(update_fields=["withdrawn_at"])
    totals_refresh(invoice)
    audit_record(
        actor=actor,
        event=Event.INVOICE_ADJUSTMENT_WITHDRAWN,
        target=invoice,
        reason=comment,
        payload={"adjustment": adjustment.pk},
    )
    return adjustment


# --- Moving the invoice -----------------------------------------------------------------------


@transaction.atomic
def invoice_start_review(*, actor: User | None, invoice: Invoice) -> Invoice:
    invoice = workflow.locked(invoice)
    workflow.require_reviewer(actor, invoice)
    return workflow.transition(invoice, State.IN_REVIEW, actor=actor)


@transaction.atomic
def invoice_hold(*, actor: User | None, invoice: Invoice, comment: str) -> Invoice:
    invoice = workflow.locked(invoice)
    workflow.require_reviewer(actor, invoice)
    if not comment.strip():
        raise ValidationError({"comment": "say why the invoice is on hold"})
    return workflow.transition(invoice, State.ON_HOLD, actor=actor, comment=comment)


@transaction.atomic
def invoice_release(*, actor: User | None, invoice: Invoice, comment: str = "") -> Invoice:
    invoice = workflow.locked(invoice)
    workflow.require_reviewer(actor, invoice)
    return workflow.transition(invoice, State.IN_REVIEW, actor=actor, comment=comment)


def _require_no_holds(invoice: Invoice) -> None:
    if invoice.open_holds:
        raise ValidationError(
            f"{invoice.open_holds} hold flag(s) must be cleared first (accept or override them)"
        )
    if invoice.returned:
        raise ValidationError(
            "the review proposes returning this invoice: reject it, or "
            "override the reject-invoice flag"
        )


@transaction.atomic
def invoice_submit_for_approval(
    *, actor: User | None, invoice: Invoice, comment: str = ""
) -> Invoice:
    """The reviewer is done: the invoice goes to the approval chain of its routing rule, or is
    auto-approved when clean and under the threshold (legalops.approvals)."""
    invoice = workflow.locked(invoice)
    workflow.require_reviewer(actor, invoice)
    _require_no_holds(invoice)
    invoice = workflow.transition(invoice, State.PENDING_APPROVAL, actor=actor, comment=comment)
    return approval_routing.invoice_route(invoice, actor=actor)


@transaction.atomic
def invoice_approve(*, actor: User | None, invoice: Invoice, comment: str = "") -> Invoice:
    """Approves the actor's level of the approval chain; the last level approves the invoice
    (as billed, or with adjustments). The row lock makes a second, concurrent approval of the
    same level fail instead of approving twice."""
    invoice = workflow.locked(invoice)
    require(actor, Capability.APPROVE_INVOICES)
    workflow.require_state(invoice, State.PENDING_APPROVAL)
    _require_no_holds(invoice)
    return approval_routing.step_approve(invoice, actor=actor, comment=comment)


@transaction.atomic
def invoice_reject(
    *, actor: User | None, invoice: Invoice, reason_code: str, comment: str
) -> Invoice:
    """Returns the invoice to the firm (which may appeal or resubmit a corrected one)."""
    invoice = workflow.locked(invoice)
    if invoice.state == State.PENDING_APPROVAL:
        require(actor, Capability.APPROVE_INVOICES)
        approval_routing.require_step_rights(invoice, actor)
    else:
        workflow.require_reviewer(actor, invoice)
    if not comment.strip():
        raise ValidationError({"comment": "tell the firm why the invoice is rejected"})
    invoice = workflow.transition(
        invoice, State.REJECTED, actor=actor, reason_code=_reason(reason_code), comment=comment
    )
    approval_routing.invoice_rejected(invoice, actor=actor, comment=comment)
    return invoice


@transaction.atomic
def invoice_void(*, actor: User | None, invoice: Invoice, comment: str) -> Invoice:
    invoice = workflow.locked(invoice)
    require(actor, Capability.INTAKE_INVOICES)
    if not comment.strip():
        raise ValidationError({"comment": "say why the invoice is voided"})
    return workflow.transition(invoice, State.VOIDED, actor=actor, comment=comment)
