"""`legalops review FILE... [--guidelines G.toml] [--rates RATES.csv] [--as-of DATE]
[--fail-on ACTION] [--json]` (contract: spec/cli.md). Imports nothing from Django.

Exit codes: 0 every file reviewed (whatever was flagged); 1 an invalid LEDES file, or a flag at
or above `--fail-on`; 2 usage error, unreadable input, invalid guidelines or rates file.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from dataclasses import dataclass, field
from datetime import date, datetime

from legalops.guidelines.adapter import invoice_from_ledes
from legalops.guidelines.config import Guidelines, default_guidelines, load_guidelines
from legalops.guidelines.engine import review
from legalops.guidelines.errors import ConfigError
from legalops.guidelines.fastread import PlannedInvoices, plan_validated, read_validated
from legalops.guidelines.parallel import review_all
from legalops.guidelines.params import ACTION_RANK, ACTIONS
from legalops.guidelines.rates import RateBook, load_rates
from legalops.guidelines.records import Invoice, ReviewContext
from legalops.guidelines.report import human, invoice_json_text, run_json
from legalops.guidelines.results import InvoiceResult
from legalops.ledes import parse, validate
from legalops.ledes.model import ParseResult

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise _UsageError


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="legalops review",
        description="Review LEDES invoices against billing guidelines, offline.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--guidelines", metavar="G.toml", help="guidelines file (default: the built-in defaults)"
    )
    parser.add_argument("--rates", metavar="RATES.csv", help="approved rate card")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, metavar="DATE", help="receipt date (default today)"
    )
    parser.add_argument(
        "--fail-on",
        choices=ACTIONS,
        metavar="ACTION",
        help=f"exit 1 on a flag of this action or stronger ({', '.join(ACTIONS)})",
    )
    parser.add_argument(
        "--json", action="store_true", help="one JSON object for the run (spec/cli.md)"
    )
    return parser


@dataclass
class _Outcome:
    as_json: bool
    entries: list[str] = field(default_factory=list)  # JSON texts or human reports, per invoice
    unreadable: bool = False
    invalid: bool = False
    failed: bool = False

    def add(self, entry: str) -> None:
        self.entries.append(entry)

    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_USAGE
        return EXIT_INVALID if self.invalid or self.failed else EXIT_OK


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except _UsageError:
        return EXIT_USAGE
    try:
        guidelines = load_guidelines(args.guidelines) if args.guidelines else default_guidelines()
        rates = load_rates(args.rates) if args.rates else None
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    context = ReviewContext(as_of=args.as_of or datetime.now().astimezone().date())
    outcome = _Outcome(as_json=args.json)
    # A review allocates millions of short-lived acyclic objects next to hundreds of thousands
    # of long-lived records; the cyclic collector would rescan those again and again (a third
    # of the run on 200,000 lines). Reference counting frees everything this command makes.
    gc.disable()
    try:
        for file in args.files:
            _review_file(file, context, guidelines, rates, args.fail_on, outcome)
    finally:
        gc.enable()
    if args.json:
        sys.stdout.write(run_json(context.as_of, guidelines, outcome.entries) + "\n")
    else:
        sys.stdout.write(_header(context, guidelines) + "\n\n".join(outcome.entries) + "\n")
    return outcome.exit_code()


def _header(context: ReviewContext, guidelines: Guidelines) -> str:
    return (
        f"guidelines: {guidelines.name} {guidelines.version} (sha256 {guidelines.sha256[:12]}), "
        f"as of {context.as_of}\n\n"
    )


def _review_file(
    file: str,
    context: ReviewContext,
    guidelines: Guidelines,
    rates: RateBook | None,
    fail_on: str | None,
    outcome: _Outcome,
) -> None:
    try:
        with open(file, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        print(f"legalops review: {file}: cannot read: {exc.strerror or exc}", file=sys.stderr)
        outcome.unreadable = True
        return

    def render(invoice: Invoice) -> tuple[str, bool]:
        result = review(invoice, context, guidelines, rates=rates)
        text = invoice_json_text(result, file) if outcome.as_json else human(result, file)
        return text, _fails(result, fail_on)

    checked: list[ParseResult] = []

    def valid() -> bool:
        checked.append(validate(data, filename=file))
        return checked[0].valid and checked[0].invoice_count > 0

    # A pipe-format file is read straight into engine records (fastread.py) and reviewed while
    # this process validates it; the review counts only if the file turns out valid. The
    # records are built where they are reviewed (in the workers, for a big file).
    fast = _read_ahead(data)
    try:
        rendered = review_all(fast, render, valid, fast.sizes) if fast is not None else None
    except _READ_ERRORS:
        rendered = None  # an invalid file the read-ahead could not read: validation tells
    if rendered is None:
        invoices = _invoices(data, file, outcome, checked[0] if checked else None)
        rendered = review_all(invoices or [], render)
    for text, failed in rendered or ():
        outcome.add(text)
        outcome.failed = outcome.failed or failed


_READ_ERRORS = (ValueError, ArithmeticError, IndexError, KeyError)


def _read_ahead(data: bytes) -> PlannedInvoices | None:
    """`plan_validated` before validation has run: on an invalid file it may fail or read
    nonsense, which `_review_file` then drops (the validation report is what counts)."""
    try:
        return plan_validated(data)
    except _READ_ERRORS:
        return None


def _invoices(
    data: bytes, file: str, outcome: _Outcome, checked: ParseResult | None
) -> list[Invoice] | None:
    """The file's invoices as engine records; None (and the validation report) when invalid.
    Pipe formats that validate are read directly (fastread.py); the rest via ledes.parse."""
    checked = checked or validate(data, filename=file)
    if checked.valid and checked.invoice_count:
        fast = read_validated(data)
        if fast is not None:
            return fast
    parsed = parse(data, filename=file)
    if not parsed.valid or not parsed.invoices:
        outcome.invalid = True
        outcome.add(
            json.dumps(parsed.as_json(file), ensure_ascii=False)
            if outcome.as_json
            else _invalid_text(parsed, file)
        )
        return None
    return [invoice_from_ledes(source) for source in parsed.invoices]


def _fails(result: InvoiceResult, fail_on: str | None) -> bool:
    if fail_on is None:
        return False
    return any(ACTION_RANK[flag.action] >= ACTION_RANK[fail_on] for flag in result.all_flags())


def _invalid_text(parsed: ParseResult, file: str) -> str:
    errors = parsed.errors
    lines = [f"{file}: invalid LEDES ({len(errors)} error(s)); not reviewed"]
    lines += [f"  {issue.message}" for issue in errors]
    return "\n".join(lines)
