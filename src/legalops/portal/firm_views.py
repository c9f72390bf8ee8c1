"""Portal pages where a firm does business with the department: its timekeepers and rate
card, rate requests, the matters it is assigned to with their budgets, and accruals. Every
read goes through a selector scoped to the user's firm; every write through a service that
checks the firm again."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import portal_required
from legalops.core.forms import submitted
from legalops.core.htmx import template_for
from legalops.core.listing import filter_bar, listing
from legalops.core.typing import AuthedRequest
from legalops.matters import accruals, budgets
from legalops.matters import selectors as matter_selectors
from legalops.matters.forms import BudgetForm
from legalops.matters.models import AccrualPeriod, MatterStatus, PeriodStatus
from legalops.organization.selectors import company_get
from legalops.vendors import rate_requests, selectors, services
from legalops.vendors.forms import AnswerForm, RequestForm, RequestLineForm, TimekeeperForm
from legalops.vendors.models import LawFirm, RateRequestLine, RateRequestStatus


def firm_of(request: AuthedRequest) -> LawFirm:
    """The firm of the signed-in firm user (portal_required guarantees one)."""
    firm = request.user.firm
    assert firm is not None
    return firm


def page(request: HttpRequest, template: str, context: dict[str, Any], tab: str) -> HttpResponse:
    return render(request, template, {"portal_active": tab, **context})


@portal_required
def timekeeper_list_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = TimekeeperForm(request.POST or None, initial={"is_active": True})
    if submitted(
        request,
        form,
        lambda data: services.timekeeper_create(actor=user, firm=firm_of(request), **data),
    ):
        messages.success(request, "Timekeeper added.")
        return redirect("portal:timekeepers")
    keepers = selectors.timekeeper_list(user=user, search=request.GET.get("q", ""))
    context = {
        "listing": listing(
            request, keepers, sorts={"name": "name", "class": "classification"}, default="name"
        ),
        "filters": filter_bar(request, [("q", "Search", "search", "name or id")]),
        "form": form,
    }
    return page(request, template_for(request, "portal/timekeepers.html"), context, "timekeepers")


@portal_required
def rate_card_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    rows = selectors.rate_list(user=user, on=today).order_by("classification", "timekeeper__name")
    return page(request, "portal/rates.html", {"rates": rows, "today": today}, "rates")


@portal_required
def rate_card_csv_view(request: AuthedRequest) -> HttpResponse:
    response = HttpResponse(
        selectors.rates_csv(firm=firm_of(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="RATES.csv"'
    return response


@portal_required
def request_list_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    next_year = company_get().fiscal_year_of(timezone.localdate()) + 1
    form = RequestForm(request.POST or None, initial={"fiscal_year": next_year})
    created = submitted(
        request,
        form,
        lambda data: rate_requests.rate_request_create(actor=user, firm=firm_of(request), **data),
    )
    if created is not None:
        return redirect("portal:request_detail", pk=created.pk)
    rows = selectors.rate_request_list(user=user)
    context = {
        "listing": listing(
            request,
            rows,
            sorts={"year": "fiscal_year", "created": "created_at"},
            default="-created",
        ),
        "form": form,
    }
    return page(request, template_for(request, "portal/requests.html"), context, "requests")


@portal_required
def request_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    rate_request = get_object_or_404(selectors.rate_request_list(user=user), pk=pk)
    form = RequestLineForm(request.POST or None, firm=firm_of(request))
    if submitted(
        request,
        form,
        lambda data: rate_requests.rate_request_line_add(actor=user, request=rate_request, **data),
    ):
        messages.success(request, "Proposed rate added.")
        return redirect("portal:request_detail", pk=rate_request.pk)
    context = {
        "rr": rate_request,
        "analysis": rate_requests.rate_request_analysis(rate_request),
        "form": form if rate_request.status == RateRequestStatus.DRAFT else None,
    }
    return page(request, "portal/request_detail.html", context, "requests")


def _service_message(request: HttpRequest, action: Any, done: str) -> None:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)


@require_POST
@portal_required
def request_action_view(request: AuthedRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    rate_request = get_object_or_404(selectors.rate_request_list(user=user), pk=pk)
    if action == "submit":
        _service_message(
            request,
            lambda: rate_requests.rate_request_submit(actor=user, request=rate_request),
            "Submitted to legal operations.",
        )
    elif action == "withdraw":
        _service_message(
            request,
            lambda: rate_requests.rate_request_withdraw(actor=user, request=rate_request),
            "Withdrawn.",
        )
    return redirect("portal:request_detail", pk=rate_request.pk)


def _own_line(request: AuthedRequest, pk: int) -> RateRequestLine:
    visible = selectors.rate_request_list(user=request.user)
    return get_object_or_404(RateRequestLine, pk=pk, request__in=visible)


@require_POST
@portal_required
def line_remove_view(request: AuthedRequest, pk: int) -> HttpResponse:
    line = _own_line(request, pk)
    _service_message(
        request,
        lambda: rate_requests.rate_request_line_remove(actor=request.user, line=line),
        "Removed.",
    )
    return redirect("portal:request_detail", pk=line.request_id)


@require_POST
@portal_required
def line_answer_view(request: AuthedRequest, pk: int) -> HttpResponse:
    line = _own_line(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        _service_message(
            request,
            lambda: rate_requests.rate_request_line_answer(
                actor=request.user,
                line=line,
                accept=data["answer"] == "accept",
                rate=data["rate"],
                comment=data["comment"],
            ),
            "Answer sent.",
        )
    return redirect("portal:request_detail", pk=line.request_id)


@portal_required
def matter_list_view(request: AuthedRequest) -> HttpResponse:
    matters = matter_selectors.matter_list(
        user=request.user, search=request.GET.get("q", ""), status=request.GET.get("status", "")
    )
    context = {
        "listing": listing(
            request, matters, sorts={"number": "number", "opened": "opened_on"}, default="-opened"
        ),
        "filters": filter_bar(
            request,
            [
                ("q", "Search", "search", "number or name"),
                ("status", "Status", "select", MatterStatus.choices),
            ],
        ),
    }
    return page(request, template_for(request, "portal/matters.html"), context, "matters")


@portal_required
def matter_detail_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the firm needs on a matter: its terms, its budgets; never exposure, reserve,
    risk, notes or the in-house team."""
    user = request.user
    matter = get_object_or_404(matter_selectors.matter_list(user=user), pk=pk)
    year = company_get().fiscal_year_of(timezone.localdate())
    form = BudgetForm(request.POST or None, matter=matter, initial={"fiscal_year": year})
    if submitted(
        request,
        form,
        lambda data: budgets.budget_submit(
            actor=user,
            matter=matter,
            firm=firm_of(request),
            fiscal_year=data["fiscal_year"],
            amounts=form.amounts(),
            note=data["note"],
        ),
    ):
        messages.success(request, "Budget submitted for approval.")
        return redirect("portal:matter_detail", pk=matter.pk)
    context = {
        "matter": matter,
        "assignment": matter.assignments.filter(firm=firm_of(request)).first(),
        "budgets": matter_selectors.budget_list(user=user, matter=matter).prefetch_related(
            "versions"
        ),
        "form": form,
    }
    return page(request, "portal/matter_detail.html", context, "matters")


