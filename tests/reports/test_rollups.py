"""The rollups follow every change the services make to invoices, and always equal a
recomputation from the raw rows (`rebuild`)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from tests.invoices.spend_fixtures import GUIDELINES, flagged_file

from legalops.invoices import services
from legalops.invoices.models import Flag
from legalops.invoices.rulebook import guidelines_load
from legalops.payables import services as payables
from legalops.reports.models import (
    FirmInvoiceMonth,
    FirmStaffingMonth,
    InvoiceCycle,
    InvoiceCycleMonth,
    InvoiceMonth,
    StaffingMonth,
    WorkMonth,
)
from legalops.reports.rollups import rebuild


def snapshot() -> list[dict[str, Any]]:
    rows = [
        {k: v for k, v in row.items() if k != "id"}
        for model in (
            InvoiceMonth,
            StaffingMonth,
            InvoiceCycle,
            InvoiceCycleMonth,
            FirmInvoiceMonth,
            FirmStaffingMonth,
            WorkMonth,
        )
        for row in model.objects.values()
    ]
    return sorted(rows, key=repr)


def equals_rebuild() -> bool:
    maintained = snapshot()
    with transaction.atomic():
        rebuild()
        rebuilt = snapshot()
        transaction.set_rollback(True)
    return maintained == rebuilt


@pytest.fixture
def invoice(
    intake: Any, matter_a: Any, rate_card: Any, django_capture_on_commit_callbacks: Any
) -> Any:
    guidelines_load(actor=None, data=GUIDELINES, filename="northwind.toml")
    with django_capture_on_commit_callbacks(execute=True):
        return intake(flagged_file()).received[0]


def test_intake_fills_the_rollups(invoice: Any) -> None:
    row = InvoiceMonth.objects.get()
    # billed 4.0 h x 500.00 + 0.5 h x 300.00 + 120.00 = 2270.00; nothing decided yet
    assert (row.billed_count, row.billed_rc, row.fees_rc, row.expenses_rc) == (
        1,
        227000,
        215000,
        12000,
    )
    assert (row.spent_count, row.approved_rc, row.line_count, row.flagged_line_count) == (
        0,
        0,
        3,
        2,  # block billing, and the associate's line held as vague
    )
    staffing = {s.bucket: (s.hours, s.fees_rc) for s in StaffingMonth.objects.all()}
    assert staffing == {"partner": (Decimal("4"), 200000), "associate": (Decimal("0.5"), 15000)}
    assert equals_rebuild()


def clear_hold(invoice: Any, admin: Any) -> None:
    hold = Flag.objects.get(invoice=invoice, rule="vague-description")
    services.flag_decide(actor=admin, flag=hold, accept=True)


def approve(invoice: Any, admin: Any) -> None:
    clear_hold(invoice, admin)
    services.invoice_submit_for_approval(actor=admin, invoice=invoice)
    services.invoice_approve(actor=admin, invoice=invoice)


def test_approval_with_reductions_and_rejection(
    invoice: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        approve(invoice, admin)
    row = InvoiceMonth.objects.get()
    # block billing reduced 50 %: 2000.00 -> 1000.00; approved 2270.00 - 1000.00 = 1270.00
    assert (row.spent_count, row.spent_billed_rc, row.approved_rc) == (1, 227000, 127000)
    assert (row.reduced_rc, row.adjusted_count, row.decided_count) == (100000, 1, 1)
    partner = StaffingMonth.objects.get(bucket="partner")
    assert (partner.spent_hours, partner.spent_approved_rc) == (Decimal("4"), 100000)
    assert equals_rebuild()


def test_a_rolled_back_change_leaves_them_alone(
    invoice: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    before = snapshot()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.invoice_reject(
            actor=admin, invoice=invoice, reason_code="billing-error", comment="codes"
        )
        raise RuntimeError("the request failed after the rejection")
    assert snapshot() == before
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_reject(
            actor=admin, invoice=invoice, reason_code="billing-error", comment="codes"
        )
    row = InvoiceMonth.objects.get()
    assert (row.billed_count, row.billed_rc, row.rejected_count, row.decided_count) == (0, 0, 1, 1)
    assert not StaffingMonth.objects.exists()
    assert equals_rebuild()


def test_overriding_a_flag_gives_the_money_back(
    invoice: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    flag = Flag.objects.get(invoice=invoice, rule="block-billing")
    with django_capture_on_commit_callbacks(execute=True):
        services.flag_decide(
            actor=admin, flag=flag, accept=False, reason_code="other", comment="fine"
        )
        clear_hold(invoice, admin)
        services.invoice_submit_for_approval(actor=admin, invoice=invoice)
        services.invoice_approve(actor=admin, invoice=invoice)
    row = InvoiceMonth.objects.get()
    assert (row.approved_rc, row.reduced_rc) == (227000, 0)
    assert equals_rebuild()


def test_rebuild_command_repairs_them_and_is_audited(invoice: Any) -> None:
    import io

    from django.core.management import call_command

    from legalops.audit.models import AuditEvent

    expected = snapshot()
    InvoiceMonth.objects.update(billed_rc=1)  # damaged
    out = io.StringIO()
    call_command("rollups", "rebuild", stdout=out)
    assert "rebuilt 1 invoice and 2 staffing rows" in out.getvalue()
    assert snapshot() == expected
    assert AuditEvent.objects.filter(event_type="rollups.rebuilt").count() == 1


def test_sending_to_ap_and_payment_keep_the_cycle_counts(
    invoice: Any, admin: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        approve(invoice, admin)
    spans = set(InvoiceCycleMonth.objects.values_list("span", flat=True))
    assert spans == {"approval_seconds", "review_seconds", "approval_stage_seconds"}
    with django_capture_on_commit_callbacks(execute=True):
        payables.ap_batch_create(actor=admin)
        invoice.refresh_from_db()
        payables.payment_record(actor=admin, invoice=invoice, paid_on=timezone.localdate())
    paid = InvoiceCycleMonth.objects.get(span="payment_days")
    days = (timezone.localdate() - invoice.received_on).days
    assert (paid.month, paid.count, paid.low, paid.high) == (
        timezone.localdate().replace(day=1),
        1,
        days,
        days,
    )
    assert equals_rebuild()


def test_work_months_follow_intake_and_rejection(
    intake: Any,
    matter_a: Any,
    rate_card: Any,
    admin: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from tests.invoices.builders import Bill, Expense, Fee, ledes

    # Invoiced 2026-11-15: a fee of October's work and November's fee and expense.
    late = Fee("1.0", "500.00", "Draft reply brief", date="20261028")
    now = Fee("2.0", "500.00", "Argue the motion", date="20261105")
    cost = Expense("120.00", "E110", "Court reporter", date="20261106")
    data = ledes(Bill("INV-W", "LIT-001", lines=[late, now, cost]))
    with django_capture_on_commit_callbacks(execute=True):
        received = intake(data).received[0]
    rows = {(r.month, r.work_month): r.billed_rc for r in WorkMonth.objects.all()}
    november, october = datetime.date(2026, 11, 1), datetime.date(2026, 10, 1)
    assert rows == {(november, october): 50000, (november, november): 112000}
    assert equals_rebuild()
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_reject(
            actor=admin, invoice=received, reason_code="billing-error", comment="codes"
        )
    assert not WorkMonth.objects.exists()  # a rejected invoice bills nothing
    assert equals_rebuild()


def test_the_work_month_migration_fills_them_for_invoices_already_there(invoice: Any) -> None:
    import importlib

    from django.apps import apps

    expected = sorted(WorkMonth.objects.values_list("month", "work_month", "billed_rc"))
    assert expected  # the invoice bills work, so an empty table would not be a pass
    WorkMonth.objects.all().delete()  # as on a database from before reports.0006
    migration = importlib.import_module("legalops.reports.migrations.0006_work_month")
    migration.fill_work_months(apps, None)
    assert sorted(WorkMonth.objects.values_list("month", "work_month", "billed_rc")) == expected
    assert equals_rebuild()


def test_a_migration_fill_that_fails_keeps_the_rows_and_says_to_rebuild(
    invoice: Any, capsys: Any
) -> None:
    from django.db import DatabaseError

    from legalops.reports.rollups import fill_in_migration

    before = snapshot()
    assert before

    def broken() -> int:
        WorkMonth.objects.all().delete()
        raise DatabaseError("no such column: invoices_invoice.new_field")

    fill_in_migration("reports.0006", broken)
    assert snapshot() == before  # the half-done fill was rolled back
    assert "reports.0006: rollup rows not filled" in capsys.readouterr().err


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_leaves_postgresql_statistics_of_the_rollups(firm_a: Any) -> None:
    """`rollups_rebuild` rewrites whole tables; the planner must know their new sizes at once
    (autovacuum may be off, as on CI servers)."""
    from django.db import connection
    from tests.factories import MatterFactory
    from tests.reports.dataset import D
    from tests.reports.dataset import invoice as make_invoice

    from legalops.reports.services import rollups_rebuild

    for n, matter in enumerate(MatterFactory.create_batch(3)):
        make_invoice(
            firm=firm_a, matter=matter, number=f"S-{n}", day=D(2026, 1, 10), lines=[{"billed": 100}]
        )
    assert rollups_rebuild(actor=None).invoice_rows == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'reports_invoicemonth'")
        assert cursor.fetchone() == (3,)
