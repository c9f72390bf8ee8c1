"""Maintaining the monthly rollups (`reports.models`) that the dashboards read (DESIGN.md rule 6).

The services that change invoices call `rollup_touch(invoice)` inside their transaction (the
choke points: `invoices.workflow.transition`, `invoices.services.totals_refresh` and intake's
totals); the touched (firm, matter, month) keys are recomputed from the raw rows once the
transaction commits, so a rolled-back change leaves the rollups as they were. Bulk paths (seed,
history import) call `rebuild()`, as does `legalops rollups rebuild`.

Every number is recomputed from invoices, lines and adjustments, never incremented, so a
recomputation and a rebuild always agree with the raw data.
"""

from __future__ import annotations

import datetime
import functools
import sys
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr, TruncMonth
from django.utils import timezone

from legalops.core.money import from_minor, to_minor
from legalops.invoices.hooks import BILLED_STATES, SPENT_STATES
from legalops.invoices.models import (
    Adjustment,
    Invoice,
    InvoiceLine,
    LineKind,
    State,
    StateChange,
)
from legalops.matters.models import Matter
from legalops.organization.models import FxRate
from legalops.organization.selectors import company_get
from legalops.reports import cycle_counts, rate_changes
from legalops.reports.models import (
    FirmInvoiceMonth,
    FirmStaffingMonth,
    InvoiceCycle,
    InvoiceCycleMonth,
    InvoiceMonth,
    RateChange,
    StaffingMonth,
    WorkMonth,
)
from legalops.reports.selectors import bucket_of
from legalops.vendors.models import LawFirm, Timekeeper

# (firm id, matter id, first day of the month)
Key = tuple[int, int, datetime.date]
# (firm id, matter id, invoice date, currency): the amounts converted together
DayKey = tuple[int, int, datetime.date, str]
_BILLED = {str(s) for s in BILLED_STATES}
_SPENT = {str(s) for s in SPENT_STATES}
_PENDING_ATTR = "_legalops_rollup_keys"
_CALLBACK_ATTR = "_legalops_rollup_flush"
_CHUNK = 200
# Every table `rebuild()` rewrites.
ROLLUP_MODELS = (
    InvoiceMonth,
    StaffingMonth,
    FirmInvoiceMonth,
    FirmStaffingMonth,
    WorkMonth,
    InvoiceCycle,
    InvoiceCycleMonth,
    RateChange,
)


