"""What each role may do. Row visibility is the selectors' job; this module answers "may this
user perform this kind of action at all". Services call `require` so that the web UI, the API,
the CLI and tasks enforce the same rules. `actor=None` is the system (CLI set-up, seeding, jobs).
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from legalops.accounts.models import Role, User


class Capability(StrEnum):
    MANAGE_USERS = "manage_users"
    INVITE_FIRM_COLLEAGUES = "invite_firm_colleagues"
    MANAGE_ORGANIZATION = "manage_organization"
    VIEW_ORGANIZATION = "view_organization"
    VIEW_AUDIT = "view_audit"
    MANAGE_FIRMS = "manage_firms"
    VIEW_FIRMS = "view_firms"
    USE_STAFF_APP = "use_staff_app"
    USE_PORTAL = "use_portal"
    USE_API = "use_api"
    # vendors and matters (issue 5)
    MANAGE_RATES = "manage_rates"
    EVALUATE_FIRMS = "evaluate_firms"
    VIEW_MATTERS = "view_matters"
    MANAGE_MATTERS = "manage_matters"
    MANAGE_BUDGETS = "manage_budgets"
    VIEW_FINANCE = "view_finance"
    MANAGE_ACCRUALS = "manage_accruals"
    FIRM_SUBMIT = "firm_submit"
    IMPORT_DATA = "import_data"
    # e-billing (issue 6)
    VIEW_INVOICES = "view_invoices"
    REVIEW_INVOICES = "review_invoices"
    APPROVE_INVOICES = "approve_invoices"
    MANAGE_GUIDELINES = "manage_guidelines"
    INTAKE_INVOICES = "intake_invoices"
    MANAGE_ROUTING = "manage_routing"
    MANAGE_PAYABLES = "manage_payables"
    # insight (issue 7)
    VIEW_REPORTS = "view_reports"
    MANAGE_REPORTS = "manage_reports"  # scheduled report packs (who gets what, monthly)


_STAFF = {
    Capability.USE_STAFF_APP,
    Capability.VIEW_ORGANIZATION,
    Capability.VIEW_FIRMS,
    Capability.USE_API,
    Capability.VIEW_MATTERS,
}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ADMIN: frozenset(
        _STAFF
        | {
            Capability.MANAGE_USERS,
            Capability.MANAGE_ORGANIZATION,
            Capability.VIEW_AUDIT,
            Capability.MANAGE_FIRMS,
            Capability.MANAGE_RATES,
            Capability.EVALUATE_FIRMS,
            Capability.MANAGE_MATTERS,
            Capability.MANAGE_BUDGETS,
            Capability.VIEW_FINANCE,
            Capability.MANAGE_ACCRUALS,
            Capability.IMPORT_DATA,
            Capability.VIEW_INVOICES,
            Capability.REVIEW_INVOICES,
            Capability.APPROVE_INVOICES,
            Capability.MANAGE_GUIDELINES,
            Capability.INTAKE_INVOICES,
            Capability.MANAGE_ROUTING,
            Capability.MANAGE_PAYABLES,
            Capability.VIEW_REPORTS,
            Capability.MANAGE_REPORTS,
        }
    ),
    # Attorneys manage the matters (and budgets) whose team they are on: the services check
    # the row; the capability says they may do it at all.
    Role.ATTORNEY: frozenset(
        _STAFF
        | {
            Capability.EVALUATE_FIRMS,
            Capability.MANAGE_MATTERS,
            Capability.MANAGE_BUDGETS,
            Capability.VIEW_INVOICES,
            Capability.REVIEW_INVOICES,
            Capability.APPROVE_INVOICES,
            Capability.VIEW_REPORTS,
        }
    ),
    Role.APPROVER: frozenset(
        _STAFF
        | {
            Capability.VIEW_FINANCE,
            Capability.VIEW_INVOICES,
            Capability.APPROVE_INVOICES,
            Capability.MANAGE_PAYABLES,
            Capability.VIEW_REPORTS,
        }
    ),
    Role.REQUESTER: frozenset({Capability.USE_STAFF_APP, Capability.USE_API}),
    Role.FIRM: frozenset(
        {
            Capability.USE_PORTAL,
            Capability.VIEW_FIRMS,
            Capability.USE_API,
            Capability.VIEW_MATTERS,
            Capability.FIRM_SUBMIT,
            Capability.VIEW_INVOICES,
        }
    ),
}


def has_capability(user: User | None, capability: Capability) -> bool:
    if user is None:
        return True
    if not user.is_active:
        return False
    if capability is Capability.INVITE_FIRM_COLLEAGUES:
        return user.role == Role.FIRM and user.is_firm_admin
    return capability in ROLE_CAPABILITIES.get(user.role, frozenset())


def require(user: User | None, capability: Capability) -> None:
    if not has_capability(user, capability):
        raise PermissionDenied(f"your role may not {capability.value.replace('_', ' ')}")
