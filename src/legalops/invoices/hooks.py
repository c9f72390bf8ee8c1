"""What only invoices know, given to the apps that asked for it: approved spend (budgets,
forecasts), billed hours (rate-change impact) and "invoices still pending" (matter close)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Sum

from legalops.invoices.models import OPEN_STATES, Invoice, InvoiceLine, State
from legalops.ledes import utbms_phase
from legalops.matters import services as matter_services
from legalops.matters.models import Matter
from legalops.matters.spend import Spend, spend_source_register
from legalops.vendors.impact import BilledHours, hours_source_register

# Money the company has agreed to pay: what counts as spend.
# An appealed invoice stays committed while the appeal runs (its amount can only go up).
SPENT_STATES = (
    State.APPROVED,
    State.APPROVED_ADJUSTED,
    State.SENT_TO_AP,
    State.PAID,
    State.APPEALED,
)
# Work the firm billed and we did not throw out: what counts as hours.
BILLED_STATES = (*OPEN_STATES, *SPENT_STATES)


def approved_spend(
    matter_ids: Sequence[int], start: datetime.date, end: datetime.date
) -> dict[tuple[int, int], Spend]:
    """Approved amounts per (matter, firm) by invoice date, with the part of each UTBMS phase."""
    rows = (
        InvoiceLine.objects.filter(
            invoice__matter_id__in=matter_ids,
            invoice__invoice_date__range=(start, end),
            invoice__state__in=SPENT_STATES,
        )
        .values("invoice__matter_id", "invoice__firm_id", "invoice__currency", "task_code")
        .annotate(amount=Sum("approved_minor"))
    )
    found: dict[tuple[int, int], Spend] = {}
    phases: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[tuple[int, int], int] = defaultdict(int)
    currencies: dict[tuple[int, int], str] = {}
    for row in rows:
        key = (row["invoice__matter_id"], row["invoice__firm_id"])
        totals[key] += row["amount"]
        currencies[key] = row["invoice__currency"]
        phase = utbms_phase(row["task_code"]) if row["task_code"] else None
        if phase:
            phases[key][phase] += row["amount"]
    for key, total in totals.items():
        found[key] = Spend(currencies[key], total, dict(phases[key]))
    return found


def billed_hours(firm_id: int, start: datetime.date, end: datetime.date) -> BilledHours:
    """Fee hours the firm billed in the period, per timekeeper and per classification."""
    lines = InvoiceLine.objects.filter(
        invoice__firm_id=firm_id,
        invoice__invoice_date__range=(start, end),
        invoice__state__in=BILLED_STATES,
        kind="F",
    )
    by_timekeeper: dict[int, Decimal] = {
        row["timekeeper_id"]: row["hours"]
        for row in lines.exclude(timekeeper__isnull=True)
        .values("timekeeper_id")
        .annotate(hours=Sum("units"))
    }
    by_class: dict[str, Decimal] = {
        row["classification"]: row["hours"]
        for row in lines.values("classification").annotate(hours=Sum("units"))
    }
    return BilledHours(
        by_timekeeper={k: Decimal(v) for k, v in by_timekeeper.items() if v},
        by_classification={k: Decimal(v) for k, v in by_class.items() if v},
    )


def pending_invoices(matter: Matter) -> str | None:
    count = Invoice.objects.filter(matter=matter, state__in=OPEN_STATES).count()
    return f"{count} invoice(s) on this matter are still pending" if count else None


def register() -> None:
    spend_source_register(approved_spend)
    hours_source_register(billed_hours)
    matter_services.close_blocker_register(pending_invoices)
