"""Reads for the platform pages."""

from __future__ import annotations

from typing import Any

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, has_capability
from legalops.audit.selectors import audit_event_list
from legalops.organization.selectors import company_get
from legalops.vendors.selectors import law_firm_list


def home_summary(*, user: User) -> dict[str, Any]:
    summary: dict[str, Any] = {"company": company_get()}
    if has_capability(user, Capability.VIEW_FIRMS):
        firms = law_firm_list(user=user)
        summary["firm_count"] = firms.count()
        summary["firms_by_status"] = {
            s: firms.filter(status=s).count() for s in ("preferred", "approved", "inactive")
        }
    if has_capability(user, Capability.VIEW_MATTERS):
        summary.update(_matter_summary(user))
    if has_capability(user, Capability.VIEW_AUDIT):
        summary["recent_events"] = list(audit_event_list(user=user)[:8])
    return summary


def _matter_summary(user: User) -> dict[str, Any]:
    from legalops.matters.selectors import budget_list, matter_list
    from legalops.vendors.models import LineStatus, RateRequestLine
    from legalops.vendors.selectors import rate_request_list

    return {
        "matter_count": matter_list(user=user).exclude(status="closed").count(),
        "pending_budgets": budget_list(user=user, status="pending").count(),
        "pending_rate_lines": RateRequestLine.objects.filter(
            request__in=rate_request_list(user=user), status=LineStatus.PENDING
        ).count(),
    }
