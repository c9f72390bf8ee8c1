"""Over budget (BUD-02): approving the invoice would take the matter, or one UTBMS phase, past its
budget by more than `tolerance_percent` ([OOLIGO]: notice above 10 %). Needs platform budgets."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from legalops.guidelines.money import format_money
from legalops.guidelines.params import Param, RuleSettings
from legalops.guidelines.records import Budget
from legalops.guidelines.rules.base import INVOICE, INVOICE_ACTIONS, Finding, Rule, Run
from legalops.ledes.codes import utbms_phase


class OverBudget(Rule):
    id = "over-budget"
    scope = INVOICE
    actions = INVOICE_ACTIONS
    params = {"tolerance_percent": Param("percent")}
    after_money = True

    def skip_reason(self, run: Run) -> str | None:
        return None if run.context.budgets is not None else "no budget data offline"

    def check(self, run: Run, settings: RuleSettings) -> Iterator[Finding]:
        tolerance = settings.decimal("tolerance_percent")
        for budget in run.context.budgets or ():
            if budget.currency != run.currency:
                continue
            spend = budget.approved_to_date + self._invoice_share(run, budget)
            limit = budget.amount * (1 + tolerance / 100)
            if spend > limit:
                yield Finding(
                    None,
                    self._message(run, budget, spend, tolerance),
                    self._evidence(run, budget, spend),
                )

    def _invoice_share(self, run: Run, budget: Budget) -> Decimal:
        lines = run.invoice.lines
        return sum(
            (
                amount
                for line, amount in zip(lines, run.approved_lines, strict=True)
                if not budget.phase or utbms_phase(line.task_code or "") == budget.phase
            ),
            Decimal(0),
        )

    def _message(self, run: Run, budget: Budget, spend: Decimal, tolerance: Decimal) -> str:
        scope = f"phase {budget.phase}" if budget.phase else "the matter"
        label = f" ({budget.label})" if budget.label else ""
        after, amount = format_money(spend, run.currency), format_money(budget.amount, run.currency)
        return (
            f"approving this invoice takes {scope}{label} to {after} "
            f"against a budget of {amount} (tolerance {tolerance}%)"
        )

    def _evidence(self, run: Run, budget: Budget, spend: Decimal) -> dict[str, object]:
        return {
            "phase": budget.phase or None,
            "budget": format_money(budget.amount, run.currency),
            "approved_to_date": format_money(budget.approved_to_date, run.currency),
            "after_invoice": format_money(spend, run.currency),
        }
