"""The vendor portal: the only pages a law-firm user sees, always scoped to their firm."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from legalops.accounts import selectors as account_selectors
from legalops.accounts.decorators import portal_required
from legalops.core.typing import AuthedRequest
from legalops.matters.accruals import missing_reports
from legalops.matters.models import AccrualPeriod, MatterStatus, PeriodStatus
from legalops.matters.selectors import matter_list
from legalops.vendors.models import LineStatus, RateRequestLine
from legalops.vendors.selectors import rate_request_list


@portal_required
def home_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    period = AccrualPeriod.objects.filter(status=PeriodStatus.OPEN).order_by("-month").first()
    context = {
        "firm": user.firm,
        "portal_active": "home",
        "period": period,
        "missing": len(missing_reports(period, firm_id=user.firm_id)) if period else 0,
        "countered": RateRequestLine.objects.filter(
            request__in=rate_request_list(user=user), status=LineStatus.COUNTERED
        ).count(),
        "matters": matter_list(user=user).exclude(status=MatterStatus.CLOSED).count(),
    }
    return render(request, "portal/home.html", context)


@portal_required
def team_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "portal/team.html",
        {
            "firm": user.firm,
            "portal_active": "team",
            "colleagues": account_selectors.user_list(user=user),
            "invitations": account_selectors.invitation_list(user=user).filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            ),
        },
    )
