"""Invoice intake: one service for every door (upload, vendor portal, API, `legalops import
ledes`). spec/cli.md semantics: a file is all-or-nothing (if any invoice in it is refused,
nothing of the file is written), an invoice already received is a duplicate (skipped, not an
error), a resubmission of a rejected invoice links to it, and the original file is stored byte
for byte. Each received invoice is reviewed at once with the guidelines in force.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from legalops import ledes
from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability, require
from legalops.approvals import routing as approval_routing
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.fastinsert import insert_many
from legalops.core.money import MoneyError, currency, format_minor, to_minor
from legalops.invoices import workflow
from legalops.invoices.models import (
    SUPERSEDED_STATES,
    Invoice,
    InvoiceFile,
    InvoiceLine,
    State,
)
from legalops.invoices.review import run_review
from legalops.invoices.services import review_store
from legalops.matters.models import Matter, MatterFirm, MatterType
from legalops.matters.services import matter_create, matter_firm_assign
from legalops.organization.selectors import company_get
from legalops.reports.rollups import rollup_touch
from legalops.vendors.models import LawFirm, Timekeeper
from legalops.vendors.selectors import law_firm_by_ledes_id
from legalops.vendors.services import law_firm_create, timekeeper_create

MAX_BYTES = 50 * 1024 * 1024
RECEIVED, DUPLICATE, REJECTED = "received", "duplicate", "rejected"


@dataclass
class Outcome:
    """What happened to one invoice of the file."""

    invoice_number: str
    law_firm_id: str
    client_matter_id: str
    status: str = RECEIVED
    reasons: list[str] = field(default_factory=list)
    invoice: Invoice | None = None
    resubmission_of: Invoice | None = None

    def refuse(self, reason: str) -> None:
        self.status = REJECTED
        self.reasons.append(reason)


@dataclass
class IntakeReport:
    file: str
    format: str | None
    errors: list[dict[str, object]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def accepted(self) -> bool:
        """Nothing refused: the file was taken (every invoice received or a duplicate)."""
        return not self.errors and all(o.status != REJECTED for o in self.outcomes)

    @property
    def received(self) -> list[Invoice]:
        return [o.invoice for o in self.outcomes if o.invoice is not None]


@dataclass
class Plan:
    """An invoice of the file matched to the database, ready to be written."""

    source: ledes.Invoice
    outcome: Outcome
    firm: LawFirm | None = None
    matter: Matter | None = None


def invoice_intake(
    *,
    actor: User | None,
    data: bytes,
    filename: str,
    source: str,
    create_missing: bool = False,
    received_on: datetime.date | None = None,
) -> IntakeReport:
    """Checks the whole file, then writes all of it or nothing."""
    checked = intake_check(actor=actor, data=data, filename=filename, create_missing=create_missing)
    report, plans = checked.report, checked.plans
    if report.accepted and any(p.outcome.status == RECEIVED for p in plans):
        try:
            _write(
                actor,
                data,
                filename,
                source,
                report.format or "",
                plans,
                create_missing,
                received_on or timezone.localdate(),
            )
        except ValidationError as exc:  # a service refused: the transaction wrote nothing
            for plan in plans:
                if plan.outcome.status == RECEIVED:
                    plan.outcome.invoice = None
                    plan.outcome.refuse("; ".join(exc.messages))
    return report


@dataclass
class Checked:
    """What `intake_check` found: the report so far and each invoice matched to the database."""

    report: IntakeReport
    plans: list[Plan] = field(default_factory=list)
    warnings: list[dict[str, object]] = field(default_factory=list)


def intake_check(
    *, actor: User | None, data: bytes, filename: str, create_missing: bool = False
) -> Checked:
    """Everything `invoice_intake` checks before it writes (LEDES validity, firm, matter,
    assignment, duplicates), writing nothing: the first half of intake, and the vendor
    portal's pre-flight."""
    _require_intake(actor, create_missing)
    if len(data) > MAX_BYTES:
        return Checked(
            IntakeReport(filename, None, [_error(f"the file is larger than {MAX_BYTES} bytes")])
        )
    parsed = ledes.parse(data, filename=filename)
    report = IntakeReport(filename, parsed.format)
    warnings = [issue.as_json() for issue in parsed.warnings]
    if not parsed.valid:
        report.errors = [issue.as_json() for issue in parsed.errors]
        return Checked(report, warnings=warnings)
    plans = [_plan(actor, inv, create_missing) for inv in parsed.invoices]
    _same_file_duplicates(plans)
    report.outcomes = [plan.outcome for plan in plans]
    return Checked(report, plans, warnings)


