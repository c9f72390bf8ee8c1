"""The periodic schedule that `legalops worker` runs beside the task queue.

django.tasks has no periodic scheduling, so jobs are declared here with a period, and each due
(job, slot) pair is claimed by inserting a `ScheduledRun` row: the unique constraint makes the
claim atomic across several workers, on SQLite and PostgreSQL alike. Apps register their jobs
(accrual reminders, approval escalation, budget alerts, scheduled reports) with `@periodic` in
their `tasks` module; `jobs()` imports those modules on first use, so that only the worker (and
whoever lists the jobs) pays for importing them, not every command's start-up.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from legalops.core.models import ScheduledRun

logger = logging.getLogger(__name__)

PERIODS = {"hourly": "%Y-%m-%dT%H", "daily": "%Y-%m-%d", "monthly": "%Y-%m"}


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    period: str
    func: Callable[[], str]
    description: str

    def slot(self, now: datetime.datetime) -> str:
        return now.strftime(PERIODS[self.period])


REGISTRY: dict[str, PeriodicJob] = {}


def periodic(
    name: str, period: str, description: str
) -> Callable[[Callable[[], str]], Callable[[], str]]:
    """Registers a job; it returns a one-line summary of what it did."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}")

    def register(func: Callable[[], str]) -> Callable[[], str]:
        REGISTRY[name] = PeriodicJob(name, period, func, description)
        return func

    return register


@cache
def _discover() -> None:
    autodiscover_modules("tasks")


def jobs() -> dict[str, PeriodicJob]:
    """Every app's periodic jobs by name, in INSTALLED_APPS order."""
    _discover()
    return REGISTRY


def claim(job: PeriodicJob, now: datetime.datetime) -> ScheduledRun | None:
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(job=job.name, slot=job.slot(now))
    except IntegrityError:
        return None  # another worker, or an earlier pass, has this slot


def run_due(now: datetime.datetime | None = None) -> list[ScheduledRun]:
    """Runs every job whose current slot has not run yet. Safe to call as often as you like."""
    now = now or timezone.now()
    runs = []
    for job in jobs().values():
        run = claim(job, now)
        if run is not None:
            runs.append(_execute(job, run))
    return runs


def _execute(job: PeriodicJob, run: ScheduledRun) -> ScheduledRun:
    try:
        detail, outcome = job.func(), "ok"
    except Exception as exc:  # a failing job must not stop the worker or the other jobs
        logger.exception("periodic job %s failed", job.name)
        detail, outcome = f"{type(exc).__name__}: {exc}", "failed"
    run.finished_at = timezone.now()
    run.outcome = outcome
    run.detail = detail[:2000]
    run.save(update_fields=["finished_at", "outcome", "detail"])
    return run