class Converter:
    """Converts amounts to the reporting currency with the rate of their date, as
    `organization.selectors.fx_rate_on` picks it (the latest direct rate on or before the day,
    else the inverse of the latest inverse one), ROUND_HALF_UP. A currency's rates are read
    once per run (a few hundred rows) instead of one query per invoice date; days without a
    rate are remembered in `missing` and convert to None."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.tables: dict[str, tuple[list[Any], list[Any]]] = {}
        self.missing: set[tuple[str, datetime.date]] = set()

    def _table(self, currency: str) -> tuple[list[Any], list[Any]]:
        if currency not in self.tables:
            pairs = ((currency, self.target), (self.target, currency))
            self.tables[currency] = tuple(  # type: ignore[assignment]
                list(
                    FxRate.objects.filter(base_id=base, quote_id=quote)
                    .order_by("date")
                    .values_list("date", "rate")
                )
                for base, quote in pairs
            )
        return self.tables[currency]

    def rate(self, currency: str, day: datetime.date) -> Decimal | None:
        direct, inverse = self._table(currency)
        for rows, invert in ((direct, False), (inverse, True)):
            at = bisect_right(rows, day, key=lambda row: row[0])
            if at:
                rate = rows[at - 1][1]
                return Decimal(1) / rate if invert else rate
        self.missing.add((currency, day))
        return None

    def convert(self, minor: int, currency: str, day: datetime.date) -> int | None:
        if currency == self.target or minor == 0:
            return minor
        rate = self.rate(currency, day)
        if rate is None:
            return None
        return to_minor(from_minor(minor, currency) * rate, self.target)


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


# --- keeping them current --------------------------------------------------------------------


def rollup_touch(invoice: Invoice) -> None:
    """Marks the invoice's (firm, matter, month) for recomputation when the surrounding
    transaction commits (at once outside a transaction)."""
    pending: set[Key] = getattr(connection, _PENDING_ATTR, None) or set()
    pending.add((invoice.firm_id, invoice.matter_id, month_of(invoice.invoice_date)))
    setattr(connection, _PENDING_ATTR, pending)
    # One callback per batch; a rollback (of a savepoint too) drops it: schedule a new one.
    scheduled = getattr(connection, _CALLBACK_ATTR, None)
    if scheduled is None or not any(entry[1] is scheduled for entry in connection.run_on_commit):
        callback = _callback()
        setattr(connection, _CALLBACK_ATTR, callback)
        transaction.on_commit(callback)


def _callback() -> Callable[[], None]:
    def flush() -> None:
        pending: set[Key] = getattr(connection, _PENDING_ATTR, None) or set()
        setattr(connection, _PENDING_ATTR, set())
        setattr(connection, _CALLBACK_ATTR, None)
        if pending:
            refresh(pending)

    return flush


def refresh(keys: Iterable[Key]) -> None:
    """Recomputes the rollup rows of these (firm, matter, month) keys from the raw rows."""
    keys = sorted(set(keys))
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        with transaction.atomic():
            # Serialises concurrent recomputations of the same matters (PostgreSQL).
            list(Matter.objects.select_for_update().filter(pk__in={k[1] for k in chunk}))
            rollup_q = Q()
            invoice_q = Q()
            for firm_id, matter_id, month in chunk:
                rollup_q |= Q(firm_id=firm_id, matter_id=matter_id, month=month)
                invoice_q |= Q(
                    firm_id=firm_id, matter_id=matter_id, invoice_date__range=_bounds(month)
                )
            InvoiceMonth.objects.filter(rollup_q).delete()
            StaffingMonth.objects.filter(rollup_q).delete()
            WorkMonth.objects.filter(rollup_q).delete()
            invoices = Invoice.objects.filter(invoice_q)
            cycles = InvoiceCycle.objects.filter(invoice__in=invoices)
            counted = cycle_counts.months_of(cycles)
            cycles.delete()
            _write(invoices)
            _firm_totals({(firm_id, month) for firm_id, _, month in chunk})
            cycle_counts.recount(counted | cycle_counts.months_of(cycles))


@dataclass
class RebuildReport:
    invoice_rows: int
    staffing_rows: int
    unconverted: int
    cycle_rows: int = 0
    rate_changes: int = 0


@transaction.atomic
def rebuild() -> RebuildReport:
    """Recomputes every rollup row (and the rate changes of the rate cards) from scratch (one
    transaction; readers see the old rows until it commits). Pending touches of the current
    transaction are covered by it."""
    setattr(connection, _PENDING_ATTR, set())
    InvoiceMonth.objects.all().delete()
    StaffingMonth.objects.all().delete()
    WorkMonth.objects.all().delete()
    InvoiceCycle.objects.all().delete()
    invoice_rows, staffing_rows = _write(Invoice.objects.all())
    _firm_totals(None)
    cycle_counts.recount(None)
    return RebuildReport(
        invoice_rows=len(invoice_rows),
        staffing_rows=len(staffing_rows),
        unconverted=sum(row.unconverted for row in invoice_rows),
        cycle_rows=InvoiceCycle.objects.count(),
        rate_changes=rate_changes.rebuild(),
    )


def rebuild_work_months() -> int:
    """`WorkMonth` alone, from scratch: migration reports.0006 fills it for the invoices a
    database already holds (the other rollups are untouched)."""
    WorkMonth.objects.all().delete()
    if not Invoice.objects.exists():
        return 0
    rows = _work_rows(Invoice.objects.all(), Converter(company_get().reporting_currency))
    WorkMonth.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def rebuild_cycles() -> int:
    """`InvoiceCycle` and its monthly counts alone, from scratch: migration reports.0007
    fills them for a database upgraded across reports.0003, which added the table empty
    (only the decisions after it got rows). Returns the number of cycle rows."""
    InvoiceCycle.objects.all().delete()
    if Invoice.objects.exists():
        InvoiceCycle.objects.bulk_create(_cycle_rows(Invoice.objects.all()), batch_size=2000)
    cycle_counts.recount(None)
    return InvoiceCycle.objects.count()


def fill_in_migration(migration: str, fill: Callable[[], int]) -> None:
    """Runs `fill` (rebuild_work_months, rebuild_cycles) from a migration that adds or repairs
    a rollup. It runs the application's code, since historical models cannot convert
    currencies or time the cycles; should a later change to the invoice tables make that
    fail on a database migrated in one go from before it, the rows stay as they are and
    this says to run `legalops rollups rebuild`."""
    try:
        with transaction.atomic():
            fill()
    except DatabaseError as error:
        sys.stderr.write(
            f"{migration}: rollup rows not filled ({error}); run `legalops rollups rebuild`\n"
        )


def seed_rollups(ctx: Any) -> None:
    """The seed's last step (`legalops.seed.STEPS`): rollups of everything it loaded."""
    ctx.counts["rollup rows"] = rebuild().invoice_rows


