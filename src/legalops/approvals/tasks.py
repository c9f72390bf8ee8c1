"""Periodic work of approval routing, run by `legalops worker`."""

from __future__ import annotations

from legalops.approvals.escalation import escalate_idle
from legalops.core.schedule import periodic


@periodic(
    "approval-escalation",
    "hourly",
    "Remind approvers of invoices idle longer than the policy allows, then escalate them.",
)
def approval_escalation() -> str:
    return str(escalate_idle())
