"""Law firm pages of the staff application."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.forms import add_service_errors
from legalops.core.htmx import template_for
from legalops.core.listing import listing
from legalops.core.typing import AuthedRequest
from legalops.vendors import selectors, services
from legalops.vendors.forms import LawFirmForm
from legalops.vendors.models import PanelStatus

SORTS = {"name": "name", "id": "law_firm_id", "status": "status", "currency": "currency"}


@staff_required
def firm_list_view(request: AuthedRequest) -> HttpResponse:
    firms = selectors.law_firm_list(
        user=request.user,
        search=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
    )
    context = {
        "listing": listing(request, firms, sorts=SORTS, default="name"),
        "statuses": PanelStatus.choices,
        "active": "vendors",
        "can_manage": has_capability(request.user, Capability.MANAGE_FIRMS),
    }
    template = template_for(request, "vendors/firm_list.html")
    return render(request, template, context)


@staff_required
def firm_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    return render(
        request,
        "vendors/firm_detail.html",
        {
            "firm": firm,
            "users": firm.users.order_by("username"),
            "active": "vendors",
            "can_manage": has_capability(request.user, Capability.MANAGE_FIRMS),
        },
    )


@capability_required(Capability.MANAGE_FIRMS)
def firm_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk) if pk else None
    form = LawFirmForm(
        request.POST or None, initial=LawFirmForm.initial_from(firm) if firm else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            if firm is None:
                firm = services.law_firm_create(actor=request.user, **form.cleaned_data)
            else:
                services.law_firm_update(actor=request.user, firm=firm, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{firm.name} saved.")
            return redirect("vendors:firm_detail", pk=firm.pk)
    return render(
        request, "vendors/firm_edit.html", {"form": form, "firm": firm, "active": "vendors"}
    )
