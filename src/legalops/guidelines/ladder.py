"""The action ladder applied to one line's findings (spec/guidelines.md "Actions").

Order, so that no money is counted twice and a line never goes below zero:
1. `reject-line` wins: the first one (catalogue order) carries minus the billed amount; every
   other flag on the line carries 0.
2. Otherwise rate and cap reductions (`TARGET`: bring the line to at most an amount) apply in
   catalogue order, each on what the previous left;
3. then percentage reductions (`PERCENT`) apply, in catalogue order, each on what remains.
Every step is rounded to the currency's minor unit (ROUND_HALF_UP), so the flag amounts add up
exactly to approved - billed. A line billed at zero or less (a credit) is never reduced.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from legalops.guidelines.money import ZERO, to_money
from legalops.guidelines.rules.base import PERCENT, TARGET, Finding


class Acted(NamedTuple):
    rule: str
    action: str
    finding: Finding


def settle(billed: Decimal, acted: list[Acted], currency: str) -> tuple[Decimal, list[Decimal]]:
    """The line's approved amount and each flag's amount, in the order given."""
    amounts = [ZERO] * len(acted)
    if billed <= 0:
        return billed, amounts
    actions = [a.action for a in acted]
    if "reject-line" in actions:
        amounts[actions.index("reject-line")] = -billed
        return ZERO, amounts
    if "reduce" not in actions:  # warnings and holds only: nothing changes
        return billed, amounts
    value = billed
    for kind in (TARGET, PERCENT):
        for i, item in enumerate(acted):
            reduction = item.finding.reduction
            if item.action == "reduce" and reduction is not None and reduction.kind == kind:
                new = _apply(value, kind, reduction.value, currency)
                amounts[i], value = new - value, new
    return value, amounts


def _apply(value: Decimal, kind: str, amount: Decimal, currency: str) -> Decimal:
    if kind == TARGET:
        return max(ZERO, min(value, to_money(amount, currency)))
    cut = to_money(value * min(amount, Decimal(100)) / 100, currency)
    return max(ZERO, value - cut)
