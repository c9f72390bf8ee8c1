"""The vendor portal: the only pages a law-firm user sees, always scoped to their firm."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from legalops.accounts import selectors as account_selectors
from legalops.accounts.decorators import portal_required
from legalops.core.typing import AuthedRequest


@portal_required
def home_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    return render(request, "portal/home.html", {"firm": user.firm, "portal_active": "home"})


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
