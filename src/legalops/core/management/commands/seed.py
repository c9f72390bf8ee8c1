from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from legalops import seed
from legalops.core.maintenance import refresh_planner_statistics
from legalops.seed.progress import Progress
from legalops.seed.scales import SCALES


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Load deterministic synthetic data: the same --scale, --seed and --today give the "
        "same data. Bulk-inserted, one audit event per run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=iso_date,
            default=None,
            help="the date the data is generated around (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        today = options["today"] or timezone.localdate()
        try:
            report = seed.run(
                scale=options["scale"], seed=options["seed"], today=today, progress=Progress()
            )
        except seed.AlreadySeeded as exc:
            raise CommandError(str(exc)) from None
        refresh_planner_statistics()
        counts = ", ".join(f"{n} {label}" for label, n in report.counts.items())
        self.stdout.write(
            f"seeded {report.scale} (seed {report.seed}) in "
            f"{time.monotonic() - started:.1f}s: {counts}"
        )
