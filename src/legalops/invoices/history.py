"""`legalops import history FILE [--create-missing]` (spec/cli.md "import"): a previous system's
invoices, one row per line item with the LEDES 1998B columns plus `state,approved_total,
paid_date`, landing with their final state, approved amounts and payments, so that KPIs, rate
history and duplicate checks (intake's and the review's history rules) start with the past.

All-or-nothing: the whole file is checked first and every problem is reported with its row
(header = row 1) and column; then everything is written in one transaction with one audit
event (the bulk path of DESIGN rule 6). An invoice already in the database with the same
content is `unchanged`, so running the file again writes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from legalops import ledes
from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.imports import (
    Cells,
    CommandSpec,
    Plan,
    Problem,
    Row,
    Unreadable,
    cell_date,
    cell_decimal,
    cell_required,
    read_table,
    register_command,
)
from legalops.core.money import MoneyError, to_minor
from legalops.invoices.models import (
    SUPERSEDED_STATES,
    Adjustment,
    Invoice,
    InvoiceLine,
    Source,
    State,
    StateChange,
)
from legalops.matters.models import Matter, MatterFirm, MatterType
from legalops.matters.services import matter_create, matter_firm_assign
from legalops.payables.models import Payment, PaymentSource
from legalops.vendors.models import LawFirm, Timekeeper
from legalops.vendors.selectors import law_firm_by_ledes_id
from legalops.vendors.services import law_firm_create, timekeeper_create

LEDES_COLUMNS = (
    "invoice_date", "invoice_number", "client_id", "law_firm_matter_id", "invoice_total",
    "billing_start_date", "billing_end_date", "invoice_description", "line_item_number",
    "exp/fee/inv_adj_type", "line_item_number_of_units", "line_item_adjustment_amount",
    "line_item_total", "line_item_date", "line_item_task_code", "line_item_expense_code",
    "line_item_activity_code", "timekeeper_id", "line_item_description", "law_firm_id",
    "line_item_unit_cost", "timekeeper_name", "timekeeper_classification", "client_matter_id",
)  # fmt: skip
COLUMNS = (*LEDES_COLUMNS, "state", "approved_total", "paid_date")
# The fields every line of one invoice must agree on.
INVOICE_FIELDS = (
    "invoice_date", "client_id", "law_firm_matter_id", "billing_start_date", "billing_end_date",
    "client_matter_id", "state", "paid_date",
)  # fmt: skip
# A past invoice arrives with the outcome it had; open states belong to intake.
FINAL_STATES = (
    State.APPROVED,
    State.APPROVED_ADJUSTED,
    State.REJECTED,
    State.SENT_TO_AP,
    State.PAID,
    State.VOIDED,
)
KINDS = ("F", "E", "IF", "IE")


@dataclass
class LineIn:
    row: int
    number: str
    kind: str
    total: Decimal
    approved: Decimal
    units: Decimal | None
    unit_cost: Decimal | None
    adjustment: Decimal
    date: datetime.date | None
    cells: Row


@dataclass
class InvoiceIn:
    """One invoice of the file: its first row holds the invoice-level fields."""

    first: Row
    lines: list[LineIn] = field(default_factory=list)
    firm: LawFirm | None = None
    matter: Matter | None = None
    currency: str = "USD"
    action: str = "create"

    @property
    def number(self) -> str:
        return self.first["invoice_number"]

    @property
    def state(self) -> str:
        return self.first["state"].lower()


@dataclass
class HistoryResult:
    file: str
    problems: list[Problem]
    invoices: list[InvoiceIn]
    written: bool = False

    def count(self, action: str) -> int:
        return sum(1 for invoice in self.invoices if invoice.action == action)


# --- Checking -------------------------------------------------------------------------------


def history_import(
    *, actor: User | None, name: str, data: bytes, create_missing: bool = False
) -> HistoryResult:
    """Checks the whole file, then writes it in one transaction, or writes nothing. Raises
    Unreadable when the file is not a table at all."""
    require(actor, Capability.IMPORT_DATA)
    table = read_table(name, data)
    plan = Plan(name, create_missing)
    missing = [c for c in COLUMNS if c not in table.header]
    if missing:
        plan.bad("header", f"missing columns: {', '.join(missing)}", row=1)
        return HistoryResult(name, plan.problems, [])
    if not table.rows:
        plan.bad("", "no data rows below the header", row=1)
    invoices = _group(table.rows, plan)
    for invoice in invoices:
        _check_invoice(invoice, plan)
    result = HistoryResult(name, plan.problems, invoices)
    if not plan.problems and any(i.action == "create" for i in invoices):
        _write(actor, result, create_missing)
    return result


def _group(rows: list[Row], plan: Plan) -> list[InvoiceIn]:
    found: dict[tuple[str, str], InvoiceIn] = {}
    for row in rows:
        plan.row = row.number
        cells = Cells(row, plan)
        cells.get(cell_required, "law_firm_id")
        cells.get(cell_required, "invoice_number")
        key = (row["law_firm_id"], row["invoice_number"])
        invoice = found.setdefault(key, InvoiceIn(row))
        for column in INVOICE_FIELDS:
            if row[column] != invoice.first[column]:
                plan.bad(
                    column,
                    f"{row[column]!r} differs from row {invoice.first.number} "
                    f"({invoice.first[column]!r}) of the same invoice",
                )
        line = _line(row, cells)
        if line is not None:
            invoice.lines.append(line)
    return list(found.values())


def _line(row: Row, cells: Cells) -> LineIn | None:
    number = cells.get(cell_required, "line_item_number")
    kind = row["exp/fee/inv_adj_type"].upper()
    if kind not in KINDS:
        cells.plan.bad(
            "exp/fee/inv_adj_type", f"{row['exp/fee/inv_adj_type']!r} is not F, E, IF or IE"
        )
        cells.failed = True
    total = cells.get(cell_decimal, "line_item_total")
    approved = cells.get(cell_decimal, "approved_total")
    units = cells.get(cell_decimal, "line_item_number_of_units", required=False)
    unit_cost = cells.get(cell_decimal, "line_item_unit_cost", required=False)
    adjustment = cells.get(cell_decimal, "line_item_adjustment_amount", required=False)
    day = cells.get(cell_date, "line_item_date", required=False)
    for column in ("invoice_date", "billing_start_date", "billing_end_date", "paid_date"):
        cells.get(cell_date, column, required=column == "invoice_date")
    if cells.failed:
        return None
    if total != approved and total < 0:
        cells.plan.bad("approved_total", "a credit line is approved as billed")
    elif not 0 <= approved <= max(total, 0):
        cells.plan.bad("approved_total", f"{approved} is not between 0 and the billed {total}")
    if units is not None and unit_cost is not None:
        expected = units * unit_cost + (adjustment or 0)
        if abs(expected - total) > Decimal("0.01"):
            cells.plan.bad("line_item_total", f"{total} is not units x unit cost ({expected})")
    return LineIn(
        row.number, number, kind, total, approved, units, unit_cost, adjustment or Decimal(0),
        day, row,
    )  # fmt: skip


def _check_invoice(invoice: InvoiceIn, plan: Plan) -> None:
    first = invoice.first
    plan.row = first.number
    if invoice.state not in FINAL_STATES:
        plan.bad("state", f"{first['state']!r} is not one of {', '.join(FINAL_STATES)}")
    if (invoice.state == State.PAID) != bool(first["paid_date"]):
        plan.bad("paid_date", "is required for a paid invoice and only for one")
    numbers = [line.number for line in invoice.lines]
    for line in invoice.lines:
        if numbers.count(line.number) > 1:
            plan.bad("line_item_number", f"line {line.number} appears twice", row=line.row)
    _match(invoice, plan)
    if invoice.firm is not None and invoice.matter is not None:
        _check_amounts(invoice, plan)
        _compare_with_stored(invoice, plan)


def _match(invoice: InvoiceIn, plan: Plan) -> None:
    """Firm by LAW_FIRM_ID or alias, matter by CLIENT_MATTER_ID, as intake matches them;
    with --create-missing the ones the database lacks are created on writing."""
    first = invoice.first
    invoice.firm = law_firm_by_ledes_id(first["law_firm_id"])
    invoice.matter = Matter.objects.filter(number=first["client_matter_id"]).first()
    if not first["client_matter_id"]:
        plan.bad("client_matter_id", "is required")
        return
    if plan.create_missing:
        invoice.currency = (invoice.matter.currency if invoice.matter else None) or (
            invoice.firm.currency if invoice.firm else "USD"
        )
        return
    if invoice.firm is None:
        plan.bad("law_firm_id", f"unknown firm: {first['law_firm_id']!r} is not on the panel")
    if invoice.matter is None:
        plan.bad("client_matter_id", f"unknown matter: {first['client_matter_id']!r}")
    elif (
        invoice.firm is not None
        and not MatterFirm.objects.filter(matter=invoice.matter, firm=invoice.firm).exists()
    ):
        plan.bad(
            "law_firm_id", f"{invoice.firm.name} is not assigned to matter {invoice.matter.number}"
        )
    if invoice.matter is not None:
        invoice.currency = invoice.matter.currency or (
            invoice.firm.currency if invoice.firm else "USD"
        )


def _check_amounts(invoice: InvoiceIn, plan: Plan) -> None:
    billed = sum((line.total for line in invoice.lines), Decimal(0))
    approved = sum((line.approved for line in invoice.lines), Decimal(0))
    for line in invoice.lines:
        try:
            to_minor(line.total, invoice.currency), to_minor(line.approved, invoice.currency)
        except MoneyError as exc:
            plan.bad("line_item_total", str(exc), row=line.row)
    total = invoice.first["invoice_total"]
    if total and abs(Decimal(total.replace(",", "")) - billed) > Decimal("0.01"):
        plan.bad("invoice_total", f"{total} is not the sum of the lines ({billed})")
    if invoice.state == State.APPROVED and approved != billed:
        plan.bad("state", "approved as billed, but approved_total differs: use approved_adjusted")


def _compare_with_stored(invoice: InvoiceIn, plan: Plan) -> None:
    """The same invoice already stored: unchanged when it is this one, else a problem."""
    stored = (
        Invoice.objects.filter(firm=invoice.firm, invoice_number=invoice.number)
        .exclude(state__in=SUPERSEDED_STATES)
        .first()
    )
    if stored is None:
        return
    same = (
        stored.state == invoice.state
        and stored.billed_minor == _minor_sum(invoice, "total")
        and stored.approved_minor == _minor_sum(invoice, "approved")
        and stored.lines.count() == len(invoice.lines)
    )
    if same:
        invoice.action = "unchanged"
    else:
        plan.bad(
            "invoice_number",
            f"invoice {invoice.number} of {stored.firm.name} is already in the database "
            f"({stored.get_state_display().lower()}) with other amounts or state",
        )


def _minor_sum(invoice: InvoiceIn, attribute: str) -> int:
    return sum(to_minor(getattr(line, attribute), invoice.currency) for line in invoice.lines)


# --- Writing --------------------------------------------------------------------------------


@transaction.atomic
def _write(actor: User | None, result: HistoryResult, create_missing: bool) -> None:
    fresh = [invoice for invoice in result.invoices if invoice.action == "create"]
    for invoice in fresh:
        if create_missing:
            _create_missing(actor, invoice)
            _create_timekeepers(actor, invoice)
    rows = Invoice.objects.bulk_create([_invoice_row(i) for i in fresh])
    lines, adjustments, changes, payments = [], [], [], []
    for invoice, row in zip(fresh, rows, strict=True):
        keepers = dict(Timekeeper.objects.filter(firm=row.firm).values_list("timekeeper_id", "pk"))
        made = [_line_row(row, n, line, keepers) for n, line in enumerate(invoice.lines)]
        lines += made
        adjustments += [
            _adjustment(row, line, actor)
            for line in made
            if line.approved_minor != line.billed_minor
        ]
        changes.append(
            StateChange(
                invoice=row,
                from_state="",
                to_state=row.state,
                at=row.received_at,
                actor=actor,
                comment="imported from the previous system",
            )
        )
        if row.paid_on is not None and row.approved_minor > 0:
            payments.append(
                Payment(
                    invoice=row,
                    paid_on=row.paid_on,
                    amount_minor=row.approved_minor,
                    currency=row.currency,
                    source=PaymentSource.IMPORT,
                    reference=f"history {result.file.rsplit('/', 1)[-1]}"[:100],
                    recorded_by=actor,
                )
            )
    InvoiceLine.objects.bulk_create(lines, batch_size=2000)
    Adjustment.objects.bulk_create(adjustments, batch_size=2000)
    StateChange.objects.bulk_create(changes, batch_size=2000)
    Payment.objects.bulk_create(payments, batch_size=2000)
    audit_record(
        actor=actor,
        event=Event.DATA_IMPORTED,
        payload={
            "kind": "history",
            "file": result.file,
            "summary": f"{len(fresh)} invoices ({len(lines)} lines) created, "
            f"{result.count('unchanged')} unchanged",
        },
    )
    result.written = True


def _create_missing(actor: User | None, invoice: InvoiceIn) -> None:
    first = invoice.first
    invoice.firm = invoice.firm or law_firm_by_ledes_id(first["law_firm_id"])
    invoice.matter = (
        invoice.matter or Matter.objects.filter(number=first["client_matter_id"]).first()
    )
    if invoice.firm is None:
        invoice.firm = law_firm_create(
            actor=actor, law_firm_id=first["law_firm_id"], name=f"Firm {first['law_firm_id']}"
        )
    if invoice.matter is None:
        invoice.matter = matter_create(
            actor=actor,
            number=first["client_matter_id"],
            name=(first["invoice_description"] or f"Matter {first['client_matter_id']}")[:200],
            matter_type=MatterType.values[0],
            opened_on=_date(first["billing_start_date"] or first["invoice_date"]),
            currency=invoice.currency,
        )
    if not MatterFirm.objects.filter(matter=invoice.matter, firm=invoice.firm).exists():
        matter_firm_assign(actor=actor, matter=invoice.matter, firm=invoice.firm)


def _create_timekeepers(actor: User | None, invoice: InvoiceIn) -> None:
    assert invoice.firm is not None
    known = set(
        Timekeeper.objects.filter(firm=invoice.firm).values_list("timekeeper_id", flat=True)
    )
    for line in invoice.lines:
        ref = line.cells["timekeeper_id"]
        if line.kind == "F" and ref and ref not in known:
            code = ledes.classification_of(line.cells["timekeeper_classification"]) or "OT"
            timekeeper_create(
                actor=actor,
                firm=invoice.firm,
                timekeeper_id=ref,
                name=line.cells["timekeeper_name"] or ref,
                classification=code,
            )
            known.add(ref)


def _date(text: str) -> datetime.date:
    """A date cell the check already parsed (`_optional_date` for the ones that may be empty)."""
    return datetime.date.fromisoformat(text[:10])


def _optional_date(text: str) -> datetime.date | None:
    return _date(text) if text else None


def _invoice_row(invoice: InvoiceIn) -> Invoice:
    first, currency = invoice.first, invoice.currency
    assert invoice.firm is not None and invoice.matter is not None
    day = _date(first["invoice_date"])
    fees = sum(to_minor(x.total, currency) for x in invoice.lines if x.kind in ("F", "IF"))
    expenses = sum(to_minor(x.total, currency) for x in invoice.lines if x.kind in ("E", "IE"))
    decided = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    return Invoice(
        firm=invoice.firm,
        matter=invoice.matter,
        invoice_number=invoice.number,
        state=invoice.state,
        source=Source.HISTORY,
        format="1998B",
        invoice_date=day,
        billing_start=_optional_date(first["billing_start_date"]),
        billing_end=_optional_date(first["billing_end_date"]),
        description=first["invoice_description"],
        client_id=first["client_id"],
        law_firm_matter_id=first["law_firm_matter_id"],
        currency=currency,
        billed_minor=fees + expenses,
        billed_fees_minor=fees,
        billed_expenses_minor=expenses,
        approved_minor=_minor_sum(invoice, "approved"),
        hours=sum((x.units or Decimal(0) for x in invoice.lines if x.kind == "F"), Decimal(0)),
        received_at=decided,
        received_on=day,
        paid_on=_optional_date(first["paid_date"]),
    )


def _line_row(invoice: Invoice, index: int, line: LineIn, keepers: dict[str, int]) -> InvoiceLine:
    cells, currency = line.cells, invoice.currency
    ref = cells["timekeeper_id"]
    return InvoiceLine(
        invoice=invoice,
        index=index,
        line_item_number=line.number,
        position=line.row,
        kind=line.kind,
        date=line.date,
        units=line.units,
        unit_cost=line.unit_cost,
        ledes_adjustment=line.adjustment,
        billed_total=line.total,
        billed_minor=to_minor(line.total, currency),
        approved_minor=to_minor(line.approved, currency),
        task_code=cells["line_item_task_code"],
        activity_code=cells["line_item_activity_code"],
        expense_code=cells["line_item_expense_code"],
        timekeeper_id=keepers.get(ref),
        timekeeper_ref=ref,
        timekeeper_name=cells["timekeeper_name"],
        classification=cells["timekeeper_classification"],
        narrative=cells["line_item_description"],
    )


def _adjustment(invoice: Invoice, line: InvoiceLine, actor: User | None) -> Adjustment:
    """What the previous system cut, so the line's approved amount is its billed amount plus
    its adjustments here too (appeals and re-computations start from it)."""
    return Adjustment(
        invoice=invoice,
        line=line,
        amount_minor=line.approved_minor - line.billed_minor,
        reason_code="other",
        comment="approved amount imported from the previous system",
        created_by=actor,
        created_at=invoice.received_at,
    )


# --- The command ----------------------------------------------------------------------------


def _add_arguments(parser: Any) -> None:
    parser.add_argument("file", metavar="FILE", help="CSV or .xlsx, one row per line item")
    parser.add_argument(
        "--create-missing",
        action="store_true",
        help="create the firms, matters and timekeepers the file names",
    )


def _run(options: dict[str, Any], stdout: Any, stderr: Any) -> int:
    path = Path(options["file"])
    try:
        data = path.read_bytes()
        result = history_import(
            actor=None, name=str(path), data=data, create_missing=options["create_missing"]
        )
    except OSError as exc:
        stderr.write(f"{path}: cannot read: {exc.strerror}")
        return 2
    except Unreadable as exc:
        stderr.write(str(exc))
        return 2
    for problem in result.problems:
        stderr.write(str(problem))
    if result.problems:
        stderr.write(f"{path}: {len(result.problems)} problem(s); nothing was written")
        return 1
    stdout.write(
        f"{path}: {result.count('create')} invoices imported, {result.count('unchanged')} unchanged"
    )
    return 0


def register() -> None:
    register_command(
        "history",
        CommandSpec(
            help="past invoices with their final state, approved amounts and payments",
            add_arguments=_add_arguments,
            run=_run,
        ),
    )
