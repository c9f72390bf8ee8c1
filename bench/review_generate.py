"""Write a valid LEDES 1998B file of N line items with distinct, realistic narratives, for the
review benchmark (same N, same bytes).

    python bench/review_generate.py 200000 bench/out/review_200k.txt

Invoices of 50-150 lines from six timekeepers; narratives are built from task, document and
subject pools plus a document number, so every narrative is distinct (no cache helps) and
about a third of them raise narrative flags (block billing, clerical, travel, internal calls).
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from legalops.guidelines.adapter import ledes_from_invoice
from legalops.guidelines.records import Invoice, Line
from legalops.ledes import write

TIMEKEEPERS = [
    ("TK001", "Arnsley, Robert", "PARTNR", Decimal("650")),
    ("TK002", "Beaster, John", "ASSOC", Decimal("395")),
    ("TK003", "Chen, Maria", "ASSOC", Decimal("425")),
    ("TK004", "Okafor, Chidi", "OFCOUN", Decimal("520")),
    ("TK005", "Dunn, Patricia", "PARALG", Decimal("185")),
    ("TK006", "Lindqvist, Anna", "PARALG", Decimal("175")),
]
TASKS = [
    ("Draft", "motion to compel production of", "L350", "A103"),
    ("Review and revise", "draft responses to interrogatories about", "L310", "A103"),
    ("Analyze", "expert report of Dr. Kessler on", "L420", "A104"),
    ("Research", "Ninth Circuit authority on", "L240", "A102"),
    ("Prepare outline for deposition of the plant manager on", "", "L330", "A101"),
    ("Telephone conference with opposing counsel regarding", "", "L320", "A107"),
    ("Conference with Beaster regarding", "", "L120", "A105"),
    ("Bates label and upload production volume on", "", "L320", "A110"),
    ("Travel to Chicago for deposition on", "", "L330", "A109"),
    ("Review file", "", "L110", "A104"),
]
SUBJECTS = [
    "spoliation sanctions",
    "lost profits",
    "the indemnity cap",
    "regional pricing data",
    "personal jurisdiction",
    "the limitation of liability clause",
    "custodian interviews",
    "privilege log entries",
    "damages model",
    "the 2019 supply agreement",
]
SECOND = [
    "",
    "",
    "",
    "; email client regarding same",
    "; revise proposed order",
    ", then call client about timing",
]


def narrative(rng: random.Random, n: int) -> tuple[str, str, str]:
    verb, obj, task, activity = rng.choice(TASKS)
    text = " ".join(part for part in (verb, obj, rng.choice(SUBJECTS)) if part)
    return f"{text} (document DOC-{n:07d}){rng.choice(SECOND)}", task, activity


def lines_for(rng: random.Random, start: int, count: int, period: date) -> tuple[Line, ...]:
    out = []
    for offset in range(count):
        tk_id, name, cls, rate = rng.choice(TIMEKEEPERS)
        units = Decimal(rng.randint(1, 40)) / 10
        text, task, activity = narrative(rng, start + offset)
        day = period + timedelta(days=rng.randint(0, 27))
        out.append(
            Line(
                str(offset + 1),
                "F",
                units * rate,
                day,
                units,
                rate,
                Decimal(0),
                task,
                activity,
                "",
                tk_id,
                name,
                cls,
                text,
            )
        )
    return tuple(out)


def invoices(total: int, seed: int = 7) -> list[Invoice]:
    rng = random.Random(seed)
    found, made, number = [], 0, 1000
    while made < total:
        count = min(rng.randint(50, 150), total - made)
        period = date(2026, 1 + number % 12, 1)
        end = (period.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        found.append(
            Invoice(
                f"INV{number}",
                "36-1234567",
                lines_for(rng, made, count, period),
                f"M-{number % 40}",
                end + timedelta(days=5),
                period,
                end,
            )
        )
        made += count
        number += 1
    return found


def main(argv: list[str]) -> int:
    count, out = int(argv[0]), Path(argv[1])
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        write([ledes_from_invoice(inv) for inv in invoices(count)], "1998B"), encoding="utf-8"
    )
    print(f"wrote {count} line items to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
