"""Seeded invoices after their review: the rows intake and the reviewer's services would have
written (lines, flags, automatic adjustments, decisions on flags, totals and counters), the
path through the states of spec/cli.md with a `StateChange` per step and its dates
(`decided_at`, `sent_to_ap_at`, `paid_on`), and the spend against budgets the next invoices
are reviewed with. Rows are bulk-inserted a chunk at a time."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from legalops.accounts.models import User
from legalops.core.money import from_minor, to_minor
from legalops.guidelines import records
from legalops.guidelines.results import InvoiceResult
from legalops.invoices import workflow
from legalops.invoices.hooks import SPENT_STATES
from legalops.invoices.models import (
    Adjustment,
    Flag,
    GuidelinesVersion,
    Invoice,
    InvoiceLine,
    Source,
    State,
    StateChange,
)
from legalops.invoices.services import HOLD, _flag_row, line_approved
from legalops.ledes import utbms_phase
from legalops.matters.models import Budget, Matter, VersionStatus
from legalops.organization.models import Company
from legalops.seed import narratives as bank
from legalops.seed.context import SeedContext
from legalops.vendors.models import LawFirm

if TYPE_CHECKING:
    from legalops.seed.invoices import People, Spec

S = State
OVERRIDE_SHARE = 0.12  # of the flags a reviewer decides
DECIDES_FLAGS = (
    S.PENDING_APPROVAL,
    S.APPROVED,
    S.APPROVED_ADJUSTED,
    S.SENT_TO_AP,
    S.PAID,
    S.APPEALED,
)
REVIEW_ONLY = (S.RECEIVED, S.IN_REVIEW, S.ON_HOLD, S.VOIDED, S.REJECTED, S.RESUBMITTED)


@dataclass
class Built:
    """One reviewed invoice with every row to insert."""

    spec: Spec
    invoice: Invoice
    state: str
    lines: list[InvoiceLine] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)
    changes: list[StateChange] = field(default_factory=list)


@dataclass
class Times:
    """When each step happened, in order and never after the seed's today."""

    received: datetime.datetime
    reviewed: datetime.datetime
    decided: datetime.datetime
    sent: datetime.datetime
    paid: datetime.date
    replaced: datetime.datetime


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _times(ctx: SeedContext, spec: Spec) -> Times:
    # Everything happens before 07:00 today, ahead of what `seed_approvals` dates today.
    limit = _at(ctx.today, 7)

    def after(moment: datetime.datetime, low: int, high: int) -> datetime.datetime:
        later = moment + datetime.timedelta(
            days=ctx.rng.randint(low, high), minutes=ctx.rng.randint(5, 400)
        )
        return max(moment, min(later, limit))

    received = _at(spec.received_on, 8) + datetime.timedelta(minutes=ctx.rng.randint(0, 540))
    if received > limit:  # arrived today
        received = limit - datetime.timedelta(minutes=ctx.rng.randint(1, 300))
    reviewed = after(received, 1, 5)
    decided = after(reviewed, 1, 7)
    sent = after(decided, 1, 6)
    paid = min(sent.date() + datetime.timedelta(days=spec.firm.payment_terms_days), ctx.today)
    replaced = _at(spec.replaced_on, 8) if spec.replaced_on else after(decided, 10, 20)
    return Times(received, reviewed, decided, sent, max(paid, sent.date()), replaced)


# --- Rows ------------------------------------------------------------------------------------


def _line_row(
    index: int, line: records.Line, currency: str, keepers: dict[str, int]
) -> InvoiceLine:
    billed = to_minor(line.total, currency)
    return InvoiceLine(
        index=index,
        line_item_number=line.number,
        kind=line.kind,
        date=line.date,
        units=line.units,
        unit_cost=line.unit_cost,
        ledes_adjustment=line.adjustment,
        billed_total=line.total,
        billed_minor=billed,
        approved_minor=billed,
        task_code=line.task_code,
        activity_code=line.activity_code,
        expense_code=line.expense_code,
        timekeeper_id=keepers.get(line.timekeeper_id),
        timekeeper_ref=line.timekeeper_id,
        timekeeper_name=line.timekeeper_name,
        classification=line.classification,
        narrative=line.narrative,
    )


