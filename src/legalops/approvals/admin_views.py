"""Legal ops' pages for approval routing: the ordered rules, a rule's conditions and levels,
testing rules against a real invoice, and the policy (auto-approval, reminders, escalation)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability
from legalops.approvals import selectors, services
from legalops.approvals.forms import PolicyForm, RuleForm, StepFormSet, rule_spec, step_initial
from legalops.approvals.models import RoutingRule
from legalops.approvals.views import page
from legalops.core.forms import add_service_errors
from legalops.core.money import from_minor
from legalops.core.typing import AuthedRequest
from legalops.invoices.models import Invoice
from legalops.invoices.selectors import visible_invoices
from legalops.organization.selectors import company_get

routing_required = capability_required(Capability.MANAGE_ROUTING)


@staff_required
@routing_required
def rule_list_view(request: AuthedRequest) -> HttpResponse:
    rules = RoutingRule.objects.prefetch_related(
        "steps__user", "business_units", "practice_areas", "firms"
    )
    context = {
        "rules": rules,
        "currency": company_get().reporting_currency,
        "policy": selectors.policy_get(),
        "tab": "rules",
    }
    return page(request, "approvals/rule_list.html", context)


@staff_required
@routing_required
def rule_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk) if pk else None
    code = company_get().reporting_currency
    initial = RuleForm.initial_for(rule, code) if rule else {"is_active": True}
    form = RuleForm(request.POST or None, initial=initial)
    steps = StepFormSet(request.POST or None, initial=step_initial(rule, code), prefix="level")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        try:
            saved = services.routing_rule_save(
                actor=request.user, rule=rule, spec=rule_spec(form, steps)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Rule “{saved.name}” saved.")
            return redirect("approvals:rules")
    context = {"form": form, "steps": steps, "rule": rule, "currency": code, "tab": "rules"}
    return page(request, "approvals/rule_edit.html", context)


@require_POST
@staff_required
@routing_required
def rule_move_view(request: AuthedRequest, pk: int, direction: str) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    services.routing_rule_move(actor=request.user, rule=rule, up=direction == "up")
    return redirect("approvals:rules")


@require_POST
@staff_required
@routing_required
def rule_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(RoutingRule, pk=pk)
    services.routing_rule_delete(actor=request.user, rule=rule)
    messages.success(request, f"Rule “{rule.name}” deleted.")
    return redirect("approvals:rules")


def _find_invoice(request: AuthedRequest) -> tuple[Invoice | None, str]:
    """The invoice to test against: `?invoice=` is an invoice number (or #id)."""
    wanted = request.GET.get("invoice", "").strip()
    if not wanted:
        return None, ""
    invoices = visible_invoices(request.user).select_related("firm", "matter")
    if wanted.startswith("#") and wanted[1:].isdigit():
        found = invoices.filter(pk=int(wanted[1:])).first()
    else:
        found = invoices.filter(invoice_number=wanted).order_by("-received_at").first()
    return found, "" if found else f"no invoice {wanted!r}"


@staff_required
@routing_required
def rule_test_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    """Which rule routes an invoice and why, condition by condition, and the chain it would
    get now; with a rule chosen, that rule's verdict too. Nothing is written."""
    rule = get_object_or_404(RoutingRule, pk=pk) if pk else None
    invoice, problem = _find_invoice(request)
    context: dict[str, Any] = {"rule": rule, "invoice": invoice, "problem": problem, "tab": "rules"}
    if invoice is not None:
        try:
            context.update(_verdicts(invoice, rule))
        except ValidationError as exc:
            context["problem"] = "; ".join(exc.messages)
    return page(request, "approvals/rule_test.html", context)


def _verdicts(invoice: Invoice, rule: RoutingRule | None) -> dict[str, Any]:
    amount = selectors.reporting_amount(invoice)
    policy = selectors.policy_get()
    rows = []
    for candidate in selectors.active_rules():
        checks = selectors.rule_checks(candidate, invoice, amount)
        rows.append({"rule": candidate, "checks": checks, "ok": all(c.ok for c in checks)})
    context: dict[str, Any] = {
        "amount": amount,
        "rows": rows,
        "chain": selectors.route_preview_at(invoice, amount),
        "auto": selectors.auto_approvable(invoice, amount, policy),
        "clean": selectors.is_clean(invoice),
    }
    if rule is not None:
        context["rule_checks"] = selectors.rule_checks(rule, invoice, amount)
        context["rule_ok"] = all(c.ok for c in context["rule_checks"])
        context["rule_chain"] = selectors.chain_for(rule, invoice, amount)
    return context


@staff_required
@routing_required
def policy_view(request: AuthedRequest) -> HttpResponse:
    policy, code = selectors.policy_get(), company_get().reporting_currency
    below = policy.auto_approve_below_minor
    form = PolicyForm(
        request.POST or None,
        initial={
            "auto_approve_below": None if below is None else from_minor(below, code),
            "remind_after_days": policy.remind_after_days,
            "escalate_after_days": policy.escalate_after_days,
            "escalation_user": policy.escalation_user,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.approval_policy_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Approval settings saved.")
            return redirect("approvals:rules")
    return page(request, "approvals/policy.html", {"form": form, "currency": code, "tab": "rules"})
