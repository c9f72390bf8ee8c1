"""Seeding matters of every type with their firms and teams, budgets in versions, accrual
periods with the firms' answers, forecasts and the department budget."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from legalops.core.money import to_minor
from legalops.invoices.hooks import BILLED_STATES
from legalops.invoices.models import InvoiceLine
from legalops.matters.budgets import thresholds
from legalops.matters.models import (
    PHASES,
    Accrual,
    AccrualPeriod,
    Budget,
    BudgetLine,
    BudgetVersion,
    CodeSet,
    DepartmentBudget,
    FeeArrangement,
    FirmRole,
    Forecast,
    Granularity,
    KeyDate,
    LossProbability,
    Matter,
    MatterFirm,
    MatterStatus,
    MatterType,
    PeriodStatus,
    RiskRating,
    VersionStatus,
)
from legalops.organization.selectors import company_get
from legalops.seed.context import SeedContext
from legalops.seed.names import LAST_NAMES

# (type, weight, practice area codes, code set, name patterns)
KINDS = (
    (MatterType.LITIGATION, 30, ("LIT", "PL", "ANTI"), CodeSet.LITIGATION, "{a} v. Northwind"),
    (MatterType.EMPLOYMENT, 12, ("EMP",), CodeSet.LITIGATION, "{a} employment claim"),
    (MatterType.TRANSACTIONAL, 15, ("MA", "RE", "COM"), CodeSet.PROJECT, "Project {a}"),
    (MatterType.ADVISORY, 15, ("COM", "TAX", "PRIV"), CodeSet.COUNSELING, "{a} advice"),
    (MatterType.REGULATORY, 10, ("REG", "PRIV"), CodeSet.COUNSELING, "{a} regulatory review"),
    (MatterType.IP, 10, ("IP",), CodeSet.LITIGATION, "{a} patent dispute"),
    (MatterType.INVESTIGATION, 5, ("INV",), CodeSet.COUNSELING, "{a} internal investigation"),
    (MatterType.OTHER, 3, ("COM",), CodeSet.NONE, "{a} general matter"),
)
PREFIX = {
    MatterType.LITIGATION: "LIT",
    MatterType.EMPLOYMENT: "EMP",
    MatterType.TRANSACTIONAL: "TRX",
    MatterType.ADVISORY: "ADV",
    MatterType.REGULATORY: "REG",
    MatterType.IP: "IP",
    MatterType.INVESTIGATION: "INV",
    MatterType.OTHER: "GEN",
}


def _day(ctx: SeedContext, back_from: int, back_to: int) -> datetime.date:
    return ctx.today - datetime.timedelta(days=ctx.rng.randint(back_to, back_from))


def seed_matters(ctx: SeedContext) -> None:
    areas = {a.code: a for a in ctx.shared["practice_areas"]}
    history_days = max(ctx.scale.years_of_history, 2) * 365
    matters = [_matter(ctx, n, areas, history_days) for n in range(1, ctx.scale.matters + 1)]
    matters = ctx.bulk("matters", Matter, matters)
    ctx.shared["matters"] = matters
    _teams(ctx, matters)
    _assignments(ctx, matters)
    ctx.bulk("key dates", KeyDate, [k for m in matters for k in _key_dates(ctx, m)])


def _matter(ctx: SeedContext, n: int, areas: dict[str, object], history_days: int) -> Matter:
    kind = ctx.rng.choices(KINDS, [k[1] for k in KINDS])[0]
    matter_type, _, area_codes, code_set, pattern = kind
    opened = _day(ctx, history_days, 5)
    status = ctx.rng.choices(
        [MatterStatus.OPEN, MatterStatus.ON_HOLD, MatterStatus.CLOSED], [62, 5, 33]
    )[0]
    closed = None
    if status == MatterStatus.CLOSED:
        closed = min(ctx.today, opened + datetime.timedelta(days=ctx.rng.randint(60, 700)))
    lead = ctx.pick(ctx.shared["attorneys"])
    if n % 7 == 1:
        lead = ctx.shared["personas"]["attorney"]
    matter = Matter(
        number=f"{PREFIX[matter_type]}-{opened.year}-{n:05d}",
        name=pattern.format(a=ctx.pick(LAST_NAMES)),
        matter_type=matter_type,
        practice_area=areas.get(ctx.pick(area_codes)),  # type: ignore[misc]
        business_unit=ctx.pick(ctx.shared["business_units"]),
        status=status,
        opened_on=opened,
        closed_on=closed,
        lead_attorney=lead,
        confidential=ctx.rng.random() < 0.05,
        code_set=code_set,
        currency="USD",
        outcome=ctx.pick(["settled", "dismissed", "judgment for us", "completed"])
        if closed
        else "",
    )
    unit = matter.business_unit
    matter.gl_code = f"6400-{unit.code}" if unit else "6400"
    if matter_type in (MatterType.LITIGATION, MatterType.EMPLOYMENT, MatterType.IP):
        _exposure(ctx, matter)
    return matter


def _exposure(ctx: SeedContext, matter: Matter) -> None:
    exposure = ctx.rng.choice([50_000, 250_000, 1_000_000, 5_000_000]) * ctx.rng.randint(1, 4)
    probability = ctx.rng.choices(list(LossProbability), [20, 45, 35])[0]
    matter.exposure_minor = exposure * 100
    matter.loss_probability = probability
    matter.reserve_minor = exposure * 100 // 2 if probability == LossProbability.PROBABLE else 0
    matter.risk_rating = {"probable": "high", "reasonably_possible": "medium"}.get(
        probability, RiskRating.LOW
    )


def _teams(ctx: SeedContext, matters: list[Matter]) -> None:
    through = Matter.team.through
    rows, persona = [], ctx.shared["personas"]["attorney"]
    for matter in matters:
        members: set[int] = {matter.lead_attorney_id} if matter.lead_attorney_id else set()
        members.update(a.pk for a in ctx.sample(ctx.shared["attorneys"], ctx.rng.randint(0, 2)))
        if matter.confidential and ctx.rng.random() < 0.5:
            members.add(persona.pk)
        rows += [through(matter_id=matter.pk, user_id=pk) for pk in sorted(members)]
    ctx.bulk("matter team members", through, rows)


def _assignments(ctx: SeedContext, matters: list[Matter]) -> None:
    firms = [f for f in ctx.shared["firms"] if f.status != "inactive"]
    demo = ctx.shared["firms"][:2]  # the personas' firms get a fair share of the work
    rows = []
    for index, matter in enumerate(matters):
        chosen = [demo[index % 2]] if index % 4 < 2 else [ctx.pick(firms)]
        if ctx.rng.random() < 0.25:
            extra = ctx.pick(firms)
            if extra not in chosen:
                chosen.append(extra)
        rows += [_assignment(ctx, matter, firm, position) for position, firm in enumerate(chosen)]
    ctx.shared["assignments"] = ctx.bulk("firm assignments", MatterFirm, rows)


def _assignment(ctx: SeedContext, matter: Matter, firm: object, position: int) -> MatterFirm:
    arrangement = ctx.rng.choices(list(FeeArrangement), [70, 12, 12, 6])[0]
    amount = None
    if arrangement in (FeeArrangement.CAPPED, FeeArrangement.FIXED):
        amount = ctx.rng.choice([25_000, 50_000, 150_000, 400_000]) * 100
    return MatterFirm(
        matter=matter,
        firm=firm,  # type: ignore[misc]
        role=FirmRole.LEAD if position == 0 else ctx.pick([FirmRole.LOCAL, FirmRole.CO_COUNSEL]),
        fee_arrangement=arrangement,
        fee_amount_minor=amount,
        blended_rate=Decimal(ctx.rng.randint(450, 750)) if arrangement == "blended" else None,
        engaged_on=matter.opened_on,
    )


def _key_dates(ctx: SeedContext, matter: Matter) -> list[KeyDate]:
    if matter.status == MatterStatus.CLOSED or ctx.rng.random() < 0.5:
        return []
    label = "Hearing" if matter.matter_type == MatterType.LITIGATION else "Deliverable due"
    day = ctx.today + datetime.timedelta(days=ctx.rng.randint(5, 200))
    return [KeyDate(matter=matter, date=day, label=label)]


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(9), tzinfo=datetime.UTC)


def _split(total: int, parts: int, ctx: SeedContext) -> list[int]:
    weights = [ctx.rng.randint(1, 5) for _ in range(parts)]
    amounts = [total * w // sum(weights) for w in weights]
    amounts[0] += total - sum(amounts)
    return amounts


def seed_budgets(ctx: SeedContext) -> None:
    """Current fiscal year budgets for most open matters' lead firms: approved (phased for
    litigation), some with a revision awaiting approval, some not yet approved."""
    year = company_get().fiscal_year_of(ctx.today)
    leads = [
        a
        for a in ctx.shared["assignments"]
        if a.role == FirmRole.LEAD and a.matter.status != MatterStatus.CLOSED
    ]
    chosen = [a for a in leads if ctx.rng.random() < 0.75]
    made = ctx.bulk(
        "budgets",
        Budget,
        [
            Budget(
                matter=a.matter,
                firm=a.firm,
                fiscal_year=year,
                currency=a.firm.currency,
                alert_thresholds=list(thresholds()),
            )
            for a in chosen
        ],
    )
    _versions(ctx, made)


def _versions(ctx: SeedContext, budgets: list[Budget]) -> None:
    admin = ctx.shared["personas"]["admin"]
    versions, lines, plan = [], [], []
    for budget in budgets:
        total = ctx.rng.choice([20_000, 60_000, 120_000, 300_000, 750_000]) * 100
        phases = list(PHASES.get(budget.matter.code_set, {}))[:5]
        amounts = (
            dict(zip(phases, _split(total, len(phases), ctx), strict=True))
            if phases
            else {"": total}
        )
        story = ctx.rng.choices(["approved", "revised", "pending"], [70, 15, 15])[0]
        first = BudgetVersion(
            budget=budget,
            number=1,
            total_minor=total,
            note="initial budget",
            submitted_at=_at(ctx.today - datetime.timedelta(days=75)),
        )
        if story != "pending":
            first.status, first.decided_by = VersionStatus.APPROVED, admin
            first.decided_at = _at(ctx.today - datetime.timedelta(days=60))
        versions.append(first)
        plan.append((first, amounts))
        if story == "revised":
            bigger = {p: a * 12 // 10 for p, a in amounts.items()}
            second = BudgetVersion(
                budget=budget,
                number=2,
                total_minor=sum(bigger.values()),
                note="scope grew",
                submitted_at=_at(ctx.today - datetime.timedelta(days=10)),
            )
            versions.append(second)
            plan.append((second, bigger))
    made = ctx.bulk("budget versions", BudgetVersion, versions)
    for version, amounts in plan:
        lines += [BudgetLine(version=version, phase=p, amount_minor=a) for p, a in amounts.items()]
    ctx.bulk("budget lines", BudgetLine, lines)
    approved = [v for v in made if v.status == VersionStatus.APPROVED]
    for version in approved:
        version.budget.approved_version = version
    Budget.objects.bulk_update([v.budget for v in approved], ["approved_version"], batch_size=1000)


def seed_department_budgets(ctx: SeedContext) -> None:
    year = company_get().fiscal_year_of(ctx.today)
    code = company_get().reporting_currency
    scale = max(1, ctx.scale.matters // 40)
    rows = [
        DepartmentBudget(
            fiscal_year=year,
            practice_area=area,
            amount_minor=ctx.rng.randint(2, 12) * 100_000_00 * scale,
            currency=code,
        )
        for area in ctx.shared["practice_areas"]
    ]
    ctx.bulk("department budgets", DepartmentBudget, rows)


def _month(day: datetime.date, back: int) -> datetime.date:
    year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
    return datetime.date(year, month + 1, 1)


def seed_accruals(ctx: SeedContext) -> None:
    """The last three months: the two older ones locked, the latest open for the firms."""
    from legalops.matters.accruals import window_for

    periods = []
    for back in (3, 2, 1):
        month = _month(ctx.today, back)
        opens, deadline = window_for(month)
        locked = back > 1
        periods.append(
            AccrualPeriod(
                month=month,
                opens_on=opens,
                deadline=max(deadline, ctx.today + datetime.timedelta(days=5))
                if not locked
                else deadline,
                status=PeriodStatus.LOCKED if locked else PeriodStatus.OPEN,
            )
        )
    periods = ctx.bulk("accrual periods", AccrualPeriod, periods)
    open_work = [a for a in ctx.shared["assignments"] if a.matter.status != MatterStatus.CLOSED]
    rows = [
        _accrual(ctx, period, a)
        for period in periods
        for a in open_work
        if a.matter.opened_on <= period.deadline
        and ctx.rng.random() < (0.92 if period.status == PeriodStatus.LOCKED else 0.5)
    ]
    ctx.bulk("accruals", Accrual, rows)


def _accrual(ctx: SeedContext, period: AccrualPeriod, assignment: MatterFirm) -> Accrual:
    firm = assignment.firm
    current = 0 if ctx.rng.random() < 0.2 else ctx.rng.randint(5, 400) * 10_000
    return Accrual(
        period=period,
        matter=assignment.matter,
        firm=firm,
        current_minor=to_minor(Decimal(current) / 100, firm.currency),
        prior_minor=0 if ctx.rng.random() < 0.7 else ctx.rng.randint(1, 100) * 10_000,
        currency=firm.currency,
        reported_at=datetime.datetime.combine(
            period.opens_on, datetime.time(12), tzinfo=datetime.UTC
        ),
    )


def seed_forecasts(ctx: SeedContext) -> None:
    """Expected spend for the next two months on about a fifth of the open matters."""
    open_matters = [m for m in ctx.shared["matters"] if m.status == MatterStatus.OPEN]
    rows = []
    for matter in open_matters:
        if ctx.rng.random() > 0.2:
            continue
        for ahead in (1, 2):
            rows.append(
                Forecast(
                    matter=matter,
                    granularity=Granularity.MONTH,
                    period_start=_month(ctx.today, -ahead),
                    amount_minor=ctx.rng.randint(5, 80) * 1000_00,
                    currency=matter.currency,
                )
            )
    ctx.bulk("forecasts", Forecast, rows)


def seed_accrual_estimates(ctx: SeedContext) -> None:
    """After the invoices: each accrual becomes the firm's estimate of the work it later
    billed for that month (mostly within about 12 %, one in twenty a miss), so that accrual accuracy
    reads like a real panel's instead of comparing random numbers with the billing. Firms with
    nothing billed for the month mostly report zero, as they are asked to."""
    accruals = list(Accrual.objects.select_related("period"))
    if not accruals:
        return
    first = min(a.period.month for a in accruals)
    billed: dict[tuple[int, int, datetime.date], int] = defaultdict(int)
    lines = InvoiceLine.objects.filter(
        invoice__matter_id__in={a.matter_id for a in accruals},
        invoice__invoice_date__gte=first,
        invoice__state__in=BILLED_STATES,
    ).values_list(
        "invoice__matter_id", "invoice__firm_id", "date", "invoice__invoice_date", "billed_minor"
    )
    for matter_id, firm_id, day, invoice_date, amount in lines.iterator(chunk_size=5000):
        work = (day or invoice_date).replace(day=1)
        if invoice_date >= work:
            billed[(matter_id, firm_id, work)] += amount
    for accrual in accruals:
        later = billed.get((accrual.matter_id, accrual.firm_id, accrual.period.month), 0)
        if later > 0:
            miss = ctx.rng.random() < 0.05
            factor = ctx.rng.uniform(0.3, 1.8) if miss else max(0.0, ctx.rng.gauss(1.0, 0.12))
            accrual.current_minor = round(later * factor)
        elif ctx.rng.random() < 0.95:
            accrual.current_minor = 0
    Accrual.objects.bulk_update(accruals, ["current_minor"], batch_size=1000)
