"""Admin pages of the matters app (Admin pillar, MANAGE_ORGANIZATION): matter types and custom
matter fields."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability
from legalops.core.forms import submitted
from legalops.core.typing import AuthedRequest
from legalops.matters.custom_fields import field_list, matter_field_save
from legalops.matters.forms import MatterFieldForm, MatterTypeForm
from legalops.matters.models import Matter, MatterField, MatterTypeDef
from legalops.matters.types import matter_type_list, matter_type_save

manage = capability_required(Capability.MANAGE_ORGANIZATION)


@staff_required
@manage
def matter_types_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    editing = get_object_or_404(MatterTypeDef, pk=pk) if pk else None
    initial = (
        {
            "code": editing.code,
            "name": editing.name,
            "order": editing.order,
            "active": editing.active,
        }
        if editing
        else None
    )
    form = MatterTypeForm(request.POST or None, initial=initial)
    if editing:
        form.fields["code"].disabled = True
    saved = submitted(
        request,
        form,
        lambda data: matter_type_save(actor=request.user, matter_type=editing, **data),
    )
    if saved is not None:
        messages.success(request, f"Matter type {saved.name} saved.")
        return redirect("matters:types")
    used = dict(_matter_counts())
    rows = [(row, used.get(row.code, 0)) for row in matter_type_list()]
    context = {"active": "admin", "form": form, "editing": editing, "rows": rows}
    return render(request, "matters/matter_types.html", context)


def _matter_counts() -> list[tuple[str, int]]:
    from django.db.models import Count

    counts = Matter.objects.values("matter_type").annotate(n=Count("pk"))
    return [(row["matter_type"], row["n"]) for row in counts]


@staff_required
@manage
def matter_fields_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    editing = get_object_or_404(MatterField, pk=pk) if pk else None
    initial = None
    if editing:
        initial = {
            "key": editing.key,
            "label": editing.label,
            "kind": editing.kind,
            "choices": "; ".join(editing.choices),
            "matter_type": editing.matter_type,
            "required": editing.required,
            "order": editing.order,
            "active": editing.active,
        }
    form = MatterFieldForm(request.POST or None, initial=initial)
    if editing:
        form.fields["key"].disabled = True
    saved = submitted(
        request,
        form,
        lambda _: matter_field_save(actor=request.user, field=editing, **form.service_fields()),
    )
    if saved is not None:
        messages.success(request, f"Field {saved.label} saved.")
        return redirect("matters:fields")
    context = {
        "active": "admin",
        "form": form,
        "editing": editing,
        "rows": field_list(active_only=False),
    }
    return render(request, "matters/matter_fields.html", context)
