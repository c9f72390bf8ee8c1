"""Budgets, department budget and forecast, and accrual pages of the staff application."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.forms import submitted
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.money import from_minor
from legalops.core.typing import AuthedRequest
from legalops.matters import accruals, budgets, forecasts, selectors, spend
from legalops.matters.forms import DepartmentBudgetForm, PeriodForm
from legalops.matters.models import AccrualPeriod, BudgetVersion
from legalops.matters.views import _int, page
from legalops.organization.selectors import company_get
from legalops.vendors.selectors import law_firm_list

BUDGET_SORTS = {
    "year": "fiscal_year",
    "matter": "matter__number",
    "firm": "firm__name",
    "total": "approved_version__total_minor",
}
finance = capability_required(Capability.VIEW_FINANCE)


@staff_required
@capability_required(Capability.VIEW_MATTERS)
def budget_list_view(request: AuthedRequest) -> HttpResponse:
    get = request.GET
    rows = selectors.budget_list(
        user=request.user,
        fiscal_year=_int(get.get("year", "")),
        firm_id=_int(get.get("firm", "")),
        status=get.get("status", ""),
    )
    page_listing = listing(request, rows, sorts=BUDGET_SORTS, default="-year")
    usage = {u.budget.pk: u for u in budgets.budget_consumption(page_listing.page.object_list)}
    context = {
        "listing": page_listing,
        "usage": usage,
        "spend_known": spend.spend_known(),
        "filters": filter_bar(
            request,
            [
                (
                    "year",
                    "Fiscal year",
                    "number",
                    str(company_get().fiscal_year_of(timezone.localdate())),
                ),
                (
                    "firm",
                    "Firm",
                    "select",
                    list(law_firm_list(user=request.user).values_list("pk", "name")),
                ),
                (
                    "status",
                    "Status",
                    "select",
                    [("approved", "Approved"), ("pending", "Awaiting approval")],
                ),
            ],
        ),
    }
    return page(request, template_for(request, "matters/budget_list.html"), context, "budgets")


@staff_required
@capability_required(Capability.VIEW_MATTERS)
def budget_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    budget = get_object_or_404(selectors.budget_list(user=request.user), pk=pk)
    usage = budgets.budget_consumption([budget])
    consumption = usage[0] if usage else None
    chart = None
    if consumption and consumption.by_phase:
        chart = {
            "labels": [phase for phase, _, _ in consumption.by_phase],
            "series": [
                {
                    "label": "Budget",
                    "data": [_num(b, budget.currency) for _, b, _ in consumption.by_phase],
                },
                {
                    "label": "Spent",
                    "data": [_num(s, budget.currency) for _, _, s in consumption.by_phase],
                },
            ],
        }
    context = {
        "budget": budget,
        "versions": selectors.budget_versions(budget),
        "usage": consumption,
        "chart": json.dumps(chart) if chart else "",
        "spend_known": spend.spend_known(),
        "can_decide": selectors.can_manage_matter(request.user, budget.matter)
        and has_capability(request.user, Capability.MANAGE_BUDGETS),
    }
    return page(request, "matters/budget_detail.html", context, "budgets")


def _num(minor: int, code: str) -> float:
    """Chart.js plots numbers; exactness is for the tables, not the bar heights."""
    return float(from_minor(minor, code))


@require_POST
@staff_required
def version_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    visible = selectors.budget_list(user=request.user)
    version = get_object_or_404(BudgetVersion, pk=pk, budget__in=visible)
    try:
        budgets.budget_version_decide(
            actor=request.user,
            version=version,
            approve=request.POST.get("decision") == "approve",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Version {version.number} decided.")
    return redirect("matters:budget_detail", pk=version.budget_id)


@require_POST
@staff_required
def thresholds_view(request: AuthedRequest, pk: int) -> HttpResponse:
    budget = get_object_or_404(selectors.budget_list(user=request.user), pk=pk)
    raw = request.POST.get("thresholds", "")
    try:
        values = [int(v) for v in raw.replace("%", "").replace(";", ",").split(",") if v.strip()]
        budgets.budget_thresholds_set(actor=request.user, budget=budget, values=values)
    except ValueError:
        messages.error(request, "Thresholds are whole percentages separated by commas.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Alert thresholds saved.")
    return redirect("matters:budget_detail", pk=budget.pk)


@staff_required
@finance
def department_view(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _int(request.GET.get("year", "")) or company_get().fiscal_year_of(today)
    form = DepartmentBudgetForm(request.POST or None, initial={"fiscal_year": year})
    if submitted(
        request, form, lambda data: budgets.department_budget_set(actor=request.user, **data)
    ):
        messages.success(request, "Department budget saved.")
        return redirect(f"{request.path}?year={form.cleaned_data['fiscal_year']}")
    matters = list(
        selectors.matter_list(user=request.user)
        .exclude(status="closed")
        .select_related("practice_area")
    )
    currency, rows, notes = forecasts.department_forecast(matters, fiscal_year=year, today=today)
    chart = {
        "labels": [r.label for r in rows],
        "series": [
            {
                "label": "Department budget",
                "data": [_num(r.department_budget_minor or 0, currency) for r in rows],
            },
            {"label": "Matter budgets", "data": [_num(r.budget_minor, currency) for r in rows]},
            {"label": "Projected", "data": [_num(r.projected_minor, currency) for r in rows]},
        ],
    }
    context = {
        "year": year,
        "currency": currency,
        "rows": rows,
        "notes": notes,
        "chart": json.dumps(chart),
        "method": forecasts.METHOD,
        "spend_known": spend.spend_known(),
        "plans": selectors.department_budget_list(user=request.user, fiscal_year=year),
        "form": form if request.user.is_admin else None,
    }
    return page(request, "matters/department.html", context, "department")


@staff_required
@finance
def accrual_list_view(request: AuthedRequest) -> HttpResponse:
    form = PeriodForm(request.POST or None)
    can_manage = has_capability(request.user, Capability.MANAGE_ACCRUALS)
    period = (
        submitted(
            request, form, lambda data: accruals.accrual_period_open(actor=request.user, **data)
        )
        if can_manage
        else None
    )
    if period is not None:
        messages.success(request, f"{period} opened.")
        return redirect("matters:accrual_detail", pk=period.pk)
    periods = selectors.accrual_period_list(user=request.user)
    context = {
        "listing": listing(request, periods, sorts={"month": "month"}, default="-month"),
        "form": form if can_manage else None,
    }
    return page(request, template_for(request, "matters/accrual_list.html"), context, "accruals")


@staff_required
@finance
def accrual_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(selectors.accrual_period_list(user=request.user), pk=pk)
    rows = selectors.accrual_list(
        user=request.user, period=period, firm_id=_int(request.GET.get("firm", ""))
    )
    by = request.GET.get("by", "firm")
    by = by if by in ("firm", "matter", "business_unit", "gl_code") else "firm"
    context = {
        "period": period,
        "listing": listing(
            request,
            rows,
            sorts={"matter": "matter__number", "firm": "firm__name", "total": "current_minor"},
            default="firm",
            per_page=50,
        ),
        "totals": accruals.accrual_totals(rows, by),
        "by": by,
        "filters": filter_bar(
            request,
            [
                (
                    "firm",
                    "Firm",
                    "select",
                    list(law_firm_list(user=request.user).values_list("pk", "name")),
                )
            ],
        ),
        "missing": accruals.missing_reports(period),
        "can_manage": has_capability(request.user, Capability.MANAGE_ACCRUALS),
    }
    return page(request, template_for(request, "matters/accrual_detail.html"), context, "accruals")


@staff_required
@finance
def accrual_export_view(request: AuthedRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(selectors.accrual_period_list(user=request.user), pk=pk)
    rows = selectors.accrual_list(user=request.user, period=period).order_by(
        "matter__number", "firm__name"
    )
    response = HttpResponse(accruals.accruals_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="accruals-{period.month:%Y-%m}.csv"'
    return response


@require_POST
@capability_required(Capability.MANAGE_ACCRUALS)
def accrual_lock_view(request: AuthedRequest, pk: int) -> HttpResponse:
    period = get_object_or_404(AccrualPeriod, pk=pk)
    accruals.accrual_period_lock(actor=request.user, period=period)
    messages.success(request, f"{period} locked.")
    return redirect("matters:accrual_detail", pk=period.pk)
