"""Integrity rules: duplicates (this and earlier invoices), the matter's close date, UTBMS codes
and currency. Defaults and sources: default.toml (INV-03, INV-04, INV-06, DUP-01/02, TIM-07)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from functools import lru_cache

from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.records import EXPENSE, FEE, Line
from legalops.guidelines.rules.base import (
    INVOICE,
    INVOICE_ACTIONS,
    Finding,
    Rule,
    Run,
    line_evidence,
    timekeeper_key,
)
from legalops.ledes.codes import utbms_lookup

_WORDS = re.compile(r"[a-z0-9]+")
TASK_SETS = ("litigation", "counseling", "project", "bankruptcy")
CODE_SETS = (*TASK_SETS, "activity", "expense")
_Signature = tuple[str, object, object, object, object]


class DuplicateInvoice(Rule):
    id = "duplicate-invoice"
    scope = INVOICE
    actions = INVOICE_ACTIONS

    def skip_reason(self, run: Run) -> str | None:
        return (
            None
            if run.context.history is not None
            else "no earlier invoices offline (needs history)"
        )

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        invoice = run.invoice
        for earlier in run.context.history or ():
            same = (earlier.law_firm_id, earlier.invoice_number) == (
                invoice.law_firm_id,
                invoice.invoice_number,
            )
            if same:
                message = (
                    f"invoice {invoice.invoice_number} from firm {invoice.law_firm_id} was "
                    "already received"
                )
                yield Finding(
                    None,
                    message,
                    {"INVOICE_NUMBER": invoice.invoice_number, "LAW_FIRM_ID": invoice.law_firm_id},
                )
                return


def _signature(line: Line) -> _Signature:
    # Decimal("1.0") == Decimal("1.00") and they hash alike, so amounts compare by value.
    who = timekeeper_key(line) if line.kind == FEE else line.expense_code
    return (line.kind, who, line.date, line.units, line.total)


def _similarity(a: str, b: str) -> Decimal:
    """Jaccard overlap of the two narratives' words (1 = same words)."""
    left, right = set(_WORDS.findall(a.lower())), set(_WORDS.findall(b.lower()))
    if not left and not right:
        return Decimal(1)
    return Decimal(len(left & right)) / Decimal(len(left | right))


