"""AP export: batches in the finance-chosen layout (CSV and Excel), marking invoices sent to
AP, downloading a batch again unchanged, vendor numbers, permissions."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook
from tests.approvals.ebilling import BLOCK, CLEAN, EXPENSE
from tests.factories import BusinessUnitFactory

from legalops.audit.models import AuditEvent
from legalops.invoices.models import State
from legalops.payables import export, services
from legalops.payables.models import ApBatch
from legalops.vendors.models import LawFirm


def rows(batch):
    text = export.batch_csv(batch).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.fixture
def ready(approved, matter_a, firm_a, admin):
    matter_a.gl_code = "6100-LEGAL"
    matter_a.business_unit = BusinessUnitFactory(code="CC-410", name="Retail")
    matter_a.save()
    services.vendor_number_set(actor=admin, firm=firm_a, vendor_number="V-000123")
    return approved(BLOCK, EXPENSE)  # billed 2,120.00, approved 1,120.00


def test_a_batch_sends_approved_invoices_to_ap_in_the_default_layout(ready, admin):
    batch = services.ap_batch_create(actor=admin)
    ready.refresh_from_db()
    assert ready.state == State.SENT_TO_AP and ready.sent_to_ap_at == batch.created_at
    assert batch.number == f"AP-{batch.created_at:%Y}-00001"
    header, line = rows(batch)
    assert header == [
        "Vendor number",
        "Vendor ID",
        "Vendor name",
        "Invoice number",
        "Invoice date",
        "Due date",
        "GL code",
        "Cost centre",
        "Currency",
        "Billed",
        "Approved amount",
        "Tax",
        "Amount payable",
        "Reporting amount",
        "Line type",
    ]
    assert line == [
        "V-000123",
        "36-1234567",
        "Hale & Whitmore LLP",
        ready.invoice_number,
        "2026-11-15",
        "2026-12-15",  # 30 days' payment terms
        "6100-LEGAL",
        "CC-410",
        "USD",
        "2120.00",
        "1120.00",
        "0.00",
        "1120.00",
        "1120.00",
        "INVOICE",
    ]
    assert AuditEvent.objects.filter(event_type="ap_batch.created").count() == 1


def test_the_layout_picks_orders_and_names_columns_and_old_batches_keep_theirs(ready, admin):
    first = services.ap_batch_create(actor=admin)
    before = export.batch_csv(first)
    services.ap_layout_set(
        actor=admin,
        columns=[("invoice_number", "Doc no"), ("amount_payable", ""), ("approved_on", "Appr")],
        date_format="%d/%m/%Y",
    )
    ready.matter.gl_code = "9999-CHANGED"
    ready.matter.save()
    assert export.batch_csv(first) == before  # downloading again gives the same file
    with pytest.raises(ValidationError, match="nothing to export"):
        services.ap_batch_create(actor=admin)


def test_a_new_layout_applies_to_the_next_batch(approved, admin):
    invoice = approved(CLEAN)
    services.ap_layout_set(
        actor=admin,
        columns=[("invoice_number", "Doc no"), ("amount_payable", ""), ("approved_on", "Appr")],
        date_format="%d/%m/%Y",
    )
    batch = services.ap_batch_create(actor=admin)
    invoice.refresh_from_db()
    assert rows(batch) == [
        ["Doc no", "Amount payable", "Appr"],
        [invoice.invoice_number, "1000.00", invoice.decided_at.strftime("%d/%m/%Y")],
    ]


def test_the_excel_file_holds_real_dates_and_numbers(ready, admin):
    batch = services.ap_batch_create(actor=admin)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(export.batch_xlsx(batch))).get_sheet_by_index(
        0
    )
    header, line = sheet.to_python()
    assert header[4] == "Invoice date" and line[4] == datetime.date(2026, 11, 15)
    assert header[10] == "Approved amount" and line[10] == 1120.0
    assert line[0] == "V-000123"


def test_chosen_invoices_only_and_refusals(approved, admin, attorney, bill):
    one, two = approved(CLEAN), approved(CLEAN)
    pending = bill(CLEAN)
    with pytest.raises(ValidationError, match="not .*approved"):
        services.ap_batch_create(actor=admin, invoice_ids=[one.pk, pending.pk])
    batch = services.ap_batch_create(actor=admin, invoice_ids=[one.pk])
    assert [line.invoice_id for line in batch.lines.all()] == [one.pk]
    two.refresh_from_db()
    assert two.state == State.APPROVED
    with pytest.raises(PermissionDenied):
        services.ap_batch_create(actor=attorney)
    assert ApBatch.objects.count() == 1


def test_amounts_in_another_currency_are_converted_for_reporting(approved, firm_a, attorney, admin):
    from tests.factories import MatterFactory

    from legalops.organization.services import fx_rate_set

    MatterFactory(number="EU-9", currency="EUR", firms=[firm_a], lead_attorney=attorney)
    fx_rate_set(
        actor=None, base="USD", quote="EUR", date=datetime.date(2026, 1, 1), rate=Decimal("0.8")
    )
    invoice = approved(CLEAN, matter="EU-9")  # 1,000.00 EUR; USD per EUR = 1 / 0.8
    services.ap_layout_set(
        actor=admin,
        columns=[
            ("currency", ""),
            ("amount_payable", ""),
            ("fx_rate", ""),
            ("reporting_amount", ""),
        ],
        date_format="%Y-%m-%d",
    )
    batch = services.ap_batch_create(actor=admin)
    assert rows(batch)[1] == ["EUR", "1000.00", "1.25", "1250.00"]
    assert invoice.currency == "EUR"


def test_vendor_numbers_are_unique_and_clearable(firm_a, firm_b, admin, attorney):
    services.vendor_number_set(actor=admin, firm=firm_a, vendor_number="V-1")
    with pytest.raises(ValidationError, match="another firm"):
        services.vendor_number_set(actor=admin, firm=firm_b, vendor_number="V-1")
    services.vendor_number_set(actor=admin, firm=firm_a, vendor_number="")
    assert not LawFirm.objects.filter(ap_account__isnull=False).exists()
    with pytest.raises(PermissionDenied):
        services.vendor_number_set(actor=attorney, firm=firm_a, vendor_number="V-2")


def test_the_layout_is_validated(admin):
    with pytest.raises(ValidationError, match="at least one"):
        services.ap_layout_set(actor=admin, columns=[], date_format="%Y-%m-%d")
    with pytest.raises(ValidationError, match="unknown fields: colour"):
        services.ap_layout_set(actor=admin, columns=[("colour", "")], date_format="%Y-%m-%d")
    with pytest.raises(ValidationError, match="once"):
        services.ap_layout_set(
            actor=admin, columns=[("gl_code", "a"), ("gl_code", "b")], date_format="%Y-%m-%d"
        )
