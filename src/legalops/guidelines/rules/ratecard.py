"""Rates and timekeepers against the approved rate card (RATES.csv or the platform's rates).
Defaults and sources: default.toml (RATE-01, RATE-02, RATE-04)."""

from __future__ import annotations

from collections.abc import Iterator

from legalops.guidelines.money import fmt_number
from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.rates import RateMatch
from legalops.guidelines.records import FEE, Line
from legalops.guidelines.rules.base import (
    Finding,
    Rule,
    Run,
    classification,
    line_evidence,
    target_reduction,
    who,
)

_NO_RATES = "no rate card given (--rates)"


def rate_origin(match: RateMatch) -> str:
    """ "approved 300.00 effective 2026-01-01 (RATES.csv line 4, by timekeeper id)"."""
    entry = match.entry
    where = f"rate card line {entry.source_line}, " if entry.source_line else ""
    return (
        f"approved {fmt_number(entry.rate)} {entry.currency} effective {entry.effective_from} "
        f"({where}matched by {match.basis})"
    )


def rate_evidence(match: RateMatch) -> dict[str, object]:
    entry = match.entry
    return {
        "approved_rate": fmt_number(entry.rate),
        "currency": entry.currency,
        "effective_from": entry.effective_from.isoformat(),
        "effective_to": entry.effective_to.isoformat() if entry.effective_to else None,
        "matched_by": match.basis,
        "rates_line": entry.source_line or None,
    }


class UnapprovedTimekeeper(Rule):
    id = "unapproved-timekeeper"

    def skip_reason(self, run: Run) -> str | None:
        return _NO_RATES if run.rates is None else None

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        for index, line in run.lines(FEE):
            if line.date is None or run.approved_rate(line) is not None:
                continue
            yield Finding(
                index,
                self._message(run, line),
                line_evidence(
                    line,
                    "TIMEKEEPER_ID",
                    "TIMEKEEPER_NAME",
                    "TIMEKEEPER_CLASSIFICATION",
                    "LINE_ITEM_DATE",
                ),
            )

    def _message(self, run: Run, line: Line) -> str:
        assert run.rates is not None
        firm = run.invoice.law_firm_id
        rows = run.rates.applicable(
            firm, run.matter(line), (line.timekeeper_id, line.timekeeper_name, classification(line))
        )
        if not rows:
            return f"{who(line)} is not on the approved rate card of firm {firm}"
        spans = ", ".join(
            f"{r.entry.effective_from} to {r.entry.effective_to or 'open'}" for r in rows
        )
        return f"{who(line)} has no approved rate effective on {line.date} (approved {spans})"


class RateAboveApproved(Rule):
    id = "rate-above-approved"
    actions = ("warn", "hold", "reduce", "reject-line", "reject-invoice")

    def skip_reason(self, run: Run) -> str | None:
        return _NO_RATES if run.rates is None else None

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        for index, line in run.lines(FEE):
            match = run.approved_rate(line)
            if match is None or line.unit_cost is None or match.entry.currency != run.currency:
                continue
            if line.unit_cost > match.entry.rate:
                message = (
                    f"rate {fmt_number(line.unit_cost)} for {who(line)} on {line.date} is above "
                    f"the {rate_origin(match)}"
                )
                evidence = line_evidence(
                    line, "LINE_ITEM_UNIT_COST", "LINE_ITEM_DATE"
                ) | rate_evidence(match)
                yield Finding(index, message, evidence, target_reduction(line, match.entry.rate))


class DisallowedClassification(Rule):
    id = "disallowed-classification"
    params = {"classifications": Param("codes")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        disallowed = set(settings.strings("classifications"))
        for index, line in run.lines(FEE):
            code = classification(line)
            if code in disallowed:
                message = (
                    f"{who(line)}: classification {code} is not billable under these guidelines"
                )
                yield Finding(index, message, line_evidence(line, "TIMEKEEPER_CLASSIFICATION"))