def _require_intake(actor: User | None, create_missing: bool) -> None:
    if actor is not None and actor.role == Role.FIRM:
        require(actor, Capability.FIRM_SUBMIT)
        if create_missing:
            raise PermissionDenied("only legal ops may create missing firms and matters")
        return
    require(actor, Capability.INTAKE_INVOICES)


def _error(message: str) -> dict[str, object]:
    return {"line": None, "path": None, "field": None, "code": "file", "message": message}


def _plan(actor: User | None, source: ledes.Invoice, create_missing: bool) -> Plan:
    outcome = Outcome(source.invoice_number, source.law_firm_id or "", _matter_number(source) or "")
    plan = Plan(source, outcome)
    plan.firm = _match_firm(actor, plan, create_missing)
    plan.matter = _match_matter(plan, create_missing)
    if outcome.status != REJECTED and plan.firm is not None:
        _check_duplicate(plan)
    return plan


def _matter_number(source: ledes.Invoice) -> str | None:
    numbers = {item.client_matter_id for item in source.line_items if item.client_matter_id}
    numbers |= {source.client_matter_id} if source.client_matter_id else set()
    return (
        numbers.pop() if len(numbers) == 1 else (None if not numbers else "|".join(sorted(numbers)))
    )


def _match_firm(actor: User | None, plan: Plan, create_missing: bool) -> LawFirm | None:
    law_firm_id = plan.outcome.law_firm_id
    firm = law_firm_by_ledes_id(law_firm_id) if law_firm_id else None
    if firm is None and not create_missing:
        plan.outcome.refuse(
            f"unknown firm: LAW_FIRM_ID {law_firm_id!r} is not on the panel "
            "(and no firm has it as an alias)"
        )
    if (
        firm is not None
        and actor is not None
        and actor.role == Role.FIRM
        and firm.pk != actor.firm_id
    ):
        plan.outcome.refuse(
            f"this invoice bills as LAW_FIRM_ID {law_firm_id!r}; you may "
            "submit invoices of your own firm only"
        )
    return firm


def _match_matter(plan: Plan, create_missing: bool) -> Matter | None:
    number = plan.outcome.client_matter_id
    if "|" in number:
        plan.outcome.refuse(
            f"the invoice bills several matters ({number.replace('|', ', ')}):"
            " send one invoice per matter"
        )
        return None
    if not number:
        plan.outcome.refuse("CLIENT_MATTER_ID is empty: we cannot tell which matter it bills")
        return None
    matter = Matter.objects.filter(number=number).first()
    if matter is None and not create_missing:
        plan.outcome.refuse(f"unknown matter: CLIENT_MATTER_ID {number!r}")
    elif (
        matter is not None
        and plan.firm is not None
        and not create_missing
        and not MatterFirm.objects.filter(matter=matter, firm=plan.firm).exists()
    ):
        plan.outcome.refuse(f"{plan.firm.name} is not assigned to matter {number}")
    return matter


def _check_duplicate(plan: Plan) -> None:
    earlier = (
        Invoice.objects.filter(firm=plan.firm, invoice_number=plan.source.invoice_number)
        .exclude(state__in=SUPERSEDED_STATES)
        .first()
    )
    if earlier is None:
        return
    if earlier.state == State.REJECTED:
        plan.outcome.resubmission_of = earlier
    else:
        plan.outcome.status = DUPLICATE
        plan.outcome.reasons.append(
            f"already received on {earlier.received_at:%Y-%m-%d} "
            f"({earlier.get_state_display().lower()})"
        )
        plan.outcome.invoice = earlier


def _same_file_duplicates(plans: list[Plan]) -> None:
    seen: set[tuple[str, str]] = set()
    for plan in plans:
        key = (plan.outcome.law_firm_id, plan.outcome.invoice_number)
        if key in seen and plan.outcome.status == RECEIVED:
            plan.outcome.refuse(f"invoice {key[1]} appears twice in the file")
        seen.add(key)


# --- Writing ----------------------------------------------------------------------------------


