"""`{% load payables %}{% payables_panel invoice %}`: where the invoice stands with AP (batches,
supplemental lines, payments, what is outstanding). Finance and legal ops only."""

from __future__ import annotations

from typing import Any

from django import template

from legalops.accounts.permissions import Capability, has_capability
from legalops.invoices.models import Invoice
from legalops.payables import selectors

register = template.Library()


@register.inclusion_tag("payables/_panel.html", takes_context=True)
def payables_panel(context: Any, invoice: Invoice) -> dict[str, Any]:
    user = context["request"].user
    if not user.is_authenticated or not has_capability(user, Capability.MANAGE_PAYABLES):
        return {"show": False}
    return {
        "show": True,
        "invoice": invoice,
        "lines": invoice.ap_lines.select_related("batch").order_by("batch__created_at", "pk"),
        "waiting": invoice.ap_supplementals.filter(batch_line__isnull=True),
        "payments": invoice.payments.order_by("paid_on", "pk"),
        "outstanding": selectors.outstanding_minor(invoice),
    }
