import datetime

import pytest
from django.utils import timezone

from legalops.core import schedule
from legalops.core.models import ScheduledRun


@pytest.fixture
def jobs(monkeypatch):
    calls = []
    registry = {}
    schedule.jobs()  # the apps' jobs register now, not into this test's registry
    monkeypatch.setattr(schedule, "REGISTRY", registry)

    @schedule.periodic("count", "daily", "counts")
    def count():
        calls.append("count")
        return "counted"

    @schedule.periodic("broken", "hourly", "fails")
    def broken():
        raise ValueError("boom")

    return calls


def at(hour, day=28):
    return datetime.datetime(2026, 11, day, hour, 5, tzinfo=datetime.UTC)


def test_each_job_runs_once_per_slot(db, jobs):
    runs = schedule.run_due(at(9))
    assert sorted((r.job, r.outcome) for r in runs) == [("broken", "failed"), ("count", "ok")]
    assert schedule.run_due(at(9)) == []
    assert [r.job for r in schedule.run_due(at(10))] == ["broken"]  # hourly, new slot
    assert [r.job for r in schedule.run_due(at(0, day=29))] == ["count", "broken"]
    assert jobs == ["count", "count"]


def test_a_failing_job_is_recorded_and_does_not_stop_the_others(db, jobs):
    schedule.run_due(at(9))
    failed = ScheduledRun.objects.get(job="broken")
    assert failed.detail == "ValueError: boom" and failed.finished_at is not None
    assert ScheduledRun.objects.get(job="count").detail == "counted"


def test_unknown_periods_are_refused():
    with pytest.raises(ValueError, match="unknown period"):
        schedule.periodic("x", "weekly", "")


def test_the_built_in_jobs_run(db):
    runs = schedule.run_due(timezone.now())
    assert {r.job for r in runs} >= {
        "clear-expired-sessions",
        "prune-login-failures",
        "prune-task-results",
    }
    assert all(r.outcome == "ok" for r in runs)
