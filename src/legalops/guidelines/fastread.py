"""Engine records straight from a LEDES 1998B / 98BI file that `legalops.ledes.validate` has
already accepted.

Why this exists next to `legalops.ledes.parse`: review must run within a small multiple of
plain splitting (issue 4: <= 15x `bench/baseline_split.py` on 200,000 lines). `validate` meets
that, but building `ledes.model` records costs about five times more again (frozen dataclasses
with 30 fields per line). On a file that validated, every field is already known to be
well-formed, so this reader only maps columns to the engine's `Line` tuples. Anything else
(XML, S/MIME, non-UTF-8 text) goes through `ledes.parse` and `adapter.invoice_from_ledes`;
the tests check that both paths give equal records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from typing import overload

from legalops.guidelines.records import Invoice, Line

MARKERS = {"LEDES1998B[]": "1998B", "LEDES98BI V2[]": "98BI"}
_ZERO = Decimal(0)


def read_validated(data: bytes) -> list[Invoice] | None:
    """The invoices of a validated pipe-format file, or None when this reader does not apply."""
    planned = plan_validated(data)
    return list(planned) if planned is not None else None


def plan_validated(data: bytes) -> PlannedInvoices | None:
    """The file's invoices as a sequence that builds each invoice's records when it is read.
    Finding the invoices needs only each row's invoice number, so a big review hands the
    (larger) work of building the records to its workers. None when this reader does not
    apply."""
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        return None
    rows = text.split("\n")
    if rows[0].rstrip("\r ") not in MARKERS or len(rows) < 2:
        return None
    header = rows[1].rstrip("\r ").removesuffix("[]").split("|")
    return PlannedInvoices(rows, {name: index for index, name in enumerate(header)})


class PlannedInvoices(Sequence[Invoice]):
    """The invoices of one file in order of first appearance, each built from its rows when
    it is read (equal records every time)."""

    def __init__(self, rows: list[str], col: dict[str, int]) -> None:
        self._rows = rows
        self._col = col
        self._make_line = _line_builder(col)
        key = col["INVOICE_NUMBER"]
        grouped: dict[str, list[int]] = {}
        for index in range(2, len(rows)):
            row = rows[index].rstrip("\r ")
            if not row:
                continue
            number = row.removesuffix("[]").split("|", key + 1)[key]
            found = grouped.get(number)
            if found is None:
                grouped[number] = [index]
            else:
                found.append(index)
        self._groups = list(grouped.values())
        self.sizes = [len(group) for group in self._groups]  # line counts, for chunking

    def __len__(self) -> int:
        return len(self._groups)

    def __iter__(self) -> Iterator[Invoice]:
        # Not Sequence's: it stops quietly at any IndexError, and a short row raises one.
        for index in range(len(self._groups)):
            yield self[index]

    @overload
    def __getitem__(self, index: int) -> Invoice: ...
    @overload
    def __getitem__(self, index: slice) -> list[Invoice]: ...
    def __getitem__(self, index: int | slice) -> Invoice | list[Invoice]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        rows, make_line = self._rows, self._make_line
        lines: list[Line] = []
        first: list[str] = []
        for row_index in self._groups[index]:
            fields = rows[row_index].rstrip("\r ").removesuffix("[]").split("|")
            first = first or fields
            lines.append(make_line(fields, row_index + 1))  # 1-based line of the record
        return _invoice(first, lines, self._col)


_DATES: dict[str, date | None] = {"": None}


def _date(text: str) -> date | None:
    found = _DATES.get(text)
    if found is None and text:
        found = _DATES[text] = date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    return found


# Amounts, hours and rates repeat across lines: each distinct text is turned into a Decimal
# once (bounded: a full table is emptied and refilled).
_NUMBERS: dict[str, Decimal | None] = {"": None}
_NUMBERS_MAX = 50_000


def _number(text: str) -> Decimal | None:
    found = _NUMBERS.get(text)
    if found is None and text:
        if len(_NUMBERS) >= _NUMBERS_MAX:
            _NUMBERS.clear()
            _NUMBERS[""] = None
        found = _NUMBERS[text] = Decimal(text)
    return found


def _line_builder(col: dict[str, int]) -> Callable[[list[str], int], Line]:
    c = col.__getitem__
    i_num, i_type, i_units, i_adj, i_total, i_date = (
        c(n)
        for n in (
            "LINE_ITEM_NUMBER",
            "EXP/FEE/INV_ADJ_TYPE",
            "LINE_ITEM_NUMBER_OF_UNITS",
            "LINE_ITEM_ADJUSTMENT_AMOUNT",
            "LINE_ITEM_TOTAL",
            "LINE_ITEM_DATE",
        )
    )
    i_task, i_exp, i_act, i_tk, i_desc, i_cost, i_name, i_class, i_matter = (
        c(n)
        for n in (
            "LINE_ITEM_TASK_CODE",
            "LINE_ITEM_EXPENSE_CODE",
            "LINE_ITEM_ACTIVITY_CODE",
            "TIMEKEEPER_ID",
            "LINE_ITEM_DESCRIPTION",
            "LINE_ITEM_UNIT_COST",
            "TIMEKEEPER_NAME",
            "TIMEKEEPER_CLASSIFICATION",
            "CLIENT_MATTER_ID",
        )
    )
    i_last, i_first = col.get("TIMEKEEPER_LAST_NAME"), col.get("TIMEKEEPER_FIRST_NAME")

    def build(f: list[str], position: int) -> Line:
        name = f[i_name]
        if not name and i_last is not None and i_first is not None:
            name = ", ".join(part for part in (f[i_last], f[i_first]) if part)
        return Line(
            f[i_num],
            f[i_type],
            _number(f[i_total]) or _ZERO,
            _date(f[i_date]),
            _number(f[i_units]),
            _number(f[i_cost]),
            _number(f[i_adj]) or _ZERO,
            f[i_task],
            f[i_act],
            f[i_exp],
            f[i_tk],
            name,
            f[i_class],
            f[i_desc],
            position,
            f[i_matter],
        )

    return build


def _invoice(first: list[str], lines: list[Line], col: dict[str, int]) -> Invoice:
    def get(name: str) -> str:
        index = col.get(name)
        return first[index] if index is not None else ""

    return Invoice(
        invoice_number=get("INVOICE_NUMBER"),
        law_firm_id=get("LAW_FIRM_ID"),
        lines=tuple(lines),
        client_matter_id=get("CLIENT_MATTER_ID"),
        invoice_date=_date(get("INVOICE_DATE")),
        billing_start=_date(get("BILLING_START_DATE")),
        billing_end=_date(get("BILLING_END_DATE")),
        currency=get("INVOICE_CURRENCY") or None,
        client_id=get("CLIENT_ID"),
        law_firm_matter_id=get("LAW_FIRM_MATTER_ID"),
    )