def _final_state(ctx: SeedContext, spec: Spec, result: InvoiceResult) -> str:
    if result.returned and spec.fate not in REVIEW_ONLY:
        return S.REJECTED  # the review proposed returning it and the reviewer did
    return spec.fate


def decide(
    ctx: SeedContext,
    spec: Spec,
    version: GuidelinesVersion,
    result: InvoiceResult,
    people: People,
    keepers: dict[str, int],
) -> Built:
    """The invoice as intake stored it, then as the reviewer and approvers left it."""
    currency = result.currency
    times = _times(ctx, spec)
    invoice = _invoice_row(spec, version, result, currency, times)
    built = Built(spec, invoice, _final_state(ctx, spec, result))
    built.lines = [_line_row(i, lr.line, currency, keepers) for i, lr in enumerate(result.lines)]
    built.flags = [_flag_row(invoice, None, n, f, version) for n, f in enumerate(result.flags)]
    for row, outcome in zip(built.lines, result.lines, strict=True):
        built.flags += [_flag_row(invoice, row, n, f, version) for n, f in enumerate(outcome.flags)]
        row.flag_count = len(outcome.flags)
    reviewer = spec.matter.lead_attorney or people.admin
    if built.state in DECIDES_FLAGS:
        _decide_flags(ctx, built.flags, reviewer, times.reviewed)
    built.adjustments = [
        Adjustment(
            line=flag.line,
            flag=flag,
            amount_minor=flag.amount_minor,
            reason_code=flag.rule,
            comment="automatic: " + flag.message[:500],
            created_at=times.received,
            withdrawn_at=flag.decided_at if flag.status == Flag.Status.OVERRIDDEN else None,
        )
        for flag in built.flags
        if flag.line is not None and flag.amount_minor
    ]
    if built.state in DECIDES_FLAGS and (built.state == S.APPEALED or ctx.rng.random() < 0.05):
        _manual_cut(built, reviewer, times.reviewed)
    _totals(built)
    _path(ctx, built, times, reviewer, people)
    built.state = invoice.state
    rows: list[InvoiceLine | Flag | Adjustment | StateChange] = [
        *built.lines,
        *built.flags,
        *built.adjustments,
        *built.changes,
    ]
    for item in rows:
        item.invoice = invoice
    return built


def _invoice_row(
    spec: Spec, version: GuidelinesVersion, result: InvoiceResult, currency: str, times: Times
) -> Invoice:
    return Invoice(
        firm=spec.firm,
        matter=spec.matter,
        invoice_number=spec.number,
        state=S.RECEIVED,
        source=Source.SEED,
        invoice_date=spec.invoice_date,
        billing_start=spec.start,
        billing_end=spec.end,
        description=f"Professional services rendered through {spec.end:%B %d, %Y}",
        currency=currency,
        billed_minor=0,
        approved_minor=0,
        received_at=times.received,
        received_on=spec.received_on,
        guidelines=version,
        reviewed_at=times.received + datetime.timedelta(seconds=2),
        review_skipped=[{"rule": s.rule, "reason": s.reason} for s in result.skipped],
        returned=result.returned,
    )


def _decide_flags(
    ctx: SeedContext, flags: list[Flag], reviewer: User, at: datetime.datetime
) -> None:
    """Most proposals are accepted (a hold is cleared); some are overridden with a reason."""
    for flag in flags:
        override = flag.action != "reject-invoice" and ctx.rng.random() < OVERRIDE_SHARE
        flag.decided_by, flag.decided_at = reviewer, at
        if override:
            flag.status = Flag.Status.OVERRIDDEN
            flag.reason_code, flag.comment = ctx.pick(bank.OVERRIDE_COMMENTS)
        else:
            flag.status, flag.reason_code = Flag.Status.ACCEPTED, flag.rule


