"""How much data each `--scale` creates (sizes from spec/cli.md, "legalops seed").

Invoice-line counts belong to the e-billing work. Seeded so far: the company, its units,
practice areas, currencies and FX history, the panel of firms with contacts, timekeepers and
multi-year rate cards, rate requests in every state, users of each role, matters with their
firms and teams, budgets, accrual periods with the firms' answers, forecasts and evaluations.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    firms: int
    attorneys: int
    approvers: int
    requesters: int
    firm_users_per_firm: int
    business_units: int
    years_of_history: int
    timekeepers_per_firm: int
    matters: int


SCALES: dict[str, Scale] = {
    # seconds: enough to click through every page of the demo
    "small": Scale(
        "small",
        firms=8,
        attorneys=6,
        approvers=2,
        requesters=6,
        firm_users_per_firm=2,
        business_units=6,
        years_of_history=2,
        timekeepers_per_firm=8,
        matters=40,
    ),
    # about one year of a mid-size department (~40 firms)
    "medium": Scale(
        "medium",
        firms=40,
        attorneys=25,
        approvers=6,
        requesters=80,
        firm_users_per_firm=3,
        business_units=12,
        years_of_history=1,
        timekeepers_per_firm=20,
        matters=1500,
    ),
    # about five years of a big department (>= 150 firms)
    "large": Scale(
        "large",
        firms=160,
        attorneys=80,
        approvers=15,
        requesters=400,
        firm_users_per_firm=4,
        business_units=20,
        years_of_history=5,
        timekeepers_per_firm=25,
        matters=8000,
    ),
}
