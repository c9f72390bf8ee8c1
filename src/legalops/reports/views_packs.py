"""Insight > Scheduled packs: the report subscriptions (list, create, edit, pause, delete,
send now) and their send history. Legal operations only (Capability.MANAGE_REPORTS); every
write goes through `reports.subscriptions` / `reports.packs_mail`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from legalops.accounts.decorators import capability_required
from legalops.accounts.permissions import Capability
from legalops.core.forms import submitted
from legalops.core.typing import AuthedRequest
from legalops.reports.forms_packs import SendNowForm, SubscriptionForm
from legalops.reports.models import ReportSubscription
from legalops.reports.packs_mail import Outcome, packs_send, parse_month, summary
from legalops.reports.registry import FilterError
from legalops.reports.subscriptions import (
    report_send_list,
    report_subscription_create,
    report_subscription_delete,
    report_subscription_list,
    report_subscription_pause,
    report_subscription_update,
)
from legalops.reports.views_pages import PAGES

manage_reports = capability_required(Capability.MANAGE_REPORTS)
HISTORY_SIZE = 50


def _render(request: AuthedRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    base = {"active": "insight", "pages": PAGES.values()}
    return render(request, template, {**base, **context})


def _shown(subscription: ReportSubscription) -> ReportSubscription:
    """The subscription with its dashboards' titles for the table."""
    titles = [PAGES[key].title for key in subscription.pages if key in PAGES]
    subscription.page_names = ", ".join(titles)  # type: ignore[attr-defined]
    return subscription


def _subscription(request: AuthedRequest, pk: int) -> ReportSubscription:
    return get_object_or_404(report_subscription_list(user=request.user), pk=pk)


def _history(request: AuthedRequest) -> list[Any]:
    return list(report_send_list(user=request.user)[:HISTORY_SIZE])


@manage_reports
def packs_view(request: AuthedRequest) -> HttpResponse:
    context = {
        "subscriptions": [_shown(s) for s in report_subscription_list(user=request.user)],
        "sends": _history(request),
        "send_form": _send_form(),
    }
    return _render(request, "reports/packs.html", context)


@manage_reports
def pack_edit_view(request: AuthedRequest, pk: int | None = None) -> HttpResponse:
    subscription = _subscription(request, pk) if pk else None
    initial = SubscriptionForm.initial_from(subscription) if subscription else None
    form = SubscriptionForm(request.POST or None, initial=initial)
    saved = submitted(
        request,
        form,
        lambda data: (
            report_subscription_update(actor=request.user, subscription=subscription, **data)
            if subscription
            else report_subscription_create(actor=request.user, **data)
        ),
    )
    if saved is not None:
        messages.success(request, f"Report pack \u201c{saved.name}\u201d saved.")
        return redirect("reports:packs")
    context = {"form": form, "subscription": subscription}
    return _render(request, "reports/pack_edit.html", context)


@require_POST
@manage_reports
def pack_pause_view(request: AuthedRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    active = request.POST.get("active") == "1"
    subscription = report_subscription_pause(
        actor=request.user, subscription=subscription, active=active
    )
    if request.htmx:
        context = {"s": _shown(subscription), "send_form": _send_form()}
        return _render(request, "reports/packs.html#row", context)
    messages.success(request, f"{subscription.name} {'resumed' if active else 'paused'}.")
    return redirect("reports:packs")


def _send_form() -> SendNowForm:
    # auto_id off: the form is repeated on every row, and ids must be unique on the page
    return SendNowForm(initial=SendNowForm.default(timezone.localdate()), auto_id=False)


@require_POST
@manage_reports
def pack_delete_view(request: AuthedRequest, pk: int) -> HttpResponse:
    subscription = _subscription(request, pk)
    name = subscription.name
    report_subscription_delete(actor=request.user, subscription=subscription)
    if request.htmx:
        return HttpResponse("")  # the row is swapped for nothing
    messages.success(request, f"Report pack \u201c{name}\u201d deleted.")
    return redirect("reports:packs")


@require_POST
@manage_reports
def pack_send_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send now: the chosen month's pack to each recipient who has not had it yet."""
    subscription = _subscription(request, pk)
    outcomes: list[Outcome] = []
    try:
        month = parse_month(request.POST.get("month", ""), today=timezone.localdate())
    except (FilterError, ValidationError) as exc:
        notice = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        level = "error"
    else:
        outcomes = packs_send(actor=request.user, month=month, subscriptions=[subscription])
        notice = f"{subscription.name}, {month:%Y-%m}: {summary(outcomes)}."
        level = "error" if any(o.status == "failed" for o in outcomes) else "success"
    if request.htmx:
        context = {"sends": _history(request), "notice": notice, "level": level}
        return _render(request, "reports/packs.html#history", context)
    (messages.error if level == "error" else messages.success)(request, notice)
    return redirect("reports:packs")
