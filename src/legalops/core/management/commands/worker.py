from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from legalops.core import schedule

logger = logging.getLogger("legalops.worker")


class Command(BaseCommand):
    help = (
        "Run background tasks (django.tasks, database backend) and the periodic schedule "
        "(accrual reminders and locks, approval escalations, budget alerts, reports)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between checks for new tasks"
        )
        parser.add_argument(
            "--schedule-interval",
            type=float,
            default=60.0,
            help="seconds between checks of the periodic schedule",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="run due periodic jobs and queued tasks, then exit (for cron)",
        )
        parser.add_argument("--list", action="store_true", help="list the periodic jobs")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for job in schedule.jobs().values():
                self.stdout.write(f"{job.name:<28} {job.period:<8} {job.description}")
            return
        if options["once"]:
            self._report(schedule.run_due())
            call_command("db_worker", batch=True, interval=0, startup_delay=False)
            return
        stop = threading.Event()
        thread = threading.Thread(
            target=self._schedule_loop, daemon=True, args=(stop, options["schedule_interval"])
        )
        thread.start()
        try:
            call_command("db_worker", interval=options["interval"])
        finally:
            stop.set()

    def _schedule_loop(self, stop: threading.Event, interval: float) -> None:
        while not stop.is_set():
            try:
                self._report(schedule.run_due())
            except Exception:  # keep the schedule alive through a database hiccup
                logger.exception("periodic schedule pass failed")
            finally:
                close_old_connections()
            stop.wait(interval)

    def _report(self, runs: list[Any]) -> None:
        for run in runs:
            logger.info("%s [%s] %s: %s", run.job, run.slot, run.outcome, run.detail)
            self.stdout.write(
                f"{time.strftime('%H:%M:%S')} {run.job} {run.slot} {run.outcome}: {run.detail}"
            )