def _manual_cut(built: Built, reviewer: User, at: datetime.datetime) -> None:
    """A reviewer's own reduction of the largest fee line (what an appeal often disputes)."""
    fees = [line for line in built.lines if line.kind == "F" and line.billed_minor >= 1000]
    if not fees:
        return
    line = max(fees, key=lambda x: x.billed_minor)
    built.adjustments.append(
        Adjustment(
            line=line,
            amount_minor=-(line.billed_minor // 10),
            reason_code="staffing",
            comment="Routine task staffed above the level it needs: 10% off.",
            created_by=reviewer,
            created_at=at,
        )
    )


def _totals(built: Built) -> None:
    """What `services.totals_refresh` computes: approved per line from the adjustments that
    stand, the invoice's totals and counters."""
    net: dict[int, int] = defaultdict(int)
    index = {id(line): n for n, line in enumerate(built.lines)}
    for adjustment in built.adjustments:
        if adjustment.withdrawn_at is None:
            net[index[id(adjustment.line)]] += adjustment.amount_minor
    for n, line in enumerate(built.lines):
        line.approved_minor = line_approved(line.billed_minor, net.get(n, 0))
    invoice, lines = built.invoice, built.lines
    invoice.billed_fees_minor = sum(x.billed_minor for x in lines if x.kind in ("F", "IF"))
    invoice.billed_expenses_minor = sum(x.billed_minor for x in lines if x.kind in ("E", "IE"))
    invoice.billed_minor = invoice.billed_fees_minor + invoice.billed_expenses_minor
    invoice.approved_minor = 0 if invoice.returned else sum(x.approved_minor for x in lines)
    invoice.hours = sum((x.units or Decimal(0) for x in lines if x.kind == "F"), Decimal(0))
    invoice.flag_count = len(built.flags)
    invoice.open_holds = sum(
        1 for f in built.flags if f.action == HOLD and f.status == Flag.Status.PROPOSED
    )


# --- The path through the states --------------------------------------------------------------


def _path(ctx: SeedContext, built: Built, times: Times, reviewer: User, people: People) -> None:
    invoice, goal = built.invoice, built.state
    approver = ctx.pick(people.approvers)
    adjusted = any(x.billed_minor > 0 and x.approved_minor < x.billed_minor for x in built.lines)
    if goal == S.APPEALED and not adjusted:
        goal = S.PAID  # nothing was cut: nothing to appeal

    def step(
        to: str, at: datetime.datetime, actor: User | None, code: str = "", comment: str = ""
    ) -> None:
        built.changes.append(
            StateChange(
                from_state=invoice.state,
                to_state=to,
                at=at,
                actor=actor,
                reason_code=code,
                comment=comment,
            )
        )
        invoice.state = to

    if goal == S.RECEIVED:
        return
    step(
        S.IN_REVIEW,
        times.received + datetime.timedelta(seconds=2),
        None,
        comment="reviewed on intake",
    )
    if goal == S.IN_REVIEW:
        pass
    elif goal == S.ON_HOLD:
        step(S.ON_HOLD, times.reviewed, reviewer, comment=ctx.pick(bank.HOLD_REASONS))
    elif goal == S.VOIDED:
        step(S.VOIDED, times.reviewed, people.admin, comment="Sent twice by the firm's system.")
    elif goal in (S.REJECTED, S.RESUBMITTED):
        code, why = ctx.pick(bank.REJECT_REASONS)
        step(S.REJECTED, times.reviewed, reviewer, code=code, comment=why)
        invoice.decided_at = times.reviewed
        if goal == S.RESUBMITTED:
            step(S.RESUBMITTED, times.replaced, None, comment="replaced by a corrected invoice")
    else:
        _approved_path(built, times, reviewer, approver, goal, step)


def _approved_path(
    built: Built, times: Times, reviewer: User, approver: User, goal: str, step: Callable[..., None]
) -> None:
    invoice = built.invoice
    step(S.PENDING_APPROVAL, times.reviewed, reviewer)
    if goal == S.PENDING_APPROVAL:
        return
    decided = workflow.decided_state(invoice)
    step(decided, times.decided, approver)
    invoice.decided_at = times.decided
    if goal == S.APPEALED:
        step(S.APPEALED, times.decided + datetime.timedelta(days=2), None)
    elif goal in (S.SENT_TO_AP, S.PAID):
        step(S.SENT_TO_AP, times.sent, None)
        invoice.sent_to_ap_at = times.sent
        if goal == S.PAID:
            step(S.PAID, _at(times.paid, 12), None, comment="paid")
            invoice.paid_on = times.paid


# --- Writing ---------------------------------------------------------------------------------


def write_chunk(ctx: SeedContext, built: list[Built]) -> list[int]:
    invoices = ctx.bulk("invoices", Invoice, [b.invoice for b in built])
    twins = []
    for one in built:
        one.spec.invoice = one.invoice
        if one.spec.corrects is not None and one.spec.corrects.invoice is not None:
            one.invoice.resubmission_of = one.spec.corrects.invoice
            twins.append(one.invoice)
    Invoice.objects.bulk_update(twins, ["resubmission_of"], batch_size=500)
    ctx.bulk("invoice lines", InvoiceLine, [x for b in built for x in b.lines])
    ctx.bulk("invoice flags", Flag, [x for b in built for x in b.flags])
    ctx.bulk("invoice adjustments", Adjustment, [x for b in built for x in b.adjustments])
    ctx.bulk("invoice state changes", StateChange, [x for b in built for x in b.changes])
    return [invoice.pk for invoice in invoices]


# --- Budgets -----------------------------------------------------------------------------------


@dataclass
class BudgetBook:
    """The approved budgets, and what the invoices seeded so far approved against them: the
    over-budget rule sees what `invoices.review.budget_records` would read."""

    budgets: dict[tuple[int, int, int], list[tuple[str, int, str, str]]]
    spent: dict[tuple[int, int, int], dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )

    @classmethod
    def load(cls) -> BudgetBook:
        found: dict[tuple[int, int, int], list[tuple[str, int, str, str]]] = defaultdict(list)
        rows = (
            Budget.objects.filter(approved_version__status=VersionStatus.APPROVED)
            .select_related("approved_version")
            .prefetch_related("approved_version__lines")
        )
        for budget in rows:
            version = budget.approved_version
            assert version is not None
            label = f"FY{budget.fiscal_year} v{version.number}"
            key = (budget.matter_id, budget.firm_id, budget.fiscal_year)
            found[key] += [
                (line.phase, line.amount_minor, budget.currency, label)
                for line in version.lines.all()
            ]
        return cls(found)

    def records(
        self, matter: Matter, firm: LawFirm, end: datetime.date, company: Company
    ) -> tuple[records.Budget, ...]:
        key = (matter.pk, firm.pk, company.fiscal_year_of(end))
        done = self.spent.get(key, {})
        return tuple(
            records.Budget(
                amount=from_minor(amount, currency),
                approved_to_date=from_minor(done.get(phase, 0), currency),
                currency=currency,
                phase=phase,
                label=label,
            )
            for phase, amount, currency, label in self.budgets.get(key, ())
        )

    def spend(self, matter: Matter, firm: LawFirm, built: Built, company: Company) -> None:
        if built.state not in SPENT_STATES:
            return
        key = (matter.pk, firm.pk, company.fiscal_year_of(built.invoice.invoice_date))
        if key not in self.budgets:
            return
        tally = self.spent[key]
        for line in built.lines:
            tally[""] += line.approved_minor
            phase = utbms_phase(line.task_code) if line.task_code else None
            if phase:
                tally[phase] += line.approved_minor
