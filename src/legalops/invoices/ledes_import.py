"""`legalops import ledes FILE... [--create-missing]` (spec/cli.md): each file all-or-nothing;
per invoice `received` or `duplicate`, and for a refused file why each invoice was refused.
Exit 2 if a file cannot be read, else 1 if one was refused, else 0."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from legalops.core.imports import CommandSpec, register_command
from legalops.core.money import format_minor
from legalops.invoices.intake import REJECTED, IntakeReport, Outcome, invoice_intake
from legalops.invoices.models import Source


def _add_arguments(parser: Any) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE", help="LEDES files (any format)")
    parser.add_argument(
        "--create-missing",
        action="store_true",
        help="create the firms, matters and timekeepers the files name",
    )


def _run(options: dict[str, Any], stdout: Any, stderr: Any) -> int:
    codes = [
        _one(Path(name), options["create_missing"], stdout, stderr) for name in options["files"]
    ]
    return 2 if 2 in codes else (1 if 1 in codes else 0)


def _one(path: Path, create_missing: bool, stdout: Any, stderr: Any) -> int:
    try:
        data = path.read_bytes()
    except OSError as exc:
        stderr.write(f"{path}: cannot read: {exc.strerror}")
        return 2
    report = invoice_intake(
        actor=None, data=data, filename=str(path), source=Source.CLI, create_missing=create_missing
    )
    for error in report.errors:
        stderr.write(f"{path}:{error['line'] or ''}: {error['field'] or ''}: {error['message']}")
    if report.errors:
        stderr.write(f"{path}: invalid LEDES ({len(report.errors)} errors); nothing was written")
        return 1
    for outcome in report.outcomes:
        (stderr if outcome.status == REJECTED else stdout).write(_line(path, outcome, report))
    if not report.accepted:
        stderr.write(f"{path}: rejected; nothing of this file was written")
        return 1
    return 0


def _line(path: Path, outcome: Outcome, report: IntakeReport) -> str:
    head = f"{path}: invoice {outcome.invoice_number} (firm {outcome.law_firm_id})"
    if outcome.status == REJECTED:
        return f"{head}: rejected: {'; '.join(outcome.reasons)}"
    if outcome.status != "received" or outcome.invoice is None or not report.accepted:
        return f"{head}: {outcome.status}" + (f" ({outcome.reasons[0]})" if outcome.reasons else "")
    inv = outcome.invoice
    return (
        f"{head}: received, {inv.get_state_display().lower()}: billed "
        f"{format_minor(inv.billed_minor, inv.currency)}, approved "
        f"{format_minor(inv.approved_minor, inv.currency)} {inv.currency}, "
        f"{inv.flag_count} flag(s)"
    )


def register() -> None:
    register_command(
        "ledes",
        CommandSpec(
            help="receive LEDES invoice files (each file all-or-nothing; duplicates skipped)",
            add_arguments=_add_arguments,
            run=_run,
        ),
    )
