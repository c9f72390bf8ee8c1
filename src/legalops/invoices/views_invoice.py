"""The reviewer's workspace: one invoice with its lines (paged), their flags and adjustments,
rule filters, every decision, the lifecycle actions and the history.

Decisions on a line answer htmx with the line re-rendered plus the totals and rule chips
swapped out-of-band, so billed / adjusted / approved change on the page as the reviewer
works; without JavaScript the same forms post and come back to the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import staff_required
from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.typing import AuthedRequest
from legalops.invoices import services, workflow, workspace
from legalops.invoices.downloads import attachment_file, file_response, invoice_file
from legalops.invoices.forms import AdjustmentForm, FlagDecisionForm, RejectForm
from legalops.invoices.models import Adjustment, Flag, Invoice, InvoiceLine, State
from legalops.invoices.panels import panels_for
from legalops.invoices.selectors import visible_invoices
from legalops.invoices.views import view_invoices

DECIDABLE = (*workflow.REVIEWABLE, State.PENDING_APPROVAL)


def _invoice(request: AuthedRequest, pk: int) -> Invoice:
    invoices = visible_invoices(request.user).select_related(
        "firm", "matter", "guidelines", "file", "attachment", "resubmission_of"
    )
    return get_object_or_404(invoices, pk=pk)


def _line_params(request: AuthedRequest) -> dict[str, Any]:
    get = request.GET
    show = get.get("show", "all")
    return {
        "rule": get.get("rule", ""),
        "show": show if show in workspace.SHOW else "all",
        "page": get.get("page", 1),
        "size": int(get["size"]) if get.get("size", "").isdigit() else 50,
    }


def _common(request: AuthedRequest, invoice: Invoice) -> dict[str, Any]:
    """What the totals, the chips and the line rows need."""
    reviewer = workflow.can_review(request.user, invoice)
    return {
        "invoice": invoice,
        "reviewer": reviewer,
        "can_decide": reviewer and invoice.state in DECIDABLE,
        "chips": workspace.rule_chips(invoice),
        # Rendered once: every flag and line of the page repeats this list in its form.
        "reason_options": format_html_join(
            "", '<option value="{}">{}</option>', workspace.reason_codes()
        ),
        "params": _line_params(request),
    }


@staff_required
@view_invoices
def invoice_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    context = _common(request, invoice)
    context["lines"] = workspace.invoice_lines_page(invoice, **context["params"])
    if request.htmx and request.htmx.target == "lines":
        return render(request, "invoices/invoice_detail.html#lines", context)
    context.update(
        {
            "active": "spend",
            "invoice_flags": workspace.invoice_level_flags(invoice),
            "history": workspace.invoice_history(invoice),
            "panels": panels_for(request.user, invoice, "staff"),
            "shows": workspace.SHOW,
            "actions": _actions(invoice, context["reviewer"], request.user),
            "reject_form": RejectForm(),
        }
    )
    return render(request, "invoices/invoice_detail.html", context)


def _actions(invoice: Invoice, reviewer: bool, user: User) -> dict[str, bool]:
    """Which lifecycle buttons to show (the services decide again when pressed)."""
    state = invoice.state
    allowed = workflow.ALLOWED[state]
    return {
        "start": reviewer and state == State.RECEIVED,
        "hold": reviewer and State.ON_HOLD in allowed,
        "release": reviewer and state == State.ON_HOLD,
        "rereview": reviewer and state in workflow.REVIEWABLE,
        "submit": reviewer and state in (State.IN_REVIEW, State.ON_HOLD),
        "reject": reviewer and State.REJECTED in allowed and state != State.PENDING_APPROVAL,
        "void": has_capability(user, Capability.INTAKE_INVOICES) and State.VOIDED in allowed,
    }


# --- Decisions (htmx or plain POST) -----------------------------------------------------------


def _visible_flag(request: AuthedRequest, pk: int) -> Flag:
    flags = Flag.objects.filter(invoice__in=visible_invoices(request.user))
    return get_object_or_404(flags.select_related("invoice", "line"), pk=pk)


def _answer(
    request: AuthedRequest, invoice: Invoice, line: InvoiceLine | None, error: str = ""
) -> HttpResponse:
    """htmx: the line (or the invoice-level flags) again, with the totals and chips
    out-of-band. Plain POST: back to the page, the error as a message."""
    invoice.refresh_from_db()
    if not request.htmx:
        if error:
            messages.error(request, error)
        anchor = f"#line-{line.pk}" if line else "#invoice-flags"
        return redirect(reverse("invoices:invoice_detail", args=[invoice.pk]) + anchor)
    context = _common(request, invoice)
    context["error"] = error
    if line is None:
        context["invoice_flags"] = workspace.invoice_level_flags(invoice)
        return render(request, "invoices/_decided_invoice.html", context)
    context["line"] = workspace.invoice_line(invoice, line.pk)
    return render(request, "invoices/_decided_line.html", context)


def _run(action: Any) -> str:
    """Runs a service; the refusal's text, or "" when it went through."""
    try:
        action()
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def _form_error(form: Any) -> str:
    return "; ".join(
        f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v) for k, v in form.errors.items()
    )


