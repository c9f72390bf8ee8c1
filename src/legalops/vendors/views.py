"""Law firm, timekeeper and evaluation pages of the staff application."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.forms import submitted
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.matters.selectors import matter_list
from legalops.vendors import selectors, services
from legalops.vendors.forms import (
    CLASSIFICATION_CHOICES,
    ContactForm,
    DocumentForm,
    EvaluationForm,
    LawFirmForm,
    TimekeeperForm,
)
from legalops.vendors.models import FirmContact, PanelStatus, VendorType

SORTS = {"name": "name", "id": "law_firm_id", "status": "status", "currency": "currency"}
manage_firms = capability_required(Capability.MANAGE_FIRMS)


def page(
    request: HttpRequest, template: str, context: dict[str, Any], tab: str = ""
) -> HttpResponse:
    return render(request, template, {"active": "vendors", "tab": tab, **context})


@staff_required
def firm_list_view(request: AuthedRequest) -> HttpResponse:
    firms = selectors.law_firm_list(
        user=request.user,
        search=request.GET.get("q", ""),
        status=request.GET.get("status", ""),
        vendor_type=request.GET.get("type", ""),
    )
    context = {
        "listing": listing(request, firms, sorts=SORTS, default="name"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "name or LAW_FIRM_ID"),
                ("status", "Panel status", "select", PanelStatus.choices),
                ("type", "Kind", "select", VendorType.choices),
            ],
        ),
        "can_manage": has_capability(request.user, Capability.MANAGE_FIRMS),
    }
    return page(request, template_for(request, "vendors/firm_list.html"), context, "firms")


@staff_required
def firm_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    user = request.user
    context = {
        "firm": firm,
        "users": firm.users.order_by("username"),
        "contacts": firm.contacts.all(),
        "documents": firm.documents.all(),
        "timekeeper_count": firm.timekeepers.filter(is_active=True).count(),
        "evaluations": selectors.evaluation_list(user=user, firm=firm)[:5],
        "matters": matter_list(user=user, firm_id=firm.pk).order_by("-opened_on")[:10],
        "requests": selectors.rate_request_list(user=user, firm=firm)[:5],
        "can_manage": has_capability(user, Capability.MANAGE_FIRMS),
        "can_evaluate": has_capability(user, Capability.EVALUATE_FIRMS),
        "contact_form": ContactForm(),
        "document_form": DocumentForm(),
    }
    return page(request, "vendors/firm_detail.html", context, "firms")


@manage_firms
def firm_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk) if pk else None
    form = LawFirmForm(
        request.POST or None, initial=LawFirmForm.initial_from(firm) if firm else None
    )
    saved = submitted(
        request,
        form,
        lambda data: (
            services.law_firm_update(actor=request.user, firm=firm, **data)
            if firm
            else services.law_firm_create(actor=request.user, **data)
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved.name} saved.")
        return redirect("vendors:firm_detail", pk=saved.pk)
    return page(request, "vendors/firm_edit.html", {"form": form, "firm": firm}, "firms")


@require_POST
@manage_firms
def contact_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.firm_contact_save(actor=request.user, firm=firm, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Contact saved.")
    else:
        messages.error(request, "The contact needs a name and a valid email.")
    return redirect("vendors:firm_detail", pk=firm.pk)


@require_POST
@manage_firms
def contact_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(FirmContact, pk=pk)
    services.firm_contact_delete(actor=request.user, contact=contact)
    messages.success(request, "Contact removed.")
    return redirect("vendors:firm_detail", pk=contact.firm_id)


@require_POST
@manage_firms
def document_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.firm_document_add(actor=request.user, firm=firm, **form.cleaned_data)
        messages.success(request, "Document added.")
    else:
        messages.error(request, "Choose a file to upload.")
    return redirect("vendors:firm_detail", pk=firm.pk)


TIMEKEEPER_SORTS = {
    "name": "name",
    "id": "timekeeper_id",
    "firm": "firm__name",
    "class": "classification",
    "bar": "bar_admission_year",
}


@staff_required
def timekeeper_list_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    firm_id = request.GET.get("firm", "")
    active = {"yes": True, "no": False}.get(request.GET.get("active", ""))
    keepers = selectors.timekeeper_list(
        user=user,
        firm=selectors.law_firm_list(user=user).filter(pk=firm_id).first()
        if firm_id.isdigit()
        else None,
        search=request.GET.get("q", ""),
        classification=request.GET.get("classification", ""),
        active=active,
    )
    firms = [(f.pk, f.name) for f in selectors.law_firm_list(user=user).only("pk", "name")]
    context = {
        "listing": listing(request, keepers, sorts=TIMEKEEPER_SORTS, default="name"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "name or TIMEKEEPER_ID"),
                ("firm", "Firm", "select", firms),
                ("classification", "Classification", "select", CLASSIFICATION_CHOICES),
                ("active", "Active", "select", [("yes", "Active"), ("no", "Inactive")]),
            ],
        ),
    }
    return page(
        request, template_for(request, "vendors/timekeeper_list.html"), context, "timekeepers"
    )


@staff_required
def timekeeper_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    keeper = get_object_or_404(selectors.timekeeper_list(user=request.user), pk=pk)
    can_manage = has_capability(request.user, Capability.MANAGE_FIRMS)
    form = TimekeeperForm(request.POST or None, initial=TimekeeperForm.initial_from(keeper))
    if (
        can_manage
        and submitted(
            request,
            form,
            lambda data: services.timekeeper_update(actor=request.user, timekeeper=keeper, **data),
        )
        is not None
    ):
        messages.success(request, f"{keeper.name} saved.")
        return redirect("vendors:timekeeper_detail", pk=keeper.pk)
    context = {
        "keeper": keeper,
        "rates": selectors.rate_list(user=request.user, timekeeper=keeper).order_by(
            "-effective_from"
        ),
        "form": form if can_manage else None,
    }
    return page(request, "vendors/timekeeper_detail.html", context, "timekeepers")


@capability_required(Capability.MANAGE_FIRMS)
def timekeeper_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    form = TimekeeperForm(request.POST or None, initial={"is_active": True})
    keeper = submitted(
        request,
        form,
        lambda data: services.timekeeper_create(actor=request.user, firm=firm, **data),
    )
    if keeper is not None:
        messages.success(request, f"{keeper.name} added.")
        return redirect("vendors:timekeeper_detail", pk=keeper.pk)
    return page(request, "vendors/timekeeper_new.html", {"form": form, "firm": firm}, "timekeepers")


EVALUATION_SORTS = {"when": "evaluated_at", "firm": "firm__name", "period": "period"}


@staff_required
def evaluation_list_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    firm_id = request.GET.get("firm", "")
    firm = (
        selectors.law_firm_list(user=user).filter(pk=firm_id).first() if firm_id.isdigit() else None
    )
    rows = selectors.evaluation_list(user=user, firm=firm, period=request.GET.get("period", ""))
    firms = [(f.pk, f.name) for f in selectors.law_firm_list(user=user).only("pk", "name")]
    context = {
        "listing": listing(request, rows, sorts=EVALUATION_SORTS, default="-when"),
        "filters": filter_bar(
            request,
            [("firm", "Firm", "select", firms), ("period", "Period", "search", "e.g. 2026")],
        ),
    }
    return page(
        request, template_for(request, "vendors/evaluation_list.html"), context, "evaluations"
    )


@capability_required(Capability.EVALUATE_FIRMS)
def evaluation_create_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(selectors.law_firm_list(user=request.user), pk=pk)
    matters = matter_list(user=request.user, firm_id=firm.pk)
    form = EvaluationForm(request.POST or None, matters=matters)
    if submitted(
        request, form, lambda data: services.firm_evaluate(actor=request.user, firm=firm, **data)
    ):
        messages.success(request, f"Evaluation of {firm.name} saved.")
        return redirect("vendors:firm_detail", pk=firm.pk)
    return page(request, "vendors/evaluation_new.html", {"form": form, "firm": firm}, "evaluations")
