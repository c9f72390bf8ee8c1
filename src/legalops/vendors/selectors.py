"""Reads of law firms, scoped: a firm user sees only their own firm (DESIGN.md rule 4)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, has_capability
from legalops.vendors.models import LawFirm


def law_firm_list(*, user: User, search: str = "", status: str = "") -> QuerySet[LawFirm]:
    if not has_capability(user, Capability.VIEW_FIRMS):
        return LawFirm.objects.none()
    firms = LawFirm.objects.all()
    if user.role == Role.FIRM:
        firms = firms.filter(pk=user.firm_id) if user.firm_id else firms.none()
    if search:
        firms = firms.filter(Q(name__icontains=search) | Q(law_firm_id__icontains=search))
    if status:
        firms = firms.filter(status=status)
    return firms


def law_firm_get(*, user: User, pk: int) -> LawFirm:
    return law_firm_list(user=user).get(pk=pk)


def law_firm_by_ledes_id(law_firm_id: str) -> LawFirm | None:
    """Matching an incoming invoice: by LAW_FIRM_ID, else by an alias (system use, unscoped)."""
    firm = LawFirm.objects.filter(law_firm_id=law_firm_id).first()
    if firm is not None:
        return firm
    for candidate in LawFirm.objects.exclude(aliases=[]).only("pk", "aliases"):
        if law_firm_id in candidate.aliases:
            return LawFirm.objects.get(pk=candidate.pk)
    return None
