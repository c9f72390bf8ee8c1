"""Budgets: per matter and firm, by fiscal year and optionally by UTBMS phase, in versions
that are approved or rejected; the department's own annual budget; and threshold alerts to
the matter lead when approved spend crosses e.g. 80% and 100% of the approved budget."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.matters import spend
from legalops.matters.models import (
    Budget,
    BudgetAlert,
    BudgetLine,
    BudgetVersion,
    CodeSet,
    DepartmentBudget,
    Matter,
    MatterFirm,
    VersionStatus,
)
from legalops.matters.selectors import can_manage_matter
from legalops.matters.services import amount_minor
from legalops.notifications.budgets import budget_alert_notify
from legalops.notifications.models import Kind
from legalops.notifications.services import email_wanted
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.organization.selectors import company_get
from legalops.vendors.models import LawFirm
from legalops.vendors.services import valid_currency

DEFAULT_THRESHOLDS = (80, 100)
# A phase is a UTBMS phase code: a letter and a multiple of 100 (L100...L500, C100, P300).
PHASE = re.compile(r"^[A-Z]\d00$")
CODE_SET_LETTER = {CodeSet.LITIGATION: "L", CodeSet.COUNSELING: "C", CodeSet.PROJECT: "P"}


def thresholds() -> tuple[int, ...]:
    return tuple(getattr(settings, "LEGALOPS_BUDGET_ALERT_THRESHOLDS", DEFAULT_THRESHOLDS))


def _require_budget_side(actor: User | None, matter: Matter, firm: LawFirm) -> bool:
    """Returns True when the actor is the firm (a proposal); False for legal ops / the team."""
    if actor is not None and actor.role == Role.FIRM:
        require(actor, Capability.FIRM_SUBMIT)
        assigned = MatterFirm.objects.filter(matter=matter, firm=firm, is_active=True).exists()
        if actor.firm_id != firm.pk or not assigned:
            raise PermissionDenied("you may only submit budgets for your firm's matters")
        return True
    require(actor, Capability.MANAGE_BUDGETS)
    if not can_manage_matter(actor, matter):
        raise PermissionDenied("only legal ops and the matter's team manage its budgets")
    return False


def _clean_phases(matter: Matter, amounts: dict[str, Decimal], code: str) -> dict[str, int]:
    if not amounts:
        raise ValidationError({"lines": "a budget needs at least one amount"})
    letter = CODE_SET_LETTER.get(CodeSet(matter.code_set)) if matter.code_set else None
    lines: dict[str, int] = {}
    for raw_phase, amount in amounts.items():
        phase = (raw_phase or "").strip().upper()
        if phase and (not PHASE.match(phase) or (letter and phase[0] != letter)):
            raise ValidationError(
                {"phase": f"{raw_phase!r} is not a phase of the matter's code set"}
            )
        minor = amount_minor(amount, code, "amount")
        if minor is None or minor < 0:
            raise ValidationError({"amount": f"{amount!r} is not a non-negative amount"})
        lines[phase] = minor
    if "" in lines and len(lines) > 1:
        raise ValidationError({"phase": "a budget is either by phase or for the whole matter"})
    return lines


@transaction.atomic
def budget_submit(
    *,
    actor: User | None,
    matter: Matter,
    firm: LawFirm,
    fiscal_year: int,
    amounts: dict[str, Decimal],
    currency: str = "",
    note: str = "",
    approve: bool = False,
) -> BudgetVersion:
    """A new version of the budget (created on first use). A firm's version awaits approval;
    legal ops may enter one already approved (`approve=True`)."""
    by_firm = _require_budget_side(actor, matter, firm)
    if approve and by_firm:
        raise PermissionDenied("a firm cannot approve its own budget")
    code = valid_currency(currency or firm.currency)
    budget, _ = Budget.objects.get_or_create(
        matter=matter,
        firm=firm,
        fiscal_year=fiscal_year,
        defaults={"currency": code, "alert_thresholds": list(thresholds())},
    )
    if budget.currency != code:
        raise ValidationError({"currency": f"this budget is kept in {budget.currency}"})
    lines = _clean_phases(matter, amounts, code)
    number = (budget.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = BudgetVersion.objects.create(
        budget=budget,
        number=number,
        total_minor=sum(lines.values()),
        note=note.strip(),
        submitted_by=actor,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(version=version, phase=phase, amount_minor=minor)
        for phase, minor in lines.items()
    )
    audit_record(
        actor=actor,
        event=Event.BUDGET_VERSION_SUBMITTED,
        target=budget,
        payload={"new": {"version": number, "lines": lines, "currency": code}},
    )
    if approve:
        budget_version_decide(actor=actor, version=version, approve=True)
    return version


@transaction.atomic
def budget_version_decide(
    *, actor: User | None, version: BudgetVersion, approve: bool, note: str = ""
) -> BudgetVersion:
    """Approving supersedes the version in force and re-arms the threshold alerts."""
    version = (
        BudgetVersion.objects.select_for_update(of=("self",))
        .select_related("budget")
        .get(pk=version.pk)
    )
    budget = version.budget
    require(actor, Capability.MANAGE_BUDGETS)
    if not can_manage_matter(actor, budget.matter):
        raise PermissionDenied("only legal ops and the matter's team decide its budgets")
    if version.status != VersionStatus.SUBMITTED:
        raise ValidationError("this version was already decided")
    version.status = VersionStatus.APPROVED if approve else VersionStatus.REJECTED
    version.decided_by, version.decided_at = actor, timezone.now()
    version.decision_note = note.strip()
    version.save()
    if approve:
        budget.versions.filter(status=VersionStatus.APPROVED).exclude(pk=version.pk).update(
            status=VersionStatus.SUPERSEDED
        )
        budget.approved_version = version
        budget.save(update_fields=["approved_version"])
        budget.alerts.all().delete()
    audit_record(
        actor=actor,
        event=Event.BUDGET_VERSION_DECIDED,
        target=budget,
        payload={"new": {"version": version.number, "status": version.status}},
        reason=version.decision_note,
    )
    return version


@transaction.atomic
def department_budget_set(
    *,
    actor: User | None,
    fiscal_year: int,
    amount: Decimal,
    practice_area: PracticeArea | None = None,
    business_unit: BusinessUnit | None = None,
) -> DepartmentBudget:
    """The department's budget in the reporting currency (both keys empty: the whole)."""
    require(actor, Capability.MANAGE_BUDGETS)
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied("only legal ops set the department budget")
    code = company_get().reporting_currency
    minor = amount_minor(amount, code, "amount")
    if minor is None or minor < 0:
        raise ValidationError({"amount": "a non-negative amount"})
    row = DepartmentBudget.objects.filter(
        fiscal_year=fiscal_year, practice_area=practice_area, business_unit=business_unit
    ).first() or DepartmentBudget(
        fiscal_year=fiscal_year, practice_area=practice_area, business_unit=business_unit
    )
    old = row.amount_minor if row.pk else None
    row.amount_minor, row.currency = minor, code
    row.save()
    audit_record(
        actor=actor,
        event=Event.DEPARTMENT_BUDGET_SET,
        target=row,
        payload={"old": {"amount_minor": old}, "new": {"amount_minor": minor, "currency": code}},
    )
    return row


