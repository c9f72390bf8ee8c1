"""Write a valid LEDES 1998B file of N line items, deterministically (same N, same bytes).

    python bench/ledes_generate.py 200000 bench/out/ledes_200k.txt

Invoices of 20-200 lines, fees and expenses mixed, realistic field lengths, every total
reconciling; the same seed gives byte-identical output.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

HEADER = (
    "INVOICE_DATE|INVOICE_NUMBER|CLIENT_ID|LAW_FIRM_MATTER_ID|INVOICE_TOTAL|BILLING_START_DATE|"
    "BILLING_END_DATE|INVOICE_DESCRIPTION|LINE_ITEM_NUMBER|EXP/FEE/INV_ADJ_TYPE|"
    "LINE_ITEM_NUMBER_OF_UNITS|LINE_ITEM_ADJUSTMENT_AMOUNT|LINE_ITEM_TOTAL|LINE_ITEM_DATE|"
    "LINE_ITEM_TASK_CODE|LINE_ITEM_EXPENSE_CODE|LINE_ITEM_ACTIVITY_CODE|TIMEKEEPER_ID|"
    "LINE_ITEM_DESCRIPTION|LAW_FIRM_ID|LINE_ITEM_UNIT_COST|TIMEKEEPER_NAME|"
    "TIMEKEEPER_CLASSIFICATION|CLIENT_MATTER_ID[]"
)
TIMEKEEPERS = [
    ("TK001", "Arnsley, Robert", "PARTNR", "650.00"),
    ("TK002", "Beaster, John", "ASSOC", "395.00"),
    ("TK003", "Chen, Maria", "ASSOC", "425.00"),
    ("TK004", "Dunn, Patricia", "PARALG", "185.00"),
    ("TK005", "Evans, Liam", "OFCOUN", "560.00"),
]
TASKS = ["L110", "L120", "L210", "L240", "L310", "L320", "L330", "L430", "L510"]
ACTIVITIES = ["A101", "A102", "A103", "A104", "A105", "A106", "A107", "A108", "A109"]
EXPENSES = [
    ("E101", "Copying", "0.10"),
    ("E106", "Online research", "1.00"),
    ("E110", "Out-of-town travel", "245.50"),
    ("E111", "Meals", "32.75"),
]
WORDS = [
    "draft",
    "review",
    "analyze",
    "research",
    "motion",
    "discovery",
    "deposition",
    "client",
    "call",
    "memo",
    "brief",
    "witness",
    "outline",
    "exhibits",
    "court",
    "hearing",
    "settlement",
    "strategy",
    "letter",
    "counsel",
]


def _fee(rng: random.Random, day: date) -> list[str]:
    tk_id, name, cls, rate = rng.choice(TIMEKEEPERS)
    units = Decimal(rng.randint(1, 80)) / 10
    adj = -(units * Decimal(rate) / 10).quantize(Decimal("0.01")) if rng.random() < 0.1 else 0
    total = units * Decimal(rate) + adj
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14)))
    return [
        "F",
        f"{units}",
        f"{adj}",
        f"{total:.2f}",
        day.strftime("%Y%m%d"),
        rng.choice(TASKS),
        "",
        rng.choice(ACTIVITIES),
        tk_id,
        words.capitalize(),
        rate,
        name,
        cls,
    ]


def _expense(rng: random.Random, day: date) -> list[str]:
    code, what, cost = rng.choice(EXPENSES)
    units = rng.randint(1, 40) if code == "E101" else 1
    total = units * Decimal(cost)
    return [
        "E",
        str(units),
        "0",
        f"{total:.2f}",
        day.strftime("%Y%m%d"),
        "",
        code,
        "",
        "",
        what,
        cost,
        "",
        "",
    ]


def _invoice(rng: random.Random, number: int, size: int) -> Iterator[str]:
    start = date(2025, 1, 1) + timedelta(days=30 * (number % 12))
    end = start + timedelta(days=29)
    matter = f"M-{number % 97:04d}"
    items = [
        (_fee if rng.random() < 0.85 else _expense)(rng, start + timedelta(rng.randint(0, 29)))
        for _ in range(size)
    ]
    invoice_total = sum(Decimal(item[3]) for item in items)
    head = [
        end.strftime("%Y%m%d"),
        f"INV{number:07d}",
        "CL0042",
        matter,
        f"{invoice_total:.2f}",
        start.strftime("%Y%m%d"),
        end.strftime("%Y%m%d"),
        "For professional services",
    ]
    for i, item in enumerate(items, start=1):
        t, units, adj, total, day, task, exp, act, tk, desc, cost, name, cls = item
        row = [
            *head,
            str(i),
            t,
            units,
            adj,
            total,
            day,
            task,
            exp,
            act,
            tk,
            desc,
            "24-6437381",
            cost,
            name,
            cls,
            f"CM-{number % 97:05d}",
        ]
        yield "|".join(row) + "[]\n"


def generate(lines: int, seed: int = 1998) -> Iterator[str]:
    rng = random.Random(seed)
    yield "LEDES1998B[]\n"
    yield HEADER + "\n"
    written, number = 0, 1
    while written < lines:
        size = min(rng.randint(20, 200), lines - written)
        yield from _invoice(rng, number, size)
        written += size
        number += 1


def main(argv: list[str]) -> int:
    count, target = int(argv[0]), Path(argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="ascii", newline="") as handle:
        handle.writelines(generate(count))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
