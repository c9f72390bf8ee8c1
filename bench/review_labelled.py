"""Run `legalops review` on the labelled narrative set, end to end.

    python bench/review_labelled.py [OUT_DIR]      # default bench/out

Writes tests/guidelines/data/narratives.csv as a LEDES 1998B file (one invoice per invented firm
roster, each narrative one line billed by a roster timekeeper of the row's classification, on
its own day so no two lines share an event), runs the review CLI on it with the default
guidelines and compares, per narrative rule, the lines flagged with the lines labelled. Rules
that need more than one line (legal-research's hours cap, multiple-attendance's grouping) are
reported for information only.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from legalops.guidelines.adapter import ledes_from_invoice
from legalops.guidelines.narrative.evaluate import NARRATIVE_RULES
from legalops.guidelines.records import Invoice, Line
from legalops.ledes import write

DATA = Path(__file__).resolve().parent.parent / "tests" / "guidelines" / "data" / "narratives.csv"
RATES = {
    "PARTNR": "650",
    "OFCOUN": "520",
    "ASSOC": "395",
    "TRANEE": "250",
    "PARALG": "185",
    "LGLAST": "150",
}
ROLE = {"PARTNR": 0, "OFCOUN": 0, "ASSOC": 1, "TRANEE": 1, "PARALG": 3, "LGLAST": 3}
START = date(2025, 1, 1)


def _line(number: int, row: dict[str, str], roster: list[str]) -> Line:
    day = START + timedelta(days=number)
    if row["kind"] == "E":
        return Line(
            str(number),
            "E",
            Decimal("100"),
            day,
            Decimal(1),
            Decimal("100"),
            expense_code="E124",
            narrative=row["narrative"],
        )
    cls = row["classification"]
    # Associates alternate between the roster's second and third names, so every roster name
    # bills on the invoice (the engine only knows the timekeepers an invoice shows).
    role = ROLE.get(cls, 2) + (number % 2 if cls == "ASSOC" else 0)
    name = roster[role] if roster else "Smith, Pat"
    rate = Decimal(RATES.get(cls, "300"))
    return Line(
        str(number),
        "F",
        rate,
        day,
        Decimal(1),
        rate,
        task_code="L120",
        activity_code="A104",
        timekeeper_id=f"TK-{name.split(',')[0]}",
        timekeeper_name=name,
        classification=cls,
        narrative=row["narrative"],
    )


def build(path: Path) -> dict[tuple[str, str], set[str]]:
    """Write the LEDES file; return the labels by (invoice number, line number)."""
    with DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_roster: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_roster.setdefault(row["roster"], []).append(row)
    invoices, labels = [], {}
    for n, (roster, members) in enumerate(by_roster.items(), start=1):
        names = [name.strip() for name in roster.split(";") if name.strip()]
        lines = tuple(_line(i, row, names) for i, row in enumerate(members, start=1))
        end = START + timedelta(days=len(lines) + 1)
        invoices.append(Invoice(f"LBL{n}", f"FIRM-{n}", lines, f"M-{n}", end, START, end))
        labels |= {
            (f"LBL{n}", line.number): set(filter(None, row["labels"].split(";")))
            for line, row in zip(lines, members, strict=True)
        }
    path.write_text(write([ledes_from_invoice(i) for i in invoices], "1998B"), encoding="utf-8")
    return labels


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / "labelled.txt"
    labels = build(path)
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "legalops.cli",
            "review",
            str(path),
            "--json",
            "--as-of",
            "2025-12-31",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"legalops review exit {run.returncode}; {len(labels)} lines in {path}")
    flagged = {
        (inv["invoice_number"], line["line_item_number"]): {f["rule"] for f in line["flags"]}
        for inv in json.loads(run.stdout)["invoices"]
        for line in inv["lines"]
    }
    agree: Counter[str] = Counter()
    for key, want in labels.items():
        for rule in NARRATIVE_RULES:
            agree[rule, (rule in flagged[key]) == (rule in want)] += 1
    for rule in NARRATIVE_RULES:
        note = (
            "  (needs several lines: information only)"
            if rule in ("legal-research", "multiple-attendance")
            else ""
        )
        print(f"{rule:24} lines agreeing with the labels: {agree[rule, True]}/{len(labels)}{note}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
