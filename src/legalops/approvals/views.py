"""The approver's pages: "My approvals" (sort, filter, paginate, bulk approve), one step's
decision page (approve, send back, reject with a comment) and delegations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.models import Role
from legalops.accounts.permissions import Capability, has_capability
from legalops.approvals import selectors, services
from legalops.approvals.forms import ApproveForm, DelegationForm, RejectForm, SendBackForm
from legalops.approvals.models import Delegation
from legalops.core.forms import submitted
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.invoices import services as invoice_services
from legalops.invoices.selectors import visible_invoices
from legalops.notifications.links import invoice_path
from legalops.vendors.models import LawFirm

approver_required = capability_required(Capability.APPROVE_INVOICES)
QUEUE_SORTS = {
    "waiting": "activated_at",
    "invoice": "invoice__invoice_number",
    "firm": "invoice__firm__name",
    "matter": "invoice__matter__number",
    "amount": "route__amount_minor",
    "level": "level",
}
DELEGATION_SORTS = {
    "starts": "starts_on",
    "ends": "ends_on",
    "delegator": "delegator__username",
    "delegate": "delegate__username",
}


def page(request: AuthedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    tabs = {
        "can_route": has_capability(request.user, Capability.MANAGE_ROUTING),
        "can_pay": has_capability(request.user, Capability.MANAGE_PAYABLES),
    }
    return render(request, template, {"active": "spend", **tabs, **context})


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@staff_required
@approver_required
def queue_view(request: AuthedRequest) -> HttpResponse:
    get, policy = request.GET, selectors.policy_get()
    overdue = get.get("overdue") == "1" and policy.remind_after_days
    tasks = selectors.approval_queue(
        user=request.user,
        everyone=get.get("scope") == "all",
        search=get.get("q", ""),
        firm_id=_int(get.get("firm", "")),
        overdue_days=policy.remind_after_days if overdue else None,
    )
    specs: list[tuple[str, str, str, Any]] = [
        ("q", "Search", "search", "invoice, matter or firm"),
        (
            "firm",
            "Firm",
            "select",
            list(LawFirm.objects.order_by("name").values_list("pk", "name")),
        ),
        ("overdue", "Waiting", "select", [("1", f"over {policy.remind_after_days} days")]),
    ]
    if request.user.role == Role.ADMIN:
        specs.append(("scope", "Whose", "select", [("all", "everyone's")]))
    context = {
        "listing": listing(request, tasks, sorts=QUEUE_SORTS, default="waiting"),
        "filters": filter_bar(request, specs),
        "tab": "queue",
    }
    return page(request, template_for(request, "approvals/queue.html"), context)


@staff_required
@approver_required
def task_view(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(selectors.tasks_visible(request.user), pk=pk)
    invoice = task.invoice
    context = {
        "task": task,
        "invoice": invoice,
        "invoice_url": invoice_path(invoice),
        "routes": selectors.routes_of(invoice),
        "current": selectors.current_task(invoice),
        "may_act": selectors.actionable_task(request.user, invoice) is not None,
        "approve_form": ApproveForm(),
        "send_back_form": SendBackForm(),
        "reject_form": RejectForm(),
        "tab": "queue",
    }
    return page(request, "approvals/task.html", context)


def _back(request: AuthedRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("approvals:queue")


@require_POST
@staff_required
@approver_required
def decide_view(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """Approve, send back or reject the step the user may act on (from the decision page, the
    invoice page's panel or the queue)."""
    invoice = get_object_or_404(visible_invoices(request.user), pk=pk)
    forms = {"approve": ApproveForm, "send-back": SendBackForm, "reject": RejectForm}
    if action not in forms:
        raise Http404
    form = forms[action](request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, "; ".join(str(e) for e in errors))
        return _back(request)
    try:
        _decide(request, invoice, action, form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        messages.error(request, f"Invoice {invoice.invoice_number}: {text}")
    return _back(request)


def _decide(request: AuthedRequest, invoice: Any, action: str, data: dict[str, Any]) -> None:
    user, number = request.user, invoice.invoice_number
    if action == "approve":
        invoice = invoice_services.invoice_approve(
            actor=user, invoice=invoice, comment=data["comment"]
        )
        done = "approved" if invoice.state != "pending_approval" else "approved your level of"
        messages.success(request, f"You {done} invoice {number}.")
    elif action == "send-back":
        services.approval_send_back(actor=user, invoice=invoice, comment=data["comment"])
        messages.success(request, f"Invoice {number} went back to review.")
    else:
        invoice_services.invoice_reject(
            actor=user, invoice=invoice, reason_code=data["reason_code"], comment=data["comment"]
        )
        messages.success(request, f"Invoice {number} was rejected; the firm is told why.")


@require_POST
@staff_required
@approver_required
def bulk_approve_view(request: AuthedRequest) -> HttpResponse:
    ids = [int(v) for v in request.POST.getlist("invoice") if v.isdigit()]
    invoices = list(visible_invoices(request.user).filter(pk__in=ids).order_by("pk"))
    if not invoices:
        messages.error(request, "Tick the invoices to approve first.")
        return redirect("approvals:queue")
    result = services.approvals_bulk(
        actor=request.user, invoices=invoices, comment=request.POST.get("comment", "")
    )
    if result.approved:
        messages.success(request, f"Approved your level of {len(result.approved)} invoice(s).")
    for invoice, reason in result.refused:
        messages.error(request, f"Invoice {invoice.invoice_number}: {reason}")
    return redirect("approvals:queue")


@staff_required
@approver_required
def delegation_list_view(request: AuthedRequest) -> HttpResponse:
    user, admin = request.user, request.user.role == Role.ADMIN
    form = DelegationForm(request.POST or None, admin=admin)

    def create(data: dict[str, Any]) -> Delegation:
        return services.delegation_create(
            actor=user,
            delegator=data.get("delegator") or user,
            delegate=data["delegate"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            comment=data["comment"],
        )

    if submitted(request, form, create):
        messages.success(request, "Delegation saved.")
        return redirect("approvals:delegations")
    rows = selectors.delegation_list(user=user, current=request.GET.get("current", ""))
    context = {
        "form": form,
        "listing": listing(request, rows, sorts=DELEGATION_SORTS, default="-starts"),
        "filters": filter_bar(
            request,
            [
                (
                    "current",
                    "When",
                    "select",
                    [("running", "running now"), ("upcoming", "upcoming"), ("past", "ended")],
                )
            ],
        ),
        "tab": "delegations",
    }
    return page(request, template_for(request, "approvals/delegations.html"), context)


@require_POST
@staff_required
@approver_required
def delegation_revoke_view(request: AuthedRequest, pk: int) -> HttpResponse:
    delegation = get_object_or_404(selectors.delegation_list(user=request.user), pk=pk)
    try:
        services.delegation_revoke(actor=request.user, delegation=delegation)
        messages.success(request, "Delegation ended.")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("approvals:delegations")
