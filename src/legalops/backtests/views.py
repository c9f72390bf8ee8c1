"""Backtest pages in the Spend pillar, for legal ops admins (MANAGE_GUIDELINES): the list, the
new-backtest form (`?version=<pk>` preselects a version: the guidelines pages link here), the
report with its progress polled by htmx while the worker runs it, the drill to the invoices of a
row, and the Excel download."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability
from legalops.backtests import export, selectors, services
from legalops.backtests.forms import BacktestForm
from legalops.backtests.models import Backtest
from legalops.core.forms import submitted
from legalops.core.htmx import template_for
from legalops.core.listing import listing
from legalops.core.typing import AuthedRequest

guidelines_required = capability_required(Capability.MANAGE_GUIDELINES)
LIST_SORTS = {"created": "created_at", "from": "period_from", "invoices": "invoices_total"}
ITEM_SORTS = {
    "invoice": "invoice__invoice_number",
    "date": "invoice__invoice_date",
    "billed": "billed_minor",
    "saved": "saved",
    "actual": "actual_saved",
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: AuthedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"active": "spend", **context})


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@staff_required
@guidelines_required
def backtest_list_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.backtest_list(user=request.user)
    context = {"listing": listing(request, rows, sorts=LIST_SORTS, default="-created")}
    return _page(request, template_for(request, "backtests/list.html"), context)


@staff_required
@guidelines_required
def backtest_new_view(request: AuthedRequest) -> HttpResponse:
    initial = {"version": _int(request.GET.get("version", ""))}
    form = BacktestForm(request.POST or None, initial=initial)
    backtest = submitted(
        request,
        form,
        lambda data: services.backtest_create(
            actor=request.user,
            version=data["version"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            firm=data["firm"],
            matter=data["matter"],
        ),
    )
    if backtest is not None:
        return redirect("backtests:detail", pk=backtest.pk)
    return _page(request, "backtests/new.html", {"form": form})


@staff_required
@guidelines_required
def backtest_view(request: AuthedRequest, pk: int) -> HttpResponse:
    backtest = selectors.backtest_get(user=request.user, pk=pk)
    context: dict[str, Any] = {"backtest": backtest}
    if backtest.status == Backtest.Status.DONE:
        context["report"] = selectors.report(backtest)
    return _page(request, "backtests/detail.html", context)


@staff_required
@guidelines_required
def backtest_progress_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The progress bar htmx polls; once the run is over the page reloads with the report."""
    backtest = selectors.backtest_get(user=request.user, pk=pk)
    response = render(request, "backtests/detail.html#progress", {"backtest": backtest})
    if backtest.finished:
        response["HX-Refresh"] = "true"
    return response


@staff_required
@guidelines_required
def backtest_invoices_view(request: AuthedRequest, pk: int) -> HttpResponse:
    backtest = selectors.backtest_get(user=request.user, pk=pk)
    get = request.GET
    rule = get.get("rule", "")
    items = selectors.backtest_items(
        backtest,
        rule=rule,
        firm_id=_int(get.get("firm", "")),
        matter_id=_int(get.get("matter", "")),
        changed_only=get.get("changed") == "1",
    )
    context = {
        "backtest": backtest,
        "rule": rule,
        "listing": listing(request, items, sorts=ITEM_SORTS, default="-saved", per_page=50),
    }
    return _page(request, template_for(request, "backtests/invoices.html"), context)


@staff_required
@guidelines_required
def backtest_xlsx_view(request: AuthedRequest, pk: int) -> HttpResponse:
    backtest = selectors.backtest_get(user=request.user, pk=pk)
    if backtest.status != Backtest.Status.DONE:
        raise Http404("the backtest has no report yet")
    response = HttpResponse(export.report_xlsx(backtest), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="backtest-{backtest.pk}.xlsx"'
    return response
