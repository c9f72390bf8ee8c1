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
from legalops.ledes.layout import LAYOUTS, Layout
from legalops.ledes.model import Invoice
from legalops.ledes.source import first_non_ascii, repair_line

ZERO = Decimal(0)
_D = Decimal


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
        marker = self._strip_ending(first, 1)
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
        layout = LAYOUTS[fmt]
        body = header[:-2] if header.endswith("[]") else header
        names = body.split("|")
        matching = sum(1 for a, b in zip(names, layout.names, strict=False) if a == b)
        if body == layout.header and header.endswith("[]"):
            return layout, it, lineno
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
        if not known_marker and matching < len(layout.names) // 2:
            self.sink.error(
                "header",
                lineno,
                None,
                "this is not a LEDES 1998B or 98BI file "
                "(neither the format marker nor the header row is recognised)",
            )
            return None, it, lineno
        return layout, it, lineno

    # --- records --------------------------------------------------------------------------

    def _loop(
        self, layout: Layout, lines: Iterator[str], lineno: int, ready: list[Invoice]
    ) -> Iterator[Invoice]:
        """The hot loop. Locals instead of attributes and one regex per record, for speed."""
        book = self._book
        assert book is not None
        gate = re.compile(layout.gate).fullmatch
        by_type = layout.by_type
        known_class = classifications()
        invoice_key = layout.invoice_key
        valid_dates: set[str] = set()
        pending = self._pending_blank
        has_tax = layout.has_tax
        odd = self._odd_line
        slow = self._slow_row
        math = self._math
        current: InvoiceState | None = None
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
            if gate(body) is None or "" in by_type.get(f[9], _none)(f):
                slow(layout, f, lineno)
                current = None
                if ready:
                    yield from ready
                    ready.clear()
                continue
            cls = f[22]
            day = f[13]
            if (cls and cls not in known_class) or (
                day not in valid_dates and not self._new_date(day, valid_dates)
            ):
                slow(layout, f, lineno)
                current = None
                continue
            if current is None or f[1] != current.number or invoice_key(f) != current.key:
                if not self._header_values_ok(layout, f, valid_dates):
                    slow(layout, f, lineno)
                    current = None
                    continue
                current = self._switch(book, f, lineno)
                if ready:
                    yield from ready
                    ready.clear()
            adj = f[11]
            total = _D(f[12])
            tax = _D(f[48]) if has_tax and f[48] else ZERO
            expected = _D(f[10] or 0) * _D(f[20] or 0) + tax
            if adj:
                expected += _D(adj)
            if abs(expected - total) > TOLERANCE:
                math(f, lineno, expected, total)
            current.sum_total += total
            current.sum_tax += tax
            current.lines += 1
            numbers = current.numbers
            number = f[8]
            if numbers is not None:
                if number in numbers:
                    book.duplicate(current, number, lineno)
                numbers.add(number)
            if current.start and not current.start <= day <= current.end:
                book.outside_period(current, day, lineno)
            if current.items is not None:
                book.add_item(current, f, lineno)
        self.records += records

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
