"""Matter pages of the staff application: list, detail, create/edit and the matter's parts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required, staff_required
from legalops.accounts.permissions import Capability, has_capability
from legalops.core.forms import submitted
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.matters import budgets, custom_fields, forecasts, selectors, services, spend
from legalops.matters.forms import (
    AssignForm,
    BudgetForm,
    DocumentForm,
    ForecastForm,
    KeyDateForm,
    MatterForm,
    NoteForm,
    StatusForm,
    TaskForm,
    TeamForm,
)
from legalops.matters.models import Matter, MatterStatus, MatterTask
from legalops.matters.types import matter_type_choices
from legalops.organization.selectors import business_unit_list, company_get, practice_area_list
from legalops.vendors.selectors import law_firm_list

SORTS = {
    "number": "number",
    "name": "name",
    "type": "matter_type",
    "status": "status",
    "opened": "opened_on",
    "lead": "lead_attorney__last_name",
}
view_matters = capability_required(Capability.VIEW_MATTERS)


def page(request: HttpRequest, template: str, context: dict[str, Any], tab: str) -> HttpResponse:
    return render(request, template, {"active": "matters", "tab": tab, **context})


def _visible(request: AuthedRequest, pk: int) -> Matter:
    return get_object_or_404(selectors.matter_list(user=request.user), pk=pk)


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@staff_required
@view_matters
def matter_list_view(request: AuthedRequest) -> HttpResponse:
    get = request.GET
    matters = selectors.matter_list(
        user=request.user,
        search=get.get("q", ""),
        firm_id=_int(get.get("firm", "")),
        status=get.get("status", ""),
        matter_type=get.get("type", ""),
        practice_area=_int(get.get("area", "")),
        business_unit=_int(get.get("unit", "")),
        lead_attorney=_int(get.get("lead", "")),
    )
    if get.get("mine"):
        matters = matters.filter(lead_attorney=request.user)
    firms = law_firm_list(user=request.user).values_list("pk", "name")
    context = {
        "listing": listing(request, matters, sorts=SORTS, default="-opened"),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "number or name"),
                ("status", "Status", "select", MatterStatus.choices),
                ("type", "Type", "select", matter_type_choices(inactive=True)),
                ("area", "Practice area", "select", practice_area_list().values_list("pk", "name")),
                ("unit", "Business unit", "select", business_unit_list().values_list("pk", "name")),
                ("firm", "Firm", "select", list(firms)),
                ("lead", "Lead", "select", list(_leads())),
            ],
        ),
        "can_create": has_capability(request.user, Capability.MANAGE_MATTERS),
    }
    return page(request, template_for(request, "matters/matter_list.html"), context, "matters")


def _leads() -> Any:
    from legalops.accounts.models import Role, User

    leads = User.objects.filter(role__in=(Role.ADMIN, Role.ATTORNEY), led_matters__isnull=False)
    return leads.distinct().order_by("username").values_list("pk", "username")


@staff_required
@view_matters
def matter_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    matter = _visible(request, pk)
    today = timezone.localdate()
    year = company_get().fiscal_year_of(today)
    can_manage = selectors.can_manage_matter(request.user, matter)
    matter_budgets = selectors.budget_list(user=request.user, matter=matter)
    context = {
        "matter": matter,
        "can_manage": can_manage,
        "assignments": matter.assignments.select_related("firm"),
        "team": matter.team.order_by("username"),
        "budgets": matter_budgets,
        "usage": budgets.budget_consumption(matter_budgets, until=today),
        "projection": forecasts.matter_projection(matter, fiscal_year=year, today=today),
        "fiscal_year": year,
        "method": forecasts.METHOD,
        "spend_known": spend.spend_known(),
        "accruals": matter.accruals.select_related("period", "firm").order_by("-period__month")[
            :12
        ],
        "forms": _detail_forms(matter) if can_manage else {},
        "custom_fields": custom_fields.display_rows(matter),
    }
    return page(request, "matters/matter_detail.html", context, "matters")


def _detail_forms(matter: Matter) -> dict[str, Any]:
    return {
        "status": StatusForm(initial={"status": matter.status}),
        "team": TeamForm(initial={"members": list(matter.team.all())}),
        "assign": AssignForm(),
        "key_date": KeyDateForm(),
        "task": TaskForm(),
        "note": NoteForm(),
        "document": DocumentForm(),
        "forecast": ForecastForm(),
        "budget": BudgetForm(
            matter=matter,
            firms=law_firm_list_for(matter),
            initial={"fiscal_year": company_get().fiscal_year_of(timezone.localdate())},
        ),
    }


def law_firm_list_for(matter: Matter) -> Any:
    from legalops.vendors.models import LawFirm

    return LawFirm.objects.filter(assignments__matter=matter)


@staff_required
@capability_required(Capability.MANAGE_MATTERS)
def matter_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    matter = _visible(request, pk) if pk else None
    if matter is not None and not selectors.can_manage_matter(request.user, matter):
        messages.error(request, "Only legal ops and the matter's team may edit it.")
        return redirect("matters:matter_detail", pk=matter.pk)
    initial = MatterForm.initial_from(matter) if matter else {"opened_on": timezone.localdate()}
    form = MatterForm(request.POST or None, initial=initial)
    saved = submitted(
        request,
        form,
        lambda _: (
            services.matter_update(actor=request.user, matter=matter, **form.service_fields())
            if matter
            else services.matter_create(actor=request.user, **form.service_fields())
        ),
    )
    if saved is not None:
        messages.success(request, f"{saved} saved.")
        return redirect("matters:matter_detail", pk=saved.pk)
    return page(request, "matters/matter_edit.html", {"form": form, "matter": matter}, "matters")


def _apply(request: AuthedRequest, form: Any, action: Any, done: str) -> None:
    """Runs a matter service from a small form and reports the outcome as a message."""
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)


@require_POST
@staff_required
def matter_action_view(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    """The small forms of the matter page: status, team, firm, key date, task, note, document,
    forecast, budget."""
    matter = _visible(request, pk)
    actor, post = request.user, request.POST
    handlers: dict[str, tuple[Any, Any, str]] = {
        "status": (
            StatusForm(post),
            lambda d: services.matter_status_change(actor=actor, matter=matter, **d),
            "Status changed.",
        ),
        "team": (
            TeamForm(post),
            lambda d: services.matter_team_set(actor=actor, matter=matter, members=d["members"]),
            "Team saved.",
        ),
        "assign": (
            AssignForm(post),
            lambda d: services.matter_firm_assign(actor=actor, matter=matter, **d),
            "Firm assigned.",
        ),
        "key_date": (
            KeyDateForm(post),
            lambda d: services.key_date_add(actor=actor, matter=matter, **d),
            "Key date added.",
        ),
        "task": (
            TaskForm(post),
            lambda d: services.task_add(actor=actor, matter=matter, **d),
            "Task added.",
        ),
        "note": (
            NoteForm(post),
            lambda d: services.note_add(actor=actor, matter=matter, **d),
            "Note added.",
        ),
        "document": (
            DocumentForm(post, request.FILES),
            lambda d: services.document_add(actor=actor, matter=matter, **d),
            "Document added.",
        ),
        "forecast": (
            ForecastForm(post),
            lambda d: forecasts.forecast_set(actor=actor, matter=matter, **d),
            "Forecast saved.",
        ),
        "budget": (
            BudgetForm(post, matter=matter, firms=law_firm_list_for(matter)),
            None,
            "Budget version saved and approved.",
        ),
    }
    if action not in handlers:
        messages.error(request, "Unknown action.")
        return redirect("matters:matter_detail", pk=matter.pk)
    form, handler, done = handlers[action]
    if action == "budget":
        handler = lambda d: budgets.budget_submit(  # noqa: E731
            actor=actor,
            matter=matter,
            firm=d["firm"],
            fiscal_year=d["fiscal_year"],
            amounts=form.amounts(),
            note=d["note"],
            approve=True,
        )
    _apply(request, form, handler, done)  # PermissionDenied: 403 for outsiders
    return redirect("matters:matter_detail", pk=matter.pk)


@require_POST
@staff_required
def task_done_view(request: AuthedRequest, pk: int) -> HttpResponse:
    task = get_object_or_404(MatterTask, pk=pk, matter__in=selectors.matter_list(user=request.user))
    services.task_complete(actor=request.user, task=task)
    return redirect("matters:matter_detail", pk=task.matter_id)