@transaction.atomic
def _write(
    actor: User | None,
    data: bytes,
    filename: str,
    source: str,
    fmt: str,
    plans: list[Plan],
    create_missing: bool,
    received_on: datetime.date,
) -> None:
    stored = store_file(actor, data, filename, source, fmt)
    for plan in plans:
        if plan.outcome.status != RECEIVED:
            continue
        if create_missing:
            _create_missing(actor, plan)
        invoice = _create_invoice(actor, plan, stored, source, received_on)
        version, result = run_review(invoice)
        review_store(invoice, version, result)
        workflow.transition(invoice, State.IN_REVIEW, actor=None, comment="reviewed on intake")
        plan.outcome.invoice = approval_routing.auto_approve_after_review(invoice)


def store_file(
    actor: User | None,
    data: bytes,
    filename: str,
    source: str,
    fmt: str,
    content_type: str = "text/plain",
) -> InvoiceFile:
    """Keeps a file byte for byte (the LEDES file, or a form-entered invoice's PDF and
    receipts)."""
    digest = hashlib.sha256(data).hexdigest()
    stored = InvoiceFile(
        sha256=digest,
        name=filename.rsplit("/", 1)[-1][:255],
        size=len(data),
        format=fmt,
        content_type=content_type,
        uploaded_by=actor,
        source=source,
    )
    stored.content.save(digest, ContentFile(data), save=False)
    stored.save()
    return stored


def _create_missing(actor: User | None, plan: Plan) -> None:
    """An admin import may create the firm, matter, assignment and timekeepers it names."""
    source = plan.source
    plan.firm = plan.firm or law_firm_by_ledes_id(source.law_firm_id or "")
    plan.matter = plan.matter or Matter.objects.filter(number=plan.outcome.client_matter_id).first()
    if plan.firm is None:
        name = (
            source.law_firm.name
            if source.law_firm and source.law_firm.name
            else f"Firm {source.law_firm_id}"
        )
        plan.firm = law_firm_create(actor=actor, law_firm_id=source.law_firm_id or "", name=name)
    if plan.matter is None:
        plan.matter = matter_create(
            actor=actor,
            number=plan.outcome.client_matter_id,
            name=_matter_name(source),
            matter_type=MatterType.values[0],
            opened_on=source.billing_start_date or source.invoice_date or timezone.localdate(),
            currency=invoice_currency(source, None, plan.firm),
        )
    if not MatterFirm.objects.filter(matter=plan.matter, firm=plan.firm).exists():
        matter_firm_assign(actor=actor, matter=plan.matter, firm=plan.firm)
    _create_timekeepers(actor, plan.firm, source)


def _matter_name(source: ledes.Invoice) -> str:
    named = next((m.name for m in source.matters if m.name), None)
    return (named or source.description or f"Matter {source.client_matter_id}")[:200]


def _create_timekeepers(actor: User | None, firm: LawFirm, source: ledes.Invoice) -> None:
    known = set(Timekeeper.objects.filter(firm=firm).values_list("timekeeper_id", flat=True))
    for item in source.line_items:
        ref = item.timekeeper_id
        if item.is_fee and ref and ref not in known:
            # A legacy code on the invoice (PT) becomes its LOC classification (PARTNR).
            code = ledes.classification_of(item.timekeeper_classification or "") or "OT"
            timekeeper_create(
                actor=actor,
                firm=firm,
                timekeeper_id=ref,
                name=item.timekeeper_name or ref,
                classification=code,
            )
            known.add(ref)


def invoice_currency(source: ledes.Invoice, matter: Matter | None, firm: LawFirm | None) -> str:
    """The file's currency, else the matter's, else the firm's, else the company's."""
    for candidate in (
        source.currency,
        matter.currency if matter else None,
        firm.currency if firm else None,
        company_get().reporting_currency,
    ):
        if candidate:
            try:
                return currency(candidate).code
            except MoneyError:
                continue
    return "USD"


def _create_invoice(
    actor: User | None, plan: Plan, stored: InvoiceFile, source: str, received_on: datetime.date
) -> Invoice:
    src, firm, matter = plan.source, plan.firm, plan.matter
    assert firm is not None and matter is not None
    code = invoice_currency(src, matter, firm)
    if plan.outcome.resubmission_of is not None:
        earlier = workflow.locked(plan.outcome.resubmission_of)
        workflow.transition(
            earlier, State.RESUBMITTED, actor=actor, comment="replaced by a corrected invoice"
        )
    invoice = invoice_from_plan(plan, received_on, code)
    invoice.source, invoice.file, invoice.format = source, stored, stored.format
    invoice.submitted_by = actor
    invoice.save()
    lines = _create_lines(invoice, firm, src, code)
    _set_totals(invoice, lines)
    audit_record(
        actor=actor,
        event=Event.INVOICE_RECEIVED,
        target=invoice,
        payload={
            "file": stored.name,
            "sha256": stored.sha256,
            "lines": len(lines),
            "source": source,
            "billed": format_minor(invoice.billed_minor, code),
            "resubmission_of": plan.outcome.resubmission_of.pk
            if plan.outcome.resubmission_of
            else None,
        },
    )
    return invoice


