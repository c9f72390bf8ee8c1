"""A backtest whose worker stopped mid-run is marked failed by the hourly check instead of
showing "running" for ever; live runs and finished ones are left alone."""

from __future__ import annotations

import datetime

from django.utils import timezone

from legalops.audit.models import AuditEvent
from legalops.backtests import services
from legalops.backtests.models import Backtest
from legalops.core.schedule import jobs, run_due


def _created(admin, versions, **fields) -> Backtest:
    backtest = services.backtest_create(
        actor=admin,
        version=versions["draft"],
        period_from=datetime.date(2026, 11, 1),
        period_to=datetime.date(2026, 11, 30),
        enqueue=False,
    )
    Backtest.objects.filter(pk=backtest.pk).update(**fields)
    return backtest


def test_a_run_without_progress_for_thirty_minutes_is_failed_once(admin, versions):
    now = timezone.now()
    lost = _created(
        admin,
        versions,
        status="running",
        started_at=now - datetime.timedelta(hours=2),
        progress_at=now - datetime.timedelta(minutes=31),
    )
    live = _created(
        admin,
        versions,
        status="running",
        started_at=now - datetime.timedelta(hours=2),
        progress_at=now - datetime.timedelta(minutes=29),
    )
    # Rows from before progress was recorded: judged by their start.
    old = _created(
        admin,
        versions,
        status="running",
        started_at=now - datetime.timedelta(hours=1),
        progress_at=None,
    )
    queued = _created(admin, versions, created_at=now - datetime.timedelta(days=1))
    assert services.backtests_fail_stale(now) == 2
    states = dict(Backtest.objects.values_list("pk", "status"))
    assert (states[lost.pk], states[old.pk]) == ("failed", "failed")
    assert (states[live.pk], states[queued.pk]) == ("running", "queued")
    lost.refresh_from_db()
    assert "worker running this backtest stopped" in lost.error and lost.finished_at is not None
    assert lost.finished
    failed = AuditEvent.objects.filter(event_type="backtest.finished")
    assert sorted(e.payload["status"] for e in failed) == ["failed", "failed"]
    # A second pass finds nothing more to do.
    assert services.backtests_fail_stale(now) == 0


def test_a_normal_run_records_progress_and_the_check_is_scheduled(admin, versions, history):
    backtest = _created(admin, versions)
    started = timezone.now()
    services.backtest_run(backtest=backtest)
    backtest.refresh_from_db()
    assert backtest.status == "done"
    assert backtest.progress_at is not None and backtest.progress_at >= started
    assert jobs()["backtests-stale"].period == "hourly"
    [run] = [r for r in run_due() if r.job == "backtests-stale"]
    assert run.outcome == "ok"
