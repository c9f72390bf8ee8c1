"""Vendor portal pages for appeals: the firm's appeals, the invoices it may still appeal,
filing an appeal line by line, and one appeal with its decisions. Every read goes through the
scoped selectors (a firm sees only its invoices); every write through the services, which
check the firm again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import portal_required
from legalops.appeals import selectors, services
from legalops.appeals.forms import AppealForm
from legalops.appeals.models import AppealStatus
from legalops.core.forms import add_service_errors
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.invoices.selectors import visible_invoices

SORTS = {"filed": "filed_at", "invoice": "invoice__invoice_number", "status": "status"}


def _page(request: AuthedRequest, template: str, context: dict[str, object]) -> HttpResponse:
    return render(request, template, {"portal_active": "appeals", **context})


@portal_required
def appeal_list_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.appeal_list(
        user=request.user, status=request.GET.get("status", ""), search=request.GET.get("q", "")
    )
    context = {
        "listing": listing(request, rows, sorts=SORTS, default="-filed"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "invoice or matter"),
                ("status", "Status", "select", AppealStatus.choices),
            ],
        ),
        "appealable": selectors.appealable_invoices(user=request.user, today=timezone.localdate()),
        "deadline_days": selectors.policy_get().deadline_days,
    }
    return _page(request, template_for(request, "appeals/portal_list.html"), context)


@portal_required
def appeal_new_view(request: AuthedRequest, invoice: int) -> HttpResponse:
    found = get_object_or_404(visible_invoices(request.user).select_related("matter"), pk=invoice)
    today = timezone.localdate()
    allowed, why = selectors.can_appeal(found, today)
    lines = selectors.appealable_lines(found) if allowed else []
    form = AppealForm(request.POST or None, lines=lines)
    if request.method == "POST" and allowed and form.is_valid():
        try:
            appeal = services.appeal_file(
                actor=request.user,
                invoice=found,
                items=form.items(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Appeal filed: the department's reviewer will decide.")
            return redirect("portal:appeals:detail", pk=appeal.pk)
    context = {
        "invoice": found,
        "form": form,
        "allowed": allowed,
        "why": why,
        "deadline": selectors.appeal_deadline(found),
    }
    return _page(request, "appeals/portal_new.html", context)


@portal_required
def appeal_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(selectors.appeal_list(user=request.user), pk=pk)
    context = {
        "appeal": appeal,
        "invoice": appeal.invoice,
        "items": selectors.appeal_items(appeal),
        "can_withdraw": appeal.status == AppealStatus.OPEN
        and not selectors.appeal_items(appeal).exclude(decision="pending").exists(),
    }
    return _page(request, "appeals/portal_detail.html", context)


@require_POST
@portal_required
def appeal_withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    appeal = get_object_or_404(selectors.appeal_list(user=request.user), pk=pk)
    try:
        services.appeal_withdraw(actor=request.user, appeal=appeal)
        messages.success(request, "Appeal withdrawn.")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("portal:appeals:detail", pk=appeal.pk)
