# ruff: noqa: F811 - pytest fixtures imported from tests/invoices/spend_fixtures.py
"""The vendor portal's invoices: pre-flight before submit (nothing written until then, and
the same flags the review then stores), the firm's list and invoice page (decisions shown
once made), entry without LEDES with the PDF and receipts, and firm isolation."""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from tests.invoices.spend_fixtures import (  # noqa: F401
    BILLED,
    firm_b_invoice,
    flagged,
    flagged_file,
    guidelines,
)

from legalops.invoices import services
from legalops.invoices.models import Attachment, Flag, Invoice, InvoiceFile, State

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def check(client, data, name="nov.txt"):
    return client.post("/portal/invoices/upload/", {"file": SimpleUploadedFile(name, data)})


def test_the_pre_flight_shows_flags_and_money_and_writes_nothing(
    client, firm_a_user, matter_a, rate_card, guidelines
):
    client.force_login(firm_a_user)
    response = check(client, flagged_file("INV-40"))
    html = response.content.decode()
    assert "The file would be received" in html
    assert re.search(r'data-testid="preflight-billed">2,270.00 USD<', html)
    assert re.search(r'data-testid="preflight-at-stake">1,000.00 USD<', html)
    assert "block-billing" in html and "vague-description" in html
    assert "1 flag will hold the invoice" in html
    assert "rules skipped" in html
    assert not Invoice.objects.exists() and not InvoiceFile.objects.exists()
    assert 'name="token"' in html


def test_submitting_sends_the_checked_bytes_and_the_review_agrees_with_the_pre_flight(
    client, firm_a_user, matter_a, rate_card, guidelines
):
    client.force_login(firm_a_user)
    data = flagged_file("INV-41")
    checked = check(client, data).context["check"].invoices[0]
    token = check(client, data).context["token"]
    response = client.post(
        "/portal/invoices/submit/", {"token": token, "filename": "nov.txt"}, follow=True
    )
    invoice = Invoice.objects.get(invoice_number="INV-41")
    assert response.redirect_chain[-1][0] == f"/portal/invoices/{invoice.pk}/"
    assert invoice.file.content.open("rb").read() == data
    assert (invoice.source, invoice.submitted_by) == ("portal", firm_a_user)
    stored = [
        (f.rule, f.action, f.amount_minor, f.line.line_item_number if f.line else "")
        for f in Flag.objects.filter(invoice=invoice).order_by("line__index", "order")
    ]
    seen = [(f.rule, f.action, f.amount_minor, f.line_item_number) for f in checked.flags]
    assert seen == stored
    assert (checked.billed_minor, checked.approved_minor) == (
        invoice.billed_minor,
        invoice.approved_minor,
    )
    again = client.post("/portal/invoices/submit/", {"token": token, "filename": "nov.txt"})
    assert again.status_code == 302 and again.url == "/portal/invoices/upload/"
    assert Invoice.objects.count() == 1


def test_a_token_is_good_only_for_the_user_who_checked_it(
    client, firm_a_user, matter_a, rate_card, guidelines
):
    from tests.factories import UserFactory

    colleague = UserFactory(username="carol.firm-a", role="firm", firm=firm_a_user.firm)
    client.force_login(firm_a_user)
    token = check(client, flagged_file("INV-42")).context["token"]
    client.force_login(colleague)
    client.post("/portal/invoices/submit/", {"token": token, "filename": "x.txt"})
    client.post("/portal/invoices/submit/", {"token": "../" * 10, "filename": "x.txt"})
    assert not Invoice.objects.exists()


def test_a_refused_file_gets_no_submit_button(client, firm_a_user, matter_a, firm_b, guidelines):
    client.force_login(firm_a_user)
    unknown = check(client, flagged_file("INV-43", matter="NOPE-2")).content.decode()
    assert "unknown matter: CLIENT_MATTER_ID &#x27;NOPE-2&#x27;" in unknown
    assert 'name="token"' not in unknown
    other_firm = check(client, flagged_file("INV-44", firm="94-7654321")).content.decode()
    assert "you may submit invoices of your own firm only" in other_firm
    invalid = check(client, b"LEDES1998B[]\nINVOICE_DATE|oops[]\n").content.decode()
    assert "not valid LEDES" in invalid and "INVOICE_NUMBER" in invalid
    assert 'name="token"' not in invalid


def test_a_duplicate_is_said_before_submitting(client, firm_a_user, flagged):
    client.force_login(firm_a_user)
    html = check(client, flagged_file("INV-5")).content.decode()
    assert "already received" in html and 'name="token"' not in html


