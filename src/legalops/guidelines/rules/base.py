"""What every rule is and sees: the `Rule` base class, the `Finding` it returns, and `Run`,
the per-invoice view the rules share (narrative analysis done once per line, rate look-ups)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import ClassVar, NamedTuple

from legalops.guidelines.money import fmt_number
from legalops.guidelines.narrative import (
    NarrativeClassifier,
    NarrativeContext,
    NarrativeFindings,
    Roster,
)
from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.rates import RateBook, RateMatch, normalise_name
from legalops.guidelines.records import EXPENSE, FEE, Invoice, Line, ReviewContext
from legalops.ledes.codes import classification_of

INVOICE = "invoice"
LINE = "line"
LINE_ACTIONS = ("warn", "hold", "reject-line", "reject-invoice")
INVOICE_ACTIONS = ("warn", "hold", "reject-invoice")
TARGET = "target"  # a rate or cap reduction: bring the line to at most this amount
PERCENT = "percent"  # a percentage reduction of what remains after rate and cap reductions

Evidence = dict[str, object]
_NOTHING = NarrativeFindings({}, (), None, "")


class Reduction(NamedTuple):
    kind: str  # TARGET or PERCENT
    value: Decimal  # the target amount, or the percentage


class Finding(NamedTuple):
    line: int | None  # index into invoice.lines; None for the invoice as a whole
    message: str
    evidence: Mapping[str, object]
    reduction: Reduction | None = None  # applied only when the rule's action is `reduce`


@dataclass
class Run:
    """One invoice under review, with the data and analysis the rules share."""

    invoice: Invoice
    context: ReviewContext
    currency: str
    rates: RateBook | None
    classifier: NarrativeClassifier
    roster: Roster = field(init=False)
    findings: list[NarrativeFindings] = field(init=False)
    by_cue: dict[str, list[int]] = field(init=False)  # narrative rule id -> lines with that cue
    approved_lines: tuple[Decimal, ...] = ()  # set before rules that need money (over-budget)
    memo: dict[str, object] = field(default_factory=dict)  # per-invoice values rules compute once
    _by_kind: dict[tuple[str, ...], list[tuple[int, Line]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lines = self.invoice.lines
        self.roster = Roster.of({line.timekeeper_name for line in lines if line.timekeeper_name})
        # Each narrative is analysed once, up front; the rules then visit only the lines whose
        # cue they own (200,000 lines x 11 narrative rules would otherwise dominate the run).
        analyse, roster = self.classifier.analyse, self.roster
        contexts: dict[tuple[str, str], NarrativeContext] = {}  # few kinds and codes a bill
        findings: list[NarrativeFindings] = []
        by_cue: dict[str, list[int]] = defaultdict(list)
        for index, line in enumerate(lines):
            if line.kind not in (FEE, EXPENSE):
                findings.append(_NOTHING)
                continue
            context = contexts.get((line.kind, line.activity_code))
            if context is None:
                context = NarrativeContext(line.kind, line.activity_code, roster)
                contexts[line.kind, line.activity_code] = context
            found = analyse(line.narrative, context)
            findings.append(found)
            for rule in found.cues:
                by_cue[rule].append(index)
        self.findings, self.by_cue = findings, by_cue

    def lines(self, *kinds: str) -> list[tuple[int, Line]]:
        """(index, line) of the lines of these kinds, computed once per kind set."""
        found = self._by_kind.get(kinds)
        if found is None:
            found = [(i, line) for i, line in enumerate(self.invoice.lines) if line.kind in kinds]
            self._by_kind[kinds] = found
        return found

    def matter(self, line: Line) -> str:
        return line.client_matter_id or self.invoice.client_matter_id

    def approved_rate(self, line: Line) -> RateMatch | None:
        if self.rates is None or line.date is None:
            return None
        who = (line.timekeeper_id, line.timekeeper_name, classification(line))
        return self.rates.lookup(self.invoice.law_firm_id, self.matter(line), who, line.date)


class Rule:
    """A catalogue rule. Subclasses set the class attributes and implement `check`."""

    id: ClassVar[str]
    scope: ClassVar[str] = LINE
    actions: ClassVar[tuple[str, ...]] = LINE_ACTIONS
    params: ClassVar[dict[str, Param]] = {}
    after_money: ClassVar[bool] = False  # runs once line amounts are settled (over-budget)

    def skip_reason(self, run: Run) -> str | None:
        """Why the rule cannot run on this invoice (missing data), or None."""
        return None

    def check(self, run: Run, settings: RuleSettings) -> Iterable[Finding]:
        raise NotImplementedError


def classification(line: Line) -> str:
    """LOC classification, legacy codes mapped (PT -> PARTNR)."""
    return _classification(line.classification)


@lru_cache(maxsize=256)
def _classification(raw: str) -> str:
    code = raw.strip().upper()
    return classification_of(code) or code


def who(line: Line) -> str:
    """How a message names the timekeeper."""
    name = line.timekeeper_name or line.timekeeper_id or "unnamed timekeeper"
    return f"{name} ({classification(line)})" if line.classification else name


def timekeeper_key(line: Line) -> str:
    return line.timekeeper_id or normalise_name(line.timekeeper_name)


def hours(value: Decimal | None) -> str:
    return fmt_number(value) if value is not None else "?"


def line_evidence(line: Line, *fields: str) -> Evidence:
    """LEDES field names and values of a line, for `evidence`."""
    values = {
        "LINE_ITEM_DATE": line.date.isoformat() if line.date else None,
        "LINE_ITEM_NUMBER_OF_UNITS": hours(line.units) if line.units is not None else None,
        "LINE_ITEM_UNIT_COST": fmt_number(line.unit_cost) if line.unit_cost is not None else None,
        "LINE_ITEM_TOTAL": fmt_number(line.total),
        "LINE_ITEM_TASK_CODE": line.task_code,
        "LINE_ITEM_ACTIVITY_CODE": line.activity_code,
        "LINE_ITEM_EXPENSE_CODE": line.expense_code,
        "TIMEKEEPER_ID": line.timekeeper_id,
        "TIMEKEEPER_NAME": line.timekeeper_name,
        "TIMEKEEPER_CLASSIFICATION": line.classification,
        "LINE_ITEM_DESCRIPTION": line.narrative,
    }
    return {name: values[name] for name in fields}


def percent_reduction(settings: RuleSettings) -> Reduction:
    return Reduction(PERCENT, settings.decimal("reduce_percent"))


def target_reduction(line: Line, rate: Decimal, units: Decimal | None = None) -> Reduction:
    """The line re-priced at `rate` (keeping its own adjustment): rate and cap reductions."""
    billed_units = line.units if units is None else units
    return Reduction(TARGET, (billed_units or Decimal(0)) * rate + line.adjustment)
