import hashlib
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from tests.invoices.builders import Bill, Expense, Fee
from tests.invoices.builders import ledes as ledes_text

from legalops import ledes
from legalops.audit.models import AuditEvent
from legalops.invoices.models import Invoice, InvoiceFile, InvoiceLine, State

GOOD = [
    Fee("2.0", "500.00", "Draft motion to compel production of documents"),
    Fee(
        "1.5",
        "300.00",
        "Research case law on spoliation sanctions for motion",
        timekeeper=("TK2", "Lee, Ann", "ASSOC"),
    ),
    Expense("45.10", "E101", "Copies of exhibits for hearing"),
]


def test_a_clean_invoice_is_received_reviewed_and_stored_byte_for_byte(
    intake, matter_a, rate_card, admin
):
    data = ledes_text(Bill("INV-1", "LIT-001", lines=GOOD))
    report = intake(data, actor=admin)
    assert report.accepted and [o.status for o in report.outcomes] == ["received"]
    invoice = report.received[0]
    assert invoice.state == State.IN_REVIEW
    assert invoice.billed_minor == 100000 + 45000 + 4510  # 2 x 500 + 1.5 x 300 + 45.10
    assert invoice.billed_fees_minor == 145000 and invoice.billed_expenses_minor == 4510
    assert invoice.hours == Decimal("3.5")
    assert invoice.file.content.read() == data
    assert invoice.file.sha256 == hashlib.sha256(data).hexdigest()
    lines = list(invoice.lines.order_by("index"))
    assert [line.timekeeper for line in lines[:2]] == [rate_card["partner"], rate_card["associate"]]
    assert AuditEvent.objects.filter(
        event_type="invoice.received", target_id=str(invoice.pk)
    ).exists()


def test_the_same_file_again_is_a_duplicate_and_changes_nothing(intake, matter_a, rate_card):
    data = ledes_text(Bill("INV-1", "LIT-001", lines=GOOD))
    intake(data)
    again = intake(data)
    assert again.accepted and [o.status for o in again.outcomes] == ["duplicate"]
    assert Invoice.objects.count() == 1 and InvoiceFile.objects.count() == 1


def test_an_unknown_matter_refuses_the_whole_file(intake, matter_a, rate_card):
    data = ledes_text(Bill("INV-1", "LIT-001", lines=GOOD), Bill("INV-2", "NOPE-9", lines=GOOD))
    report = intake(data)
    assert not report.accepted
    assert [o.status for o in report.outcomes] == ["received", "rejected"]
    assert "unknown matter: CLIENT_MATTER_ID 'NOPE-9'" in report.outcomes[1].reasons[0]
    assert not Invoice.objects.exists() and not InvoiceFile.objects.exists()
    assert not InvoiceLine.objects.exists()


def test_an_unknown_firm_and_an_unassigned_firm_are_refused(intake, matter_a, matter_b, firm_b):
    unknown = intake(ledes_text(Bill("X", "LIT-001", firm="99-0000000", lines=GOOD)))
    assert "unknown firm: LAW_FIRM_ID '99-0000000'" in unknown.outcomes[0].reasons[0]
    unassigned = intake(ledes_text(Bill("X", "LIT-002", lines=GOOD)))
    assert "is not assigned to matter LIT-002" in unassigned.outcomes[0].reasons[0]
    assert not Invoice.objects.exists()


def test_create_missing_creates_firm_matter_and_timekeepers_for_an_admin(intake, admin):
    data = ledes_text(Bill("INV-9", "NEW-1", firm="12-3456789", lines=GOOD))
    report = intake(data, actor=admin, create_missing=True)
    invoice = report.received[0]
    assert invoice.firm.law_firm_id == "12-3456789" and invoice.matter.number == "NEW-1"
    assert sorted(invoice.firm.timekeepers.values_list("timekeeper_id", flat=True)) == [
        "TK1",
        "TK2",
    ]


