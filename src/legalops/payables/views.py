"""Finance's pages: approved invoices waiting for AP and the batches that send them, each
batch's file (CSV or Excel, downloadable again), payments, the export layout and the firms'
vendor numbers. Finance and legal ops only (MANAGE_PAYABLES)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability
from legalops.approvals.views import page
from legalops.core.forms import add_service_errors
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.money import MoneyError, to_minor
from legalops.core.typing import AuthedRequest
from legalops.payables import export, selectors, services
from legalops.payables.forms import LayoutForm, PaymentForm
from legalops.payables.models import PaymentSource
from legalops.vendors.models import LawFirm

finance_required = capability_required(Capability.MANAGE_PAYABLES)
READY_SORTS = {
    "approved": "decided_at",
    "invoice": "invoice_number",
    "firm": "firm__name",
    "amount": "approved_minor",
}
BATCH_SORTS = {"created": "created_at", "number": "number", "invoices": "invoice_count"}
PAYMENT_SORTS = {"paid": "paid_on", "invoice": "invoice__invoice_number", "amount": "amount_minor"}
VENDOR_SORTS = {"name": "name", "id": "law_firm_id", "number": "ap_account__vendor_number"}


def _firms() -> list[tuple[int, str]]:
    return list(LawFirm.objects.order_by("name").values_list("pk", "name"))


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _page(request: AuthedRequest, template: str, context: dict[str, Any], sub: str) -> HttpResponse:
    return page(request, template, {"tab": "payables", "sub": sub, **context})


@staff_required
@finance_required
def home_view(request: AuthedRequest) -> HttpResponse:
    get = request.GET
    ready = selectors.ready_invoices(
        user=request.user, search=get.get("q", ""), firm_id=_int(get.get("firm", ""))
    )
    context = {
        "listing": listing(request, ready, sorts=READY_SORTS, default="approved"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "invoice, firm or matter"),
                ("firm", "Firm", "select", _firms()),
            ],
        ),
        "supplementals": selectors.pending_supplementals(user=request.user),
        "layout": selectors.layout_get(),
    }
    return _page(request, template_for(request, "payables/home.html"), context, "ready")


@require_POST
@staff_required
@finance_required
def batch_create_view(request: AuthedRequest) -> HttpResponse:
    chosen = None
    if request.POST.get("scope") != "all":
        chosen = [int(v) for v in request.POST.getlist("invoice") if v.isdigit()]
        if not chosen and not request.POST.get("supplementals"):
            messages.error(request, "Tick the invoices to export, or export all.")
            return redirect("payables:home")
    try:
        batch = services.ap_batch_create(
            actor=request.user,
            invoice_ids=chosen,
            with_supplementals=request.POST.get("scope") == "all"
            or bool(request.POST.get("supplementals")),
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect("payables:home")
    messages.success(
        request,
        f"Batch {batch.number}: {batch.invoice_count} invoice(s) and "
        f"{batch.supplemental_count} supplemental line(s) sent to AP.",
    )
    return redirect("payables:batch", pk=batch.pk)


@staff_required
@finance_required
def batch_list_view(request: AuthedRequest) -> HttpResponse:
    rows = selectors.batch_list(user=request.user, search=request.GET.get("q", ""))
    context = {
        "listing": listing(request, rows, sorts=BATCH_SORTS, default="-created"),
        "filters": filter_bar(request, [("q", "Search", "search", "batch or invoice number")]),
    }
    return _page(request, template_for(request, "payables/batch_list.html"), context, "batches")


@staff_required
@finance_required
def batch_view(request: AuthedRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(selectors.batch_list(user=request.user), pk=pk)
    context = {"batch": batch, "lines": selectors.batch_lines(batch)}
    return _page(request, "payables/batch.html", context, "batches")


@staff_required
@finance_required
def batch_download_view(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    batch = get_object_or_404(selectors.batch_list(user=request.user), pk=pk)
    if fmt == "csv":
        body, kind = export.batch_csv(batch), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body = export.batch_xlsx(batch)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{batch.number}.{fmt}"'
    return response


@staff_required
@finance_required
def payment_list_view(request: AuthedRequest) -> HttpResponse:
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            payment = _record(request, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Payment on {payment.invoice.invoice_number} recorded.")
            return redirect("payables:payments")
    get = request.GET
    rows = selectors.payment_list(
        user=request.user, search=get.get("q", ""), firm_id=_int(get.get("firm", ""))
    )
    context = {
        "form": form,
        "listing": listing(request, rows, sorts=PAYMENT_SORTS, default="-paid"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "invoice or reference"),
                ("firm", "Firm", "select", _firms()),
            ],
        ),
    }
    return _page(request, template_for(request, "payables/payments.html"), context, "payments")


def _record(request: AuthedRequest, data: dict[str, Any]) -> Any:
    invoice = (
        selectors.finance_invoices(request.user)
        .filter(firm__law_firm_id=data["law_firm_id"], invoice_number=data["invoice_number"])
        .first()
    )
    if invoice is None:
        raise ValidationError({"invoice_number": "no such invoice of that firm"})
    try:
        amount = None if data["amount"] is None else to_minor(data["amount"], invoice.currency)
    except MoneyError as exc:
        raise ValidationError({"amount": str(exc)}) from None
    return services.payment_record(
        actor=request.user,
        invoice=invoice,
        paid_on=data["paid_date"],
        amount_minor=amount,
        source=PaymentSource.MANUAL,
        reference=data["reference"],
    )


@staff_required
@finance_required
def layout_view(request: AuthedRequest) -> HttpResponse:
    layout = selectors.layout_get()
    form = LayoutForm(
        request.POST or None, columns=layout.columns, initial={"date_format": layout.date_format}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ap_layout_set(
                actor=request.user,
                columns=form.columns(),
                date_format=form.cleaned_data["date_format"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Export layout saved; it applies to the next batch.")
            return redirect("payables:layout")
    return _page(request, "payables/layout.html", {"form": form, "layout": layout}, "layout")


@staff_required
@finance_required
def vendor_list_view(request: AuthedRequest) -> HttpResponse:
    firms = LawFirm.objects.select_related("ap_account")
    search = request.GET.get("q", "")
    if search:
        firms = firms.filter(name__icontains=search) | firms.filter(law_firm_id__icontains=search)
    context = {
        "listing": listing(request, firms, sorts=VENDOR_SORTS, default="name"),
        "filters": filter_bar(request, [("q", "Search", "search", "firm name or id")]),
    }
    return _page(request, template_for(request, "payables/vendors.html"), context, "vendors")


@require_POST
@staff_required
@finance_required
def vendor_set_view(request: AuthedRequest, pk: int) -> HttpResponse:
    firm = get_object_or_404(LawFirm, pk=pk)
    try:
        services.vendor_number_set(
            actor=request.user, firm=firm, vendor_number=request.POST.get("vendor_number", "")
        )
        messages.success(request, f"Vendor number of {firm.name} saved.")
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("payables:vendors")