def test_a_resubmission_is_not_flagged_as_a_duplicate_of_the_rejected_original(
    client, firm_a_user, admin, flagged
):
    services.invoice_reject(
        actor=admin, invoice=flagged, reason_code="billing-error", comment="fix line 2"
    )
    client.force_login(firm_a_user)
    checked = check(client, flagged_file("INV-5")).context["check"].invoices[0]
    assert checked.outcome.resubmission_of == flagged
    assert "duplicate-invoice" not in [f.rule for f in checked.flags]
    assert "duplicate-line" not in [f.rule for f in checked.flags]


def test_the_firm_sees_its_own_invoices_only(client, firm_a_user, flagged, firm_b_invoice):
    client.force_login(firm_a_user)
    listed = client.get("/portal/invoices/").content.decode()
    assert "INV-5" in listed and "B-100" not in listed
    assert client.get(f"/portal/invoices/{firm_b_invoice.pk}/").status_code == 404
    assert client.get(f"/portal/invoices/{firm_b_invoice.pk}/files/original").status_code == 404
    assert client.get(f"/portal/invoices/{flagged.pk}/files/original").status_code == 200


def test_staff_do_not_use_the_portal_pages(client, admin, flagged):
    client.force_login(admin)
    assert client.get("/portal/invoices/").status_code == 403
    assert client.get(f"/portal/invoices/{flagged.pk}/").status_code == 403


def test_decisions_are_shown_to_the_firm_once_made(client, firm_a_user, admin, flagged):
    client.force_login(firm_a_user)
    open_page = client.get(f"/portal/invoices/{flagged.pk}/").content.decode()
    assert "Under review" in open_page and 'data-testid="adjustments"' not in open_page
    assert "1,270.00" not in client.get("/portal/invoices/").content.decode()

    vague = Flag.objects.get(invoice=flagged, rule="vague-description")
    services.flag_decide(actor=admin, flag=vague, accept=True)
    services.adjustment_add(
        actor=admin,
        line=flagged.lines.get(index=2),
        approved=Decimal("100"),
        reason_code="expense",
        comment="court reporter capped at 100.00",
    )
    services.invoice_submit_for_approval(actor=admin, invoice=flagged)
    services.invoice_approve(actor=admin, invoice=flagged)
    page = client.get(f"/portal/invoices/{flagged.pk}/").content.decode()
    assert re.search(r'data-testid="approved"><strong>1,250.00 USD<', page)
    table = re.search(r'data-testid="adjustments">(.*?)</table>', page, re.S).group(1)
    assert "block-billing" in table and "3 distinct tasks under one time value" in table
    assert "expense" in table and "court reporter capped at 100.00" in table
    assert "-1,000.00 USD" in table and "-20.00 USD" in table


def test_a_rejection_tells_the_firm_why(client, firm_a_user, admin, flagged):
    services.invoice_reject(
        actor=admin, invoice=flagged, reason_code="billing-error", comment="phase codes missing"
    )
    client.force_login(firm_a_user)
    page = client.get(f"/portal/invoices/{flagged.pk}/").content.decode()
    assert "billing-error" in page and "phase codes missing" in page


# --- Entry without LEDES ----------------------------------------------------------------------


def entry(matter, rate_card, **extra):
    data = {
        "matter": matter.pk,
        "invoice_number": "F-100",
        "invoice_date": "2026-11-20",
        "billing_start": "2026-11-01",
        "billing_end": "2026-11-30",
        "client_id": "NW",
        "law_firm_matter_id": "HW-2026-01",
        "description": "Legal services",
        "line-TOTAL_FORMS": "2",
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "0",
        "line-MAX_NUM_FORMS": "80",
        "line-0-kind": "F",
        "line-0-date": "2026-11-04",
        "line-0-timekeeper": rate_card["partner"].pk,
        "line-0-task_code": "L120",
        "line-0-activity_code": "A104",
        "line-0-units": "1.5",
        "line-0-rate": "500",
        "line-0-narrative": "Analyze expert report of Dr. Kessler on lost profits",
        "line-1-kind": "E",
        "line-1-date": "2026-11-06",
        "line-1-expense_code": "E110",
        "line-1-units": "1",
        "line-1-rate": "312.40",
        "line-1-narrative": "Court reporter for the deposition of the plant manager",
    }
    data.update(extra)
    return data


def test_check_shows_the_pre_flight_of_the_form_and_writes_nothing(
    client, firm_a_user, matter_a, rate_card, guidelines
):
    client.force_login(firm_a_user)
    response = client.post("/portal/invoices/new/", {**entry(matter_a, rate_card), "check": "1"})
    checked = response.context["check"]
    assert checked.would_accept and checked.invoices[0].billed_minor == 75000 + 31240
    assert not Invoice.objects.exists()


