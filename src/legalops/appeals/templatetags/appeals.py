"""`{% load appeals %}{% appeal_panel invoice %}`: the invoice page's appeals panel. A firm user
sees until when the firm may appeal and a link to do it; staff see the appeals and a link to
decide them."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from legalops.accounts.models import Role
from legalops.appeals import selectors
from legalops.invoices.models import Invoice

register = template.Library()


@register.inclusion_tag("appeals/_panel.html", takes_context=True)
def appeal_panel(context: Any, invoice: Invoice) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated:
        return {"show": False}
    allowed, why = selectors.can_appeal(invoice, timezone.localdate())
    return {
        "show": True,
        "firm_user": user.role == Role.FIRM,
        "invoice": invoice,
        "appeals": invoice.appeals.prefetch_related("items__line").order_by("-filed_at"),
        "deadline": selectors.appeal_deadline(invoice),
        "allowed": allowed,
        "why": why,
    }