def test_a_firm_user_submits_only_for_their_own_firm(
    intake, matter_a, matter_b, firm_a_user, firm_b_user, rate_card
):
    data = ledes_text(Bill("INV-1", "LIT-001", lines=GOOD))
    refused = intake(data, actor=firm_b_user, source="portal")
    assert "you may submit invoices of your own firm only" in refused.outcomes[0].reasons[0]
    assert not Invoice.objects.exists()
    assert intake(data, actor=firm_a_user, source="portal").accepted
    with pytest.raises(PermissionDenied):
        intake(data, actor=firm_a_user, source="portal", create_missing=True)


@pytest.mark.parametrize("who", ["requester", "approver", "attorney"])
def test_staff_other_than_legal_ops_do_not_upload(intake, personas, who, matter_a):
    with pytest.raises(PermissionDenied):
        intake(ledes_text(Bill("INV-1", "LIT-001", lines=GOOD)), actor=personas[who])


def test_a_corrected_invoice_replaces_a_rejected_one(intake, matter_a, rate_card, admin):
    from legalops.invoices.services import invoice_reject

    first = intake(ledes_text(Bill("INV-1", "LIT-001", lines=GOOD))).received[0]
    invoice_reject(
        actor=admin, invoice=first, reason_code="billing-error", comment="wrong matter phase"
    )
    corrected = intake(ledes_text(Bill("INV-1", "LIT-001", lines=GOOD[:2])))
    assert [o.status for o in corrected.outcomes] == ["received"]
    new = corrected.received[0]
    first.refresh_from_db()
    assert new.resubmission_of == first and first.state == State.RESUBMITTED


def test_several_matters_in_one_invoice_are_refused(intake, matter_a, matter_b, firm_a):
    two = [Fee("1.0", "100", "Draft reply brief"), Fee("1.0", "100", "Revise reply brief")]
    rows = ledes_text(Bill("INV-1", "LIT-001", lines=two)).decode().splitlines()
    rows[3] = rows[3].replace("LIT-001[]", "LIT-002[]")  # the second line bills another matter
    report = intake(("\n".join(rows) + "\n").encode())
    assert not report.accepted
    assert "several matters (LIT-001, LIT-002)" in report.outcomes[0].reasons[0]
    assert not Invoice.objects.exists()


def test_an_invalid_file_gets_the_ledes_errors_and_writes_nothing(intake, matter_a):
    data = ledes_text(Bill("INV-1", "LIT-001", lines=GOOD)).replace(b"|1000.00|", b"|1,000|")
    report = intake(data)
    assert not report.accepted and report.errors
    assert {e["code"] for e in report.errors} & {"number", "line-total", "invoice-total"}
    assert not Invoice.objects.exists()


def _corpus_files(corpus_dir):
    return sorted(
        p for p in (corpus_dir / "ledes").rglob("*") if p.is_file() and p.name != "SOURCES.md"
    )


@pytest.mark.corpus
def test_every_corpus_file_is_received_whole_or_refused_whole(intake, corpus_dir, admin):
    files = _corpus_files(corpus_dir)
    assert len(files) == 19
    for path in files:
        data = path.read_bytes()
        before = (Invoice.objects.count(), InvoiceLine.objects.count())
        report = intake(data, actor=admin, filename=path.name, create_missing=True)
        parsed = ledes.parse(data)
        if not parsed.valid:
            assert report.errors and not report.accepted, path.name
            assert (Invoice.objects.count(), InvoiceLine.objects.count()) == before, path.name
            continue
        assert report.accepted, (path.name, [o.reasons for o in report.outcomes])
        received = [o for o in report.outcomes if o.status == "received"]
        added = sum(len(o.invoice.lines.all()) for o in received)
        assert InvoiceLine.objects.count() == before[1] + added, path.name
        for outcome in received:
            source = next(i for i in parsed.invoices if i.invoice_number == outcome.invoice_number)
            billed = sum((item.total for item in source.line_items), Decimal(0))
            assert outcome.invoice.billed_minor == int(billed * 100), path.name
