"""Writes of backtests: creating one (validated, audited, queued for the worker) and running it.

A run reads invoices and writes only the backtest's own rows: the replay goes through
`invoices.review.review_with`, which builds the engine's input exactly as a platform review does
and stores nothing. Progress is saved as it goes (outside the results' transaction, so the page
polling it sees it move); the results are written at the end in one transaction, so a failed
run leaves no half report.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.backtests.models import Backtest, BacktestInvoice, BacktestRule
from legalops.backtests.replay import Replayed, replay
from legalops.guidelines import records
from legalops.guidelines.config import Guidelines
from legalops.invoices.models import SUPERSEDED_STATES, GuidelinesVersion, Invoice
from legalops.invoices.rulebook import guidelines_of, parse_version_source
from legalops.matters.models import Matter
from legalops.vendors.models import LawFirm

logger = logging.getLogger("legalops.backtests")
# Saving progress more often than this would cost more than the replay on small invoices.
PROGRESS_SECONDS = 0.5
# A running backtest without progress for this long has lost its worker (killed, restarted):
# a single invoice's replay takes seconds, storing the report a few minutes at most.
STALE_AFTER = datetime.timedelta(minutes=30)

Progress = Callable[[int, int], None]


def _label(version: GuidelinesVersion) -> str:
    return f"{version.name} {version.version} ({version.get_status_display().lower()})"


def _check_period(period_from: datetime.date, period_to: datetime.date) -> None:
    if period_from > period_to:
        raise ValidationError(
            {"period_to": f"the period ends ({period_to}) before it starts ({period_from})"}
        )


@transaction.atomic
def backtest_create(
    *,
    actor: User | None,
    period_from: datetime.date,
    period_to: datetime.date,
    version: GuidelinesVersion | None = None,
    source: bytes | None = None,
    filename: str = "guidelines.toml",
    firm: LawFirm | None = None,
    matter: Matter | None = None,
    enqueue: bool = True,
) -> Backtest:
    """A backtest of a stored version (draft or published) or of a guidelines file, queued
    for `legalops worker` unless `enqueue` is false (the CLI runs it at once)."""
    require(actor, Capability.MANAGE_GUIDELINES)
    _check_period(period_from, period_to)
    if (version is None) == (source is None):
        raise ValidationError({"guidelines": "choose one guidelines version or give one file"})
    if version is not None:
        label, sha256, text = _label(version), version.sha256, version.source
    else:
        assert source is not None
        parsed = parse_version_source(source, filename)
        label, sha256 = f"{parsed.name} {parsed.version} ({filename})", parsed.sha256
        text = source.decode("utf-8")
    backtest = Backtest.objects.create(
        guidelines=version,
        guidelines_label=label[:300],
        guidelines_sha256=sha256,
        guidelines_source=text,
        period_from=period_from,
        period_to=period_to,
        firm=firm,
        matter=matter,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        event=Event.BACKTEST_CREATED,
        target=backtest,
        payload={
            "guidelines": label,
            "sha256": sha256,
            "period": [str(period_from), str(period_to)],
            "firm": firm.law_firm_id if firm else None,
            "matter": matter.number if matter else None,
        },
    )
    if enqueue:
        _enqueue(backtest)
    return backtest


def _enqueue(backtest: Backtest) -> None:
    """Queued in the same transaction (the database backend's task row commits with the
    backtest, so the worker never sees one without the other)."""
    from legalops.backtests.tasks import backtest_run_task  # the task module imports us

    result = backtest_run_task.enqueue(backtest.pk)
    Backtest.objects.filter(pk=backtest.pk).update(task_id=str(result.id)[:64])
    backtest.task_id = str(result.id)[:64]


def backtest_invoices(backtest: Backtest) -> QuerySet[Invoice]:
    """The invoices of the period (by invoice date, both ends included) that still count:
    voided and replaced invoices are left out, as reviews leave them out of history."""
    invoices = (
        Invoice.objects.filter(invoice_date__range=(backtest.period_from, backtest.period_to))
        .exclude(state__in=SUPERSEDED_STATES)
        .select_related("firm", "matter")
    )
    if backtest.firm_id:
        invoices = invoices.filter(firm_id=backtest.firm_id)
    if backtest.matter_id:
        invoices = invoices.filter(matter_id=backtest.matter_id)
    return invoices.order_by("invoice_date", "pk")


def _claim(backtest: Backtest) -> bool:
    """Only a queued backtest starts (a task delivered twice does not run it twice)."""
    now = timezone.now()
    claimed = Backtest.objects.filter(pk=backtest.pk, status=Backtest.Status.QUEUED).update(
        status=Backtest.Status.RUNNING, started_at=now, progress_at=now
    )
    backtest.refresh_from_db()
    return claimed == 1


def backtest_run(*, backtest: Backtest, progress: Progress | None = None) -> Backtest:
    """Replays the period's invoices and stores the report. Runs in the worker (or the CLI);
    a failure is stored on the backtest with its message, and nothing of the report is."""
    if not _claim(backtest):
        return backtest
    try:
        replayed = _replay_all(backtest, progress)
        Backtest.objects.filter(pk=backtest.pk).update(progress_at=timezone.now())
        _store(backtest, replayed)
    except Exception as exc:
        logger.exception("backtest %s failed", backtest.pk)
        _fail(backtest, exc)
    backtest.refresh_from_db()
    return backtest


def _guidelines(backtest: Backtest) -> Guidelines:
    if backtest.guidelines is not None and backtest.guidelines.sha256 == backtest.guidelines_sha256:
        return guidelines_of(backtest.guidelines)
    data = backtest.guidelines_source.encode("utf-8")
    return parse_version_source(data, f"backtest {backtest.pk}")


def _replay_all(backtest: Backtest, progress: Progress | None) -> list[Replayed]:
    guidelines = _guidelines(backtest)
    invoices = list(backtest_invoices(backtest))
    total = len(invoices)
    Backtest.objects.filter(pk=backtest.pk).update(invoices_total=total)
    replayed: list[Replayed] = []
    known: dict[int, records.Invoice] = {}
    lines = 0
    saved_at = time.monotonic()
    for done, invoice in enumerate(invoices, start=1):
        replayed.append(replay(invoice, guidelines, known))
        lines += replayed[-1].item.lines
        if done == total or time.monotonic() - saved_at >= PROGRESS_SECONDS:
            Backtest.objects.filter(pk=backtest.pk).update(
                invoices_done=done, lines_total=lines, progress_at=timezone.now()
            )
            saved_at = time.monotonic()
            if progress is not None:
                progress(done, total)
    return replayed


@transaction.atomic
def _store(backtest: Backtest, replayed: list[Replayed]) -> None:
    items = BacktestInvoice.objects.bulk_create(
        [_with_backtest(r.item, backtest) for r in replayed], batch_size=500
    )
    rules = []
    for item, entry in zip(items, replayed, strict=True):
        for rule in entry.rules:
            rule.item = item
            rules.append(rule)
    BacktestRule.objects.bulk_create(rules, batch_size=1000)
    backtest.status = Backtest.Status.DONE
    backtest.invoices_total = backtest.invoices_done = len(items)
    backtest.lines_total = sum(item.lines for item in items)
    backtest.finished_at = timezone.now()
    backtest.save(
        update_fields=["status", "invoices_total", "invoices_done", "lines_total", "finished_at"]
    )
    audit_record(
        actor=None,
        event=Event.BACKTEST_FINISHED,
        target=backtest,
        payload={"invoices": len(items), "lines": backtest.lines_total, "status": "done"},
    )


def _with_backtest(item: BacktestInvoice, backtest: Backtest) -> BacktestInvoice:
    item.backtest = backtest
    return item


def _fail(backtest: Backtest, exc: Exception) -> None:
    _record_failure(backtest, f"{type(exc).__name__}: {exc}"[:2000])


@transaction.atomic
def _record_failure(backtest: Backtest, message: str, *, only_if_running: bool = False) -> bool:
    rows = Backtest.objects.filter(pk=backtest.pk)
    if only_if_running:
        rows = rows.filter(status=Backtest.Status.RUNNING)
    if not rows.update(status=Backtest.Status.FAILED, error=message, finished_at=timezone.now()):
        return False
    audit_record(
        actor=None,
        event=Event.BACKTEST_FINISHED,
        target=backtest,
        payload={"status": "failed", "error": message},
    )
    return True


def backtests_fail_stale(now: datetime.datetime | None = None) -> int:
    """Marks failed the running backtests whose worker stopped mid-run (no progress for
    STALE_AFTER), so that they do not show "running" for ever; returns how many. Their report
    was never stored (it is written in one transaction at the end): run them again."""
    cutoff = (now or timezone.now()) - STALE_AFTER
    stale = Backtest.objects.filter(status=Backtest.Status.RUNNING).filter(
        Q(progress_at__lt=cutoff) | Q(progress_at__isnull=True, started_at__lt=cutoff)
    )
    minutes = int(STALE_AFTER.total_seconds() // 60)
    message = (
        f"no progress for {minutes} minutes: the worker running this backtest stopped "
        "(restarted or killed) before it finished; nothing of its report was stored, "
        "start it again"
    )
    return sum(_record_failure(b, message, only_if_running=True) for b in stale)
