"""The one navigation of the staff application: every pillar of DESIGN.md, in order.

A pillar whose features have not been built yet still has its page, which says so plainly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, has_capability


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    url_name: str
    capability: Capability = Capability.USE_STAFF_APP
    roles: frozenset[str] = field(default_factory=frozenset)  # empty: every role with capability


_STAFF_ROLES = frozenset({"admin", "attorney", "approver"})

SECTIONS: tuple[Section, ...] = (
    Section("spend", "Spend", "invoices:invoice_list", Capability.VIEW_INVOICES, _STAFF_ROLES),
    Section("vendors", "Vendors", "vendors:firm_list", Capability.VIEW_FIRMS, _STAFF_ROLES),
    Section("matters", "Matters", "matters:matter_list", Capability.VIEW_MATTERS, _STAFF_ROLES),
    Section("insight", "Insight", "reports:overview", Capability.VIEW_REPORTS, _STAFF_ROLES),
    Section("contracts", "Contracts", "core:pillar_contracts", roles=_STAFF_ROLES),
    Section("requests", "Requests", "core:pillar_requests"),
    Section("knowledge", "Knowledge", "core:pillar_knowledge"),
    Section("admin", "Admin", "core:admin_home", Capability.MANAGE_ORGANIZATION),
)


def sections_for(user: User) -> list[Section]:
    return [
        s
        for s in SECTIONS
        if has_capability(user, s.capability) and (not s.roles or user.role in s.roles)
    ]
