"""Invoice-level bookkeeping for the pipe-delimited formats.

Lines of one INVOICE_NUMBER are normally contiguous. While an invoice is open its line numbers
are kept (duplicate detection); when the next invoice starts the set is dropped, so memory stays
bounded by the largest invoice, not the file. Totals, first-line values and counts are kept per
invoice until the end (a few hundred bytes each). An invoice whose lines reappear later is
merged; only duplicate line numbers across the gap go unnoticed (docs/ledes.md).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from legalops.ledes import layout as col
from legalops.ledes.checks import TOLERANCE, Sink, parse_date8, quiet_decimal, show
from legalops.ledes.layout import Layout
from legalops.ledes.model import Invoice, LineItem, Matter, Party, Timekeeper

ZERO = Decimal(0)


class InvoiceState:
    """What the book remembers about one invoice."""

    __slots__ = (
        "number",
        "key",
        "first_line",
        "first",
        "sum_total",
        "sum_tax",
        "sums_ok",
        "numbers",
        "totals",
        "taxes",
        "start",
        "end",
        "lines",
        "items",
        "matters",
        "timekeepers",
        "packed",
    )

    def __init__(
        self, number: str, key: tuple[str, ...], lineno: int, first: list[str], build: bool
    ) -> None:
        self.number = number
        self.key: tuple[str, ...] | None = key  # invoice-level values; packed when closed
        self.packed = ""
        self.first_line = lineno
        # The first line's fields, kept only to build the Invoice record (parse mode); checks
        # read header values from `key`, so validation keeps no line text per invoice.
        self.first: list[str] | None = first if build else None
        self.sum_total = ZERO
        self.sum_tax = ZERO
        self.sums_ok = True  # False once a line total could not be read
        # The fast path appends here (cheaper than adding Decimals one by one); `absorb`
        # folds them into the sums when the invoice's block of lines ends.
        self.totals: list[Decimal] = []
        self.taxes: list[Decimal] = []
        self.numbers: set[str] | None = set()
        self.start = first[col.BILLING_START]
        self.end = first[col.BILLING_END]
        self.lines = 0
        self.items: list[LineItem] | None = [] if build else None
        self.matters: dict[tuple[str, str], Matter] | None = {} if build else None
        self.timekeepers: dict[str, Timekeeper] | None = {} if build else None

    def absorb(self) -> None:
        self.lines += len(self.totals)
        self.sum_total += sum(self.totals, ZERO)
        if self.taxes:
            self.sum_tax += sum(self.taxes, ZERO)
        self.totals.clear()
        self.taxes.clear()

    def values(self) -> tuple[str, ...]:
        """The invoice-level values (the key), packed or not."""
        return self.key if self.key is not None else tuple(self.packed.split("|"))

    def pack(self) -> None:
        """Shrink a finished invoice to what the end-of-file checks need (bounded memory):
        one string instead of a tuple of strings; no line numbers, no period strings. Values
        cannot hold "|" (they were split on it), so the packing is lossless."""
        if self.key is not None:
            self.packed = "|".join(self.key)
            self.key = None
        self.numbers = None
        self.start = self.end = ""


class InvoiceBook:
    """Per-invoice checks (consistency, duplicates, period, totals) and record building."""

    def __init__(
        self,
        layout: Layout,
        sink: Sink,
        build: bool,
        on_invoice: Callable[[Invoice], None] | None = None,
    ) -> None:
        self.layout = layout
        self.sink = sink
        self.build = build
        self.on_invoice = on_invoice
        self.states: dict[str, InvoiceState] = {}
        self._pos = {column: j for j, column in enumerate(layout.invoice_idx)}
        self.current: InvoiceState | None = None

    def switch(self, f: list[str], lineno: int) -> InvoiceState:
        """The state for this line's invoice when it is not the current one (new or reopened)."""
        if self.current is not None:
            self._close(self.current)
        number = f[col.INVOICE_NUMBER]
        state = self.states.get(number)
        if state is None:
            state = InvoiceState(number, self.layout.invoice_key(f), lineno, f, self.build)
            self.states[number] = state
            self._check_period(state, report=True)
        elif state.key is None:  # reopened: its lines resume after another invoice's
            state.key = state.values()
            state.numbers = set()
            header = self._header(state)
            state.start, state.end = header[col.BILLING_START], header[col.BILLING_END]
            self._check_period(state, report=False)
        self.current = state
        return state

    def _close(self, state: InvoiceState) -> None:
        state.absorb()
        if not self.build:
            state.pack()
        else:
            state.numbers = None  # bounded memory: forget line numbers of finished invoices
        if self.on_invoice is not None and state.items is not None:
            self.on_invoice(self._record(state))
            state.items = []

    def _check_period(self, state: InvoiceState, *, report: bool) -> None:
        start, end = parse_date8(state.start), parse_date8(state.end)
        if start is None or end is None:
            state.start = state.end = ""  # unreadable period: no outside-period warnings
        elif start > end:
            if report:
                self.sink.error(
                    "period",
                    state.first_line,
                    "BILLING_START_DATE",
                    f"BILLING_START_DATE {state.start} is after BILLING_END_DATE "
                    f"{state.end} (invoice {state.number})",
                )
            state.start = state.end = ""

    def inconsistent(self, state: InvoiceState, f: list[str], lineno: int) -> None:
        """Report every invoice-level field of this line that differs from the first line."""
        names = self.layout.names
        for i in self.layout.invoice_idx:
            first = state.values()[self._pos[i]]
            if f[i] != first:
                self.sink.error(
                    "inconsistent-invoice-field",
                    lineno,
                    names[i],
                    f"{names[i]} {f[i]!r} differs from {first!r} on line "
                    f"{state.first_line}, the first line of invoice {state.number} "
                    "(invoice-level fields must be the same on every line)",
                )

    def duplicate(self, state: InvoiceState, number: str, lineno: int) -> None:
        self.sink.error(
            "duplicate-line-number",
            lineno,
            "LINE_ITEM_NUMBER",
            f"LINE_ITEM_NUMBER {number} is used twice in invoice {state.number}",
        )

    def outside_period(self, state: InvoiceState, day: str, lineno: int) -> None:
        self.sink.warning(
            "line-date-outside-period",
            lineno,
            "LINE_ITEM_DATE",
            f"LINE_ITEM_DATE {day} is outside the billing period {state.start}-"
            f"{state.end} of invoice {state.number}",
        )

    def finish(self) -> list[Invoice]:
        """Check every invoice's totals; return the records (empty unless building)."""
        if self.current is not None:
            self._close(self.current)
            self.current = None
        out: list[Invoice] = []
        for state in self.states.values():
            self._check_totals(state)
            if self.build and self.on_invoice is None:
                out.append(self._record(state))
        return out

    def _header(self, state: InvoiceState) -> dict[int, str]:
        """The invoice-level values of an invoice by column (from its key)."""
        values = state.values()
        return {column: values[j] for column, j in self._pos.items()}

    def _check_totals(self, state: InvoiceState) -> None:
        if not state.sums_ok:
            return
        first = self._header(state)
        stated = quiet_decimal(first[col.INVOICE_TOTAL])
        if stated is not None and abs(stated - state.sum_total) > TOLERANCE:
            self.sink.error(
                "invoice-total",
                state.first_line,
                "INVOICE_TOTAL",
                f"INVOICE_TOTAL {first[col.INVOICE_TOTAL]} of invoice {state.number}"
                f" should be {show(state.sum_total)} = the sum of its {state.lines} "
                "LINE_ITEM_TOTAL values",
            )
        if self.layout.has_tax:
            self._check_tax_totals(state, stated)

    def _check_tax_totals(self, state: InvoiceState, gross: Decimal | None) -> None:
        first, sink = self._header(state), self.sink
        tax_text = first[col.INVOICE_TAX_TOTAL]
        tax = quiet_decimal(tax_text)
        if tax is not None and abs(tax - state.sum_tax) > TOLERANCE:
            sink.error(
                "invoice-total",
                state.first_line,
                "INVOICE_TAX_TOTAL",
                f"INVOICE_TAX_TOTAL {tax_text} of invoice {state.number} should be "
                f"{show(state.sum_tax)} = the sum of its LINE_ITEM_TAX_TOTAL values",
            )
        net = quiet_decimal(first[col.INVOICE_NET_TOTAL])
        if net is None or gross is None:
            return
        used, label = (
            (tax, f"INVOICE_TAX_TOTAL {tax_text}")
            if tax is not None
            else (state.sum_tax, f"the line taxes {show(state.sum_tax)}")
        )
        if abs(net - (gross - used)) > TOLERANCE:
            sink.error(
                "invoice-total",
                state.first_line,
                "INVOICE_NET_TOTAL",
                f"INVOICE_NET_TOTAL {first[col.INVOICE_NET_TOTAL]} of invoice "
                f"{state.number} should be {show(gross - used)} = INVOICE_TOTAL "
                f"{first[col.INVOICE_TOTAL]} - {label}",
            )

    # --- records -------------------------------------------------------------------------

    def add_item(self, state: InvoiceState, f: list[str], lineno: int) -> None:
        """Build the LineItem of a line (parse mode only); unreadable values become None."""
        assert state.items is not None and state.matters is not None
        item = line_item(f, lineno, self.layout.has_tax)
        state.items.append(item)
        matter_key = (f[col.CLIENT_MATTER_ID], f[col.LAW_FIRM_MATTER_ID])
        if matter_key not in state.matters:
            tax = self.layout.has_tax
            state.matters[matter_key] = Matter(
                _opt(f[col.CLIENT_MATTER_ID]),
                _opt(f[col.LAW_FIRM_MATTER_ID]),
                _opt(f[col.MATTER_NAME]) if tax else None,
                _opt(f[col.PO_NUMBER]) if tax else None,
                lineno,
            )
        if (
            item.timekeeper_id
            and state.timekeepers is not None
            and item.timekeeper_id not in state.timekeepers
        ):
            state.timekeepers[item.timekeeper_id] = Timekeeper(
                item.timekeeper_id,
                item.timekeeper_name,
                item.timekeeper_last_name,
                item.timekeeper_first_name,
                item.timekeeper_classification,
                item.unit_cost,
                lineno,
            )

    def _record(self, state: InvoiceState) -> Invoice:
        return invoice_record(self.layout, state)


