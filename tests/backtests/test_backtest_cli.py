"""`legalops backtest` (synchronous) and the queued run through `legalops worker`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from tests.backtests.conftest import DRAFT

from legalops.backtests.models import Backtest


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("backtest", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_json_report_of_a_stored_draft(history, versions):
    body = json.loads(
        run(
            "--guidelines-version",
            str(versions["draft"].pk),
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--json",
        )
    )
    assert body["backtest"]["status"] == "done"
    [total] = body["totals"]
    assert (total["billed"], total["saved"], total["actual_saved"]) == (
        "3450.00",
        "400.00",
        "1100.00",
    )


def test_a_file_that_is_not_stored(history, tmp_path):
    path = tmp_path / "proposal.toml"
    path.write_bytes(DRAFT)
    out = run("--guidelines", str(path), "--from", "2026-11-01", "--to", "2026-11-30")
    assert "3 invoices, 5 lines" in out
    assert "would save 400.00" in out and "actually saved 1100.00" in out
    backtest = Backtest.objects.get()
    assert backtest.guidelines is None and backtest.guidelines_source == DRAFT.decode()


def test_filters_by_firm(history, versions):
    out = run(
        "--guidelines-version",
        str(versions["draft"].pk),
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-30",
        "--firm",
        "94-7654321",
    )
    assert "1 invoices, 1 lines" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--guidelines-version", "999999"], "no guidelines version 999999"),
        (["--guidelines", "/nonexistent.toml"], "cannot read"),
        (["--guidelines-version", "{draft}", "--firm", "00-0"], "no firm with LAW_FIRM_ID 00-0"),
    ],
)
def test_bad_input(versions, args, message):
    args = [a.format(draft=versions["draft"].pk) for a in args]
    with pytest.raises(CommandError, match=message):
        run(*args, "--from", "2026-11-01", "--to", "2026-11-30")
    assert Backtest.objects.count() == 0


def test_reversed_period_and_bad_dates(versions):
    draft = str(versions["draft"].pk)
    with pytest.raises(CommandError, match="ends .* before it starts"):
        run("--guidelines-version", draft, "--from", "2026-11-30", "--to", "2026-11-01")
    with pytest.raises(CommandError, match="not a date"):
        run("--guidelines-version", draft, "--from", "30/11/2026", "--to", "2026-12-01")
    assert Backtest.objects.count() == 0


def test_an_invalid_guidelines_file_names_the_problem(db, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_bytes(b'[guidelines]\nname = "x"\n[rules.block-billing]\nreduce_percent = "lots"\n')
    with pytest.raises(CommandError, match="reduce_percent"):
        run("--guidelines", str(path), "--from", "2026-11-01", "--to", "2026-11-30")
    assert Backtest.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the task worker closes and reopens connections
def test_queued_backtest_runs_in_the_worker(settings, history, versions, admin):
    import datetime

    from legalops.backtests import services

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    backtest = services.backtest_create(
        actor=admin,
        version=versions["draft"],
        period_from=datetime.date(2026, 11, 1),
        period_to=datetime.date(2026, 11, 30),
    )
    backtest.refresh_from_db()
    assert backtest.status == "queued" and backtest.task_id
    call_command("worker", "--once", stdout=io.StringIO(), stderr=io.StringIO())
    backtest.refresh_from_db()
    assert backtest.status == "done", backtest.error
    assert (backtest.invoices_done, backtest.invoices_total, backtest.percent) == (3, 3, 100)
