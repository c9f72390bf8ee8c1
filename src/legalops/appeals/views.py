"""Reviewers' appeal pages: the list of appeals they may see and one appeal with a decision
per line; and the appeal period setting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability
from legalops.appeals import selectors, services
from legalops.appeals.forms import DecideForm, PolicyForm
from legalops.appeals.models import AppealStatus, Decision
from legalops.approvals.views import page
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.invoices import workflow
from legalops.notifications.links import invoice_path
from legalops.vendors.models import LawFirm

review_required = capability_required(Capability.REVIEW_INVOICES)
SORTS = {
    "filed": "filed_at",
    "invoice": "invoice__invoice_number",
    "firm": "invoice__firm__name",
    "status": "status",
}


@staff_required
@review_required
def appeal_list_view(request: AuthedRequest) -> HttpResponse:
    get = request.GET
    firm = get.get("firm", "")
    rows = selectors.appeal_list(
        user=request.user,
        status=get.get("status", AppealStatus.OPEN if "status" not in get else ""),
        search=get.get("q", ""),
        firm_id=int(firm) if firm.isdigit() else None,
    )
    context = {
        "listing": listing(request, rows, sorts=SORTS, default="filed"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "invoice, matter or firm"),
                ("status", "Status", "select", AppealStatus.choices),
                ("firm", "Firm", "select", list(LawFirm.objects.values_list("pk", "name"))),
            ],
        ),
        "tab": "appeals",
    }
    return page(request, template_for(request, "appeals/list.html"), context)


@staff_required
@review_required
def appeal_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(selectors.appeal_list(user=request.user), pk=pk)
    invoice = appeal.invoice
    context = {
        "appeal": appeal,
        "invoice": invoice,
        "invoice_url": invoice_path(invoice),
        "items": selectors.appeal_items(appeal),
        "can_decide": appeal.status == AppealStatus.OPEN
        and workflow.can_review(request.user, invoice),
        "decisions": [c for c in Decision.choices if c[0] != Decision.PENDING],
        "tab": "appeals",
    }
    return page(request, "appeals/detail.html", context)


@require_POST
@staff_required
@review_required
def item_decide_view(request: AuthedRequest, pk: int, item: int) -> HttpResponse:
    appeal = get_object_or_404(selectors.appeal_list(user=request.user), pk=pk)
    row = get_object_or_404(appeal.items, pk=item)
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a decision (and an amount for a partial one).")
        return redirect("appeals:detail", pk=appeal.pk)
    try:
        services.appeal_item_decide(actor=request.user, item=row, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"Line {row.line.line_item_number}: {text}")
    else:
        messages.success(request, f"Line {row.line.line_item_number} decided.")
    return redirect("appeals:detail", pk=appeal.pk)


@staff_required
@capability_required(Capability.MANAGE_ROUTING)
def policy_view(request: AuthedRequest) -> HttpResponse:
    form = PolicyForm(
        request.POST or None, initial={"deadline_days": selectors.policy_get().deadline_days}
    )
    if request.method == "POST" and form.is_valid():
        services.appeal_policy_set(actor=request.user, **form.cleaned_data)
        messages.success(request, "Appeal period saved.")
        return redirect("appeals:list")
    return page(request, "appeals/policy.html", {"form": form, "tab": "appeals"})
