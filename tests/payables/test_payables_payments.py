"""Payments: recorded by the payments import (all-or-nothing, idempotent), by the API and by
hand; the invoice is paid once nothing is outstanding."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from tests.approvals.ebilling import CLEAN

from legalops.core import imports
from legalops.invoices.models import State
from legalops.payables import selectors, services
from legalops.payables.models import Payment

TODAY = datetime.date.today()


@pytest.fixture
def exported(approved, admin):
    """Two invoices of firm A sent to AP: 1,000.00 and 2,000.00."""
    one, two = approved(CLEAN), approved(CLEAN, CLEAN)
    services.ap_batch_create(actor=admin)
    one.refresh_from_db()
    two.refresh_from_db()
    return one, two


def payments_csv(*rows):
    head = "law_firm_id,invoice_number,paid_date,amount,reference\n"
    return (head + "".join(",".join(r) + "\n" for r in rows)).encode()


def run(admin, data):
    return imports.import_file(actor=admin, kind="payments", name="payments.csv", data=data)


def test_a_payments_file_marks_invoices_paid_and_is_idempotent(exported, admin):
    one, two = exported
    day = (TODAY - datetime.timedelta(days=1)).isoformat()
    data = payments_csv(
        ("36-1234567", one.invoice_number, day, "1000.00", "PAY-1"),
        ("36-1234567", two.invoice_number, day, "1500.00", "PAY-2"),
    )
    result = run(admin, data)
    assert result.written and result.summary == "2 created, 0 updated, 0 unchanged"
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.state, one.paid_on) == (State.PAID, TODAY - datetime.timedelta(days=1))
    assert two.state == State.SENT_TO_AP and selectors.outstanding_minor(two) == 50000
    again = run(admin, data)
    assert again.summary == "0 created, 0 updated, 2 unchanged" and Payment.objects.count() == 2


def test_one_bad_row_rejects_the_whole_payments_file(exported, admin, approved):
    one, two = exported
    not_sent = approved(CLEAN)
    day = TODAY.isoformat()
    data = payments_csv(
        ("36-1234567", one.invoice_number, day, "1000.00", ""),
        ("36-1234567", "NOPE-1", day, "10", ""),
        ("36-1234567", two.invoice_number, "31/12/2026", "abc", ""),
        ("36-1234567", not_sent.invoice_number, day, "10", ""),
        ("36-1234567", two.invoice_number, day, "2000.01", ""),
        ("36-1234567", one.invoice_number, day, "1000.00", ""),
    )
    result = run(admin, data)
    assert not result.written and Payment.objects.count() == 0
    assert [(p.row, p.column) for p in result.problems] == [
        (3, "invoice_number"),
        (4, "paid_date"),
        (4, "amount"),
        (5, "invoice_number"),
        (6, "amount"),
        (7, ""),
    ]
    messages = [p.message for p in result.problems]
    assert "no invoice 'NOPE-1' of firm '36-1234567'" in messages[0]
    assert "not sent to AP" in messages[3]
    assert "more than the 2000.00 USD outstanding" in messages[4]
    assert "the same payment as row 2" in messages[5]


def test_legalops_import_payments_command(exported, tmp_path):
    one, _ = exported
    good = tmp_path / "paid.csv"
    good.write_bytes(
        payments_csv(("36-1234567", one.invoice_number, TODAY.isoformat(), "1000", ""))
    )
    out = io.StringIO()
    call_command("import", "payments", str(good), stdout=out)
    assert "imported payments: 1 created" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(payments_csv(("36-1234567", "X", TODAY.isoformat(), "1", "")))
    err = io.StringIO()
    with pytest.raises(CommandError) as rejected:
        call_command("import", "payments", str(bad), stderr=err)
    assert rejected.value.returncode == 1
    assert "bad.csv:2: invoice_number: no invoice 'X'" in err.getvalue()


def test_payments_are_checked(exported, admin, attorney):
    one, _ = exported
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError, match="in the future"):
        services.payment_record(
            actor=admin, invoice=one, paid_on=TODAY + datetime.timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):
        services.payment_record(actor=attorney, invoice=one, paid_on=TODAY)
    services.payment_record(actor=admin, invoice=one, paid_on=TODAY)
    with pytest.raises(ValidationError, match="nothing left to pay"):
        services.payment_record(actor=admin, invoice=one, paid_on=TODAY)