# --- Consumption and alerts --------------------------------------------------------------


@dataclass(frozen=True)
class Consumption:
    budget: Budget
    budget_minor: int
    spent_minor: int
    by_phase: list[tuple[str, int, int]]  # phase, budget, spent

    @property
    def pct(self) -> Decimal | None:
        if not self.budget_minor:
            return None
        return (Decimal(self.spent_minor) * 100 / self.budget_minor).quantize(Decimal("0.1"))


def budget_consumption(
    budgets: Iterable[Budget], *, until: datetime.date | None = None
) -> list[Consumption]:
    """Approved budget against approved spend of the fiscal year to `until` (default today),
    for budgets with an approved version. Spend in another currency is left out of the
    comparison (the source reports per firm, in the budget's currency in practice)."""
    rows = [b for b in budgets if b.approved_version_id]
    company, day = company_get(), until or timezone.localdate()
    result = []
    for year in sorted({b.fiscal_year for b in rows}):
        start, end = company.fiscal_year_bounds(year)
        of_year = [b for b in rows if b.fiscal_year == year]
        spends = spend.spent(
            matter_ids=[b.matter_id for b in of_year], start=start, end=min(end, day)
        )
        result += [_consumption(b, spends.get((b.matter_id, b.firm_id))) for b in of_year]
    return result