def invoice_from_plan(plan: Plan, received_on: datetime.date, code: str) -> Invoice:
    """The invoice row a matched plan becomes, not saved yet (intake saves it; the portal's
    pre-flight reviews it without saving)."""
    src = plan.source
    assert plan.firm is not None and plan.matter is not None
    return Invoice(
        firm=plan.firm,
        matter=plan.matter,
        invoice_number=src.invoice_number,
        invoice_date=src.invoice_date or received_on,
        billing_start=src.billing_start_date,
        billing_end=src.billing_end_date,
        description=src.description or "",
        client_id=src.client_id or "",
        law_firm_matter_id=src.law_firm_matter_id or "",
        currency=code,
        stated_currency=src.currency or "",
        billed_minor=0,
        approved_minor=0,
        received_on=received_on,
        resubmission_of=plan.outcome.resubmission_of,
    )


def _create_lines(
    invoice: Invoice, firm: LawFirm, src: ledes.Invoice, code: str
) -> list[InvoiceLine]:
    timekeepers = dict(Timekeeper.objects.filter(firm=firm).values_list("timekeeper_id", "pk"))
    rows = [
        line_from_ledes(invoice, index, item, code, timekeepers)
        for index, item in enumerate(src.line_items)
    ]
    return insert_many(InvoiceLine, rows)


def line_from_ledes(
    invoice: Invoice, index: int, item: ledes.LineItem, code: str, timekeepers: dict[str, int]
) -> InvoiceLine:
    total = item.total or Decimal(0)
    billed = to_minor(total, code)
    ref = item.timekeeper_id or ""
    return InvoiceLine(
        invoice=invoice,
        index=index,
        line_item_number=item.line_item_number,
        position=item.line or 0,
        kind=item.type,
        date=item.date,
        units=item.units,
        unit_cost=item.unit_cost,
        ledes_adjustment=item.adjustment_amount or Decimal(0),
        billed_total=_exact(total),
        billed_minor=billed,
        approved_minor=billed,
        tax_minor=to_minor(item.tax_total, code) if item.tax_total else 0,
        task_code=item.task_code or "",
        activity_code=item.activity_code or "",
        expense_code=item.expense_code or "",
        timekeeper_id=timekeepers.get(ref),
        timekeeper_ref=ref,
        timekeeper_name=_timekeeper_name(item),
        classification=item.timekeeper_classification or "",
        narrative=item.description or "",
    )


def _exact(total: Decimal) -> Decimal:
    if total != total.quantize(Decimal("0.0001")):
        raise ValidationError(f"LINE_ITEM_TOTAL {total} has more than 4 decimal places")
    return total


def _timekeeper_name(item: ledes.LineItem) -> str:
    if item.timekeeper_name:
        return item.timekeeper_name
    parts = [p for p in (item.timekeeper_last_name, item.timekeeper_first_name) if p]
    return ", ".join(parts)


def _set_totals(invoice: Invoice, lines: list[InvoiceLine]) -> None:
    fees = sum(line.billed_minor for line in lines if line.kind in ("F", "IF"))
    expenses = sum(line.billed_minor for line in lines if line.kind in ("E", "IE"))
    invoice.billed_fees_minor, invoice.billed_expenses_minor = fees, expenses
    invoice.billed_minor = invoice.approved_minor = fees + expenses
    invoice.tax_minor = sum(line.tax_minor for line in lines)
    rollup_touch(invoice)
    invoice.hours = sum(
        (line.units or Decimal(0) for line in lines if line.kind == "F"), Decimal(0)
    )
    invoice.save(
        update_fields=[
            "billed_fees_minor",
            "billed_expenses_minor",
            "billed_minor",
            "approved_minor",
            "tax_minor",
            "hours",
        ]
    )


def can_submit(user: User) -> bool:
    return has_capability(user, Capability.FIRM_SUBMIT) or has_capability(
        user, Capability.INTAKE_INVOICES
    )
