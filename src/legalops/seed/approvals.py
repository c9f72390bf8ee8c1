"""Seeding approval routing, appeals and AP (after the invoice steps).

Always: routing rules, the approval and appeal policies, delegations (one running now, one to
come), vendor numbers and the AP layout. When an earlier step left invoices in
`ctx.shared["invoices"]`: approval chains for the pending ones (some idle long enough to show
reminders and escalations), appeals of some adjusted ones (most decided, a few open), and AP
batches with payments for those exported or paid. Every part looks at the states the
invoices are in and skips what is missing, so the step is harmless without invoices.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from legalops.accounts.models import Role, User
from legalops.appeals.models import Appeal, AppealItem, AppealPolicy, AppealStatus, Decision
from legalops.appeals.services import line_reinstate
from legalops.approvals import routing, selectors
from legalops.approvals.models import (
    ApprovalPolicy,
    ApprovalTask,
    Delegation,
    Route,
    RoutingRule,
    RoutingStep,
)
from legalops.invoices import workflow
from legalops.invoices.models import Invoice, InvoiceLine, State, StateChange
from legalops.invoices.services import totals_refresh
from legalops.matters.models import MatterType
from legalops.payables.layout import BY_KEY, DEFAULT_COLUMNS, FxCache
from legalops.payables.models import ApBatch, ApBatchLine, ApLayout, Payment, VendorAccount
from legalops.payables.services import batch_line_row
from legalops.seed.context import SeedContext

APPEAL_SHARE = 0.2  # of adjusted invoices
OPEN_APPEAL_SHARE = 0.25  # of those appealed, within their deadline


@dataclass
class People:
    admin: User
    attorneys: list[User]
    approvers: list[User] = field(default_factory=list)


def _people(ctx: SeedContext) -> People | None:
    users = ctx.shared.get("users") or list(User.objects.filter(is_active=True))
    admins = [u for u in users if u.role == Role.ADMIN]
    personas = ctx.shared.get("personas", {})
    admin = personas.get("admin") or (admins[0] if admins else None)
    if admin is None:
        return None
    return People(
        admin=admin,
        attorneys=[u for u in users if u.role == Role.ATTORNEY],
        approvers=[u for u in users if u.role == Role.APPROVER],
    )


def seed_approvals(ctx: SeedContext) -> None:
    people = _people(ctx)
    if people is None:
        return
    _rules(ctx, people)
    _policies(people)
    _delegations(ctx, people)
    _vendor_numbers(ctx)
    invoices = _seeded_invoices(ctx)
    if not invoices:
        return
    by_state: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in invoices:
        by_state[invoice.state].append(invoice)
    _routes(ctx, by_state[State.PENDING_APPROVAL])
    settled = by_state[State.PAID] + by_state[State.SENT_TO_AP]
    _appeals(ctx, by_state[State.APPROVED_ADJUSTED], by_state[State.APPEALED], settled, people)
    _ap(ctx, by_state[State.SENT_TO_AP] + by_state[State.PAID])


# --- Configuration ----------------------------------------------------------------------------


def _step(rule: RoutingRule, level: int, kind: str, **extra: Any) -> RoutingStep:
    return RoutingStep(rule=rule, level=level, kind=kind, **extra)


def _rules(ctx: SeedContext, people: People) -> None:
    finance = people.approvers[0] if people.approvers else people.admin
    large = RoutingRule(name="Large invoices", position=0, amount_over_minor=10_000_000)
    ip = RoutingRule(name="Intellectual property", position=1, matter_types=[MatterType.IP])
    rest = RoutingRule(name="Everything else", position=2)
    rules = ctx.bulk("routing rules", RoutingRule, [large, ip, rest])
    large, ip, rest = rules
    ctx.bulk(
        "routing steps",
        RoutingStep,
        [
            _step(large, 1, "lead_attorney"),
            _step(large, 2, "user", user=finance),
            _step(large, 3, "user", user=people.admin, above_minor=25_000_000),
            _step(ip, 1, "lead_attorney"),
            _step(ip, 2, "pool", pool_role=Role.APPROVER, above_minor=2_500_000),
            _step(rest, 1, "lead_attorney"),
            _step(rest, 2, "pool", pool_role=Role.APPROVER, above_minor=5_000_000),
        ],
    )


def _policies(people: People) -> None:
    ApprovalPolicy.objects.update_or_create(
        pk=1,
        defaults={
            "auto_approve_below_minor": 50_000,
            "remind_after_days": 3,
            "escalate_after_days": 7,
            "escalation_user": people.admin,
        },
    )
    AppealPolicy.objects.update_or_create(pk=1, defaults={"deadline_days": 45})
    ApLayout.objects.update_or_create(
        pk=1, defaults={"columns": [[k, BY_KEY[k].header] for k in DEFAULT_COLUMNS]}
    )


def _delegations(ctx: SeedContext, people: People) -> None:
    rows = []
    if len(people.attorneys) >= 2:
        away, cover = people.attorneys[0], people.attorneys[1]
        rows.append(_delegation(ctx, away, cover, -3, 10, "annual leave", people.admin))
    if people.approvers:
        rows.append(
            _delegation(ctx, people.approvers[0], people.admin, 20, 27, "conference", people.admin)
        )
    ctx.bulk("delegations", Delegation, rows)


def _delegation(
    ctx: SeedContext, giver: User, taker: User, start: int, end: int, why: str, by: User
) -> Delegation:
    day = datetime.timedelta(days=1)
    return Delegation(
        delegator=giver,
        delegate=taker,
        starts_on=ctx.today + start * day,
        ends_on=ctx.today + end * day,
        comment=why,
        created_by=by,
    )


def _vendor_numbers(ctx: SeedContext) -> None:
    firms = ctx.shared.get("firms") or []
    taken = set(VendorAccount.objects.values_list("firm_id", flat=True))
    ctx.bulk(
        "AP vendor numbers",
        VendorAccount,
        [
            VendorAccount(firm=firm, vendor_number=f"V-{100000 + n}")
            for n, firm in enumerate(firms, start=1)
            if firm.pk not in taken
        ],
    )


# --- Invoices ---------------------------------------------------------------------------------


def _seeded_invoices(ctx: SeedContext) -> list[Invoice]:
    ids = [getattr(i, "pk", i) for i in ctx.shared.get("invoices") or []]
    if not ids:
        return []
    rows = Invoice.objects.filter(pk__in=ids).select_related(
        "firm__ap_account",
        "matter__lead_attorney",
        "matter__business_unit",
        "matter__practice_area",
    )
    return list(rows.order_by("pk"))


def _moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def _routes(ctx: SeedContext, invoices: list[Invoice]) -> None:
    routed = set(Route.objects.filter(invoice__in=invoices).values_list("invoice_id", flat=True))
    rules = list(selectors.active_rules())
    plans = []
    for invoice in invoices:
        if invoice.pk in routed:
            continue
        try:
            amount = selectors.reporting_amount(invoice)
        except ValidationError:
            continue  # no FX rate for its currency: left for a person to route
        chain = selectors.chain_for(selectors.rule_for(invoice, amount, rules), invoice, amount)
        idle = ctx.rng.choice([0, 1, 2, 4, 5, 9, 12])
        plans.append((invoice, chain, _moment(ctx.today - datetime.timedelta(days=idle))))
    routes = ctx.bulk(
        "approval routes", Route, [routing.route_row(i, c, None, at) for i, c, at in plans]
    )
    tasks = []
    for route, (_, chain, at) in zip(routes, plans, strict=True):
        rows = routing.task_rows(route, chain, at)
        rows[0].reminded_at = _reminded(ctx, at)
        tasks += rows
    ctx.bulk("approval tasks", ApprovalTask, tasks)


def _reminded(ctx: SeedContext, activated: datetime.datetime) -> datetime.datetime | None:
    """Levels idle past the reminder period were reminded (the worker would have)."""
    reminded = activated + datetime.timedelta(days=3)
    return reminded if reminded.date() < ctx.today else None


def _adjusted_lines(invoice: Invoice) -> list[InvoiceLine]:
    lines = invoice.lines.filter(billed_minor__gt=0).order_by("index")
    return [line for line in lines if line.approved_minor < line.billed_minor]


REASONS = (
    "The tasks are itemised in the attached timesheet.",
    "The partner's rate was approved for this matter in the engagement letter.",
    "The expense was pre-approved by the matter's lead attorney.",
    "The research was requested by in-house counsel (email of the same day).",
)
ANSWERS = {
    Decision.REINSTATED: "Agreed, the timesheet shows the split.",
    Decision.PARTLY: "Half of the time is justified by the timesheet.",
    Decision.UPHELD: "The entry still bundles several tasks.",
}


def _appeals(
    ctx: SeedContext,
    adjusted: list[Invoice],
    appealed: list[Invoice],
    settled: list[Invoice],
    people: People,
) -> None:
    already = set(Appeal.objects.values_list("invoice_id", flat=True))
    deadline = datetime.timedelta(days=AppealPolicy.objects.get(pk=1).deadline_days)
    changes: list[StateChange] = []
    for invoice in appealed:  # an earlier step put them in `appealed`: give them an appeal
        if invoice.pk not in already:
            _file(ctx, invoice, _prior_state(invoice), people, changes, decide=False)
    decided_any = False
    for invoice in adjusted:
        if invoice.pk in already or ctx.rng.random() >= APPEAL_SHARE:
            continue
        decided = invoice.decided_at or _moment(ctx.today)
        recent = ctx.today - decided.date() < deadline
        open_now = recent and ctx.rng.random() < OPEN_APPEAL_SHARE
        decided_any |= _file(ctx, invoice, invoice.state, people, changes, decide=not open_now)
    if not decided_any:
        # Small data sets may draw no decided appeal at all; the demo should still show an
        # appeal won, so the reinstatement KPIs and the appeal pages have something to say.
        spare = [i for i in adjusted + settled if i.pk not in already and not i.appeals.exists()]
        for invoice in spare:
            if _file(ctx, invoice, invoice.state, people, changes, decide=True, won=True):
                break
    ctx.bulk("invoice state changes (appeals)", StateChange, changes)


def _prior_state(invoice: Invoice) -> str:
    change = invoice.transitions.filter(to_state=State.APPEALED).order_by("-at", "-pk").first()
    return change.from_state if change and change.from_state else State.APPROVED_ADJUSTED


def _file(
    ctx: SeedContext,
    invoice: Invoice,
    prior: str,
    people: People,
    changes: list[StateChange],
    *,
    decide: bool,
    won: bool = False,
) -> bool:
    """Files an appeal of some of the invoice's adjusted lines, decided unless `decide` is
    false (`won`: its first item is reinstated in full); true if a decided appeal was filed."""
    lines = _adjusted_lines(invoice)
    if not lines:
        return False
    filed = (invoice.decided_at or _moment(ctx.today)) + datetime.timedelta(
        days=ctx.rng.randint(2, 20)
    )
    filed = min(filed, _moment(ctx.today, 9))
    firm_user = invoice.firm.users.filter(is_active=True).first()
    appeal = Appeal.objects.create(
        invoice=invoice,
        prior_state=prior,
        filed_by=firm_user,
        filed_at=filed,
        status=AppealStatus.OPEN,
    )
    chosen = ctx.sample(lines, ctx.rng.randint(1, min(2, len(lines))))
    items = [
        AppealItem(
            appeal=appeal,
            line=line,
            adjusted_minor=line.billed_minor - line.approved_minor,
            requested_minor=line.billed_minor - line.approved_minor,
            reason=ctx.pick(REASONS),
        )
        for line in chosen
    ]
    if invoice.state != State.APPEALED:
        changes.append(_change(invoice, prior, State.APPEALED, filed, firm_user))
    if not decide:
        ctx.bulk("appeal items", AppealItem, items)
        Invoice.objects.filter(pk=invoice.pk).update(state=State.APPEALED)
        ctx.counts["appeals"] = ctx.counts.get("appeals", 0) + 1
        return False
    reviewer = invoice.matter.lead_attorney or people.admin
    decided = min(filed + datetime.timedelta(days=ctx.rng.randint(3, 15)), _moment(ctx.today, 11))
    for n, item in enumerate(items):
        _decide(ctx, item, reviewer, decided, Decision.REINSTATED if won and n == 0 else None)
    ctx.bulk("appeal items", AppealItem, items)
    totals_refresh(invoice)
    invoice.refresh_from_db()
    back = prior if prior in (State.SENT_TO_AP, State.PAID) else workflow.decided_state(invoice)
    Invoice.objects.filter(pk=invoice.pk).update(state=back)
    changes.append(_change(invoice, State.APPEALED, back, decided, reviewer))
    Appeal.objects.filter(pk=appeal.pk).update(status=AppealStatus.DECIDED, decided_at=decided)
    ctx.counts["appeals"] = ctx.counts.get("appeals", 0) + 1
    return True


def _decide(
    ctx: SeedContext,
    item: AppealItem,
    reviewer: User,
    at: datetime.datetime,
    decision: Decision | None = None,
) -> None:
    decision = (
        decision
        or ctx.rng.choices([Decision.REINSTATED, Decision.PARTLY, Decision.UPHELD], [35, 25, 40])[0]
    )
    back = {
        Decision.REINSTATED: item.requested_minor,
        Decision.PARTLY: item.requested_minor // 2,
        Decision.UPHELD: 0,
    }[decision]
    if decision == Decision.PARTLY and back == 0:
        decision = Decision.UPHELD
    line_reinstate(item.line, back)
    item.decision, item.reinstated_minor, item.comment = decision, back, ANSWERS[decision]
    item.decided_by, item.decided_at = reviewer, at


def _change(
    invoice: Invoice, old: str, new: str, at: datetime.datetime, actor: User | None
) -> StateChange:
    return StateChange(invoice=invoice, from_state=old, to_state=new, at=at, actor=actor)


def _ap(ctx: SeedContext, invoices: list[Invoice]) -> None:
    """One batch per month of export for the invoices an earlier step sent to AP or paid."""
    exported = set(
        ApBatchLine.objects.filter(invoice__in=invoices).values_list("invoice_id", flat=True)
    )
    fresh = [i for i in invoices if i.pk not in exported]
    months: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in fresh:
        invoice.sent_to_ap_at = invoice.sent_to_ap_at or _sent(invoice, ctx)
        months[invoice.sent_to_ap_at.strftime("%Y-%m")].append(invoice)
    Invoice.objects.bulk_update(fresh, ["sent_to_ap_at"], batch_size=1000)
    layout = ApLayout.objects.get(pk=1)
    groups = [sorted(months[m], key=lambda i: (i.sent_to_ap_at, i.pk)) for m in sorted(months)]
    batches = ctx.bulk(
        "AP batches",
        ApBatch,
        [
            ApBatch(
                number=f"AP-{group[0].sent_to_ap_at:%Y}-{n:05d}",
                columns=layout.columns,
                date_format=layout.date_format,
                created_at=max(i.sent_to_ap_at or _moment(ctx.today) for i in group),
                invoice_count=len(group),
            )
            for n, group in enumerate(groups, start=1)
        ],
    )
    cache: FxCache = {}
    rows = [
        batch_line_row(batch, position, invoice, cache)
        for batch, group in zip(batches, groups, strict=True)
        for position, invoice in enumerate(group, start=1)
    ]
    ctx.bulk("AP batch lines", ApBatchLine, rows)
    paid = [_payment(ctx, i) for i in fresh if i.state == State.PAID and i.approved_minor > 0]
    ctx.bulk("payments", Payment, paid)


def _sent(invoice: Invoice, ctx: SeedContext) -> datetime.datetime:
    base = invoice.decided_at or _moment(invoice.received_on)
    return min(base + datetime.timedelta(days=ctx.rng.randint(1, 6)), _moment(ctx.today, 8))


def _payment(ctx: SeedContext, invoice: Invoice) -> Payment:
    sent = invoice.sent_to_ap_at.date() if invoice.sent_to_ap_at else ctx.today
    terms = datetime.timedelta(days=invoice.firm.payment_terms_days)
    return Payment(
        invoice=invoice,
        paid_on=invoice.paid_on or min(sent + terms, ctx.today),
        amount_minor=invoice.approved_minor,
        currency=invoice.currency,
        source="seed",
        reference=f"PAY-{invoice.pk:07d}",
    )