def _consumption(budget: Budget, used: spend.Spend | None) -> Consumption:
    version = budget.approved_version
    assert version is not None
    same = used is not None and used.currency == budget.currency
    total = used.total_minor if same and used else 0
    phases = [
        (line.phase, line.amount_minor, used.by_phase.get(line.phase, 0) if same and used else 0)
        for line in version.lines.all()
        if line.phase
    ]
    return Consumption(budget, version.total_minor, total, phases)


def budget_alerts_check(*, today: datetime.date | None = None) -> int:
    """Announces every threshold newly crossed in the current fiscal year (once each)."""
    day = today or timezone.localdate()
    year = company_get().fiscal_year_of(day)
    budgets = Budget.objects.filter(fiscal_year=year, approved_version__isnull=False)
    sent = 0
    for usage in budget_consumption(
        budgets.select_related("matter", "approved_version"), until=day
    ):
        sent += _alert_crossings(usage)
    return sent


@transaction.atomic
def _alert_crossings(usage: Consumption) -> int:
    budget, pct = usage.budget, usage.pct
    if pct is None:
        return 0
    already = set(budget.alerts.values_list("threshold", flat=True))
    crossed = [  # exact: spent / budget >= t / 100, in integers
        t
        for t in budget.alert_thresholds or thresholds()
        if usage.spent_minor * 100 >= t * usage.budget_minor and t not in already
    ]
    for threshold in crossed:
        alert = BudgetAlert.objects.create(
            budget=budget,
            threshold=threshold,
            spent_minor=usage.spent_minor,
            budget_minor=usage.budget_minor,
        )
        audit_record(
            actor=None,
            event=Event.BUDGET_ALERT_SENT,
            target=budget,
            payload={"new": {"threshold": threshold, "pct": str(pct)}},
        )
        budget_alert_notify(alert)
        transaction.on_commit(partial(_mail_lead, alert))
    return len(crossed)


def _mail_lead(alert: BudgetAlert) -> None:
    budget = alert.budget
    lead = budget.matter.lead_attorney
    if lead is None or not lead.email or not email_wanted(lead, Kind.BUDGET_THRESHOLD):
        return
    send_mail(
        subject=f"Budget alert: {budget.matter.number} has used {alert.threshold}% of its budget",
        message=(
            f"{budget.firm.name} on {budget.matter} (FY{budget.fiscal_year}) has reached "
            f"{alert.threshold}% of its approved budget.\n"
        ),
        from_email=None,
        recipient_list=[lead.email],
    )


def budget_thresholds_set(*, actor: User | None, budget: Budget, values: Iterable[int]) -> Budget:
    """Configures the alert percentages of one budget (e.g. 50, 80, 100)."""
    return _thresholds_set(actor, budget, sorted({int(v) for v in values}))


@transaction.atomic
def _thresholds_set(actor: User | None, budget: Budget, values: list[int]) -> Budget:
    require(actor, Capability.MANAGE_BUDGETS)
    if not can_manage_matter(actor, budget.matter):
        raise PermissionDenied("only legal ops and the matter's team configure alerts")
    if any(not 1 <= v <= 500 for v in values):
        raise ValidationError({"alert_thresholds": "percentages from 1 to 500"})
    old: Any = budget.alert_thresholds
    budget.alert_thresholds = values
    budget.save(update_fields=["alert_thresholds"])
    audit_record(
        actor=actor,
        event=Event.BUDGET_THRESHOLDS_SET,
        target=budget,
        payload={"old": {"alert_thresholds": old}, "new": {"alert_thresholds": values}},
    )
    return budget
