"""Reading and validating the pipe-delimited formats (LEDES 1998B and 98BI) in one pass.

Speed matters here (a 1,000,000-line file must validate in about the time it takes to split it),
so each record first meets a *gate*: one precompiled regex over the whole record that accepts
only clean, well-formed ASCII values. A record that passes needs just a few dictionary look-ups
and the arithmetic; a record that fails goes to the slow path, which checks field by field and
explains every problem. Both paths share the arithmetic and the invoice bookkeeping.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from legalops.ledes import layout as col
from legalops.ledes.book import InvoiceBook, InvoiceState
from legalops.ledes.checks import (
    BAD,
    TOLERANCE,
    Sink,
    check_choice,
    check_classification,
    check_code,
    check_date8,
    check_number,
    check_text,
    parse_date8,
    show,
)
from legalops.ledes.codes import classifications, currencies
from legalops.ledes.fields import Kind
from legalops.ledes.formats import FORMAT_98BI, FORMAT_1998B, MARKERS
from legalops.ledes.layout import PREFIX_FIELDS, Layout, layout_for
from legalops.ledes.model import Invoice
from legalops.ledes.source import first_non_ascii, repair_line

ZERO = Decimal(0)
_D = Decimal
# Entries per check cache (profiles, matters, amounts): caps memory on files whose values never
# repeat; a full cache is emptied and refilled, which costs only speed.
_CACHE_MAX = 20_000


class TextScanner:
    """Validates (and, with `build`, parses) one pipe-delimited LEDES text."""

    def __init__(self, sink: Sink, *, build: bool) -> None:
        self.sink = sink
        self.build = build
        self.format: str | None = None
        self.records = 0
        self.invoices: list[Invoice] = []
        self.invoice_count = 0
        self._crlf_seen = False
        self._pending_blank: list[int] = []
        self._book: InvoiceBook | None = None

    # --- preamble: format marker and header row ---------------------------------------------

    def run(self, lines: Iterable[str]) -> None:
        """Scan everything; records (when building) end up in `self.invoices`."""
        for _ in self.iterate(lines, stream=False):
            pass

    def iterate(self, lines: Iterable[str], *, stream: bool = True) -> Iterator[Invoice]:
        """Scan, yielding each invoice as soon as its lines end when `stream` is set (bounded
        memory); otherwise invoices are kept and merged until the end (`self.invoices`)."""
        it = iter(lines)
        first = next(it, None)
        if first is None:
            self.sink.error("empty", None, None, "the file is empty: no invoice in it")
            return
        layout, it2, next_line = self._preamble(first, it)
        if layout is None:
            return
        self.format = layout.format
        ready: list[Invoice] = []
        self._book = InvoiceBook(
            layout, self.sink, self.build, ready.append if stream and self.build else None
        )
        yield from self._loop(layout, it2, next_line, ready)
        self._finish()
        yield from ready

    def _preamble(self, first: str, it: Iterator[str]) -> tuple[Layout | None, Iterator[str], int]:
        marker = self._strip_ending(first.removeprefix("\ufeff"), 1)
        fmt = next((f for f, m in MARKERS.items() if marker.rstrip() == m), None)
        if fmt is None and "|" in marker:  # no marker line at all: line 1 is the header row
            self._marker_error(marker)
            fmt = FORMAT_98BI if marker.count("|") == 51 else FORMAT_1998B
            return self._header(fmt, marker, 1, it, known_marker=False)
        second = next(it, None)
        header = self._strip_ending(second, 2) if second is not None else ""
        if fmt is None:
            self._marker_error(marker)
            fmt = (
                FORMAT_98BI
                if marker.startswith("LEDES98BI") or header.count("|") == 51
                else FORMAT_1998B
            )
        return self._header(fmt, header, 2, it, known_marker=marker.rstrip() in MARKERS.values())

    def _marker_error(self, marker: str) -> None:
        shown = repr(marker[:40]) if marker.strip() else "empty"
        self.sink.error(
            "header",
            1,
            None,
            f"the first line must be the format marker "
            f"LEDES1998B[] or LEDES98BI V2[]; it is {shown}",
        )

    def _header(
        self, fmt: str, header: str, lineno: int, it: Iterator[str], *, known_marker: bool
    ) -> tuple[Layout | None, Iterator[str], int]:
        layout = layout_for(fmt)
        body = header[:-2] if header.endswith("[]") else header
        names = body.split("|")
        matching = sum(1 for a, b in zip(names, layout.names, strict=False) if a == b)
        if body == layout.header and header.endswith("[]"):
            return layout, it, lineno
        if not known_marker and matching < len(layout.names) // 2:
            self.sink.error(
                "header",
                lineno,
                None,
                "this is not a LEDES 1998B or 98BI file "
                "(neither the format marker nor the header row is recognised)",
            )
            return None, it, lineno
        if not header.endswith("[]"):
            self.sink.error("terminator", lineno, None, "the header row must end with []")
        if len(names) != len(layout.names):
            self.sink.error(
                "header",
                lineno,
                None,
                f"the header row has {len(names)} field names; LEDES {fmt} has {len(layout.names)}",
            )
        for i, (got, want) in enumerate(zip(names, layout.names, strict=False), start=1):
            if got != want:
                self.sink.error(
                    "header",
                    lineno,
                    want,
                    f"header field {i} is {got!r}; LEDES {fmt} expects {want}",
                )
        return layout, it, lineno

    # --- records --------------------------------------------------------------------------

    def _loop(
        self, layout: Layout, lines: Iterator[str], lineno: int, ready: list[Invoice]
    ) -> Iterator[Invoice]:
        """The hot loop. A record takes the fast path when it is ASCII, has the right field
        count, its profile (type, codes, timekeeper, rate, matter) was seen clean before, its
        per-line values pass one small regex and its date is real; invoice-level values are
        checked once per invoice and then compared as a tuple. Everything else goes to the
        slow path. Locals instead of attributes, for speed."""
        book = self._book
        assert book is not None
        gate = re.compile(layout.gate).fullmatch
        profile, matter, money = layout.profile, layout.matter, layout.money
        line_number_max = layout.line_number_max
        amounts_of: dict[tuple[str, ...], tuple[Decimal, Decimal]] = {}
        new_amounts = self._amounts_checker(layout, amounts_of)
        invoice_rest = layout.invoice_rest
        ((long_col, long_max),) = layout.long_text
        width = len(layout.names)
        good_profiles: set[tuple[str, ...]] = set()
        good_matters: set[tuple[str, ...]] = set()
        profile_ok = self._cached_checker(
            layout, layout.profile, layout.profile_gate, good_profiles
        )
        matter_ok = self._cached_checker(layout, layout.matter, layout.matter_gate, good_matters)
        valid_dates: set[str] = set()
        new_date = self._new_date
        pending = self._pending_blank
        has_tax = layout.has_tax
        odd, slow, join = self._odd_line, self._slow_row, "|".join
        current: InvoiceState | None = None
        add_total: Callable[[Decimal], None] = _discard
        add_tax: Callable[[Decimal], None] = _discard
        numbers: set[str] = set()
        start = end = ""
        building = False
        # The current invoice's leading fields (see PREFIX_FIELDS); `rest` is what the layout's
        # itemgetter returns: a tuple, or a single string when there is one such column.
        prefix = "\0"
        rest: object = ()
        records = 0
        for line in lines:
            lineno += 1
            if line[-3:] == "[]\n":
                body = line[:-3]
            else:
                maybe = odd(line, lineno)
                if maybe is None:
                    continue
                body = maybe
            if pending:
                self._blank_inside()
            records += 1
            f = body.split("|")
            if (
                len(f) != width
                or not body.isascii()
                or ((prof := profile(f)) not in good_profiles and not profile_ok(prof, f[9]))
                or ((mat := matter(f)) not in good_matters and not matter_ok(mat, f[9]))
                or not 0 < len(f[8]) <= line_number_max
                or (
                    (amounts := amounts_of.get(mon := money(f))) is None
                    and (amounts := new_amounts(mon)) is None
                )
                or len(f[long_col]) > long_max
                or (not f[long_col] and f[9] == "F")  # LINE_ITEM_DESCRIPTION required on F
                or (f[13] not in valid_dates and not new_date(f[13], valid_dates))
            ):
                slow(layout, f, lineno)
                current, prefix = None, "\0"
                if ready:
                    yield from ready
                    ready.clear()
                continue
            if current is None or not body.startswith(prefix) or invoice_rest(f) != rest:
                if gate(body) is None or not self._header_values_ok(layout, f, valid_dates):
                    slow(layout, f, lineno)
                    current, prefix = None, "\0"
                    continue
                current = self._switch(book, f, lineno)
                prefix, rest = join(f[:PREFIX_FIELDS]) + "|", invoice_rest(f)
                # Per-invoice values as locals: attribute access costs in this loop.
                add_total, add_tax = current.totals.append, current.taxes.append
                numbers = current.numbers if current.numbers is not None else set()
                # An unreadable period compares as "always inside" (no warning).
                start, end = (current.start, current.end) if current.start else ("", "\uffff")
                building = current.items is not None
                if ready:
                    yield from ready
                    ready.clear()
            total, tax = amounts
            add_total(total)
            if has_tax:
                add_tax(tax)
            number = f[8]
            if number in numbers:
                book.duplicate(current, number, lineno)
            numbers.add(number)
            if not start <= f[13] <= end:
                book.outside_period(current, f[13], lineno)
            if building:
                book.add_item(current, f, lineno)
        self.records += records

    def _amounts_checker(
        self, layout: Layout, good: dict[tuple[str, ...], tuple[Decimal, Decimal]]
    ) -> Callable[[tuple[str, ...]], tuple[Decimal, Decimal] | None]:
        """Well-formedness and arithmetic of (units, unit cost, adjustment, total[, tax]).
        Combinations repeat (same hours at the same rate), so each clean one is checked once
        and its (total, tax) remembered; a bad one returns None and the slow path explains."""
        regex = re.compile(layout.money_gate).fullmatch
        has_tax = layout.has_tax

        def check(values: tuple[str, ...]) -> tuple[Decimal, Decimal] | None:
            line_type, units_text = values[0], values[1]
            if regex("|".join(values)) is None or (not units_text and line_type in ("F", "E")):
                return None
            units, cost, adj, total = (_D(v or 0) for v in values[1:5])
            tax = _D(values[5] or 0) if has_tax else ZERO
            if abs(units * cost + adj + tax - total) > TOLERANCE:
                return None
            if len(good) > _CACHE_MAX:  # bound memory
                good.clear()
            good[values] = (total, tax)
            return total, tax

        return check

    def _cached_checker(
        self, layout: Layout, getter: Any, pattern: str, good: set[tuple[str, ...]]
    ) -> Callable[[tuple[str, ...], str], bool]:
        """A check of one group of columns whose value combinations repeat (profile, matter);
        clean combinations are remembered in `good`, so each is checked once per file."""
        cols = list(getter(list(range(len(layout.names)))))
        fields = [layout.fields[i] for i in cols]
        class_at = cols.index(col.CLASSIFICATION) if col.CLASSIFICATION in cols else None
        known = classifications()
        regex = re.compile(pattern).fullmatch

        def check(values: tuple[str, ...], line_type: str) -> bool:
            if regex("|".join(values)) is None:
                return False
            if class_at is not None and values[class_at] and values[class_at] not in known:
                return False
            if any(not v and line_type in s.required for s, v in zip(fields, values, strict=True)):
                return False
            if len(good) > _CACHE_MAX:  # bound memory on files with endless distinct combinations
                good.clear()
            good.add(values)
            return True

        return check

    def _new_date(self, day: str, valid: set[str]) -> bool:
        if parse_date8(day) is None:
            return False
        valid.add(day)
        return True

    def _header_values_ok(self, layout: Layout, f: list[str], valid: set[str]) -> bool:
        """Invoice-level values the gate cannot judge: real dates, known currencies. Checked
        only when a line starts (or changes) an invoice's header, not on every line."""
        for i in (col.INVOICE_DATE, col.BILLING_START, col.BILLING_END):
            if f[i] not in valid and not self._new_date(f[i], valid):
                return False
        if layout.has_tax:
            known = currencies()
            return f[col.INVOICE_CURRENCY] in known and (
                not f[col.TAX_CURRENCY] or f[col.TAX_CURRENCY] in known
            )
        return True

    def _switch(self, book: InvoiceBook, f: list[str], lineno: int) -> InvoiceState:
        """The state of this line's invoice: the current one (its header values compared with
        the first line's), a new one, or a reopened earlier one."""
        state = book.current
        if state is None or state.number != f[col.INVOICE_NUMBER]:
            existing = book.states.get(f[col.INVOICE_NUMBER])
            state = book.switch(f, lineno)
            if existing is None:
                return state
        if book.layout.invoice_key(f) != state.key:
            book.inconsistent(state, f, lineno)
        return state

    def _math(self, f: list[str], lineno: int, expected: Decimal, total: Decimal) -> None:
        units, cost, adj = f[10] or "0", f[20] or "0", f[11]
        formula = f"{units} x {cost}"
        if adj:
            formula += f" - {adj[1:]}" if adj.startswith("-") else f" + {adj}"
        if len(f) > col.LINE_TAX and f[col.LINE_TAX]:
            formula += f" + tax {f[col.LINE_TAX]}"
        self.sink.error(
            "line-total",
            lineno,
            "LINE_ITEM_TOTAL",
            f"LINE_ITEM_TOTAL {f[12]} should be {show(expected)} = {formula}",
        )

    # --- line shapes: endings, blank lines, terminators ------------------------------------

    def _strip_ending(self, line: str, lineno: int) -> str:
        if line.endswith("\r\n") or line.endswith("\r"):
            if not self._crlf_seen:
                self._crlf_seen = True
                self.sink.warning(
                    "line-ending",
                    lineno,
                    None,
                    "lines end with CR LF (Windows); LEDES files normally use LF",
                )
            return line.rstrip("\r\n")
        if line.endswith("\n"):
            return line[:-1]
        return line

    def _odd_line(self, line: str, lineno: int) -> str | None:
        """A line that is not `...[]\\n`: CRLF, last line, blank, or missing terminator."""
        ends_newline = line.endswith(("\n", "\r"))
        text = self._strip_ending(line, lineno)
        if not text.strip():
            self._pending_blank.append(lineno)
            return None
        if not ends_newline:
            self.sink.warning(
                "final-newline",
                lineno,
                None,
                "the file does not end with a newline after the last []",
            )
        body = text.rstrip(" \t")
        if body.endswith("[]"):
            return body[:-2]
        self.sink.error("terminator", lineno, None, "the record does not end with []")
        return body

    def _blank_inside(self) -> None:
        for lineno in self._pending_blank:
            self.sink.error("field-count", lineno, None, "blank line between records; remove it")
        self._pending_blank.clear()

    def _finish(self) -> None:
        for lineno in self._pending_blank:
            self.sink.warning(
                "trailing-blank-line", lineno, None, "blank line at the end of the file"
            )
        if self.records == 0:
            self.sink.error("empty", None, None, "the file has no invoice lines")
        assert self._book is not None
        self.invoices = self._book.finish()
        self.invoice_count = len(self._book.states)

    # --- the slow path: field by field, with explanations --------------------------------------

    def _slow_row(self, layout: Layout, f: list[str], lineno: int) -> None:
        sink = self.sink
        if not all(v.isascii() for v in f):
            f = self._non_ascii(layout, f, lineno)
        if len(f) != len(layout.names):
            sink.error(
                "field-count",
                lineno,
                None,
                f"the record has {len(f)} fields; LEDES "
                f"{layout.format} has {len(layout.names)} (a missing or extra '|')",
            )
            return
        values = [_check(spec, v, lineno, sink) for spec, v in zip(layout.fields, f, strict=True)]
        line_type = f[col.TYPE]
        for i in layout.by_type_idx.get(line_type, ()):
            if not f[i]:
                sink.error(
                    "required",
                    lineno,
                    layout.names[i],
                    f"{layout.names[i]} is required on {_LINE_KIND[line_type]}",
                )
        assert self._book is not None
        book = self._book
        state = self._switch(book, f, lineno)
        self._slow_math(layout, state, f, values, lineno)
        self._slow_book(state, f, values, lineno)

    def _slow_math(
        self, layout: Layout, state: InvoiceState, f: list[str], values: list[Any], lineno: int
    ) -> None:
        total = values[col.LINE_TOTAL]
        tax = values[col.LINE_TAX] if layout.has_tax else None
        if total is BAD or total is None or tax is BAD:
            state.sums_ok = False
            return
        state.sum_total += total
        state.sum_tax += tax or ZERO
        parts = (values[col.UNITS], values[col.UNIT_COST], values[col.ADJUSTMENT])
        if BAD in parts:
            return
        units, cost, adj = (p or ZERO for p in parts)
        expected = units * cost + adj + (tax or ZERO)
        if abs(expected - total) > TOLERANCE:
            self._math(f, lineno, expected, total)

    def _slow_book(self, state: InvoiceState, f: list[str], values: list[Any], lineno: int) -> None:
        book = self._book
        assert book is not None
        state.lines += 1
        number = f[col.LINE_NUMBER]
        if state.numbers is not None and number:
            if number in state.numbers:
                book.duplicate(state, number, lineno)
            state.numbers.add(number)
        day = values[col.LINE_DATE]
        if (
            state.start
            and day is not BAD
            and day is not None
            and not state.start <= f[col.LINE_DATE] <= state.end
        ):
            book.outside_period(state, f[col.LINE_DATE], lineno)
        if state.items is not None:
            book.add_item(state, f, lineno)

    def _non_ascii(self, layout: Layout, f: list[str], lineno: int) -> list[str]:
        """Warn once per field with non-ASCII text; re-read undecodable bytes (Windows-1252)."""
        out = []
        for i, value in enumerate(f):
            if not value.isascii():
                value = self._warn_non_ascii(layout, i, value, lineno)
            out.append(value)
        return out

    def _warn_non_ascii(self, layout: Layout, i: int, value: str, lineno: int) -> str:
        name = layout.names[i] if i < len(layout.names) else None
        value, how = repair_line(value)
        if how == "undecodable":
            self.sink.error(
                "encoding",
                lineno,
                name,
                f"{name or 'the record'} holds bytes that are neither UTF-8 nor Windows-1252 text",
            )
            return value
        ch = first_non_ascii(value)
        note = " (read as Windows-1252)" if how == "cp1252" else ""
        self.sink.warning(
            "non-ascii",
            lineno,
            name,
            f"{name or 'the record'} contains the "
            f"non-ASCII character {ch!r} (U+{ord(ch):04X}){note}; LEDES "
            f"{layout.format} files should be plain ASCII",
        )
        return value


_LINE_KIND = {
    "F": "a fee (F) line",
    "E": "an expense (E) line",
    "IF": "an IF line",
    "IE": "an IE line",
}


def _discard(value: Decimal) -> None:
    """Placeholder for the per-invoice appenders before the first invoice starts."""


def _none(row: list[str]) -> tuple[str, ...]:
    return ()


def _check(spec: Any, value: str, lineno: int, sink: Sink) -> Any:
    if not value:
        if len(spec.required) == 4:
            sink.error("required", lineno, spec.name, f"{spec.name} is required")
            return BAD
        return None
    return _CHECKERS[spec.kind](spec, value, lineno, sink)


_CHECKERS: dict[Kind, Callable[..., Any]] = {
    Kind.DATE: check_date8,
    Kind.TEXT: check_text,
    Kind.MONEY: check_number,
    Kind.UNITS: check_number,
    Kind.RATE: check_number,
    Kind.TYPE: check_choice,
    Kind.CODE: check_code,
    Kind.CLASSIFICATION: check_classification,
    Kind.CURRENCY: check_choice,
    Kind.COUNTRY: check_choice,
    Kind.ACCOUNT_TYPE: check_choice,
}
