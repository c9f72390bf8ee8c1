"""Periodic work of the matters app, run by `legalops worker` (core.schedule)."""

from __future__ import annotations

from django.utils import timezone

from legalops.core.schedule import periodic
from legalops.matters import accruals, budgets


@periodic("budget-alerts", "daily", "Tell matter leads when spend crosses a budget threshold.")
def budget_alerts() -> str:
    return f"{budgets.budget_alerts_check(today=timezone.localdate())} budget alerts sent"


@periodic("accruals-open", "daily", "Open this month's accrual window once it begins.")
def accruals_open() -> str:
    return accruals.accrual_periods_open_due(today=timezone.localdate())


@periodic("accruals-remind", "daily", "Remind firms with missing accruals before the deadline.")
def accruals_remind() -> str:
    return f"{accruals.accrual_reminders_send(today=timezone.localdate())} firms reminded"


@periodic("accruals-lock", "daily", "Lock accrual windows whose deadline has passed.")
def accruals_lock() -> str:
    return accruals.accrual_periods_lock_due(today=timezone.localdate())
