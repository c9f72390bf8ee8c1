"""The audit trail page: filters, sorting and pagination, refreshed with htmx."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from legalops.accounts.decorators import capability_required
from legalops.accounts.permissions import Capability
from legalops.audit.forms import AuditFilterForm
from legalops.audit.selectors import audit_event_list, audit_target_types
from legalops.core.htmx import template_for
from legalops.core.listing import listing
from legalops.core.typing import AuthedRequest

SORTS = {
    "time": "occurred_at",
    "actor": "actor_name",
    "event": "event_type",
    "object": "target_type",
}


@capability_required(Capability.VIEW_AUDIT)
def audit_list_view(request: AuthedRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(
        user=request.user,
        event_type=filters.get("event_type", ""),
        actor=filters.get("actor", ""),
        target_type=filters.get("target_type", ""),
        search=filters.get("q", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        target_id=request.GET.get("target_id", ""),
    ).select_related("actor")
    context = {
        "form": form,
        "listing": listing(request, events, sorts=SORTS, default="-time"),
        "target_types": audit_target_types(),
        "active": "admin",
    }
    template = template_for(request, "audit/list.html")
    return render(request, template, context)
