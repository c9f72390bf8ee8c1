"""The backtest run as a django.tasks task: `legalops worker` (database backend) picks it up."""

from __future__ import annotations

from django.tasks import task

from legalops.backtests.models import Backtest
from legalops.backtests.services import backtest_run, backtests_fail_stale
from legalops.core.schedule import periodic


@task()
def backtest_run_task(backtest_id: int) -> dict[str, object]:
    backtest = backtest_run(backtest=Backtest.objects.get(pk=backtest_id))
    return {"backtest": backtest.pk, "status": backtest.status, "invoices": backtest.invoices_done}


@periodic(
    "backtests-stale",
    "hourly",
    "Mark failed the backtests left running by a worker that stopped mid-run.",
)
def backtests_stale() -> str:
    return f"{backtests_fail_stale()} stale backtests marked failed"
