"""The narrative rules (spec/guidelines.md "Narrative"), over the classifier's cues.

Each rule reads the cue of its own id from `Run.narrative(i)`; a guidelines file can widen a rule
(`extra_terms`: phrases that also fire it) or narrow it (`ignore_terms`: phrases that silence it).
Defaults and sources: default.toml (NAR-01..NAR-09, TRV-01 of reference/billing-guidelines.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from legalops.guidelines.money import fmt_number
from legalops.guidelines.narrative import Cue
from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.records import EXPENSE, FEE, Line
from legalops.guidelines.rules.base import (
    TARGET,
    Evidence,
    Finding,
    Reduction,
    Rule,
    Run,
    classification,
    hours,
    percent_reduction,
    target_reduction,
    timekeeper_key,
    who,
)
from legalops.guidelines.rules.timeentry import excess_reduction

REDUCIBLE = ("warn", "hold", "reduce", "reject-line", "reject-invoice")
TERMS = {"extra_terms": Param("terms"), "ignore_terms": Param("terms")}


def quoted(words: tuple[str, ...]) -> str:
    return "; ".join(f"'{word}'" for word in words)


class NarrativeRule(Rule):
    """A rule that fires on its classifier cue; subclasses word the message."""

    actions = REDUCIBLE
    params = {**TERMS, "reduce_percent": Param("percent")}
    kinds: tuple[str, ...] = (FEE,)
    label = ""

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        for index, line, cue in self.cued(run, settings):
            yield self.finding(run, index, line, cue, settings)

    def cued(self, run: Run, settings: RuleSettings) -> Iterator[tuple[int, Line, Cue]]:
        """The lines this rule's cue (or the file's `extra_terms`) marks, minus `ignore_terms`.
        Only cued lines are visited unless the guidelines add terms of their own."""
        ignore, extra = settings.strings("ignore_terms"), settings.strings("extra_terms")
        lines = run.invoice.lines
        indexes = run.by_cue.get(self.id, []) if not extra else range(len(lines))
        for index in indexes:
            line = lines[index]
            if line.kind not in self.kinds:
                continue
            cue = self.cue(run, index, line, settings)
            if cue is None and extra:
                words = tuple(term for term in extra if term in line.narrative.lower())
                cue = Cue(words, "extra_terms") if words else None
            if cue is not None and not (
                ignore and any(t in line.narrative.lower() for t in ignore)
            ):
                yield index, line, cue

    def cue(self, run: Run, index: int, line: Line, settings: RuleSettings) -> Cue | None:
        return run.findings[index].cues.get(self.id)

    def finding(
        self, run: Run, index: int, line: Line, cue: Cue, settings: RuleSettings
    ) -> Finding:
        message = f"{self.label}: {quoted(cue.words)}"
        return Finding(index, message, {"words": list(cue.words)}, percent_reduction(settings))


class BlockBilling(NarrativeRule):
    id = "block-billing"
    params = {**NarrativeRule.params, "min_tasks": Param("int")}

    def cue(self, run: Run, index: int, line: Line, settings: RuleSettings) -> Cue | None:
        cue = super().cue(run, index, line, settings)
        enough = cue is not None and (
            cue.note == "extra_terms" or len(cue.words) >= max(2, settings.integer("min_tasks"))
        )
        return cue if enough else None

    def finding(
        self, run: Run, index: int, line: Line, cue: Cue, settings: RuleSettings
    ) -> Finding:
        count = len(cue.words)
        message = (
            f"{count} distinct tasks under one time value ({hours(line.units)} h): "
            f"{quoted(cue.words)}"
        )
        evidence: Evidence = {
            "tasks": list(cue.words),
            "LINE_ITEM_NUMBER_OF_UNITS": hours(line.units),
        }
        return Finding(index, message, evidence, percent_reduction(settings))


class VagueDescription(NarrativeRule):
    id = "vague-description"

    def finding(
        self, run: Run, index: int, line: Line, cue: Cue, settings: RuleSettings
    ) -> Finding:
        reason = cue.note or "does not say what was done, to what, and why"
        message = f"vague narrative ({reason}): '{line.narrative.strip()}'"
        return Finding(
            index,
            message,
            {"LINE_ITEM_DESCRIPTION": line.narrative, "reason": reason},
            percent_reduction(settings),
        )


class ClericalWork(NarrativeRule):
    id = "clerical-work"
    label = "administrative or clerical task"


class InternalConference(NarrativeRule):
    id = "internal-conference"

    def finding(
        self, run: Run, index: int, line: Line, cue: Cue, settings: RuleSettings
    ) -> Finding:
        detail = cue.note or "internal"
        message = f"conference among the firm's own people ({detail}): {quoted(cue.words)}"
        return Finding(
            index,
            message,
            {"words": list(cue.words), "participants": detail},
            percent_reduction(settings),
        )


class LearningCurve(NarrativeRule):
    id = "learning-curve"
    label = "getting up to speed, training or read-in time"


class BillingAdministration(NarrativeRule):
    id = "billing-administration"
    label = "work on the firm's own invoices, budgets or accruals"


class LegalResearch(NarrativeRule):
    """Research hours past `max_hours_per_invoice` without an approval reference (§2.7,
    [NFT-LIB]: more than 3 h needs the handler's approval named in the line)."""

    id = "legal-research"
    params = {**TERMS, "max_hours_per_invoice": Param("number"), "approval_terms": Param("terms")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        terms = settings.strings("approval_terms")
        unapproved = [
            (i, line)
            for i, line, _ in self.cued(run, settings)
            if not self._approved(run, i, line, terms)
        ]
        total = sum((line.units or Decimal(0) for _, line in unapproved), Decimal(0))
        cap = settings.decimal("max_hours_per_invoice")
        if not unapproved or total <= cap:
            return
        running = Decimal(0)
        for index, line in unapproved:
            before, running = running, running + (line.units or Decimal(0))
            message = (
                f"research without an approval reference: {hours(total)} h on this invoice "
                f"(limit {fmt_number(cap)} h): '{line.narrative.strip()}'"
            )
            evidence = {
                "research_hours": fmt_number(total),
                "max_hours_per_invoice": fmt_number(cap),
                "LINE_ITEM_DESCRIPTION": line.narrative,
            }
            yield Finding(
                index, message, evidence, excess_reduction(line, running - max(cap, before))
            )

    def _approved(self, run: Run, index: int, line: Line, terms: tuple[str, ...]) -> bool:
        low = line.narrative.lower()
        return bool(run.findings[index].approval) or any(term in low for term in terms)


class NonWorkingTravel(NarrativeRule):
    """Travel time billed above `billable_percent` of the full rate ([DOE-719.43] [NFT-AMT]).
    The full rate is the approved rate when a rate card is given, else the highest rate the
    timekeeper bills on other lines of the invoice, else the line's own rate."""

    id = "non-working-travel"
    params = {**TERMS, "billable_percent": Param("percent")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        for index, line, cue in self.cued(run, settings):
            found = self._above_share(run, index, line, cue, settings)
            if found is not None:
                yield found

    def _above_share(
        self, run: Run, index: int, line: Line, cue: Cue, settings: RuleSettings
    ) -> Finding | None:
        full = self._full_rate(run, index, line)
        share = settings.decimal("billable_percent") / 100
        billed_base = (line.units or Decimal(0)) * full
        if not billed_base or line.total <= billed_base * share:
            return None
        billed_pct = fmt_number((line.total / billed_base * 100).quantize(Decimal(1)))
        message = (
            f"travel time billed at {billed_pct}% of the {fmt_number(full)} rate "
            f"(allowed {fmt_number(share * 100)}%): {quoted(cue.words)}"
        )
        evidence = {
            "words": list(cue.words),
            "full_rate": fmt_number(full),
            "billable_percent": fmt_number(share * 100),
        }
        return Finding(index, message, evidence, Reduction(TARGET, billed_base * share))

    def _full_rate(self, run: Run, index: int, line: Line) -> Decimal:
        match = run.approved_rate(line)
        if match is not None:
            return match.entry.rate
        own = _working_rates(run).get(timekeeper_key(line))
        return own if own is not None else (line.unit_cost or Decimal(0))


def _working_rates(run: Run) -> dict[str, Decimal]:
    """Each timekeeper's highest rate on lines that are not travel (computed once per run)."""
    cached = run.memo.get("working_rates")
    if isinstance(cached, dict):
        return cached
    travel = set(run.by_cue.get("non-working-travel", []))
    rates: dict[str, Decimal] = {}
    for i, other in run.lines(FEE):
        if other.unit_cost and i not in travel:
            key = timekeeper_key(other)
            rates[key] = max(rates.get(key, other.unit_cost), other.unit_cost)
    run.memo["working_rates"] = rates
    return rates


class WorkBelowLevel(NarrativeRule):
    """Lawyers doing paralegal or clerical work, partners doing associate work ([HAMM] [AECC]):
    `reduce` re-prices the line at the lower classification's approved rate."""

    id = "work-below-level"
    params = {
        **TERMS,
        "lawyer_classifications": Param("codes"),
        "senior_classifications": Param("codes"),
        "paralegal_classification": Param("codes"),
        "associate_classification": Param("codes"),
    }

    def cue(self, run: Run, index: int, line: Line, settings: RuleSettings) -> Cue | None:
        cue = super().cue(run, index, line, settings)
        if cue is None:
            return None
        level = "paralegal" if cue.note in ("clerical", "paralegal", "extra_terms") else "associate"
        holders = settings.strings(
            "lawyer_classifications" if level == "paralegal" else "senior_classifications"
        )
        return Cue(cue.words, level) if classification(line) in holders else None

    def finding(
        self, run: Run, index: int, line: Line, cue: Cue, settings: RuleSettings
    ) -> Finding:
        lower = settings.strings(f"{cue.note}_classification")[0]
        entry = None
        if run.rates is not None and line.date is not None:
            entry = run.rates.class_rate(
                run.invoice.law_firm_id, run.matter(line), lower, line.date
            )
        message = f"{cue.note}-level work billed by {who(line)}: {quoted(cue.words)}"
        evidence: Evidence = {
            "words": list(cue.words),
            "level": cue.note,
            "lower_classification": lower,
        }
        if entry is None:
            return Finding(
                index, f"{message}; no {lower} rate on the rate card to re-price it", evidence
            )
        origin = rate_origin_entry(
            entry.rate, entry.currency, entry.effective_from, entry.source_line
        )
        evidence |= {
            "lower_rate": fmt_number(entry.rate),
            "effective_from": entry.effective_from.isoformat(),
        }
        return Finding(
            index,
            f"{message}; re-priced at the {lower} rate {origin}",
            evidence,
            target_reduction(line, entry.rate),
        )


def rate_origin_entry(rate: Decimal, currency: str, effective: object, source_line: int) -> str:
    where = f" (rate card line {source_line})" if source_line else ""
    return f"{fmt_number(rate)} {currency} effective {effective}{where}"


class LuxuryTravel(NarrativeRule):
    id = "luxury-travel"
    kinds: tuple[str, ...] = (EXPENSE,)
    label = "luxury travel or entertainment expense"
