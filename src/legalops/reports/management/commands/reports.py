"""`legalops reports send-packs [--month YYYY-MM] [--subscription ID] [--dry-run]`: sends the
scheduled report packs of a month by hand (the worker sends the previous month's on the first
of each month). Runs as the system. A month already sent to a recipient is not sent again;
failed and skipped sends are retried. Exit codes: 0 done, 1 some sends failed (the output
lists them), 2 bad input (not a month, a month not yet ended, no such subscription)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from legalops.reports.models import ReportSubscription, SendStatus
from legalops.reports.registry import FilterError


class Command(BaseCommand):
    help = "Scheduled report packs: `send-packs` emails a month's packs to their recipients."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        send = sub.add_parser("send-packs", help="email a month's report packs")
        send.add_argument("--month", metavar="YYYY-MM", help="default: the previous month")
        send.add_argument(
            "--subscription",
            type=int,
            metavar="ID",
            help="only this subscription (sent even if paused)",
        )
        send.add_argument(
            "--dry-run", action="store_true", help="list what would be sent; send nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from legalops.reports.packs_mail import packs_send, parse_month, previous_month, summary

        today = timezone.localdate()
        try:
            month = parse_month(options["month"], today=today) if options["month"] else None
        except (FilterError, ValidationError) as exc:
            raise CommandError(f"reports send-packs: {_text(exc)}", returncode=2) from None
        month = month or previous_month(today)
        subscriptions = None
        if options["subscription"] is not None:
            subscriptions = list(ReportSubscription.objects.filter(pk=options["subscription"]))
            if not subscriptions:
                raise CommandError(
                    f"reports send-packs: no subscription {options['subscription']}", returncode=2
                )
        dry = options["dry_run"]
        outcomes = packs_send(actor=None, month=month, subscriptions=subscriptions, dry_run=dry)
        for o in outcomes:
            detail = f" ({o.detail})" if o.detail else ""
            where = f"#{o.subscription.pk} {o.subscription} -> {o.recipient}"
            self.stdout.write(f"{where}: {o.status}{detail}")
        prefix = "dry run, " if dry else ""
        self.stdout.write(f"{month:%Y-%m}: {prefix}{summary(outcomes)}")
        if any(o.status == SendStatus.FAILED for o in outcomes):
            raise CommandError("some packs could not be sent (see above)", returncode=1)


def _text(exc: Exception) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