def _bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    following = (month + datetime.timedelta(days=32)).replace(day=1)
    return month, following - datetime.timedelta(days=1)


def _write(invoices: QuerySet[Invoice]) -> tuple[list[InvoiceMonth], list[StaffingMonth]]:
    converter = Converter(company_get().reporting_currency)
    invoice_rows = _invoice_rows(invoices, converter)
    staffing_rows = _staffing_rows(invoices, converter)
    InvoiceMonth.objects.bulk_create(invoice_rows, batch_size=2000)
    StaffingMonth.objects.bulk_create(staffing_rows, batch_size=2000)
    InvoiceCycle.objects.bulk_create(_cycle_rows(invoices), batch_size=2000)
    WorkMonth.objects.bulk_create(_work_rows(invoices, converter), batch_size=2000)
    return invoice_rows, staffing_rows


def _firm_totals(pairs: set[tuple[int, datetime.date]] | None) -> None:
    """Recomputes the per-firm totals (`FirmInvoiceMonth`, `FirmStaffingMonth`) of these
    (firm id, month) pairs, or of all (None), by summing the matter-level rows. The firms'
    rows are locked first: two refreshes of different matters of one firm and month would
    otherwise both rewrite its total (PostgreSQL)."""
    pair_q = Q()
    if pairs is not None:
        if not pairs:
            return
        list(
            LawFirm.objects.select_for_update()
            .filter(pk__in={firm_id for firm_id, _ in pairs})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for firm_id, month in pairs:
            pair_q |= Q(firm_id=firm_id, month=month)
    levels: list[tuple[Any, Any, tuple[str, ...]]] = [
        (InvoiceMonth, FirmInvoiceMonth, ()),
        (StaffingMonth, FirmStaffingMonth, ("bucket",)),
    ]
    for source, target, extra in levels:
        target.objects.filter(pair_q).delete()
        columns = [f.name for f in SUMMED[target]]
        rows = (
            source.objects.filter(pair_q)
            .values("month", "firm_id", *extra)
            .annotate(**{f"sum_{c}": Sum(c) for c in columns})
            .order_by()
        )
        target.objects.bulk_create(
            (
                target(
                    month=row["month"],
                    firm_id=row["firm_id"],
                    **{e: row[e] for e in extra},
                    **{c: row[f"sum_{c}"] for c in columns},
                )
                for row in rows.iterator(chunk_size=5000)
            ),
            batch_size=2000,
        )


def _summed(model: Any) -> list[Any]:
    keys = {"id", "month", "firm", "matter", "currency", "bucket"}
    return [f for f in model._meta.concrete_fields if f.name not in keys]


# The columns each per-firm total sums (the same as its matter-level table's).
SUMMED = {
    FirmInvoiceMonth: _summed(FirmInvoiceMonth),
    FirmStaffingMonth: _summed(FirmStaffingMonth),
}


def _cycle_rows(invoices: QuerySet[Invoice]) -> Iterator[InvoiceCycle]:
    """One row per decided or paid invoice: receipt, first submission for approval (the
    earliest change to pending approval), first decision and payment; the spans between
    them for approved ones; whether an original submission passed without a rejection."""
    timed = invoices.filter(Q(decided_at__isnull=False) | Q(paid_on__isnull=False))
    submitted = dict(
        StateChange.objects.filter(invoice__in=timed, to_state=State.PENDING_APPROVAL)
        .values("invoice_id")
        .annotate(first=Min("at"))
        .values_list("invoice_id", "first")
        .order_by()
    )
    rejected = set(
        StateChange.objects.filter(invoice__in=timed, to_state=State.REJECTED).values_list(
            "invoice_id", flat=True
        )
    )
    fields = (
        "pk",
        "firm_id",
        "matter_id",
        "state",
        "resubmission_of_id",
        "received_at",
        "received_on",
        "decided_at",
        "paid_on",
    )
    for row in timed.values_list(*fields).order_by().iterator(chunk_size=5000):
        pk, firm_id, matter_id, state, resubmits, received, received_on, decided, paid = row
        approved = decided is not None and state in _SPENT
        sent = submitted.get(pk) if approved else None
        decided_on = None if decided is None else timezone.localtime(decided).date()
        submitted_on = None if sent is None else timezone.localtime(sent).date()
        yield InvoiceCycle(
            invoice_id=pk,
            firm_id=firm_id,
            matter_id=matter_id,
            decided_on=decided_on,
            decided_month=decided_on and month_of(decided_on),
            approved=approved,
            first_pass=(
                None
                if decided is None or resubmits is not None
                else approved and pk not in rejected
            ),
            submitted_on=submitted_on,
            submitted_month=submitted_on and month_of(submitted_on),
            approval_seconds=_seconds(decided - received) if approved else None,
            review_seconds=None if sent is None else _seconds(sent - received),
            approval_stage_seconds=None if sent is None else _seconds(decided - sent),
            paid_on=paid,
            paid_month=paid and month_of(paid),
            payment_days=None if paid is None else (paid - received_on).days,
        )


def _seconds(delta: datetime.timedelta) -> int:
    return delta.days * 86400 + delta.seconds


# --- computing them --------------------------------------------------------------------------

# Per-day amounts (invoice currency) and the rollup column each converts into.
_INVOICE_MONEY = {
    "billed": "billed_rc",
    "fees": "fees_rc",
    "expenses": "expenses_rc",
    "tax": "tax_rc",
    "spent_billed": "spent_billed_rc",
    "approved": "approved_rc",
    "reduced": "reduced_rc",
    "reinstated": "reinstated_rc",
}
_INVOICE_NATIVE = {"billed": "billed_minor", "approved": "approved_minor"}
_INVOICE_COUNTS = (
    "billed_count",
    "spent_count",
    "decided_count",
    "adjusted_count",
    "rejected_count",
    "line_count",
    "flagged_line_count",
)


def _invoice_rows(invoices: QuerySet[Invoice], converter: Converter) -> list[InvoiceMonth]:
    days: dict[DayKey, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    _add_invoice_totals(invoices, days)
    _add_adjustments(invoices, days)
    _add_line_counts(invoices, days)
    months: dict[tuple[int, int, datetime.date, str], InvoiceMonth] = {}
    for (firm_id, matter_id, day, currency), sums in days.items():
        key = (firm_id, matter_id, month_of(day), currency)
        row = months.get(key)
        if row is None:
            row = months[key] = _new(InvoiceMonth, key)
        _accumulate(row, sums, currency, day, converter, _INVOICE_MONEY, _INVOICE_NATIVE)
        for name in _INVOICE_COUNTS:
            setattr(row, name, getattr(row, name) + sums.get(name, 0))
    return list(months.values())


def _new(model: Any, key: tuple[Any, ...], **extra: Any) -> Any:
    firm_id, matter_id, month, currency = key
    return model(firm_id=firm_id, matter_id=matter_id, month=month, currency=currency, **extra)


def _accumulate(
    row: Any,
    sums: dict[str, Any],
    currency: str,
    day: datetime.date,
    converter: Converter,
    money: dict[str, str],
    native: dict[str, str],
) -> None:
    """Adds one day's sums to a month row: converted into `money` columns, as they are into
    `native` ones; a day without an FX rate counts as unconverted."""
    missing = False
    for source, column in money.items():
        converted = converter.convert(sums.get(source, 0), currency, day)
        missing = missing or converted is None
        setattr(row, column, getattr(row, column) + (converted or 0))
    for source, column in native.items():
        setattr(row, column, getattr(row, column) + sums.get(source, 0))
    row.unconverted += int(missing)


def _day_key(row: Mapping[str, Any], prefix: str = "") -> DayKey:
    return (
        row[f"{prefix}firm_id"],
        row[f"{prefix}matter_id"],
        row[f"{prefix}invoice_date"],
        row[f"{prefix}currency"],
    )


def _add_invoice_totals(invoices: QuerySet[Invoice], days: dict[DayKey, Any]) -> None:
    adjusted = Exists(
        Adjustment.objects.filter(invoice_id=OuterRef("pk"), withdrawn_at__isnull=True)
    )
    rows = (
        invoices.annotate(adjusted=adjusted)
        .values("firm_id", "matter_id", "invoice_date", "currency", "state", "adjusted")
        .annotate(
            n=Count("pk"),
            billed=Sum("billed_minor"),
            fees=Sum("billed_fees_minor"),
            expenses=Sum("billed_expenses_minor"),
            tax=Sum("tax_minor"),
            approved=Sum("approved_minor"),
        )
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        sums = days[_day_key(row)]
        state = row["state"]
        if state in _BILLED:
            sums["billed_count"] += row["n"]
            for name in ("billed", "fees", "expenses", "tax"):
                sums[name] += row[name]
        if state in _SPENT:
            sums["spent_count"] += row["n"]
            sums["spent_billed"] += row["billed"]
            sums["approved"] += row["approved"]
            sums["adjusted_count"] += row["n"] if row["adjusted"] else 0
        if state in _SPENT or state == State.REJECTED:
            sums["decided_count"] += row["n"]
        if state == State.REJECTED:
            sums["rejected_count"] += row["n"]


def _add_adjustments(invoices: QuerySet[Invoice], days: dict[DayKey, Any]) -> None:
    rows = (
        Adjustment.objects.filter(
            invoice__in=invoices.filter(state__in=SPENT_STATES), withdrawn_at__isnull=True
        )
        .values(
            "invoice__firm_id", "invoice__matter_id", "invoice__invoice_date", "invoice__currency"
        )
        .annotate(
            reduced=Sum("amount_minor", filter=Q(amount_minor__lt=0)),
            reinstated=Sum("reinstated_minor"),
        )
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        sums = days[_day_key(row, "invoice__")]
        sums["reduced"] += -(row["reduced"] or 0)
        sums["reinstated"] += row["reinstated"] or 0


def _lines(invoices: QuerySet[Invoice]) -> QuerySet[InvoiceLine]:
    return InvoiceLine.objects.filter(invoice__in=invoices.filter(state__in=BILLED_STATES))


def _add_line_counts(invoices: QuerySet[Invoice], days: dict[DayKey, Any]) -> None:
    rows = (
        _lines(invoices)
        .values(
            "invoice__firm_id", "invoice__matter_id", "invoice__invoice_date", "invoice__currency"
        )
        .annotate(n=Count("pk"), flagged=Count("pk", filter=Q(flag_count__gt=0)))
        .order_by()
    )
    for row in rows.iterator(chunk_size=5000):
        sums = days[_day_key(row, "invoice__")]
        sums["line_count"] += row["n"]
        sums["flagged_line_count"] += row["flagged"]


def _work_rows(invoices: QuerySet[Invoice], converter: Converter) -> list[WorkMonth]:
    """`WorkMonth` rows: the lines of billed invoices summed per (firm, matter, currency,
    invoice date, work month) by the database, each sum converted at its invoice date."""
    rows = (
        _lines(invoices)
        .annotate(work=month_sql(Coalesce("date", "invoice__invoice_date")))
        .values(
            "invoice__firm_id",
            "invoice__matter_id",
            "invoice__invoice_date",
            "invoice__currency",
            "work",
        )
        .annotate(billed=Sum("billed_minor"))
        .order_by()
    )
    months: dict[tuple[Any, ...], WorkMonth] = {}
    for row in rows.iterator(chunk_size=5000):
        firm_id, matter_id, day, currency = _day_key(row, "invoice__")
        work = first_of_month(row["work"])
        key = (firm_id, matter_id, month_of(day), currency)
        out = months.get((*key, work))
        if out is None:
            out = months[(*key, work)] = _new(WorkMonth, key, work_month=work)
        sums = {"billed": row["billed"]}
        _accumulate(out, sums, currency, day, converter, {"billed": "billed_rc"}, _WORK_NATIVE)
    return list(months.values())


_WORK_NATIVE = {"billed": "billed_minor"}


def month_sql(day: Any) -> Any:
    """The month of a date column in SQL. SQLite keeps dates as ISO text, so its first seven
    characters are the month, computed natively; Django's TruncMonth calls a Python function
    per row there (five times the time at a million lines). PostgreSQL truncates natively.
    `first_of_month` turns either result into the month's first day."""
    if connection.vendor == "sqlite":
        return Substr(day, 1, 7)
    return TruncMonth(day, output_field=DateField())


@functools.cache
def first_of_month(month: datetime.date | datetime.datetime | str) -> datetime.date:
    """A month as `month_sql` gives it ("2026-03" on SQLite) -> its first day."""
    if isinstance(month, str):
        return datetime.date(int(month[:4]), int(month[5:7]), 1)
    return month_of(month.date() if isinstance(month, datetime.datetime) else month)


_STAFFING_MONEY = {
    "fees": "fees_rc",
    "diverse_fees": "diverse_fees_rc",
    "spent_fees": "spent_fees_rc",
    "spent_approved": "spent_approved_rc",
}
_STAFFING_HOURS = ("hours", "diverse_hours", "spent_hours")


def _staffing_rows(invoices: QuerySet[Invoice], converter: Converter) -> list[StaffingMonth]:
    days: dict[tuple[DayKey, str], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
    for row in _fee_groups(invoices):
        sums = days[(_day_key(row, "invoice__"), bucket_of(row["classification"]))]
        hours, fees = row["hours"] or Decimal(0), row["fees"]
        sums["hours"] += hours
        sums["fees"] += fees
        if row["diverse"]:
            sums["diverse_hours"] += hours
            sums["diverse_fees"] += fees
        if row["invoice__state"] in _SPENT:
            sums["spent_hours"] += hours
            sums["spent_fees"] += fees
            sums["spent_approved"] += row["approved"]
    months: dict[tuple[Any, ...], StaffingMonth] = {}
    for ((firm_id, matter_id, day, currency), bucket), sums in days.items():
        key = (firm_id, matter_id, month_of(day), currency)
        month_row = months.get((*key, bucket))
        if month_row is None:
            month_row = months[(*key, bucket)] = _new(StaffingMonth, key, bucket=bucket)
            for name in _STAFFING_HOURS:
                setattr(month_row, name, Decimal(0))
        _accumulate(
            month_row, sums, currency, day, converter, _STAFFING_MONEY, {"fees": "fees_minor"}
        )
        for name in _STAFFING_HOURS:
            setattr(month_row, name, getattr(month_row, name) + sums.get(name, 0))
    return list(months.values())


def _fee_groups(invoices: QuerySet[Invoice]) -> Iterable[Any]:
    diverse_ids = [pk for pk, tags in Timekeeper.objects.values_list("pk", "diversity") if tags]
    diverse: Any = (
        ExpressionWrapper(Q(timekeeper_id__in=diverse_ids), output_field=BooleanField())
        if diverse_ids
        else Value(False)
    )
    return (
        _lines(invoices)
        .filter(kind=LineKind.FEE)
        .annotate(diverse=diverse)
        .values(
            "invoice__firm_id",
            "invoice__matter_id",
            "invoice__invoice_date",
            "invoice__currency",
            "invoice__state",
            "classification",
            "diverse",
        )
        .annotate(hours=Sum("units"), fees=Sum("billed_minor"), approved=Sum("approved_minor"))
        .order_by()
        .iterator(chunk_size=5000)
    )