@portal_required
def accrual_view(request: AuthedRequest) -> HttpResponse:
    """The open accrual window: one row per open matter the firm is assigned to."""
    user = request.user
    period = AccrualPeriod.objects.filter(status=PeriodStatus.OPEN).order_by("-month").first()
    rows = _accrual_rows(user, period) if period else []
    if request.method == "POST" and period is not None:
        saved, errors = _save_accruals(request, period, rows)
        if not errors:
            messages.success(request, f"{saved} accruals saved.")
            return redirect("portal:accruals")
        for error in errors:
            messages.error(request, error)
    history = matter_selectors.accrual_list(user=user).order_by("-period__month")[:50]
    context = {"period": period, "rows": rows, "history": history}
    return page(request, "portal/accruals.html", context, "accruals")


def _accrual_rows(user: Any, period: AccrualPeriod) -> list[dict[str, Any]]:
    mine = list(accruals.expected_reports(period).filter(firm_id=user.firm_id))
    done = {a.matter_id: a for a in period.accruals.filter(firm_id=user.firm_id)}
    return [{"assignment": a, "accrual": done.get(a.matter_id)} for a in mine]


@transaction.atomic
def _save_accruals(
    request: AuthedRequest, period: AccrualPeriod, rows: list[dict[str, Any]]
) -> tuple[int, list[str]]:
    """All rows of the form or none: one wrong amount keeps the others unsaved too."""
    saved, errors = 0, []
    for row in rows:
        matter = row["assignment"].matter
        current = request.POST.get(f"current-{matter.pk}", "").strip()
        prior = request.POST.get(f"prior-{matter.pk}", "").strip() or "0"
        if current == "":
            continue
        try:
            accruals.accrual_report(
                actor=request.user,
                period=period,
                matter=matter,
                firm=firm_of(request),
                current=Decimal(current),
                prior=Decimal(prior),
                note=request.POST.get(f"note-{matter.pk}", ""),
            )
            saved += 1
        except (ValidationError, InvalidOperation) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else "not a number"
            errors.append(f"{matter.number}: {text}")
    if errors:
        transaction.set_rollback(True)
    return saved, errors
