"""Deterministic synthetic data for demos and benchmarks (`legalops seed`).

Steps run in order inside one transaction and bulk-insert; the run writes one audit event.
Later pillars append their steps to `STEPS` (matters, budgets, invoices with narratives...).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from legalops.audit.events import Event
from legalops.audit.models import AuditEvent
from legalops.audit.services import audit_record
from legalops.reports.rollups import seed_rollups
from legalops.seed.accounts import seed_users
from legalops.seed.approvals import seed_approvals
from legalops.seed.context import SeedContext
from legalops.seed.invoices import seed_invoices
from legalops.seed.matters import (
    seed_accrual_estimates,
    seed_accruals,
    seed_budgets,
    seed_department_budgets,
    seed_forecasts,
    seed_matters,
)
from legalops.seed.negotiation import seed_evaluations, seed_personas, seed_rate_requests
from legalops.seed.organization import seed_company, seed_fx_rates, seed_units_and_areas
from legalops.seed.progress import Progress
from legalops.seed.scales import SCALES
from legalops.seed.vendors import seed_firms, seed_rate_cards, seed_timekeepers

Step = Callable[[SeedContext], None]
STEPS: list[Step] = [
    seed_company,
    seed_units_and_areas,
    seed_fx_rates,
    seed_firms,
    seed_users,
    seed_personas,
    seed_timekeepers,
    seed_rate_cards,
    seed_rate_requests,
    seed_matters,
    seed_budgets,
    seed_department_budgets,
    seed_accruals,
    seed_forecasts,
    seed_evaluations,
    seed_invoices,
    seed_approvals,  # after the invoice steps: it reads ctx.shared["invoices"] when present
    seed_accrual_estimates,  # the firms' accruals, as estimates of what they then billed
    seed_rollups,  # last: the dashboards' monthly rollups of everything seeded above
]


class AlreadySeeded(Exception):
    """The database already holds seeded data."""


@dataclass(frozen=True)
class SeedReport:
    scale: str
    seed: int
    counts: dict[str, int]


def already_seeded() -> bool:
    return AuditEvent.objects.filter(event_type=Event.SEED_LOADED).exists()


@transaction.atomic
def run(
    *, scale: str, seed: int = 1, today: datetime.date, progress: Progress | None = None
) -> SeedReport:
    if already_seeded():
        raise AlreadySeeded(
            "this database already holds seeded data; "
            "seed an empty database (e.g. `legalops flush` first)"
        )
    ctx = SeedContext(
        scale=SCALES[scale], seed=seed, today=today, progress=progress or Progress(enabled=False)
    )
    for step in STEPS:
        step(ctx)
    audit_record(
        actor=None,
        event=Event.SEED_LOADED,
        payload={"scale": scale, "seed": seed, "today": today.isoformat(), "counts": ctx.counts},
    )
    return SeedReport(scale=scale, seed=seed, counts=dict(ctx.counts))
