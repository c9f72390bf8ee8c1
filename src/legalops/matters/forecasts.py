"""Forecasts: expected spend entered per matter (and firm) by month or quarter, and the
projection of a fiscal year's spend from actuals, accruals, forecasts and budgets.

The method (also stated on every page that shows a projection):
1. Actuals: approved spend on the matter from the start of the fiscal year to today.
2. Accrued: unbilled work reported by the firms in the latest accrual period of the matter.
3. Each remaining month of the fiscal year takes, in this order: the forecast entered for that
   month; a quarter's forecast divided evenly over its three months; the run rate
   ((actuals + accrued) / months elapsed); or, with no spend yet, the approved budget not yet
   used, spread evenly over the remaining months.
4. Projection = actuals + accrued + the remaining months; variance = projection - budget.
Amounts in another currency than the matter's are converted at the latest exchange rate on or
before today; a missing rate leaves the amount out and says so.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from legalops.accounts.models import Role, User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.money import from_minor, to_minor
from legalops.matters import spend
from legalops.matters.models import Accrual, Budget, Forecast, Granularity, Matter, MatterFirm
from legalops.matters.selectors import can_manage_matter
from legalops.matters.services import amount_minor
from legalops.organization.selectors import MissingFxRate, company_get, fx_rate_on
from legalops.vendors.models import LawFirm

METHOD = __doc__.split("The method (also stated on every page that shows a projection):\n")[1]


def month_add(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month + 1, 1)


@transaction.atomic
def forecast_set(
    *,
    actor: User | None,
    matter: Matter,
    period_start: datetime.date,
    amount: Decimal,
    granularity: str = Granularity.MONTH,
    firm: LawFirm | None = None,
) -> Forecast:
    """Enters (or replaces) the expected spend of a month or fiscal quarter."""
    if actor is not None and actor.role == Role.FIRM:
        require(actor, Capability.FIRM_SUBMIT)
        assigned = MatterFirm.objects.filter(matter=matter, firm_id=actor.firm_id).exists()
        if firm is None or firm.pk != actor.firm_id or not assigned:
            raise PermissionDenied("you may only forecast your own firm's work on its matters")
    else:
        require(actor, Capability.MANAGE_BUDGETS)
        if not can_manage_matter(actor, matter):
            raise PermissionDenied("only legal ops and the matter's team forecast its spend")
    if granularity not in Granularity.values:
        raise ValidationError({"granularity": "month or quarter"})
    start = period_start.replace(day=1)
    code = firm.currency if firm else matter.currency
    minor = amount_minor(amount, code, "amount")
    if minor is None or minor < 0:
        raise ValidationError({"amount": "a non-negative amount"})
    row, _ = Forecast.objects.update_or_create(
        matter=matter,
        firm=firm,
        granularity=granularity,
        period_start=start,
        defaults={"amount_minor": minor, "currency": code, "entered_by": actor},
    )
    audit_record(
        actor=actor,
        event=Event.FORECAST_SET,
        target=matter,
        payload={"new": {"period": str(start), "granularity": granularity, "amount_minor": minor}},
    )
    return row


@dataclass
class Projection:
    matter_id: int
    currency: str
    budget_minor: int = 0
    actual_minor: int = 0
    accrued_minor: int = 0
    remaining_minor: int = 0
    months: list[tuple[datetime.date, int, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def projected_minor(self) -> int:
        return self.actual_minor + self.accrued_minor + self.remaining_minor

    @property
    def variance_minor(self) -> int:
        return self.projected_minor - self.budget_minor


class _Converter:
    """Converts minor units between currencies at the rate of one day (cached)."""

    def __init__(self, day: datetime.date) -> None:
        self.day = day
        self.rates: dict[tuple[str, str], Decimal | None] = {}

    def __call__(self, minor: int, source: str, target: str) -> int | None:
        if source == target:
            return minor
        key = (source, target)
        if key not in self.rates:
            try:
                self.rates[key] = fx_rate_on(base=source, quote=target, day=self.day)
            except MissingFxRate:
                self.rates[key] = None
        rate = self.rates[key]
        return None if rate is None else to_minor(from_minor(minor, source) * rate, target)


def project(
    matters: Sequence[Matter], *, fiscal_year: int, today: datetime.date
) -> dict[int, Projection]:
    """Projections of many matters with a fixed number of queries (the department view)."""
    start, end = company_get().fiscal_year_bounds(fiscal_year)
    convert = _Converter(today)
    result = {m.pk: Projection(m.pk, m.currency) for m in matters}
    ids = list(result)
    _add_budgets(result, ids, fiscal_year, convert)
    _add_actuals(result, ids, start, min(today, end), convert)
    _add_accruals(result, ids, convert)
    _add_remaining(result, ids, start, end, today, convert)
    return result


def _add(proj: Projection, attr: str, minor: int, currency: str, convert: _Converter) -> None:
    value = convert(minor, currency, proj.currency)
    if value is None:
        proj.notes.append(f"no {currency}/{proj.currency} exchange rate: {attr} left out")
        return
    setattr(proj, attr, getattr(proj, attr) + value)


def _add_budgets(
    result: dict[int, Projection], ids: list[int], year: int, convert: _Converter
) -> None:
    budgets = Budget.objects.filter(
        matter_id__in=ids, fiscal_year=year, approved_version__isnull=False
    ).values_list("matter_id", "currency", "approved_version__total_minor")
    for matter_id, currency, total in budgets:
        _add(result[matter_id], "budget_minor", total, currency, convert)


def _add_actuals(
    result: dict[int, Projection],
    ids: list[int],
    start: datetime.date,
    end: datetime.date,
    convert: _Converter,
) -> None:
    if end < start:
        return
    for (matter_id, _firm), used in spend.spent(matter_ids=ids, start=start, end=end).items():
        if matter_id in result:
            _add(result[matter_id], "actual_minor", used.total_minor, used.currency, convert)


def _add_accruals(result: dict[int, Projection], ids: list[int], convert: _Converter) -> None:
    latest: dict[int, datetime.date] = {}
    rows = Accrual.objects.filter(matter_id__in=ids).values_list(
        "matter_id", "period__month", "currency", "current_minor", "prior_minor"
    )
    by_month: dict[tuple[int, datetime.date], list[tuple[str, int]]] = defaultdict(list)
    for matter_id, month, currency, current, prior in rows:
        latest[matter_id] = max(latest.get(matter_id, month), month)
        by_month[(matter_id, month)].append((currency, current + prior))
    for matter_id, month in latest.items():
        for currency, total in by_month[(matter_id, month)]:
            _add(result[matter_id], "accrued_minor", total, currency, convert)


def _entered(
    ids: list[int],
    start: datetime.date,
    end: datetime.date,
    convert: _Converter,
    result: dict[int, Projection],
) -> dict[tuple[int, datetime.date], int]:
    """Entered forecasts per (matter, month), quarters spread evenly over their months."""
    per_month: dict[tuple[int, datetime.date], int] = defaultdict(int)
    rows = Forecast.objects.filter(matter_id__in=ids, period_start__range=(start, end))
    for row in rows:
        value = convert(row.amount_minor, row.currency, result[row.matter_id].currency)
        if value is None:
            continue
        if row.granularity == Granularity.QUARTER:
            for index, part in enumerate(_split(value, 3)):
                per_month[(row.matter_id, month_add(row.period_start, index))] += part
        else:
            per_month[(row.matter_id, row.period_start)] += value
    return per_month


def _split(minor: int, parts: int) -> list[int]:
    """Even split in whole minor units; the remainder goes to the first parts."""
    base, rest = divmod(minor, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


def _add_remaining(
    result: dict[int, Projection],
    ids: list[int],
    start: datetime.date,
    end: datetime.date,
    today: datetime.date,
    convert: _Converter,
) -> None:
    current = today.replace(day=1)
    elapsed = max(1, (current.year - start.year) * 12 + current.month - start.month + 1)
    remaining = [m for m in (month_add(start, i) for i in range(12)) if m > current and m <= end]
    entered = _entered(ids, start, end, convert, result)
    for proj in result.values():
        spent_so_far = proj.actual_minor + proj.accrued_minor
        run_rate = _div(spent_so_far, elapsed)
        unused = max(proj.budget_minor - spent_so_far, 0)
        spread = _split(unused, len(remaining)) if remaining else []
        for index, month in enumerate(remaining):
            value, basis = _month_value(entered, proj, month, run_rate, spread, index)
            proj.months.append((month, value, basis))
            proj.remaining_minor += value


def _month_value(
    entered: dict[tuple[int, datetime.date], int],
    proj: Projection,
    month: datetime.date,
    run_rate: int,
    spread: list[int],
    index: int,
) -> tuple[int, str]:
    if (proj.matter_id, month) in entered:
        return entered[(proj.matter_id, month)], "forecast"
    if run_rate:
        return run_rate, "run rate"
    if spread:
        return spread[index], "budget"
    return 0, "none"


def _div(minor: int, months: int) -> int:
    return int((Decimal(minor) / months).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def matter_projection(matter: Matter, *, fiscal_year: int, today: datetime.date) -> Projection:
    return project([matter], fiscal_year=fiscal_year, today=today)[matter.pk]


@dataclass
class DepartmentRow:
    label: str
    matters: int = 0
    budget_minor: int = 0
    projected_minor: int = 0
    actual_minor: int = 0
    department_budget_minor: int | None = None


def department_forecast(
    matters: Sequence[Matter], *, fiscal_year: int, today: datetime.date
) -> tuple[str, list[DepartmentRow], list[str]]:
    """Projections of `matters` summed per practice area in the reporting currency, beside
    the department budget of each area. Returns (currency, rows, notes)."""
    from legalops.matters.models import DepartmentBudget

    code = company_get().reporting_currency
    convert = _Converter(today)
    rows: dict[str, DepartmentRow] = {}
    notes: set[str] = set()
    projections = project(matters, fiscal_year=fiscal_year, today=today)
    for matter in matters:
        label = matter.practice_area.name if matter.practice_area else "No practice area"
        row = rows.setdefault(label, DepartmentRow(label))
        row.matters += 1
        proj = projections[matter.pk]
        notes.update(proj.notes)
        for attr in ("budget_minor", "projected_minor", "actual_minor"):
            value = convert(getattr(proj, attr), proj.currency, code)
            if value is None:
                notes.add(f"no {proj.currency}/{code} exchange rate: some matters left out")
                continue
            setattr(row, attr, getattr(row, attr) + value)
    plans = DepartmentBudget.objects.filter(
        fiscal_year=fiscal_year, business_unit__isnull=True
    ).select_related("practice_area")
    for plan in plans:
        label = plan.practice_area.name if plan.practice_area else "Whole department"
        rows.setdefault(label, DepartmentRow(label)).department_budget_minor = plan.amount_minor
    return code, sorted(rows.values(), key=lambda r: r.label), sorted(notes)