class DuplicateLine(Rule):
    id = "duplicate-line"
    params = {"min_similarity": Param("number")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        threshold = settings.decimal("min_similarity")
        seen: dict[_Signature, list[tuple[str, Line]]] = defaultdict(list)
        for earlier in run.context.history or ():
            for line in earlier.lines:
                seen[_signature(line)].append(
                    (f"invoice {earlier.invoice_number} line {line.number}", line)
                )
        for index, line in run.lines(FEE, EXPENSE):
            key = _signature(line)
            candidates = seen.get(key)
            match = (
                next(
                    (
                        where
                        for where, other in candidates
                        if _similarity(line.narrative, other.narrative) >= threshold
                    ),
                    None,
                )
                if candidates
                else None
            )
            if match:
                message = f"same timekeeper, date, units, amount and narrative as {match}"
                evidence = line_evidence(
                    line,
                    "LINE_ITEM_DATE",
                    "LINE_ITEM_NUMBER_OF_UNITS",
                    "LINE_ITEM_TOTAL",
                    "LINE_ITEM_DESCRIPTION",
                )
                yield Finding(index, message, evidence | {"duplicate_of": match})
            seen[key].append((f"line {line.number}", line))


class MatterClosed(Rule):
    id = "matter-closed"
    params = {"grace_days": Param("int")}

    def skip_reason(self, run: Run) -> str | None:
        matter = run.context.matter
        if matter is None:
            return "no matter data offline (needs the matter's close date)"
        return None if matter.closed else "the matter has no close date (it is open)"

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        assert run.context.matter is not None and run.context.matter.closed is not None
        closed = run.context.matter.closed
        last_day = closed + timedelta(days=settings.integer("grace_days"))
        for index, line in run.lines(FEE, EXPENSE):
            if line.date is not None and line.date > last_day:
                message = f"work dated {line.date} is after the matter closed on {closed}"
                yield Finding(
                    index,
                    message,
                    line_evidence(line, "LINE_ITEM_DATE") | {"matter_closed": closed.isoformat()},
                )


_REQUIRED = {
    "task": (FEE, "LINE_ITEM_TASK_CODE", "task_code"),
    "activity": (FEE, "LINE_ITEM_ACTIVITY_CODE", "activity_code"),
    "expense": (EXPENSE, "LINE_ITEM_EXPENSE_CODE", "expense_code"),
}


class MissingUtbmsCode(Rule):
    id = "missing-utbms-code"
    params = {"require": Param("terms", ("task", "activity", "expense"))}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        required = [_REQUIRED[name] for name in settings.strings("require")]
        by_kind = {
            kind: [(field, attr) for wanted, field, attr in required if wanted == kind]
            for kind in (FEE, EXPENSE)
        }
        for index, line in enumerate(run.invoice.lines):
            fields = by_kind.get(line.kind)
            if not fields:
                continue
            missing = [field for field, attr in fields if not getattr(line, attr)]
            if missing:
                kind = "fee" if line.kind == FEE else "expense"
                message = f"{kind} line without {' and '.join(missing)}"
                yield Finding(index, message, {"missing": missing})


@lru_cache(maxsize=1024)
def _code_problem(code: str, field_kind: str, enabled: tuple[str, ...]) -> str:
    found = utbms_lookup(code)
    if found is None:
        return "is not a UTBMS code"
    if found.kind != field_kind:
        return f"is a {found.kind} code, not a {field_kind} code"
    if found.set not in enabled:
        return f"belongs to the {found.set} set, not enabled for this matter ({', '.join(enabled)})"
    return ""


class InvalidUtbmsCode(Rule):
    id = "invalid-utbms-code"
    params = {"code_sets": Param("terms", CODE_SETS)}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        matter = run.context.matter
        enabled = (
            matter.code_sets
            if matter and matter.code_sets is not None
            else settings.strings("code_sets")
        )
        problems: dict[tuple[str, str], str] = {}  # codes repeat: each judged once per invoice
        for index, line in enumerate(run.invoice.lines):
            for field, code, kind in (
                ("LINE_ITEM_TASK_CODE", line.task_code, "task"),
                ("LINE_ITEM_ACTIVITY_CODE", line.activity_code, "activity"),
                ("LINE_ITEM_EXPENSE_CODE", line.expense_code, "expense"),
            ):
                if not code:
                    continue
                problem = problems.get((code, kind))
                if problem is None:
                    problem = problems[code, kind] = _code_problem(code, kind, enabled)
                if problem:
                    yield Finding(
                        index,
                        f"{field} {code} {problem}",
                        {field: code, "code_sets": list(enabled)},
                    )


class CurrencyMismatch(Rule):
    id = "currency-mismatch"
    scope = INVOICE
    actions = INVOICE_ACTIONS

    def _expected(self, run: Run) -> tuple[str | None, str]:
        matter = run.context.matter
        if matter and matter.currency:
            return matter.currency, "the matter's currency"
        if run.rates is not None:
            return run.rates.firm_currency(run.invoice.law_firm_id), "the firm's rate-card currency"
        return None, ""

    def skip_reason(self, run: Run) -> str | None:
        if run.invoice.currency is None:
            return "the invoice states no currency (LEDES 1998B)"
        if self._expected(run)[0] is None:
            return "no matter or rate-card currency to compare with"
        return None

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        expected, source = self._expected(run)
        if run.invoice.currency != expected:
            message = f"invoice currency {run.invoice.currency} differs from {source} {expected}"
            yield Finding(
                None, message, {"INVOICE_CURRENCY": run.invoice.currency, "expected": expected}
            )
