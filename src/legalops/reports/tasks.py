"""Periodic work of the insight app, run by `legalops worker` (core.schedule)."""

from __future__ import annotations

from django.utils import timezone

from legalops.core.schedule import periodic


@periodic("report-packs", "monthly", "Email last month's report packs to their recipients.")
def report_packs() -> str:
    """The first worker pass of a month sends the month before; the slot (one per month) and
    the per-recipient send records together make it go out once."""
    # Imported here: the PDF writer (WeasyPrint) is slow to import, and every command loads
    # this module at start-up.
    from legalops.reports.packs_mail import packs_send, previous_month, summary

    month = previous_month(timezone.localdate())
    return f"{month:%Y-%m}: {summary(packs_send(actor=None, month=month))}"
