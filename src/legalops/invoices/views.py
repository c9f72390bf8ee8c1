"""The Spend pages of the staff application: the invoice work queues (all invoices and "my
review queue") with their counts per state and bulk actions, and legal ops' LEDES upload. The
reviewer's invoice page is in `views_invoice.py`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.invoices import bulk, selectors
from legalops.invoices.forms import BulkForm, UploadForm
from legalops.invoices.intake import MAX_BYTES, IntakeReport, invoice_intake
from legalops.invoices.models import GuidelinesVersion, Source, State
from legalops.matters.selectors import matter_list
from legalops.organization.selectors import business_unit_list
from legalops.vendors.selectors import law_firm_list

SORTS = {
    "received": "received_at",
    "date": "invoice_date",
    "number": "invoice_number",
    "firm": "firm__name",
    "matter": "matter__number",
    "billed": "billed_minor",
    "approved": "approved_minor",
    "flags": "flag_count",
    "state": "state",
}
FLAG_CHOICES = [("flagged", "Flagged"), ("clean", "No flags"), ("holds", "Open holds")]
view_invoices = capability_required(Capability.VIEW_INVOICES)


def page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"active": "spend", **context})


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> dict[str, Any]:
    get = request.GET
    return {
        "search": get.get("q", "").strip(),
        "firm_id": _int(get.get("firm", "")),
        "matter_id": _int(get.get("matter", "")),
        "business_unit_id": _int(get.get("unit", "")),
        "date_from": _date(get.get("from", "")),
        "date_to": _date(get.get("to", "")),
        "flags": get.get("flags", ""),
    }


def _filter_bar(request: AuthedRequest) -> list[dict[str, Any]]:
    firms = law_firm_list(user=request.user).order_by("name").values_list("pk", "name")
    return filter_bar(
        request,
        [
            ("q", "Search", "search", "number, matter or firm"),
            ("state", "State", "select", State.choices),
            ("firm", "Firm", "select", list(firms)),
            ("unit", "Business unit", "select", business_unit_list().values_list("pk", "name")),
            ("flags", "Flags", "select", FLAG_CHOICES),
            ("from", "Invoice date from", "date", ""),
            ("to", "to", "date", ""),
        ],
    )


def _queue_context(request: AuthedRequest, *, queue: bool) -> dict[str, Any]:
    user, filters = request.user, _filters(request)
    state = request.GET.get("state", "")
    invoices = selectors.invoice_list(user=user, queue=queue, state=state, **filters)
    counts = selectors.state_counts(selectors.invoice_list(user=user, queue=queue, **filters))
    table = listing(request, invoices, sorts=SORTS, default="-received")
    return {
        "listing": table,
        "filters": _filter_bar(request),
        "all_states": table.query(state="", page=1),
        "counts": [
            (s.value, s.label, counts[s.value], table.query(state=s.value, page=1))
            for s in State
            if counts.get(s.value)
        ],
        "total": sum(counts.values()),
        "state": state,
        "queue": queue,
        "can_review": has_capability(user, Capability.REVIEW_INVOICES),
        "can_upload": has_capability(user, Capability.INTAKE_INVOICES),
        "bulk_actions": [(key, spec[0]) for key, spec in bulk.ACTIONS.items()],
        "matter": _matter_filter(request),
    }


def _matter_filter(request: AuthedRequest) -> Any:
    """The matter a link from a matter page filters on (shown, removable)."""
    matter_id = _int(request.GET.get("matter", ""))
    if matter_id is None:
        return None
    return matter_list(user=request.user).filter(pk=matter_id).first()


@staff_required
@view_invoices
def invoice_list_view(request: AuthedRequest) -> HttpResponse:
    context = _queue_context(request, queue=False)
    return page(request, template_for(request, "invoices/invoice_list.html"), context)


@staff_required
@view_invoices
def review_queue_view(request: AuthedRequest) -> HttpResponse:
    context = _queue_context(request, queue=True)
    return page(request, template_for(request, "invoices/invoice_list.html"), context)


@require_POST
@staff_required
@view_invoices
def bulk_view(request: AuthedRequest) -> HttpResponse:
    """Runs one action on the selected invoices, each through its service, and shows what
    happened to each."""
    form = BulkForm(request.POST)
    results, error = [], ""
    if form.is_valid():
        data = form.cleaned_data
        chosen = selectors.visible_invoices(request.user).filter(pk__in=data["invoice"])
        by_pk = {inv.pk: inv for inv in chosen.select_related("firm", "matter")}
        ordered = [by_pk[pk] for pk in data["invoice"] if pk in by_pk]
        try:
            results = bulk.invoice_bulk(
                actor=request.user, action=data["action"], invoices=ordered, comment=data["comment"]
            )
        except ValidationError as exc:  # the action as a whole was refused: nothing was done
            error = " ".join(exc.messages)
    else:
        error = "Choose an action and at least one invoice."
    label = bulk.ACTIONS.get(request.POST.get("action", ""), ("",))[0]
    context = {
        "results": results,
        "error": error,
        "label": label,
        "back": request.POST.get("back", ""),
        "done": sum(1 for r in results if r.ok),
    }
    return page(request, "invoices/bulk_result.html", context)


@staff_required
@capability_required(Capability.INTAKE_INVOICES)
def upload_view(request: AuthedRequest) -> HttpResponse:
    """Legal ops receives LEDES files (any number at once); each file's report says what
    happened to each invoice in it."""
    form = UploadForm(request.POST or None, request.FILES or None)
    reports: list[IntakeReport] = []
    if request.method == "POST" and form.is_valid():
        for upload in form.cleaned_data["ledes_files"]:
            reports.append(_receive(request, upload, form.cleaned_data["create_missing"]))
    return page(request, "invoices/upload.html", {"form": form, "reports": reports})


def _receive(request: AuthedRequest, upload: Any, create_missing: bool) -> IntakeReport:
    name = upload.name or "upload"
    if upload.size > MAX_BYTES:
        message = f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB"
        return IntakeReport(name, None, [{"line": None, "field": None, "message": message}])
    return invoice_intake(
        actor=request.user,
        data=upload.read(),
        filename=name,
        source=Source.UPLOAD,
        create_missing=create_missing,
    )


@staff_required
@view_invoices
def guidelines_source_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The guidelines file a review ran with, as stored (TOML), for anyone who reviews or
    approves invoices: the flags' rule ids and parameters are in it."""
    version = get_object_or_404(GuidelinesVersion, pk=pk)
    if version.status != GuidelinesVersion.Status.PUBLISHED and not has_capability(
        request.user, Capability.MANAGE_GUIDELINES
    ):
        raise Http404
    response = HttpResponse(version.source, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="guidelines-{version.version}.toml"'
    return response
