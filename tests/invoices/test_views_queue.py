# ruff: noqa: F811 - pytest fixtures imported from tests/invoices/spend_fixtures.py
"""The Spend pages: the invoice queues (filters, counts per state, sorting, htmx), "my review
queue", bulk actions with a result per invoice, and legal ops' LEDES upload."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from tests.factories import BusinessUnitFactory, MatterFactory
from tests.invoices.builders import Bill, Expense, Fee, ledes
from tests.invoices.spend_fixtures import (  # noqa: F401
    CLEAN,
    approver_sees,
    firm_b_invoice,
    flagged,
    flagged_file,
    guidelines,
    outsider,
)

from legalops.invoices.models import Flag, Invoice, InvoiceFile, State


def numbers(response):
    """Invoice numbers of the queue table, in order."""
    table = re.search(r'data-testid="invoices">(.*?)</table>', response.content.decode(), re.S)
    return re.findall(
        r'<td class="mono"><a href="/spend/invoices/\d+/">([^<]+)</a>', table.group(1)
    )


# Nothing in it fires a rule (and it duplicates no line of INV-5).
HEARING = Expense("240.00", "E110", "Court reporter for the hearing of 12 September", "20260912")


def clean_invoice(intake, number="INV-7", **kw):
    kw = {"date": "20261005", "start": "20260901", "end": "20260930", **kw}
    return intake(ledes(Bill(number, "LIT-001", lines=[HEARING], **kw))).received[0]


def test_spend_is_the_invoice_queue(client, admin, flagged):
    client.force_login(admin)
    response = client.get("/spend/")
    assert response.status_code == 200
    assert [s.label for s in response.context["nav_sections"]][0] == "Spend"
    assert numbers(response) == ["INV-5"]


def test_filters_narrow_the_queue(client, admin, intake, flagged, firm_b_invoice):
    unit = BusinessUnitFactory(name="Operations")
    flagged.matter.business_unit = unit
    flagged.matter.save()
    clean = clean_invoice(intake)
    client.force_login(admin)

    def listed(**params):
        return sorted(numbers(client.get("/spend/", params)))

    assert listed() == ["B-100", "INV-5", "INV-7"]
    assert listed(firm=flagged.firm_id) == ["INV-5", "INV-7"]
    assert listed(unit=unit.pk) == ["INV-5", "INV-7"]
    assert listed(flags="holds") == ["INV-5"]
    assert listed(flags="clean") == ["B-100", "INV-7"]
    assert listed(q="patent") == ["B-100"]  # matter name
    assert listed(**{"from": "2026-11-01"}) == ["B-100", "INV-5"]
    assert listed(**{"to": "2026-10-31"}) == [clean.invoice_number]
    assert listed(**{"from": "not a date"}) == ["B-100", "INV-5", "INV-7"]
    assert listed(matter=flagged.matter_id) == ["INV-5", "INV-7"]


def test_counts_per_state_follow_the_other_filters(client, admin, intake, flagged, firm_b_invoice):
    from legalops.invoices import services

    clean = clean_invoice(intake)
    services.invoice_submit_for_approval(actor=admin, invoice=clean)
    client.force_login(admin)
    response = client.get("/spend/")
    assert [(v, n) for v, _label, n, _q in response.context["counts"]] == [
        ("in_review", 2),
        ("pending_approval", 1),
    ]
    by_firm = client.get("/spend/", {"firm": flagged.firm_id})
    assert [(v, n) for v, _label, n, _q in by_firm.context["counts"]] == [
        ("in_review", 1),
        ("pending_approval", 1),
    ]
    assert numbers(client.get("/spend/", {"state": "pending_approval"})) == ["INV-7"]


def test_sorting_and_htmx_partial(client, admin, intake, flagged):
    clean_invoice(intake)
    client.force_login(admin)
    assert numbers(client.get("/spend/", {"sort": "billed"})) == ["INV-7", "INV-5"]
    assert numbers(client.get("/spend/", {"sort": "-billed"})) == ["INV-5", "INV-7"]
    partial = client.get("/spend/", {"sort": "number"}, HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="results">') and "<h1>" not in html
    assert numbers(partial) == ["INV-5", "INV-7"]


def test_the_review_queue_holds_open_invoices_of_matters_the_user_reviews(
    client, intake, attorney, outsider, flagged, firm_b_invoice
):
    from legalops.invoices import services

    other = MatterFactory(number="LIT-009", firms=[flagged.firm])
    intake(ledes(Bill("INV-8", "LIT-009", lines=[CLEAN])))
    sent = clean_invoice(intake)
    assert sent.flag_count == 0
    services.invoice_submit_for_approval(actor=attorney, invoice=sent)
    client.force_login(attorney)
    assert numbers(client.get("/spend/queue/")) == ["INV-5"]  # not submitted, own matter only
    assert sorted(numbers(client.get("/spend/"))) == ["INV-5", "INV-7"]
    other.team.add(outsider)
    client.force_login(outsider)
    assert numbers(client.get("/spend/queue/")) == ["INV-8"]


def test_requesters_have_no_spend_and_firm_users_go_to_the_portal(
    client, requester, firm_a_user, flagged
):
    client.force_login(requester)
    assert client.get("/spend/").status_code == 403
    assert client.get("/spend/queue/").status_code == 403
    client.force_login(firm_a_user)
    assert client.get("/spend/").url == "/portal/"


def test_approvers_see_only_what_is_routed_to_them(
    client, approver, approver_sees, intake, flagged
):
    clean = clean_invoice(intake)
    client.force_login(approver)
    assert numbers(client.get("/spend/")) == []
    approver_sees(clean)
    assert numbers(client.get("/spend/")) == ["INV-7"]
    assert numbers(client.get("/spend/queue/")) == []  # approvers review nothing


def bulk(client, action, *invoices, **extra):
    data = {"action": action, "invoice": [i.pk for i in invoices], **extra}
    return client.post("/spend/bulk/", data)


def results(response):
    return [(r.invoice.invoice_number, r.ok, r.message) for r in response.context["results"]]


def test_bulk_accept_takes_clean_invoices_and_reports_the_held_one(client, admin, intake, flagged):
    block = Fee(
        "2.0",
        "500.00",
        "Prepare witness outline for the plant manager; revise privilege log; "
        "call with opposing counsel re schedule",
        date="20261110",
    )
    reduced = intake(ledes(Bill("INV-9", "LIT-001", lines=[block]))).received[0]
    client.force_login(admin)
    response = bulk(client, "accept_flags", flagged, reduced)
    assert results(response) == [
        ("INV-5", False, "1 hold flag(s) need a decision on the invoice page"),
        ("INV-9", True, "1 flag(s) accepted"),
    ]
    assert Flag.objects.get(invoice=reduced).status == "accepted"
    assert set(Flag.objects.filter(invoice=flagged).values_list("status", flat=True)) == {
        "proposed"
    }
    html = response.content.decode()
    assert "1 of 2 done." in html and "refused" in html


def test_bulk_submit_and_hold_run_each_invoice_through_its_service(client, admin, intake, flagged):
    clean = clean_invoice(intake)
    client.force_login(admin)
    assert results(bulk(client, "submit", clean, flagged)) == [
        ("INV-7", True, "pending approval"),
        ("INV-5", False, "1 hold flag(s) must be cleared first (accept or override them)"),
    ]
    refused = bulk(client, "hold", flagged)
    assert "this action needs a comment" in refused.content.decode()
    assert results(bulk(client, "hold", flagged, comment="ask the firm")) == [
        ("INV-5", True, "on hold")
    ]
    assert Invoice.objects.get(pk=flagged.pk).state == State.ON_HOLD


def test_bulk_ignores_invoices_the_user_cannot_see_and_refuses_what_they_cannot_do(
    client, outsider, approver, approver_sees, flagged, firm_b_invoice
):
    client.force_login(outsider)
    assert results(bulk(client, "start_review", flagged, firm_b_invoice)) == []
    approver_sees(flagged)
    client.force_login(approver)
    outcome = results(bulk(client, "accept_flags", flagged))
    assert outcome == [("INV-5", False, "your role may not review invoices")]


def test_upload_reports_each_file_and_invoice(client, admin, matter_a, rate_card, guidelines):
    client.force_login(admin)
    good = SimpleUploadedFile("good.txt", flagged_file("INV-20"))
    bad = SimpleUploadedFile("bad.txt", b"LEDES1998B[]\nnot a header\n")
    unknown = SimpleUploadedFile("unknown.txt", flagged_file("INV-21", matter="NOPE-1"))
    response = client.post("/spend/upload/", {"ledes_files": [good, bad, unknown]})
    reports = response.context["reports"]
    assert [r.file for r in reports] == ["good.txt", "bad.txt", "unknown.txt"]
    assert [r.accepted for r in reports] == [True, False, False]
    assert any(e["line"] == 2 and e["field"] == "INVOICE_DATE" for e in reports[1].errors)
    html = response.content.decode()
    assert "unknown matter: CLIENT_MATTER_ID &#x27;NOPE-1&#x27;" in html
    assert list(Invoice.objects.values_list("invoice_number", flat=True)) == ["INV-20"]
    assert InvoiceFile.objects.count() == 1
    again = client.post(
        "/spend/upload/", {"ledes_files": [SimpleUploadedFile("g.txt", flagged_file("INV-20"))]}
    )
    assert [o.status for o in again.context["reports"][0].outcomes] == ["duplicate"]


def test_upload_can_create_missing_firms_and_matters(client, admin, guidelines):
    client.force_login(admin)
    data = flagged_file("INV-30", matter="NEW-7", firm="12-3456789")
    refused = client.post("/spend/upload/", {"ledes_files": [SimpleUploadedFile("a.txt", data)]})
    assert not refused.context["reports"][0].accepted
    created = client.post(
        "/spend/upload/",
        {"ledes_files": [SimpleUploadedFile("a.txt", data)], "create_missing": "on"},
    )
    invoice = created.context["reports"][0].outcomes[0].invoice
    assert (invoice.firm.law_firm_id, invoice.matter.number) == ("12-3456789", "NEW-7")


def test_only_legal_ops_upload(client, attorney, approver):
    for user in (attorney, approver):
        client.force_login(user)
        assert client.get("/spend/upload/").status_code == 403