@require_POST
@staff_required
def flag_decide_view(request: AuthedRequest, pk: int) -> HttpResponse:
    flag = _visible_flag(request, pk)
    form = FlagDecisionForm(request.POST)
    if not form.is_valid():
        return _answer(request, flag.invoice, flag.line, _form_error(form))
    data = form.cleaned_data
    error = _run(
        lambda: services.flag_decide(
            actor=request.user,
            flag=flag,
            accept=data["decision"] == "accept",
            reason_code=data["reason_code"],
            comment=data["comment"],
        )
    )
    return _answer(request, flag.invoice, flag.line, error)


@require_POST
@staff_required
def adjustment_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    lines = InvoiceLine.objects.filter(invoice__in=visible_invoices(request.user))
    line = get_object_or_404(lines.select_related("invoice"), pk=pk)
    form = AdjustmentForm(request.POST)
    if not form.is_valid():
        return _answer(request, line.invoice, line, _form_error(form))
    data = form.cleaned_data
    error = _run(
        lambda: services.adjustment_add(
            actor=request.user,
            line=line,
            approved=data["approved"],
            reason_code=data["reason_code"],
            comment=data["comment"],
        )
    )
    return _answer(request, line.invoice, line, error)


@require_POST
@staff_required
def adjustment_withdraw_view(request: AuthedRequest, pk: int) -> HttpResponse:
    adjustments = Adjustment.objects.filter(invoice__in=visible_invoices(request.user))
    adjustment = get_object_or_404(adjustments.select_related("invoice", "line"), pk=pk)
    comment = request.POST.get("comment", "")
    error = _run(
        lambda: services.adjustment_withdraw(
            actor=request.user, adjustment=adjustment, comment=comment
        )
    )
    return _answer(request, adjustment.invoice, adjustment.line, error)


# --- Lifecycle ---------------------------------------------------------------------------------


def _lifecycle(request: AuthedRequest, invoice: Invoice, action: str) -> tuple[Any, str]:
    actor, post = request.user, request.POST
    comment = post.get("comment", "").strip()
    if action == "reject":
        form = RejectForm(post)
        if not form.is_valid():
            raise ValidationError(_form_error(form))
        data = form.cleaned_data
        return (
            lambda: services.invoice_reject(
                actor=actor,
                invoice=invoice,
                reason_code=data["reason_code"],
                comment=data["comment"],
            ),
            "Rejected; the firm sees the reason.",
        )
    handlers: dict[str, tuple[Any, str]] = {
        "start": (
            lambda: services.invoice_start_review(actor=actor, invoice=invoice),
            "In review.",
        ),
        "hold": (
            lambda: services.invoice_hold(actor=actor, invoice=invoice, comment=comment),
            "On hold.",
        ),
        "release": (
            lambda: services.invoice_release(actor=actor, invoice=invoice, comment=comment),
            "Released: back in review.",
        ),
        "rereview": (
            lambda: services.invoice_rereview(actor=actor, invoice=invoice),
            "Reviewed again with the guidelines in force; earlier decisions were reset.",
        ),
        "submit": (
            lambda: services.invoice_submit_for_approval(
                actor=actor, invoice=invoice, comment=comment
            ),
            "Submitted for approval.",
        ),
        "void": (
            lambda: services.invoice_void(actor=actor, invoice=invoice, comment=comment),
            "Voided.",
        ),
    }
    if action not in handlers:
        raise ValidationError(f"unknown action {action!r}")
    return handlers[action]


@require_POST
@staff_required
def invoice_action_view(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    invoice = _invoice(request, pk)
    try:
        run, done = _lifecycle(request, invoice, action)
        run()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("invoices:invoice_detail", pk=invoice.pk)


# --- Files ------------------------------------------------------------------------------------


@staff_required
@view_invoices
def file_view(request: AuthedRequest, pk: int, which: str) -> HttpResponse:
    return file_response(invoice_file(request.user, pk, which))


@staff_required
@view_invoices
def attachment_view(request: AuthedRequest, pk: int, attachment: int) -> HttpResponse:
    return file_response(attachment_file(request.user, pk, attachment))
