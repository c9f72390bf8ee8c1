"""Building LEDES 1998B text for tests (totals computed here, by plain arithmetic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

HEADER = (
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|"
    "BILLING_START_DATE|BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|"
    "EXP/FEE/INV_ADJ_TYPE|LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|"
    "LINE_ITEM_TOTAL|LINE_ITEM_DATE|LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|"
    "LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|"
    "LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]"
)


@dataclass
class Fee:
    hours: str
    rate: str
    narrative: str
    date: str = "20261105"
    timekeeper: tuple[str, str, str] = ("TK1", "Hale, Grace", "PARTNR")
    task: str = "L120"
    activity: str = "A104"

    @property
    def total(self) -> Decimal:
        return Decimal(self.hours) * Decimal(self.rate)

    def fields(self) -> list[str]:
        tk_id, name, cls = self.timekeeper
        return [
            "F",
            self.hours,
            "0",
            f"{self.total:.2f}",
            self.date,
            self.task,
            "",
            self.activity,
            tk_id,
            self.narrative,
            None,
            self.rate,
            name,
            cls,
        ]  # type: ignore[list-item]


@dataclass
class Expense:
    amount: str
    code: str
    narrative: str
    date: str = "20261106"

    @property
    def total(self) -> Decimal:
        return Decimal(self.amount)

    def fields(self) -> list[str]:
        return [
            "E",
            "1",
            "0",
            self.amount,
            self.date,
            "",
            self.code,
            "",
            "",
            self.narrative,
            None,
            self.amount,
            "",
            "",
        ]  # type: ignore[list-item]


@dataclass
class Bill:
    number: str
    matter: str
    firm: str = "36-1234567"
    lines: list[Fee | Expense] = field(default_factory=list)
    date: str = "20261115"
    start: str = "20261101"
    end: str = "20261130"


def ledes(*bills: Bill) -> bytes:
    rows = ["LEDES1998B[]", HEADER]
    for bill in bills:
        total = sum((line.total for line in bill.lines), Decimal(0))
        for n, line in enumerate(bill.lines, start=1):
            kind, units, adj, line_total, day, task, exp, act, tk, text, _, cost, name, cls = (
                line.fields()
            )
            row = [
                bill.date,
                bill.number,
                "CL1",
                "FM-1",
                f"{total:.2f}",
                bill.start,
                bill.end,
                "Services rendered",
                str(n),
                kind,
                units,
                adj,
                line_total,
                day,
                task,
                exp,
                act,
                tk,
                text,
                bill.firm,
                cost,
                name,
                cls,
                bill.matter,
            ]
            rows.append("|".join(row) + "[]")
    return ("\n".join(rows) + "\n").encode()