def _opt(text: str) -> str | None:
    return text if text else None


def _dec(text: str) -> Decimal | None:
    return quiet_decimal(text) if text else None


def line_item(f: list[str], lineno: int, has_tax: bool) -> LineItem:
    units, cost = _dec(f[col.UNITS]), _dec(f[col.UNIT_COST])
    return LineItem(
        line_item_number=f[col.LINE_NUMBER],
        type=f[col.TYPE],
        total=_dec(f[col.LINE_TOTAL]),
        date=parse_date8(f[col.LINE_DATE]),
        units=units,
        unit_cost=cost,
        adjustment_amount=_dec(f[col.ADJUSTMENT]),
        task_code=_opt(f[col.TASK]),
        activity_code=_opt(f[col.ACTIVITY]),
        expense_code=_opt(f[col.EXPENSE]),
        timekeeper_id=_opt(f[col.TIMEKEEPER_ID]),
        timekeeper_name=_opt(f[col.TIMEKEEPER_NAME]),
        timekeeper_last_name=_opt(f[col.TK_LAST_NAME]) if has_tax else None,
        timekeeper_first_name=_opt(f[col.TK_FIRST_NAME]) if has_tax else None,
        timekeeper_classification=_opt(f[col.CLASSIFICATION]),
        description=_opt(f[col.DESCRIPTION]),
        client_matter_id=_opt(f[col.CLIENT_MATTER_ID]),
        law_firm_matter_id=_opt(f[col.LAW_FIRM_MATTER_ID]),
        tax_rate=_dec(f[col.TAX_RATE]) if has_tax else None,
        tax_total=_dec(f[col.LINE_TAX]) if has_tax else None,
        tax_type=_opt(f[col.TAX_TYPE]) if has_tax else None,
        base_amount=units * cost if units is not None and cost is not None else None,
        line=lineno,
    )


