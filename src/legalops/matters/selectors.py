"""Reads of matters, budgets, accruals and forecasts, scoped to what the user may see.

Who sees a matter: legal ops (admins) all of them; attorneys and approvers every matter that is
not confidential, and a confidential one only when they lead it or are on its team; firm users
only the matters their firm is assigned to; requesters none (until intake links them).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability
from legalops.matters.models import (
    Accrual,
    AccrualPeriod,
    Budget,
    BudgetVersion,
    DepartmentBudget,
    Forecast,
    Matter,
    MatterFirm,
    MatterStatus,
)

MATTER_FILTERS = ("status", "matter_type", "practice_area", "business_unit", "lead_attorney")


def _team_member(user: User) -> Exists:
    return Exists(Matter.team.through.objects.filter(matter_id=OuterRef("pk"), user_id=user.pk))


def _firm_assigned(firm_id: int | None) -> Exists:
    return Exists(MatterFirm.objects.filter(matter_id=OuterRef("pk"), firm_id=firm_id))


def visible_matters(user: User) -> QuerySet[Matter]:
    if not has_capability(user, Capability.VIEW_MATTERS):
        return Matter.objects.none()
    matters = Matter.objects.all()
    if user.role == Role.ADMIN:
        return matters
    if user.role == Role.FIRM:
        return matters.filter(_firm_assigned(user.firm_id)) if user.firm_id else matters.none()
    return matters.filter(Q(confidential=False) | Q(lead_attorney=user) | _team_member(user))


def matter_list(
    *,
    user: User,
    search: str = "",
    firm_id: int | None = None,
    **filters: str | int | None,
) -> QuerySet[Matter]:
    """`filters` are exact matches on MATTER_FILTERS (empty values are ignored)."""
    matters = visible_matters(user).select_related(
        "practice_area", "business_unit", "lead_attorney"
    )
    if search:
        matters = matters.filter(Q(number__icontains=search) | Q(name__icontains=search))
    if firm_id:
        matters = matters.filter(_firm_assigned(firm_id))
    for key, value in filters.items():
        if key not in MATTER_FILTERS:
            raise ValueError(f"unknown matter filter {key}")
        if value not in (None, ""):
            matters = matters.filter(**{key: value})
    return matters


def matter_get(*, user: User, pk: int) -> Matter:
    return matter_list(user=user).get(pk=pk)


def can_manage_matter(user: User | None, matter: Matter) -> bool:
    """Legal ops, or an attorney who leads the matter or is on its team."""
    if user is None or user.role == Role.ADMIN:
        return has_capability(user, Capability.MANAGE_MATTERS)
    if not has_capability(user, Capability.MANAGE_MATTERS):
        return False
    return matter.lead_attorney_id == user.pk or matter.team.filter(pk=user.pk).exists()


def open_assignments(*, matter: Matter | None = None) -> QuerySet[MatterFirm]:
    """Active firm assignments on matters that are not closed (system use)."""
    rows = MatterFirm.objects.filter(is_active=True).exclude(matter__status=MatterStatus.CLOSED)
    if matter is not None:
        rows = rows.filter(matter=matter)
    return rows.select_related("matter", "firm", "matter__business_unit")


def budget_list(
    *,
    user: User,
    fiscal_year: int | None = None,
    firm_id: int | None = None,
    matter: Matter | None = None,
    status: str = "",
) -> QuerySet[Budget]:
    """Budgets of visible matters; a firm user only their own firm's."""
    budgets = Budget.objects.filter(matter__in=visible_matters(user)).select_related(
        "matter", "firm", "approved_version"
    )
    if user.role == Role.FIRM:
        budgets = budgets.filter(firm_id=user.firm_id)
    if fiscal_year:
        budgets = budgets.filter(fiscal_year=fiscal_year)
    if firm_id:
        budgets = budgets.filter(firm_id=firm_id)
    if matter is not None:
        budgets = budgets.filter(matter=matter)
    if status == "approved":
        budgets = budgets.filter(approved_version__isnull=False)
    elif status == "pending":
        budgets = budgets.filter(versions__status="submitted").distinct()
    return budgets


def budget_get(*, user: User, pk: int) -> Budget:
    return budget_list(user=user).get(pk=pk)


def budget_versions(budget: Budget) -> QuerySet[BudgetVersion]:
    return budget.versions.prefetch_related("lines").select_related("submitted_by", "decided_by")


def department_budget_list(
    *, user: User, fiscal_year: int | None = None
) -> QuerySet[DepartmentBudget]:
    if not has_capability(user, Capability.VIEW_FINANCE):
        return DepartmentBudget.objects.none()
    rows = DepartmentBudget.objects.select_related("practice_area", "business_unit")
    return rows.filter(fiscal_year=fiscal_year) if fiscal_year else rows


def accrual_period_list(*, user: User) -> QuerySet[AccrualPeriod]:
    if has_capability(user, Capability.VIEW_FINANCE) or user.role == Role.FIRM:
        return AccrualPeriod.objects.all()
    return AccrualPeriod.objects.none()


def accrual_list(
    *, user: User, period: AccrualPeriod | None = None, firm_id: int | None = None
) -> QuerySet[Accrual]:
    """Finance and legal ops see every accrual; a firm user their own firm's."""
    rows = Accrual.objects.select_related(
        "period", "matter", "matter__business_unit", "firm", "reported_by"
    )
    if user.role == Role.FIRM:
        rows = rows.filter(firm_id=user.firm_id)
    elif not has_capability(user, Capability.VIEW_FINANCE):
        return rows.none()
    if period is not None:
        rows = rows.filter(period=period)
    if firm_id:
        rows = rows.filter(firm_id=firm_id)
    return rows


def forecast_list(*, user: User, matter: Matter) -> QuerySet[Forecast]:
    rows = Forecast.objects.filter(matter__in=visible_matters(user), matter=matter)
    if user.role == Role.FIRM:
        rows = rows.filter(firm_id=user.firm_id)
    return rows.select_related("firm", "entered_by")
