"""The in-app side of budget alerts (matters.budgets crosses thresholds and mails the matter's
lead attorney itself, asking `email_wanted` first)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from legalops.notifications.models import Kind
from legalops.notifications.services import notify

if TYPE_CHECKING:
    from legalops.matters.models import BudgetAlert


def budget_alert_notify(alert: BudgetAlert) -> None:
    budget = alert.budget
    notify(
        users=[budget.matter.lead_attorney],
        kind=Kind.BUDGET_THRESHOLD,
        title=f"Budget alert: {budget.matter.number} has used {alert.threshold}% of its budget",
        body=f"{budget.firm.name} on {budget.matter} (FY{budget.fiscal_year}) has reached "
        f"{alert.threshold}% of its approved budget.",
        url=reverse("matters:budget_detail", args=[budget.pk]),
        email=False,  # matters.budgets mails it
    )
