"""`{% load approvals %}{% approval_panel invoice %}`: the invoice page's approval panel (the
chain of each route, and the decision forms for whoever may act on the pending level). Staff
only: it renders nothing for firm users."""

from __future__ import annotations

from typing import Any

from django import template

from legalops.accounts.models import Role
from legalops.approvals import selectors
from legalops.approvals.forms import ApproveForm, RejectForm, SendBackForm
from legalops.invoices.models import Invoice, State

register = template.Library()


@register.inclusion_tag("approvals/_panel.html", takes_context=True)
def approval_panel(context: Any, invoice: Invoice) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    if not user.is_authenticated or user.role == Role.FIRM:
        return {"show": False}
    current = selectors.current_task(invoice)
    return {
        "show": True,
        "invoice": invoice,
        "routes": selectors.routes_of(invoice),
        "current": current if invoice.state == State.PENDING_APPROVAL else None,
        "may_act": selectors.actionable_task(user, invoice) is not None,
        "approve_form": ApproveForm(),
        "send_back_form": SendBackForm(),
        "reject_form": RejectForm(),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
        "user": user,
    }
