"""Rate cards and rate negotiation pages of the staff application."""

from __future__ import annotations

import datetime

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
from legalops.core.typing import AuthedRequest
from legalops.vendors import rate_requests, selectors, services
from legalops.vendors.forms import DecisionForm, RateForm
from legalops.vendors.models import RateRequestLine, RateRequestStatus
from legalops.vendors.views import page


def _on(request: AuthedRequest) -> datetime.date | None:
    raw = request.GET.get("on", "")
    if raw == "all":
        return None
    try:
        return datetime.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


RATE_SORTS = {
    "class": "classification",
    "who": "timekeeper__name",
    "rate": "rate",
    "from": "effective_from",
}


@staff_required
def rate_card_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    on = _on(request)
    rows = selectors.rate_list(
        user=request.user, firm=firm, on=on, classification=request.GET.get("classification", "")
    )
    can_manage = has_capability(request.user, Capability.MANAGE_RATES)
    form = RateForm(request.POST or None, firm=firm)
    if (
        can_manage
        and submitted(
            request, form, lambda data: services.rate_create(actor=request.user, firm=firm, **data)
        )
        is not None
    ):
        messages.success(request, "Rate added to the card.")
        return redirect("vendors:rate_card", pk=firm.pk)
    context = {
        "firm": firm,
        "on": on,
        "listing": listing(request, rows, sorts=RATE_SORTS, default="class", per_page=50),
        "form": form if can_manage else None,
    }
    return page(request, template_for(request, "vendors/rate_card.html"), context, "firms")


@staff_required
def rate_card_csv_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    response = HttpResponse(selectors.rates_csv(firm=firm), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="RATES-{firm.law_firm_id}.csv"'
    return response


REQUEST_SORTS = {
    "firm": "firm__name",
    "year": "fiscal_year",
    "submitted": "submitted_at",
    "status": "status",
}


@staff_required
def request_list_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    year = request.GET.get("year", "")
    firm_id = request.GET.get("firm", "")
    rows = selectors.rate_request_list(
        user=user,
        status=request.GET.get("status", ""),
        firm=selectors.law_firm_list(user=user).filter(pk=firm_id).first()
        if firm_id.isdigit()
        else None,
        fiscal_year=int(year) if year.isdigit() else None,
    )
    statuses = [c for c in RateRequestStatus.choices if c[0] != RateRequestStatus.DRAFT]
    firms = [(f.pk, f.name) for f in selectors.law_firm_list(user=user).only("pk", "name")]
    context = {
        "listing": listing(request, rows, sorts=REQUEST_SORTS, default="-submitted"),
        "filters": filter_bar(
            request,
            [
                ("status", "Status", "select", statuses),
                ("firm", "Firm", "select", firms),
                ("year", "Fiscal year", "number", "2027"),
            ],
        ),
    }
    return page(request, template_for(request, "vendors/request_list.html"), context, "requests")


@staff_required
def request_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    rate_request = get_object_or_404(selectors.rate_request_list(user=request.user), pk=pk)
    context = {
        "rr": rate_request,
        "analysis": rate_requests.rate_request_analysis(rate_request),
        "can_decide": has_capability(request.user, Capability.MANAGE_RATES),
        "decision_form": DecisionForm(),
    }
    return page(request, "vendors/request_detail.html", context, "requests")


@require_POST
@capability_required(Capability.MANAGE_RATES)
def line_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    visible = selectors.rate_request_list(user=request.user)
    line = get_object_or_404(RateRequestLine, pk=pk, request__in=visible)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            rate_requests.rate_request_line_decide(
                actor=request.user, line=line, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{line}: {form.cleaned_data['decision']} recorded.")
    else:
        messages.error(request, "Choose a decision.")
    return redirect("vendors:request_detail", pk=line.request_id)
