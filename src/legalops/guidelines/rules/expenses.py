"""Expense rules: overhead codes and words, unit and line caps. Luxury travel is a narrative rule.
Defaults and sources: default.toml (EXP-01, EXP-02)."""

from __future__ import annotations

from collections.abc import Iterator

from legalops.guidelines.money import fmt_number
from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.records import EXPENSE
from legalops.guidelines.rules.base import (
    TARGET,
    Finding,
    Reduction,
    Rule,
    Run,
    line_evidence,
    target_reduction,
)


class DisallowedExpense(Rule):
    id = "disallowed-expense"
    params = {"codes": Param("codes"), "overhead_terms": Param("terms")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        codes = set(settings.strings("codes"))
        terms = settings.strings("overhead_terms")
        for index, line in run.lines(EXPENSE):
            low = line.narrative.lower()
            words = [term for term in terms if term in low]
            if line.expense_code.upper() in codes:
                message = f"expense code {line.expense_code} is overhead, not reimbursable"
                yield Finding(index, message, line_evidence(line, "LINE_ITEM_EXPENSE_CODE"))
            elif words:
                message = f"expense narrative names overhead: {', '.join(repr(w) for w in words)}"
                yield Finding(
                    index, message, {"words": words} | line_evidence(line, "LINE_ITEM_DESCRIPTION")
                )


class ExpenseCap(Rule):
    id = "expense-cap"
    actions = ("warn", "hold", "reduce", "reject-line", "reject-invoice")
    params = {"unit_caps": Param("money_map"), "line_caps": Param("money_map")}

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        unit_caps, line_caps = settings.money_map("unit_caps"), settings.money_map("line_caps")
        for index, line in run.lines(EXPENSE):
            code = line.expense_code.upper()
            unit_cap, line_cap = unit_caps.get(code), line_caps.get(code)
            if unit_cap is not None and line.unit_cost is not None and line.unit_cost > unit_cap:
                message = (
                    f"{code} unit cost {fmt_number(line.unit_cost)} is above the cap of "
                    f"{fmt_number(unit_cap)} per unit"
                )
                evidence = line_evidence(line, "LINE_ITEM_EXPENSE_CODE", "LINE_ITEM_UNIT_COST") | {
                    "unit_cap": fmt_number(unit_cap)
                }
                yield Finding(index, message, evidence, target_reduction(line, unit_cap))
            elif line_cap is not None and line.total > line_cap:
                message = (
                    f"{code} line total {fmt_number(line.total)} is above the cap of "
                    f"{fmt_number(line_cap)}"
                )
                evidence = line_evidence(line, "LINE_ITEM_EXPENSE_CODE", "LINE_ITEM_TOTAL") | {
                    "line_cap": fmt_number(line_cap)
                }
                yield Finding(index, message, evidence, Reduction(TARGET, line_cap))
