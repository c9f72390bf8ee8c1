"""Organization settings: company profile, business units, practice areas, currencies, FX."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required
from legalops.accounts.permissions import Capability
from legalops.core.forms import add_service_errors
from legalops.core.htmx import template_for
from legalops.core.listing import listing
from legalops.core.typing import AuthedRequest
from legalops.organization import selectors, services
from legalops.organization.forms import (
    BusinessUnitForm,
    CompanyForm,
    CurrencyForm,
    FxRateForm,
    PracticeAreaForm,
)
from legalops.organization.models import BusinessUnit, PracticeArea

manage = capability_required(Capability.MANAGE_ORGANIZATION)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"active": "admin", **context})


@manage
def company_view(request: AuthedRequest) -> HttpResponse:
    company = selectors.company_get()
    form = CompanyForm(
        request.POST or None, initial={f: getattr(company, f) for f in services.COMPANY_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.company_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Company profile saved.")
            return redirect("organization:company")
    return _render(request, "organization/company.html", {"form": form, "company": company})


@manage
def business_units_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    unit = get_object_or_404(BusinessUnit, pk=pk) if pk else None
    initial = (
        {"code": unit.code, "name": unit.name, "parent": unit.parent, "is_active": unit.is_active}
        if unit
        else {"is_active": True}
    )
    form = BusinessUnitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.business_unit_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Business unit {form.cleaned_data['name']} saved.")
            return redirect("organization:business_units")
    units = selectors.business_unit_list()
    return _render(
        request,
        "organization/business_units.html",
        {
            "form": form,
            "editing": unit,
            "listing": listing(
                request, units, sorts={"code": "code", "name": "name"}, default="name", per_page=50
            ),
        },
    )


@manage
def practice_areas_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    area = get_object_or_404(PracticeArea, pk=pk) if pk else None
    initial = (
        {"code": area.code, "name": area.name, "is_active": area.is_active}
        if area
        else {"is_active": True}
    )
    form = PracticeAreaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.practice_area_save(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Practice area {form.cleaned_data['name']} saved.")
            return redirect("organization:practice_areas")
    areas = selectors.practice_area_list()
    return _render(
        request,
        "organization/practice_areas.html",
        {
            "form": form,
            "editing": area,
            "listing": listing(
                request, areas, sorts={"code": "code", "name": "name"}, default="name", per_page=50
            ),
        },
    )


@manage
def currencies_view(request: AuthedRequest) -> HttpResponse:
    form = CurrencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.currency_enable(actor=request.user, code=form.cleaned_data["code"])
        messages.success(request, f"{form.cleaned_data['code']} enabled.")
        return redirect("organization:currencies")
    return _render(
        request,
        "organization/currencies.html",
        {
            "form": form,
            "currencies": selectors.currency_list(active_only=False),
            "reporting": selectors.company_get().reporting_currency,
        },
    )


@require_POST
@manage
def currency_disable_view(request: AuthedRequest, code: str) -> HttpResponse:
    try:
        services.currency_disable(actor=request.user, code=code)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{code} disabled.")
    return redirect("organization:currencies")


@manage
def fx_rates_view(request: AuthedRequest) -> HttpResponse:
    form = FxRateForm(
        request.POST or None, initial={"quote": selectors.company_get().reporting_currency}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.fx_rate_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Exchange rate saved.")
            return redirect("organization:fx_rates")
    rates = selectors.fx_rate_list(
        base=request.GET.get("base", ""), quote=request.GET.get("quote", "")
    )
    context = {
        "form": form,
        "listing": listing(
            request,
            rates,
            sorts={"date": "date", "base": "base_id", "quote": "quote_id"},
            default="-date",
            per_page=50,
        ),
    }
    template = template_for(request, "organization/fx_rates.html")
    return _render(request, template, context)