def test_submitting_the_form_needs_the_pdf(client, firm_a_user, matter_a, rate_card, guidelines):
    client.force_login(firm_a_user)
    url = "/portal/invoices/new/"
    missing = client.post(url, {**entry(matter_a, rate_card), "submit": "1"})
    assert "attach the invoice as a PDF" in missing.content.decode()
    not_pdf = client.post(
        url,
        {
            **entry(matter_a, rate_card),
            "submit": "1",
            "pdf": SimpleUploadedFile("invoice.pdf", b"GIF89a not a pdf"),
        },
    )
    assert "invoice.pdf: not a PDF" in not_pdf.content.decode()
    assert not Invoice.objects.exists() and not InvoiceFile.objects.exists()


def test_a_form_invoice_is_received_with_its_pdf_and_receipt(
    client, firm_a_user, matter_a, rate_card, guidelines, firm_b_user
):
    client.force_login(firm_a_user)
    data = {
        **entry(matter_a, rate_card),
        "submit": "1",
        "pdf": SimpleUploadedFile("F-100.pdf", PDF),
        "line-1-receipt": SimpleUploadedFile("reporter.png", PNG),
    }
    response = client.post("/portal/invoices/new/", data)
    invoice = Invoice.objects.get(invoice_number="F-100")
    assert response.url == f"/portal/invoices/{invoice.pk}/"
    assert (invoice.source, invoice.state) == ("form", State.IN_REVIEW)
    assert invoice.billed_minor == 75000 + 31240
    assert invoice.attachment.content.open("rb").read() == PDF
    assert invoice.attachment.content_type == "application/pdf"
    receipt = Attachment.objects.get(invoice=invoice)
    assert (receipt.line.line_item_number, receipt.file.content_type) == ("2", "image/png")
    assert invoice.file.content.open("rb").read().startswith(b"LEDES1998B[]")
    pdf = client.get(f"/portal/invoices/{invoice.pk}/files/pdf")
    assert b"".join(pdf.streaming_content) == PDF
    assert client.get(f"/portal/invoices/{invoice.pk}/files/{receipt.pk}").status_code == 200
    client.force_login(firm_b_user)
    assert client.get(f"/portal/invoices/{invoice.pk}/files/pdf").status_code == 404
    assert client.get(f"/portal/invoices/{invoice.pk}/files/{receipt.pk}").status_code == 404


def test_form_lines_need_their_codes_and_receipts_go_with_expenses(
    client, firm_a_user, matter_a, rate_card, guidelines
):
    client.force_login(firm_a_user)
    data = {
        **entry(matter_a, rate_card, **{"line-0-task_code": "", "line-1-expense_code": ""}),
        "check": "1",
        "line-0-receipt": SimpleUploadedFile("r.png", PNG),
    }
    lines = client.post("/portal/invoices/new/", data).context["lines"]
    assert lines.forms[0].errors["task_code"] == ["a fee line needs this"]
    assert lines.forms[0].errors["receipt"] == ["receipts go with expense lines"]
    assert lines.forms[1].errors["expense_code"] == ["an expense line needs an expense code"]


def test_a_form_invoice_already_received_changes_nothing(
    client, firm_a_user, matter_a, rate_card, guidelines
):
    client.force_login(firm_a_user)
    data = {**entry(matter_a, rate_card), "submit": "1"}
    client.post("/portal/invoices/new/", {**data, "pdf": SimpleUploadedFile("a.pdf", PDF)})
    again = client.post("/portal/invoices/new/", {**data, "pdf": SimpleUploadedFile("a.pdf", PDF)})
    assert again.status_code == 200 and "duplicate" in again.content.decode()
    assert Invoice.objects.count() == 1 and InvoiceFile.objects.count() == 2  # file + PDF


def test_only_the_firms_open_matters_are_offered(client, firm_a_user, matter_a, matter_b):
    client.force_login(firm_a_user)
    form = client.get("/portal/invoices/new/").context["header"]
    assert list(form.fields["matter"].queryset) == [matter_a]


def test_a_checked_file_waits_a_day_for_its_submission(
    client, firm_a_user, matter_a, rate_card, guidelines
):
    import os
    import time

    from django.core.files.storage import default_storage

    from legalops.invoices import preflight

    client.force_login(firm_a_user)
    token = check(client, flagged_file("INV-45")).context["token"]
    path = default_storage.path(f"preflight/{firm_a_user.pk}/{token}")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(path, (two_days_ago, two_days_ago))
    assert preflight.staged(firm_a_user, token) is None
    response = client.post("/portal/invoices/submit/", {"token": token, "filename": "x.txt"})
    assert response.url == "/portal/invoices/upload/"
    assert not Invoice.objects.exists()
    check(client, flagged_file("INV-46"))  # a new check clears what expired
    assert not os.path.exists(path)
