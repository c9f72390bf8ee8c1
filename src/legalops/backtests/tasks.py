"""The backtest run as a django.tasks task: `legalops worker` (database backend) picks it up."""

from __future__ import annotations

from django.tasks import task

from legalops.backtests.models import Backtest
from legalops.backtests.services import backtest_run


@task()
def backtest_run_task(backtest_id: int) -> dict[str, object]:
    backtest = backtest_run(backtest=Backtest.objects.get(pk=backtest_id))
    return {"backtest": backtest.pk, "status": backtest.status, "invoices": backtest.invoices_done}
