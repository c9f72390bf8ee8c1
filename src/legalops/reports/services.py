"""Writes of the insight app: rebuilding the rollups (the only thing people may trigger;
everything else here is derived by `reports.rollups`)."""

from __future__ import annotations

from django.db import transaction

from legalops.accounts.models import User
from legalops.accounts.permissions import Capability, require
from legalops.audit.events import Event
from legalops.audit.services import audit_record
from legalops.core.maintenance import refresh_planner_statistics
from legalops.reports.rollups import ROLLUP_MODELS, RebuildReport, rebuild


@transaction.atomic
def rollups_rebuild(*, actor: User | None) -> RebuildReport:
    """Recomputes every rollup row from the invoices, with one audit event (bulk paths and
    `legalops rollups rebuild`)."""
    require(actor, Capability.MANAGE_ORGANIZATION)
    report = rebuild()
    refresh_planner_statistics(ROLLUP_MODELS)
    audit_record(
        actor=actor,
        event=Event.ROLLUPS_REBUILT,
        payload={
            "invoice_rows": report.invoice_rows,
            "staffing_rows": report.staffing_rows,
            "unconverted": report.unconverted,
        },
    )
    return report
