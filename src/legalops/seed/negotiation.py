"""Seeding rate requests for the next fiscal year in every state, with the rate card rows
that approved lines produce, and firm evaluations."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from legalops.accounts.models import Role, User
from legalops.organization.selectors import company_get
from legalops.seed.accounts import PERSONAS
from legalops.seed.context import SeedContext
from legalops.vendors.models import (
    FirmEvaluation,
    LawFirm,
    LineStatus,
    Rate,
    RateRequest,
    RateRequestLine,
    RateRequestStatus,
    RateSource,
)

# Firm A's request is in review (a counter-offer to answer), firm B's awaits legal ops.
STATES = (
    RateRequestStatus.IN_REVIEW,
    RateRequestStatus.SUBMITTED,
    RateRequestStatus.DECIDED,
    RateRequestStatus.DRAFT,
    RateRequestStatus.WITHDRAWN,
)
TWO = Decimal("0.01")


def seed_personas(ctx: SeedContext) -> None:
    """Named users later steps hang data on (the admin approves, attorneys lead matters)."""
    users: list[User] = ctx.shared["users"]
    names = {persona[0] for persona in PERSONAS}
    ctx.shared["personas"] = {u.username: u for u in users if u.username in names}
    ctx.shared["attorneys"] = [u for u in users if u.role == Role.ATTORNEY]


def _moment(ctx: SeedContext, days_ago: int) -> datetime.datetime:
    day = ctx.today - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)


def seed_rate_requests(ctx: SeedContext) -> None:
    year = company_get().fiscal_year_of(ctx.today) + 1
    start = company_get().fiscal_year_bounds(year)[0]
    open_rows = {
        r.timekeeper_id: r
        for r in ctx.shared["rates"]
        if r.timekeeper_id and r.effective_to is None
    }
    firms = [f for f in ctx.shared["firms"] if f.status != "inactive"]
    share = max(len(STATES), len(firms) * 2 // 5)
    requests, plans = [], []
    for index, firm in enumerate(firms[:share]):
        state = STATES[index % len(STATES)]
        request = _request(ctx, firm, year, start, state)
        requests.append(request)
        plans.append((request, _keepers(ctx, firm, open_rows)))
    requests = ctx.bulk("rate requests", RateRequest, requests)
    lines = [
        line for request, keepers in plans for line in _lines(ctx, request, keepers, open_rows)
    ]
    lines = ctx.bulk("rate request lines", RateRequestLine, lines)
    _apply_approved(ctx, lines, open_rows, start)


def _request(
    ctx: SeedContext, firm: LawFirm, year: int, start: datetime.date, state: str
) -> RateRequest:
    submitted = state != RateRequestStatus.DRAFT
    return RateRequest(
        firm=firm,
        fiscal_year=year,
        effective_from=start,
        status=state,
        note="Annual rate review." if submitted else "",
        created_by=None,
        created_at=_moment(ctx, 40),
        submitted_at=_moment(ctx, 35) if submitted else None,
        decided_at=_moment(ctx, 10) if state == RateRequestStatus.DECIDED else None,
    )


def _keepers(ctx: SeedContext, firm: LawFirm, open_rows: dict[int, Rate]) -> list[int]:
    own = [k.pk for k in ctx.shared["timekeepers"] if k.firm_id == firm.pk and k.pk in open_rows]
    return ctx.sample(own, ctx.rng.randint(3, 6))


def _lines(
    ctx: SeedContext, request: RateRequest, keepers: list[int], open_rows: dict[int, Rate]
) -> list[RateRequestLine]:
    admin = ctx.shared["personas"]["admin"]
    lines = []
    for position, keeper_pk in enumerate(keepers):
        prior = open_rows[keeper_pk]
        increase = 1 + Decimal(ctx.rng.randint(30, 120)) / 1000
        requested = (prior.rate * increase).quantize(TWO, rounding=ROUND_HALF_UP)
        line = RateRequestLine(
            request=request,
            timekeeper_id=keeper_pk,
            classification=prior.classification,
            requested_rate=requested,
            prior_rate=prior.rate if request.status != RateRequestStatus.DRAFT else None,
            prior_effective_from=prior.effective_from,
            firm_comment=ctx.pick(["", "market adjustment", "promotion", "expanded role"]),
        )
        _decide(ctx, line, request.status, position, prior.rate, admin)
        lines.append(line)
    return lines


def _decide(
    ctx: SeedContext, line: RateRequestLine, state: str, position: int, prior: Decimal, admin: User
) -> None:
    counter = (prior * Decimal("1.04")).quantize(TWO, rounding=ROUND_HALF_UP)
    if state == RateRequestStatus.IN_REVIEW:
        outcome = [LineStatus.APPROVED, LineStatus.COUNTERED][position % 2] if position < 2 else ""
    elif state == RateRequestStatus.DECIDED:
        outcome = LineStatus.REJECTED if position == 2 else LineStatus.APPROVED
    else:
        outcome = ""
    if not outcome:
        return
    line.status, line.decided_by, line.decided_at = outcome, admin, _moment(ctx, 20)
    if outcome == LineStatus.COUNTERED:
        line.counter_rate, line.legal_comment = counter, "above the panel median for the class"
    elif outcome == LineStatus.APPROVED:
        line.approved_rate = line.requested_rate if position != 1 else counter
    else:
        line.legal_comment = "increase above the yearly cap"


def _apply_approved(
    ctx: SeedContext,
    lines: list[RateRequestLine],
    open_rows: dict[int, Rate],
    start: datetime.date,
) -> None:
    """Approved lines become next year's rates; the rate they replace ends the day before."""
    closed, new = [], []
    for line in lines:
        if line.status != LineStatus.APPROVED or line.timekeeper_id is None:
            continue
        assert line.approved_rate is not None
        prior = open_rows[line.timekeeper_id]
        prior.effective_to = start - datetime.timedelta(days=1)
        closed.append(prior)
        new.append(
            Rate(
                firm_id=prior.firm_id,
                timekeeper_id=line.timekeeper_id,
                classification=line.classification,
                rate=line.approved_rate,
                currency=prior.currency,
                effective_from=start,
                source=RateSource.NEGOTIATION,
                approved_by=line.decided_by,
                approved_at=line.decided_at or timezone.now(),
                request_line=line,
            )
        )
    Rate.objects.bulk_update(closed, ["effective_to"], batch_size=1000)
    ctx.bulk("negotiated rates", Rate, new)


def seed_evaluations(ctx: SeedContext) -> None:
    evaluators = ctx.shared["attorneys"][:5] + [ctx.shared["personas"]["admin"]]
    rows = []
    for firm in ctx.shared["firms"]:
        for back in range(ctx.rng.randint(1, 3)):
            scores = [max(1, min(5, round(ctx.rng.gauss(3.8, 0.8)))) for _ in range(4)]
            rows.append(
                FirmEvaluation(
                    firm=firm,
                    period=str(ctx.today.year - back),
                    quality=scores[0],
                    responsiveness=scores[1],
                    budget_accuracy=scores[2],
                    value=scores[3],
                    comments=ctx.pick(["", "Strong trial team.", "Slow to respond in Q3.", ""]),
                    evaluated_by=ctx.pick(evaluators),
                    evaluated_at=_moment(ctx, 30 + 365 * back),
                )
            )
    ctx.bulk("firm evaluations", FirmEvaluation, rows)
