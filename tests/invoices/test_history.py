"""`legalops import history`: past invoices with their final state, approved amounts and
payments; all-or-nothing, idempotent, and seen by intake's duplicate check afterwards."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from tests.invoices.builders import Bill, Fee, ledes

from legalops.audit.models import AuditEvent
from legalops.invoices.history import COLUMNS, history_import
from legalops.invoices.models import Adjustment, Invoice, InvoiceLine, StateChange
from legalops.invoices.services import totals_refresh
from legalops.matters.models import Matter, MatterFirm
from legalops.payables.models import Payment
from legalops.vendors.models import LawFirm, Timekeeper

FIRM = "36-1234567"


def row(
    number,
    line,
    total,
    approved,
    *,
    state="paid",
    paid="2026-03-20",
    units="",
    cost="",
    firm=FIRM,
    matter="LIT-001",
    keeper=("TK1", "Hale, Grace", "PARTNR"),
):
    return {
        "invoice_date": "2026-02-05",
        "invoice_number": number,
        "law_firm_matter_id": "FM-1",
        "billing_start_date": "2026-01-01",
        "billing_end_date": "2026-01-31",
        "invoice_description": "January services",
        "line_item_number": str(line),
        "exp/fee/inv_adj_type": "F",
        "line_item_number_of_units": units,
        "line_item_total": total,
        "line_item_date": "2026-01-15",
        "line_item_task_code": "L120",
        "line_item_activity_code": "A104",
        "timekeeper_id": keeper[0],
        "timekeeper_name": keeper[1],
        "timekeeper_classification": keeper[2],
        "line_item_description": f"Review documents {number}/{line}",
        "law_firm_id": firm,
        "line_item_unit_cost": cost,
        "client_matter_id": matter,
        "state": state,
        "approved_total": approved,
        "paid_date": paid if state == "paid" else "",
    }


def csv_bytes(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


# H-1: paid, 2.0 h x 500 = 1,000.00 cut to 800.00, plus 300.00 approved as billed
# H-2: approved as billed, 450.00
GOOD = [
    row("H-1", 1, "1000.00", "800.00", units="2.0", cost="500.00"),
    row("H-1", 2, "300.00", "300.00"),
    row("H-2", 1, "450.00", "450.00", state="approved"),
]


def test_a_good_file_lands_with_states_amounts_and_payments(matter_a, admin):
    result = history_import(actor=admin, name="past.csv", data=csv_bytes(GOOD))
    assert result.problems == [] and result.written
    paid = Invoice.objects.get(invoice_number="H-1")
    assert (paid.state, paid.billed_minor, paid.approved_minor) == ("paid", 130000, 110000)
    assert paid.paid_on == datetime.date(2026, 3, 20) and paid.source == "history"
    assert Payment.objects.get(invoice=paid).amount_minor == 110000
    assert [a.amount_minor for a in Adjustment.objects.filter(invoice=paid)] == [-20000]
    approved = Invoice.objects.get(invoice_number="H-2")
    assert (approved.state, approved.approved_minor) == ("approved", 45000)
    assert not Payment.objects.filter(invoice=approved).exists()
    assert InvoiceLine.objects.count() == 3
    assert StateChange.objects.get(invoice=paid).to_state == "paid"
    # the services compute the same approved amounts from the imported adjustments
    totals_refresh(paid)
    paid.refresh_from_db()
    assert paid.approved_minor == 110000
    assert AuditEvent.objects.filter(event_type="data.imported").count() == 1


def test_a_bad_row_writes_nothing_and_names_row_and_column(matter_a, admin):
    bad = [*GOOD[:2], row("H-2", 1, "450.00", "470.00", state="approved")]
    bad.append(row("H-3", 1, "12x", "0", state="rejected"))
    result = history_import(actor=admin, name="past.csv", data=csv_bytes(bad))
    assert not result.written
    where = {(p.row, p.column) for p in result.problems}
    assert (4, "approved_total") in where  # 470 approved on 450 billed
    assert (5, "line_item_total") in where
    assert Invoice.objects.count() == 0 and InvoiceLine.objects.count() == 0


def test_running_the_same_file_again_changes_nothing(matter_a, admin):
    history_import(actor=admin, name="past.csv", data=csv_bytes(GOOD))
    again = history_import(actor=admin, name="past.csv", data=csv_bytes(GOOD))
    assert again.problems == [] and again.count("unchanged") == 2 and not again.written
    assert Invoice.objects.count() == 2 and Payment.objects.count() == 1
    assert AuditEvent.objects.filter(event_type="data.imported").count() == 1
    changed = [row("H-2", 1, "450.00", "400.00", state="approved_adjusted")]
    refused = history_import(actor=admin, name="past.csv", data=csv_bytes(changed))
    assert [(p.row, p.column) for p in refused.problems] == [(2, "invoice_number")]


def test_unknown_firm_and_matter_need_create_missing(db, admin):
    keeper = ("ZZ9", "Doe, Jane", "ASSOC")
    rows = [row("N-1", 1, "250.00", "250.00", firm="11-1111111", matter="NEW-9", keeper=keeper)]
    refused = history_import(actor=admin, name="past.csv", data=csv_bytes(rows))
    assert {(p.row, p.column) for p in refused.problems} == {
        (2, "law_firm_id"),
        (2, "client_matter_id"),
    }
    assert "'11-1111111'" in str(refused.problems[0]) + str(refused.problems[1])
    assert not LawFirm.objects.exists()
    created = history_import(
        actor=admin, name="past.csv", data=csv_bytes(rows), create_missing=True
    )
    assert created.problems == [] and created.written
    firm, matter = LawFirm.objects.get(law_firm_id="11-1111111"), Matter.objects.get(number="NEW-9")
    assert MatterFirm.objects.filter(firm=firm, matter=matter).exists()
    assert Timekeeper.objects.get(firm=firm).timekeeper_id == "ZZ9"
    assert Invoice.objects.get(invoice_number="N-1").matter == matter


def test_a_later_ledes_intake_of_the_same_invoice_is_a_duplicate(matter_a, admin, intake):
    history_import(actor=admin, name="past.csv", data=csv_bytes(GOOD))
    report = intake(ledes(Bill("H-1", "LIT-001", lines=[Fee("2.0", "500.00", "Review")])))
    assert [o.status for o in report.outcomes] == ["duplicate"]
    assert Invoice.objects.filter(invoice_number="H-1").count() == 1


def test_only_admins_import_history_and_the_cli_exit_codes(matter_a, attorney, tmp_path):
    with pytest.raises(PermissionDenied):
        history_import(actor=attorney, name="past.csv", data=csv_bytes(GOOD))
    good = tmp_path / "past.csv"
    good.write_bytes(csv_bytes(GOOD))
    out = io.StringIO()
    call_command("import", "history", str(good), stdout=out)
    assert "2 invoices imported, 0 unchanged" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row("H-9", 1, "10.00", "10.00", state="in_review")]))
    err = io.StringIO()
    with pytest.raises(CommandError) as rejected:
        call_command("import", "history", str(bad), stderr=err)
    assert rejected.value.returncode == 1
    assert f"{bad}:2: state:" in err.getvalue()
    with pytest.raises(CommandError) as missing:
        call_command("import", "history", str(tmp_path / "nope.csv"), stderr=io.StringIO())
    assert missing.value.returncode == 2