def _party(f: list[str], start: int, tax_id: str | None) -> Party:
    name, address_1, address_2, city, region, postcode, country = (
        _opt(v) for v in f[start : start + 7]
    )
    return Party(name, address_1, address_2, city, region, postcode, country, tax_id)


def invoice_record(layout: Layout, state: InvoiceState) -> Invoice:
    f, tax = state.first, layout.has_tax
    assert f is not None, "records are built only in parse mode, which keeps the first line"
    return Invoice(
        invoice_number=state.number,
        invoice_date=parse_date8(f[col.INVOICE_DATE]),
        law_firm_id=_opt(f[col.LAW_FIRM_ID]),
        client_id=_opt(f[col.CLIENT_ID]),
        client_matter_id=_opt(f[col.CLIENT_MATTER_ID]),
        law_firm_matter_id=_opt(f[col.LAW_FIRM_MATTER_ID]),
        billing_start_date=parse_date8(f[col.BILLING_START]),
        billing_end_date=parse_date8(f[col.BILLING_END]),
        description=_opt(f[col.INVOICE_DESCRIPTION]),
        currency=_opt(f[col.INVOICE_CURRENCY]) if tax else None,
        total=_dec(f[col.INVOICE_TOTAL]),
        line_items=tuple(state.items or ()),
        tax_total=_dec(f[col.INVOICE_TAX_TOTAL]) if tax else None,
        net_total=_dec(f[col.INVOICE_NET_TOTAL]) if tax else None,
        reported_tax_total=_dec(f[col.REPORTED_TAX_TOTAL]) if tax else None,
        tax_currency=_opt(f[col.TAX_CURRENCY]) if tax else None,
        account_type=_opt(f[col.ACCOUNT_TYPE]) if tax else None,
        law_firm=_party(f, col.LAW_FIRM_PARTY, _opt(f[col.LAW_FIRM_ID])) if tax else None,
        client=_party(f, col.CLIENT_PARTY, _opt(f[col.CLIENT_TAX_ID])) if tax else None,
        matters=tuple((state.matters or {}).values()),
        timekeepers=tuple((state.timekeepers or {}).values()),
        source_format=layout.format,
        line=state.first_line,
    )
